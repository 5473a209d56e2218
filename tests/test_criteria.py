"""Criteria-set validation reports every problem at once, with paths; and diffs."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import modelunit
from modelunit.criteria import (
    CriteriaOutcomes,
    CriteriaSet,
    Criterion,
    Group,
    Level,
    RecognitionPolicy,
    Tally,
)
from modelunit.errors import InvalidCatalogError
from modelunit.indicators import Indicator
from modelunit.rules import AllOf, AtLeastLevel, Compare, CriterionRef, Flag, KOf
from tests.helpers import INDICATORS, POLICY, catalog_of

D = Decimal


def problems_of(**kw: object) -> list[tuple[str, str | None, str]]:
    base: dict[str, object] = {
        "id": "t",
        "version": "1",
        "indicators": INDICATORS,
        "criteria": (Criterion("C1", Flag("hq_ok")),),
        "policy": POLICY,
    }
    base.update(kw)
    with pytest.raises(InvalidCatalogError) as info:
        CriteriaSet(**base)  # type: ignore[arg-type]
    return [(p.path, p.record, p.message) for p in info.value.problems]


def test_every_problem_is_reported_together() -> None:
    found = problems_of(
        criteria=(
            Criterion("C1", Compare("crimez", "<", D(1))),
            Criterion("C1", AtLeastLevel("ranking", "perfect")),
            Criterion("C3", AllOf((Flag("crimes"), CriterionRef("C9")))),
            Criterion("C4", KOf(3, (Flag("hq_ok"),))),
        )
    )
    assert found == [
        ("criteria[1].id", "C1", "duplicate id 'C1' (first at criteria[0])"),
        ("criteria[0].rule.indicator", "C1", "unknown indicator 'crimez'"),
        (
            "criteria[1].rule.level",
            "C1",
            "'perfect' is not a category of 'ranking' (not_completed, completed, good, excellent)",
        ),
        (
            "criteria[2].rule.rules[0].indicator",
            "C3",
            "indicator 'crimes' is a count; expected boolean",
        ),
        ("criteria[2].rule.rules[1].criterion", "C3", "unknown criterion 'C9'"),
        ("criteria[3].rule.count", "C4", "needs 0..1 (the number of rules), got 3"),
    ]


def test_cycle_is_reported_with_its_path() -> None:
    found = problems_of(
        criteria=(
            Criterion("A", CriterionRef("B")),
            Criterion("B", CriterionRef("A")),
            Criterion("C", CriterionRef("C")),
        )
    )
    assert (
        "criteria[0].rule",
        "A",
        "criteria refer to each other in a cycle: A -> B -> A",
    ) in found
    assert ("criteria[2].rule", "C", "criteria refer to each other in a cycle: C -> C") in found


def test_nonsense_numbers() -> None:
    found = problems_of(
        criteria=(
            Criterion("C1", Compare("crimes", ">=", D(-1)), points=D(-2)),
            Criterion("C2", Compare("satisfaction", ">=", D("1.5"))),
        ),
    )
    assert [f[0] for f in found] == [
        "criteria[0].points",
        "criteria[0].rule.value",
        "criteria[1].rule.value",
    ]


def test_indicator_declarations() -> None:
    found = problems_of(
        indicators=(
            Indicator("a", "share", "sum"),
            Indicator("b", "category", "last"),
            Indicator("a", "count", "sum"),
            Indicator("c", "category", "last", categories=("1", "2")),
        ),
        criteria=(Criterion("C1", Compare("a", ">", D(0))),),
    )
    messages = [m for _, _, m in found]
    assert messages[0] == "duplicate key 'a' (first at indicators[0])"
    assert "aggregation 'sum' does not fit a share indicator" in messages[1]
    assert messages[2] == "a category indicator needs its ordered categories"
    assert messages[3] == "category '1' looks like a number; use a name"


def test_policy_references_are_checked() -> None:
    policy = RecognitionPolicy(
        (
            Level("x", CriteriaOutcomes(("C9",))),
            Level("y", Tally("met", min_share=Fraction(3, 2), among=("nope",))),
        )
    )
    found = problems_of(policy=policy)
    assert [(p, m) for p, _, m in found] == [
        ("policy.levels[0].condition.criteria", "unknown criterion 'C9'"),
        ("policy.levels[1].condition.among", "unknown criterion or group 'nope'"),
        ("policy.levels[1].condition.min_share", "a share lies in 0..1; got 3/2"),
    ]


def test_unknown_group() -> None:
    found = problems_of(
        groups=(Group("g1"),), criteria=(Criterion("C1", Flag("hq_ok"), group="g2"),)
    )
    assert found == [("criteria[0].group", "C1", "unknown group 'g2'")]


def test_error_is_a_value_error_and_lists_all() -> None:
    with pytest.raises(ValueError, match="2 problems"):
        catalog_of(Flag("nope"), Flag("nada"))


class TestDiff:
    def test_added_removed_changed(self) -> None:
        old = catalog_of(Flag("hq_ok"), Compare("crimes", "<", D(5)))
        new = attrs.evolve(
            old,
            version="2",
            criteria=(
                attrs.evolve(old.criteria[0], mandatory=True),
                Criterion("C3", Compare("crimes", "<", D(4))),
            ),
        )
        d = modelunit.diff(old, new)
        assert d.added == ("C3",)
        assert d.removed == ("C2",)
        assert [(c.criterion, c.fields) for c in d.changed] == [("C1", ("mandatory",))]
        assert not d.policy_changed
        assert d.summary() == (
            "t 1 -> t 2\n  added criteria: C3\n  removed criteria: C2\n  changed C1: mandatory"
        )

    def test_no_changes(self) -> None:
        c = catalog_of(Flag("hq_ok"))
        assert modelunit.diff(c, c).unchanged
        assert modelunit.diff(c, c).summary() == "t 1 -> t 1: no changes"


def test_references_never_land_on_not_applicable() -> None:
    found = problems_of(
        criteria=(
            Criterion("W", Flag("hq_ok"), applies_to=("ward",)),
            Criterion("ALL", CriterionRef("W")),
            Criterion("WARD", CriterionRef("W"), applies_to=("ward",)),
        )
    )
    assert found == [
        (
            "criteria[1].rule",
            "ALL",
            "refers to 'W', which applies only to ward, but 'ALL' applies to every unit kind",
        ),
    ]
