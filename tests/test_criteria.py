"""Criteria-set validation reports every problem at once, with paths."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import modelunit
from modelunit.criteria import CriteriaSet, Criterion, Group
from modelunit.errors import InvalidCatalogError
from modelunit.indicators import Indicator
from modelunit.periods import ReportingYear
from modelunit.policy import Level, Points, RecognitionPolicy
from modelunit.rules import AllOf, AtLeastLevel, Change, Compare, CriterionRef, Flag, KOf, Ratio
from modelunit.serialization import structure
from tests.helpers import catalog_of, problems_of

D = Decimal


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


def test_unknown_group() -> None:
    found = problems_of(
        groups=(Group("g1"),), criteria=(Criterion("C1", Flag("hq_ok"), group="g2"),)
    )
    assert found == [("criteria[0].group", "C1", "unknown group 'g2'")]


def test_error_is_a_value_error_and_lists_all() -> None:
    with pytest.raises(ValueError, match="2 problems"):
        catalog_of(Flag("nope"), Flag("nada"))


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


def test_names_that_moved_out_stay_importable_from_here() -> None:
    from modelunit import criteria, policy, versions

    for name in (
        "AllConditions",
        "AnyCondition",
        "Condition",
        "CriteriaOutcomes",
        "Level",
        "NotCondition",
        "Points",
        "RecognitionPolicy",
        "Tally",
        "policy_problems",
    ):
        assert getattr(criteria, name) is getattr(policy, name), name
    for name in ("CatalogDiff", "CriterionChange", "diff"):
        assert getattr(criteria, name) is getattr(versions, name), name
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        criteria.nothing  # noqa: B018


def test_a_set_needs_an_id_a_version_and_an_ordered_validity() -> None:
    from datetime import date

    found = problems_of(
        id="", version="", effective_from=date(2024, 1, 1), effective_to=date(2023, 12, 31)
    )
    assert found == [
        ("id", None, "a criteria set needs an id"),
        ("version", None, "a criteria set needs a version"),
        ("effective_to", None, "2023-12-31 is before effective_from 2024-01-01"),
    ]
    one_day = catalog_of(Flag("hq_ok"), effective_from=date(2024, 1, 1))
    assert one_day.effective_to is None


def test_a_criterion_by_id_and_a_scope_of_groups() -> None:
    from modelunit.errors import UnknownCriterionError

    catalog = attrs.evolve(
        catalog_of(Flag("hq_ok")),
        groups=(Group("g1"), Group("g2")),
        criteria=(
            Criterion("C1", Flag("hq_ok"), group="g1"),
            Criterion("C2", Flag("incident"), group="g1"),
            Criterion("C3", Flag("hq_ok"), group="g2"),
        ),
    )
    assert catalog.criterion("C2") is catalog.criteria[1]
    with pytest.raises(UnknownCriterionError, match="C4") as info:
        catalog.criterion("C4")
    assert isinstance(info.value, KeyError)
    assert catalog.scope(["g1"]) == {"C1", "C2"}
    assert catalog.scope(["g2", "C1"]) == {"C1", "C3"}
    assert catalog.scope(["nothing"]) == {"nothing"}
    assert catalog.scope([]) == frozenset()


class TestReportingYear:
    POLICE = ReportingYear("12-15", "12-14")

    def test_the_calendar_year_is_the_default(self) -> None:
        assert catalog_of(Flag("hq_ok")).reporting_year == ReportingYear()

    def test_a_bare_year_as_a_fixed_baseline_is_ambiguous_in_a_reporting_year(self) -> None:
        rule = AllOf((Change("crimes", "<", D(0), baseline="2019"),))
        found = problems_of(criteria=(Criterion("C1", rule),), reporting_year=self.POLICE)
        assert found == [
            (
                "criteria[0].rule.rules[0].baseline",
                "C1",
                "'2019' is ambiguous in a set whose reporting year runs from 12-15 to 12-14: "
                "write the reporting year's dates, '2018-12-15/2019-12-14', or the calendar "
                "year's, '2019-01-01/2019-12-31'",
            )
        ]

    @pytest.mark.parametrize("baseline", ["2018-12-15/2019-12-14", "2019-Q4", "same_period"])
    def test_other_baselines_are_not(self, baseline: str) -> None:
        rule = Change("crimes", "<", D(0), baseline=baseline)
        assert catalog_of(rule, reporting_year=self.POLICE).problems() == []

    def test_in_a_calendar_set_a_bare_year_is_the_calendar_year(self) -> None:
        assert catalog_of(Change("crimes", "<", D(0), baseline="2019")).problems() == []

    def test_a_declaration_that_does_not_tile_the_calendar_is_named(self) -> None:
        data = {
            "id": "x",
            "version": "1",
            "indicators": [],
            "criteria": [],
            "policy": {"levels": []},
            "reporting_year": {"start": "12-15", "end": "12-31"},
        }
        with pytest.raises(InvalidCatalogError) as info:
            structure(data, CriteriaSet)
        assert [(p.path, p.message) for p in info.value.problems] == [
            (
                "reporting_year.end",
                "a reporting year from 12-15 ends on 12-14, the day before it starts again; "
                "got '12-31'",
            )
        ]

    def test_a_new_reporting_year_is_a_changed_set_field(self) -> None:
        old = catalog_of(Flag("hq_ok"))
        new = attrs.evolve(old, version="2", reporting_year=self.POLICE)
        assert modelunit.diff(old, new).set_changed == ("reporting_year",)


@pytest.mark.parametrize("figure", ["Infinity", "-Infinity", "NaN", "sNaN"])
def test_a_set_built_in_python_refuses_figures_that_are_not_finite(figure: str) -> None:
    # The readers refuse "inf" and "nan"; a set built in Python is checked alike, before
    # any figure is compared (NaN used to raise decimal.InvalidOperation here, and an
    # infinite threshold OverflowError, or a different outcome in batch, at assessment).
    v = D(figure)
    criteria = (
        Criterion("C1", Compare("crimes", "<=", v), points=v),
        Criterion("C2", Change("crimes", "<", v, relative=True)),
        Criterion("C3", Ratio("registered", "households", ">=", v)),
        Criterion("C4", Compare("satisfaction", ">=", v)),
    )
    policy = RecognitionPolicy((Level("m", Points(v)),))
    why = f"expected a finite number, got {v!r}"
    assert problems_of(criteria=criteria, policy=policy) == [
        ("criteria[0].points", "C1", why),
        ("criteria[0].rule.value", "C1", why),
        ("criteria[1].rule.value", "C2", why),
        ("criteria[2].rule.value", "C3", why),
        ("criteria[3].rule.value", "C4", why),
        ("policy.levels[0].condition.min_points", "m", why),
    ]


@pytest.mark.parametrize("figure", ["Infinity", "NaN", "sNaN"])
def test_an_indicator_built_in_python_refuses_bounds_that_are_not_finite(figure: str) -> None:
    # NaN bounds used to raise decimal.InvalidOperation when compared with each other.
    v = D(figure)
    why = f"expected a finite number, got {v!r}"
    both = Indicator("speed", "quantity", "sum", minimum=v, maximum=v)
    assert problems_of(
        indicators=(both,), criteria=(Criterion("C1", Compare("speed", ">=", 1)),)
    ) == [
        ("indicators[0].minimum", "speed", why),
        ("indicators[0].maximum", "speed", why),
    ]
    one = Indicator("speed", "quantity", "sum", minimum=D(0), maximum=v)
    assert problems_of(
        indicators=(one,), criteria=(Criterion("C1", Compare("speed", ">=", 1)),)
    ) == [
        ("indicators[0].maximum", "speed", why),
    ]
