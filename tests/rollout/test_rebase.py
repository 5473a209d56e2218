"""rollout/rebase.py: merge rules, mapping errors, problems and plans on the new map."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from fractions import Fraction
from typing import get_args

import attrs
import pytest
from hypothesis import given

from modelunit.errors import InvalidMappingError, ModelUnitError
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
from tests.rollout.milp_oracle import FAST, problems

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
        national_capacity=3,
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
    rebased = rebase_plan(old_plan, MAPPING, ["a1", "a2", "b1", "b4"], MergeRule("all"))
    new_plan = rebased.plan
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


# -- every bad input reported at once (issue 9, B8) --------------------------------------


def _mapping_problems(build) -> list[tuple[str, str]]:
    with pytest.raises(InvalidMappingError) as info:
        build()
    assert isinstance(info.value, ModelUnitError)
    return [(p.path, p.message) for p in info.value.problems]


@pytest.mark.parametrize(
    ("threshold", "shown"),
    [
        (math.nan, "nan"),
        (True, "True"),
        ("abc", "'abc'"),
        (-1, "-1"),
        (2, "2"),
        (0, "0"),
        (Decimal("Infinity"), "Decimal('Infinity')"),
        ([1], "[1]"),
    ],
)
def test_every_bad_threshold_is_a_mapping_error(threshold, shown):
    assert _mapping_problems(lambda: MergeRule("share", threshold)) == [
        ("rule.threshold", f"expected a share in (0, 1], got {shown}")
    ]


def test_a_bad_kind_and_a_bad_threshold_are_both_reported():
    assert _mapping_problems(lambda: MergeRule("bogus", "abc")) == [  # type: ignore[arg-type]
        ("rule.kind", "unknown merge rule 'bogus'; expected one of ('all', 'any', 'share')"),
        ("rule.threshold", "expected a share in (0, 1], got 'abc'"),
    ]
    assert _mapping_problems(lambda: MergeRule(["all"])) == [  # type: ignore[arg-type]
        ("rule.kind", "unknown merge rule ['all']; expected one of ('all', 'any', 'share')"),
    ]


def test_a_threshold_is_refused_where_it_would_be_ignored():
    assert _mapping_problems(lambda: MergeRule("any", "1/2")) == [
        ("rule.threshold", "a threshold is only used by the 'share' rule, not 'any'")
    ]


def test_structuring_a_merge_rule_reports_both_problems_as_a_mapping_error():
    assert _mapping_problems(
        lambda: structure({"kind": "most", "threshold": "abc"}, MergeRule)
    ) == [
        ("rule.kind", "unknown merge rule 'most'; expected one of ('all', 'any', 'share')"),
        ("rule.threshold", "expected a share in (0, 1], got 'abc'"),
    ]
    assert _mapping_problems(
        lambda: structure({"kind": "share", "treshold": "1/2"}, MergeRule)
    ) == [
        ("rule.treshold", "unexpected field(s): treshold (did you mean 'threshold'?)"),
        ("rule.threshold", "the 'share' rule needs a threshold, a share in (0, 1]"),
    ]
    assert structure({"kind": "share", "threshold": "1/2"}, MergeRule) == MergeRule("share", "1/2")


def test_rebase_checks_its_inputs_and_lists_every_problem():
    rows = [
        ("a1", "X1", "A", "X"),  # a tuple, not a MappingRow
        MappingRow(1, "X1", "A", None),  # type: ignore[arg-type]
        MappingRow("a2", "X1", "A", "X"),
        MappingRow("a2", "X2", "B", "X"),  # a2 in two old regions: still checked
    ]
    assert _mapping_problems(lambda: rebase_recognised(rows, ["a2", 3, "zz"], "all")) == [  # type: ignore[arg-type]
        ("mapping[0]", "expected a MappingRow, got ('a1', 'X1', 'A', 'X')"),
        ("mapping[1].old_unit", "expected a text id, got 1"),
        ("mapping[1].new_region", "expected a text id, got None"),
        ("recognised[1]", "expected a unit id, got 3"),
        ("rule", "expected a MergeRule, got 'all'"),
        ("mapping[3].old_region", "old unit 'a2' is in 'B' here but in 'A' at mapping[2]"),
        ("recognised[2]", "unknown old unit 'zz' (not in the mapping)"),
    ]


def test_a_bare_string_is_not_a_list_of_units():
    # Iterating "a1" would read the units 'a' and '1'.
    assert _mapping_problems(lambda: rebase_recognised(MAPPING, "a1")) == [
        ("recognised", "expected a list of old unit ids, got 'a1'")
    ]
    assert _mapping_problems(lambda: rebase_recognised("rows", [])) == [  # type: ignore[arg-type]
        ("mapping", "expected a list of MappingRow rows, got 'rows'")
    ]


def test_rebase_problem_checks_its_other_arguments_too():
    old = RolloutProblem(
        regions=[Region("A", total=3), Region("B", total=4)], milestones=[], start=2026, end=2027
    )
    assert _mapping_problems(lambda: rebase_problem("old", MAPPING, [])) == [  # type: ignore[arg-type]
        ("problem", "expected a RolloutProblem, got 'old'")
    ]
    assert _mapping_problems(lambda: rebase_problem(old, MAPPING, [], capacity=[1])) == [  # type: ignore[arg-type]
        ("capacity", "expected a mapping new region -> value, got [1]"),
    ]
    bad = {"X": 1.5, "Y": True, 5: 1}
    names = {"X": None, "Y": "Y"}
    assert _mapping_problems(
        lambda: rebase_problem(old, MAPPING, ["a1"], capacity=bad, names=names)  # type: ignore[arg-type]
    ) == [
        ("capacity[5]", "expected a region id, got 5"),
        ("capacity['X']", "expected a whole number, got 1.5"),
        ("capacity['Y']", "expected a whole number, got True"),
        ("names['X']", "expected text, got None"),
    ]


NFC = unicodedata.normalize("NFC", "Điện Biên")
NFD = unicodedata.normalize("NFD", "Điện Biên")


def test_ids_are_compared_in_nfc():
    rows = [MappingRow(NFD, "N1", NFD, "Lai Châu"), MappingRow("w2", "N1", NFC, "Lai Châu")]
    assert rows[0] == MappingRow(NFC, "N1", NFC, "Lai Châu")
    result = rebase_recognised(rows, [NFC, "w2"], MergeRule("all"))
    assert result.recognised == {"Lai Châu": 1}
    assert result.units[0].parts == ("w2", NFC)
    old = RolloutProblem(regions=[Region(NFC, total=2)], milestones=[], start=2026, end=2027)
    new = rebase_problem(old, rows, [NFD], capacity={unicodedata.normalize("NFD", "Lai Châu"): 1})
    assert [(r.id, r.capacity) for r in new.regions] == [("Lai Châu", 1)]
    both = {NFC: "composed", NFD: "decomposed"}
    assert _mapping_problems(lambda: rebase_problem(old, rows, [NFC], names=both)) == [
        (
            f"names[{NFC!r}]",
            f"region {NFC!r} given twice (the same after Unicode NFC normalisation)",
        )
    ]


def test_rebase_plan_carries_the_allocation_across_and_replans_only_what_must_change():
    old = RolloutProblem(
        regions=[Region("A", total=3), Region("B", total=4)],
        milestones=[Milestone(2030, 1)],
        start=2026,
        end=2030,
    )
    old_plan = plan(old, "level")
    assert [r.new for r in old_plan.regions] == [(0, 0, 1, 1, 1), (0, 1, 1, 1, 1)]
    # a1, a2 recognised by the end of 2026: X1 (a1 + a2) counts, X2 (a3 + b1) and Y1
    # (b2..b4) do not. B's 2027 unit goes to Y (3 of its 4 units left are there): a
    # third of Y's old units is a third of its one new unit, rounded up.
    rebased = rebase_plan(old_plan, MAPPING, ["a1", "a2"], MergeRule("all"), start=2027)
    assert [(r.region, r.total, r.recognised, r.new) for r in rebased.carried] == [
        ("X", 2, 1, (0, 1, 0, 0)),
        ("Y", 1, 0, (1, 0, 0, 0)),
    ]
    assert rebased.carried_valid
    assert rebased.kept
    assert [r.new for r in rebased.plan.regions] == [r.new for r in rebased.carried]
    assert rebased.plan.feasible
    # No capacity for Y on the new map: the carried plan cannot be kept; the cells
    # that change are listed, and the plan is the best effort with its diagnosis.
    stuck = rebase_plan(
        old_plan, MAPPING, ["a1", "a2"], MergeRule("all"), start=2027, capacity={"Y": 0, "X": 1}
    )
    assert not stuck.carried_valid
    assert not stuck.plan.feasible
    assert [(c.region, c.year, c.carried, c.planned) for c in stuck.changed] == [
        ("X", 2028, 1, 0),
        ("X", 2030, 0, 1),
        ("Y", 2027, 1, 0),
    ]


def test_a_carried_plan_that_breaks_a_new_limit_keeps_every_cell_it_can():
    old = RolloutProblem(
        regions=[Region("A", total=3), Region("B", total=4)],
        milestones=[Milestone(2030, 1)],
        start=2026,
        end=2030,
    )
    old_plan = plan(old, "earliest")  # everything in 2026
    rebased = rebase_plan(old_plan, MAPPING, [], MergeRule("all"), capacity={"X": 1, "Y": 1})
    assert [r.new for r in rebased.carried] == [(2, 0, 0, 0, 0), (1, 0, 0, 0, 0)]
    assert not rebased.carried_valid  # X may take on 1 a year on the new map
    assert rebased.plan.feasible
    assert [(r.region, r.new) for r in rebased.plan.regions] == [
        ("X", (1, 1, 0, 0, 0)),
        ("Y", (1, 0, 0, 0, 0)),
    ]
    assert [(c.region, c.year, c.carried, c.planned) for c in rebased.changed] == [
        ("X", 2026, 2, 1),
        ("X", 2027, 0, 1),
    ]


@FAST
@given(problems(max_regions=4, max_years=3))
def test_rebasing_onto_the_same_map_carries_every_plan_unchanged(problem):
    """The identity mapping (every ward its own new ward, in its own province): the
    carried allocation is the old one, the plan keeps it whenever it was feasible, and
    nothing changes."""
    if any(r.quota or r.quota_by_year or not r.total for r in problem.regions):
        return  # quotas are the old provinces' own (not carried); no ward, no new province
    problem = attrs.evolve(
        problem,
        milestones=[m for m in problem.milestones if m.region is None],
        regions=[attrs.evolve(r, cost=None, budget=None) for r in problem.regions],
        national_budget=None,
    )
    old_plan = plan(problem, "level")
    rows = [
        MappingRow(f"{r.id}-{k}", f"{r.id}-{k}", r.id, r.id)
        for r in problem.regions
        for k in range(r.total)
    ]
    recognised = [f"{r.id}-{k}" for r in problem.regions for k in range(r.recognised)]
    capacity = {r.id: r.capacity for r in problem.regions if r.capacity is not None}
    same_caps = all(not r.capacity_by_year for r in problem.regions)
    rebased = rebase_plan(old_plan, rows, recognised, capacity=capacity)
    assert [r.new for r in rebased.carried] == [r.new for r in old_plan.regions]
    if old_plan.feasible and same_caps:
        assert rebased.carried_valid
        assert rebased.kept
        assert [r.new for r in rebased.plan.regions] == [r.new for r in old_plan.regions]
