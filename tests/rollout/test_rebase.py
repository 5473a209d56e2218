"""rollout/rebase.py: merge rules, mapping errors, problems and plans on the new map."""

from __future__ import annotations

from fractions import Fraction
from typing import get_args

import pytest

from modelunit.errors import InvalidMappingError
from modelunit.geography import recognised_on_2025_map, ward_mapping_rows
from modelunit.rollout import (
    MappingRow,
    MergeRule,
    Milestone,
    Region,
    RolloutProblem,
    plan,
    rebase_plan,
    rebase_problem,
    rebase_recognised,
)
from modelunit.rollout.rebase import MERGE_KINDS, MergeKind
from modelunit.serialization import structure, unstructure

MAPPING = [
    MappingRow("a1", "X1", "A", "X"),
    MappingRow("a2", "X1", "A", "X"),
    MappingRow("a3", "X2", "A", "X"),
    MappingRow("b1", "X2", "B", "X"),
    MappingRow("b2", "Y1", "B", "Y"),
    MappingRow("b3", "Y1", "B", "Y"),
    MappingRow("b4", "Y1", "B", "Y"),
]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (MergeRule("all"), {"X": 1, "Y": 0}),
        (MergeRule("any"), {"X": 2, "Y": 1}),
        (MergeRule("share", "1/2"), {"X": 2, "Y": 0}),
        (MergeRule("share", "2/3"), {"X": 1, "Y": 0}),
        (MergeRule("share", "1/3"), {"X": 2, "Y": 1}),
    ],
)
def test_merge_rules(rule, expected):
    r = rebase_recognised(MAPPING, ["a1", "a2", "b1", "b4"], rule)
    assert {k: r.recognised.get(k, 0) for k in ("X", "Y")} == expected
    assert r.totals == {"X": 2, "Y": 1}
    assert structure(unstructure(r), type(r)) == r


def test_merge_rule_errors():
    with pytest.raises(InvalidMappingError, match=r"the 'share' rule needs a threshold"):
        MergeRule("share")
    with pytest.raises(InvalidMappingError, match="unknown merge rule"):
        MergeRule("most")  # type: ignore[arg-type]


def test_mapping_errors_are_all_listed():
    bad = [*MAPPING, MappingRow("a1", "Z9", "C", "Z"), MappingRow("c1", "X1", "C", "Y")]
    with pytest.raises(InvalidMappingError) as info:
        rebase_recognised(bad, ["a1", "zz"])
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("mapping[7].old_region", "old unit 'a1' is in 'C' here but in 'A' at mapping[0]"),
        ("mapping[8].new_region", "new unit 'X1' is in 'Y' here but in 'X' at mapping[0]"),
        ("recognised[1]", "unknown old unit 'zz' (not in the mapping)"),
    ]


def test_rebase_problem_and_plan():
    old = RolloutProblem(
        regions=[Region("A", total=3, recognised=2), Region("B", total=4, recognised=2)],
        milestones=[Milestone(2026, "50%"), Milestone(2030, 1), Milestone(2027, 1, region="A")],
        start=2026,
        end=2030,
        national_cap=3,
    )
    new = rebase_problem(
        old, MAPPING, ["a1", "a2", "b1", "b4"], MergeRule("any"), capacity={"X": 1}, start=2027
    )
    assert [(r.id, r.total, r.recognised, r.capacity) for r in new.regions] == [
        ("X", 2, 2, 1),
        ("Y", 1, 1, None),
    ]
    assert new.start == 2027
    assert [m.region for m in new.milestones] == [None, None]
    old_plan = plan(old, "level")
    new_plan = rebase_plan(old_plan, MAPPING, ["a1", "a2", "b1", "b4"], MergeRule("all"))
    assert new_plan.strategy == "level"
    assert [(r.region, r.recognised) for r in new_plan.regions] == [("X", 1), ("Y", 0)]
    with pytest.raises(InvalidMappingError) as info:
        rebase_problem(
            old, [*MAPPING[:-1], MappingRow("q", "Q", "Q", "Q")], ["a1"], capacity={"W": 1}
        )
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("mapping[6].old_region", "unknown region id 'Q'"),
        ("problem.regions[1].total", "the mapping has 3 old units for 'B', the problem 4"),
        ("capacity['W']", "unknown new region 'W'"),  # listed with the others, at once
    ]


def test_merge_kinds_are_declared_once_and_an_unreadable_threshold_is_a_mapping_error():
    assert MERGE_KINDS == get_args(MergeKind) == ("all", "any", "share")
    with pytest.raises(InvalidMappingError, match="expected one of") as info:
        MergeRule("most")  # type: ignore[arg-type]
    assert [p.path for p in info.value.problems] == ["rule.kind"]
    with pytest.raises(InvalidMappingError, match=r"expected a share in \(0, 1\], got 'half'"):
        MergeRule("share", "half")
    with pytest.raises(InvalidMappingError, match="got 3/2"):
        MergeRule("share", "150%")
    assert MergeRule("share", "50%").threshold == Fraction(1, 2)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("UnitMapping", MappingRow),
        ("ward_mapping_rows", ward_mapping_rows),
        ("recognised_on_2025_map", recognised_on_2025_map),
    ],
)
def test_old_names_in_rebase_are_deprecated_aliases(old, new):
    from modelunit.rollout import rebase

    deprecated = rf"^modelunit\.rollout\.rebase\.{old} is deprecated"
    with pytest.warns(DeprecationWarning, match=deprecated):
        assert getattr(rebase, old) is new
    with pytest.raises(AttributeError, match="has no attribute 'UnitMappings'"):
        rebase.UnitMappings  # noqa: B018
