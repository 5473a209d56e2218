"""Comparing scenarios: differences per region, year and measure (delta and relative
delta), milestones met, costs, odds."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given

from modelunit.comparison import compare, p_end, summary_row
from modelunit.errors import InvalidArgumentError, UnknownNameError
from modelunit.rollout import Milestone, Region, RolloutProblem, exact_odds, plan
from modelunit.scenarios import Scenario, load_scenario
from modelunit.testing import rollout_problems


@pytest.fixture(scope="module")
def national() -> Scenario:
    return load_scenario("national-2027-2030")


def test_what_if_hcm_brings_only_20_wards_a_year(national: Scenario) -> None:
    # The question of the issue, in one call.
    both = compare(national, national.what_if(capacity={"79": 20}))
    base, slow = both.summary()
    assert (base["feasible"], base["missed"], base["at_risk"]) == (True, 0, ())
    assert (slow["feasible"], slow["missed"], slow["at_risk"]) == (False, 1, ("79",))
    (miss,) = [m for m in both.milestones() if not m["met"]]
    assert miss == {
        "scenario": "national-2027-2030 | capacity[79]=20",
        "region": "79",
        "name": "Hồ Chí Minh",
        "year": 2029,
        "target": 113,
        "coverage": 94,
        "met": False,
        "stretch_met": None,
        "past": False,
        "probability": None,
    }
    hcm = [
        (d["year"], d["baseline"], d["value"], d["delta"], d["rel_delta"])
        for d in both.differences()
        if d["region"] == "79" and d["measure"] == "new"
    ]
    assert hcm == [
        (2027, 26, 20, -6, Fraction(-3, 13)),
        (2028, 26, 20, -6, Fraction(-3, 13)),
        (2029, 27, 20, -7, Fraction(-7, 27)),
        (2030, 0, 19, 19, None),  # no relative change against 0
    ]
    share = next(
        d
        for d in both.differences()
        if (d["region"], d["year"], d["measure"]) == ("79", 2029, "share")
    )
    assert (share["baseline"], share["value"], share["delta"]) == (
        1,
        Fraction(94, 113),
        Fraction(-19, 113),
    )
    assert share["rel_delta"] == Fraction(-19, 113)


def test_values_hold_every_scenario_and_the_baseline_rows_differ_by_nothing(
    national: Scenario,
) -> None:
    both = compare(national, national.what_if(capacity_scale="90%"))
    rows = both.to_records()
    first = [r for r in rows if r["scenario"] == national.id]
    assert len(first) == len(rows) // 2 == 34 * 4 * 4
    assert {r["delta"] for r in first} == {0}
    assert all(r["baseline"] == r["value"] for r in first)
    assert both.differences() == [r for r in rows if r["scenario"] != national.id and r["delta"]]


def test_costs_per_year_and_in_the_summary() -> None:
    problem = RolloutProblem(
        regions=[Region("A", total=6, capacity=3, cost="2.5"), Region("B", total=2, cost=4)],
        milestones=[Milestone(2028, 1)],
        start=2027,
        end=2028,
    )
    early = Scenario("early", problem, strategy="earliest")
    late = Scenario("late", problem, strategy="latest")
    both = compare(early, late)
    assert both.costs() == [
        {"scenario": "early", "year": 2027, "new": 5, "cost": Decimal("15.5")},
        {"scenario": "early", "year": 2028, "new": 3, "cost": Decimal("7.5")},
        {"scenario": "late", "year": 2027, "new": 3, "cost": Decimal("7.5")},
        {"scenario": "late", "year": 2028, "new": 5, "cost": Decimal("15.5")},
    ]
    assert [r["cost"] for r in both.summary()] == [Decimal("23.0"), Decimal("23.0")]


def test_odds_are_exact_for_scenarios_that_state_a_success_rate(national: Scenario) -> None:
    odds = national.what_if(id="p90", p_recognised="90%")
    early = odds.what_if(id="p90 earliest", strategy="earliest")
    both = compare(odds, early, national.what_if(id="no odds", capacity_scale=1))
    assert both.odds[0] == exact_odds(both.plans[0], Fraction(9, 10))
    assert both.odds[2] is None
    base, fast, none = (r["p_end"] for r in both.summary())
    assert none is None
    # Taking wards on early leaves years to catch up: far better odds of meeting 2030.
    assert base is not None
    assert fast is not None
    assert fast > 1000 * base
    hcm_2030 = next(
        m["probability"]
        for m in both.milestones()
        if (m["scenario"], m["region"], m["year"]) == ("p90", "79", 2030)
    )
    assert hcm_2030 == next(p for r, y, _, p in both.odds[0] if (r, y) == ("79", 2030))


def test_p_end_is_the_product_over_regions_of_the_last_floor() -> None:
    problem = RolloutProblem(
        regions=[Region("A", total=2, capacity=2), Region("B", total=1, capacity=1)],
        milestones=[Milestone(2026, 1)],
        start=2026,
        end=2026,
    )
    p = plan(problem)
    odds = exact_odds(p, "9/10")
    assert p_end(p, odds) == Fraction(81, 100) * Fraction(9, 10)
    assert p_end(p, None) is None
    assert summary_row("x", p, odds)["p_end"] == Fraction(729, 1000)


def test_plans_and_names(national: Scenario) -> None:
    level = national.plan()
    early = plan(national.problem, "earliest")
    both = compare(level, early)
    assert both.ids == ("1: level", "2: earliest")
    assert both.plans == (level, early)
    named = compare({"base": national, "fast": early})
    assert named.ids == ("base", "fast")
    assert named.plan("fast") is early
    with pytest.raises(UnknownNameError, match="did you mean 'fast'"):
        named.plan("fats")
    assert repr(named) == "<Comparison of 2: base, fast>"


def test_bad_comparisons_are_refused(national: Scenario) -> None:
    with pytest.raises(InvalidArgumentError, match="at least two"):
        compare(national)
    with pytest.raises(InvalidArgumentError, match="given more than once: national-2027-2030"):
        compare(national, national)
    with pytest.raises(InvalidArgumentError, match="takes scenarios or plans, got a str"):
        compare(national, "slow")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="unknown table"):
        compare(national, attrs.evolve(national, id="b")).to_pandas("pivot")  # type: ignore[arg-type]


def test_tables_as_frames(national: Scenario) -> None:
    pytest.importorskip("pandas")
    both = compare(national, national.what_if(id="slow", capacity={"79": 20}))
    differences = both.to_pandas("differences")
    hcm = differences[(differences.region == "79") & (differences.measure == "new")]
    assert hcm["delta"].tolist() == [-6, -6, -7, 19]
    assert hcm["rel_delta"].isna().tolist() == [False, False, False, True]
    assert len(both.to_pandas("milestones")) == 2 * len(national.plan().checks)
    assert both.to_pandas("summary")["feasible"].tolist() == [True, False]
    assert list(both.to_pandas().columns) == [
        "scenario", "region", "name", "year", "measure", "value", "baseline", "delta", "rel_delta"
    ]  # fmt: skip


@given(rollout_problems(max_regions=3, max_years=3))
def test_a_scenario_compared_with_itself_differs_nowhere(problem: RolloutProblem) -> None:
    a = Scenario("a", problem)
    both = compare(a, attrs.evolve(a, id="b"))
    assert both.differences() == []
    rows = both.to_records()
    assert all(r["delta"] == 0 for r in rows)
    assert all(r["value"] - r["baseline"] == r["delta"] for r in rows)
