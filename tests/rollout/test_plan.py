"""rollout/plan.py: plan(), the plan's derived figures, checks, risks and errors."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.errors import (
    InfeasiblePlanError,
    InvalidArgumentError,
    InvalidProblemError,
    ModelUnitError,
    UnknownRegionError,
)
from modelunit.rollout import STRATEGIES, Milestone, Region, RolloutPlan, RolloutProblem, plan
from modelunit.serialization import structure, unstructure
from tests.rollout.examples import national_problem
from tests.rollout.milp_oracle import FAST, problems


def test_infeasible_plan_round_trips_and_strict_raises():
    problem = RolloutProblem(
        regions=[Region("A", total=40, capacity=4)],
        milestones=[Milestone(2025, "30%"), Milestone(2022, "10%")],
        start=2024,
        end=2025,
    )
    p = plan(problem)
    assert not p.feasible
    assert structure(unstructure(p), RolloutPlan) == p
    with pytest.raises(InfeasiblePlanError) as info:
        plan(problem, strict=True)
    assert info.value.diagnosis == p.diagnosis
    assert p.diagnosis.explain().splitlines() == [
        "infeasible:",
        "  - A: needed 4 by 2022 (before the horizon), 0 recognised at the baseline: "
        "short by 4; reachable in 2024",
        "  - A: needs 12 by 2025, at most 8 reachable: short by 4; not reachable by 2025",
        "  - add capacity: A +4 in 2025",
    ]
    assert p.at_risk() == {
        "A": (
            "A 2022 (national): 0/40 (needs 4): MISSED by 4 (before the horizon, at the "
            "baseline); caught up in 2024",
            "A 2025 (national): 8/40 (needs 12): MISSED by 4",
            "A: needed 4 by 2022 (before the horizon), 0 recognised at the baseline: "
            "short by 4; reachable in 2024",
            "A: needs 12 by 2025, at most 8 reachable: short by 4; not reachable by 2025",
        )
    }


def test_national_example_exact_values():
    problem = national_problem()
    p = plan(problem, "level")
    assert p.feasible
    assert p.years == (2025, 2026, 2027, 2028, 2029, 2030)
    # HCM needs 219 more by 2029 at 60 a year; HY 18 by 2028 with 9 of them by 2025.
    assert p.region("HCM").cumulative[4] == 249
    assert p.region("HY").cumulative[0] >= 10
    assert p.peak == max(p.national)
    assert p.cost == tuple(Decimal("1.5") * v for v in p.region("HCM").new)
    early = plan(problem, "earliest")
    assert early.national[0] == 70  # national capacity in 2025
    assert plan(problem, "latest").region("HCM").new[-1] == 0


def test_unknown_strategy_or_method_is_refused():
    problem = national_problem()
    with pytest.raises(ValueError, match="unknown strategy 'fastest'"):
        plan(problem, "fastest")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown apportionment method 'borda'"):
        plan(problem, "proportional", method="borda")  # type: ignore[arg-type]


def test_edge_cases_empty_and_zero_ward_regions():
    empty = RolloutProblem(regions=[], milestones=[Milestone(2030, 1)], start=2030, end=2030)
    p = plan(empty)
    assert p.feasible
    assert p.national == (0,)
    zero = RolloutProblem(
        regions=[Region("Z", total=0), Region("A", total=3, capacity=3)],
        milestones=[Milestone(2026, 1)],
        start=2026,
        end=2026,
    )
    for strategy in STRATEGIES:
        q = plan(zero, strategy)
        assert q.feasible
        assert q.region("Z").new == (0,)
        assert q.region("Z").share == (Fraction(1),)
        assert q.region("A").new == (3,)
    assert "Z" in plan(zero).to_table()


def test_plan_repr_is_short():
    p = plan(national_problem())
    assert repr(p) == (
        "RolloutPlan(strategy='level', method=None, stretch=True, feasible=True, "
        "stretch_proven=True)"
    )


def test_at_risk_lists_floors_met_without_spare_capacity():
    problem = RolloutProblem(
        regions=[
            Region("T", total=10, recognised=0, capacity=5),
            Region("L", total=10, recognised=0, capacity=9),
            Region("U", total=10, recognised=0),
        ],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
    )
    p = plan(problem)
    assert p.at_risk(slack=0) == {"T": ("T 2026: needs 10, capacity reaches 10: 0 to spare",)}
    assert p.at_risk() == {}
    assert set(p.at_risk(slack=8)) == {"L", "T"}  # "U" has no capacity limit


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_plans_are_deterministic_and_independent_of_input_order(problem, rnd):
    regions = list(problem.regions)
    milestones = list(problem.milestones)
    rnd.shuffle(regions)
    rnd.shuffle(milestones)
    shuffled = attrs.evolve(problem, regions=regions, milestones=milestones)
    for strategy in STRATEGIES:
        a = plan(problem, strategy)
        b = plan(shuffled, strategy)
        assert a.regions == b.regions
        assert a.national == b.national
        assert a.checks == b.checks
        assert plan(problem, strategy) == a


def test_plan_errors_are_modelunit_errors_with_the_builtin_base() -> None:
    problem = national_problem()
    with pytest.raises(InvalidArgumentError, match="unknown strategy") as info:
        plan(problem, "fastest")  # type: ignore[arg-type]
    assert isinstance(info.value, ModelUnitError)
    assert isinstance(info.value, ValueError)
    # The method is checked whatever the strategy (it would be ignored, so it is a mistake).
    with pytest.raises(InvalidArgumentError, match="unknown apportionment method 'borda'"):
        plan(problem, "level", method="borda")  # type: ignore[arg-type]


def test_an_unknown_region_names_the_closest_ids() -> None:
    p = plan(national_problem())
    with pytest.raises(UnknownRegionError, match="region 'HCN'; did you mean 'HCM'") as info:
        p.region("HCN")
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, ModelUnitError)
    assert info.value.known == ("HCM", "HY", "PY")


def test_costs_are_exact_whatever_the_decimal_context():
    problem = RolloutProblem(
        regions=[
            Region("A", total=123_456, capacity=123_456, cost=Decimal("1.000000000000000001")),
            Region("B", total=7, cost=Decimal("0.1")),
        ],
        milestones=[Milestone(2026, 1)],
        start=2026,
        end=2026,
    )
    with decimal.localcontext() as ambient:
        ambient.prec = 4
        p = plan(problem)
        assert p.region("A").cost == (Decimal("123456.000000000000123456"),)
        assert p.cost == (Decimal("123456.700000000000123456"),)


# --- issue 12, fault 2: a past milestone is planned for, and everything agrees -------


def _late(rule: str = "catch_up", capacity: int | None = None) -> RolloutProblem:
    return RolloutProblem(
        regions=[Region("A", total=10, recognised=2, capacity=capacity)],
        milestones=[Milestone(2024, "50%"), Milestone(2027, 1)],
        start=2025,
        end=2027,
        past_milestones=rule,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("strategy", ["earliest", "latest", "level", "proportional"])
def test_a_past_milestone_missed_is_caught_up_in_the_first_planned_year(strategy):
    problem = _late()
    p = plan(problem, strategy)
    assert problem.target("A", 2025) == 5
    assert p.feasible
    assert p.region("A").cumulative[0] >= 5
    (past,) = [c for c in p.checks if c.past]
    assert (past.met, past.caught_up) == (False, 2025)
    assert past.message() == (
        "A 2024 (national): 2/10 (needs 5): MISSED by 3 (before the horizon, at the "
        "baseline); caught up in 2025"
    )
    assert p.diagnosis.feasible
    assert [s.message() for s in p.diagnosis.past_misses] == [
        "A: needed 5 by 2024 (before the horizon), 2 recognised at the baseline: "
        "short by 3; reachable in 2025"
    ]


def test_a_past_milestone_that_cannot_be_caught_up_at_once_is_infeasible_everywhere():
    problem = _late(capacity=2)
    p = plan(problem)
    assert problem.target("A", 2025) == 5
    assert not p.feasible
    assert not p.diagnosis.feasible
    assert p.diagnosis.explain().splitlines() == [
        "infeasible:",
        "  - A: needed 5 by 2024 (before the horizon), 2 recognised at the baseline: "
        "short by 3; reachable in 2026",
        "  - A: needs 5 by 2025 (catching up a milestone missed before the horizon), at "
        "most 4 reachable: short by 1; reachable in 2026",
        "  - A: needs 10 by 2027, at most 8 reachable: short by 2; not reachable by 2027",
        "  - add capacity: A +1 in 2025, A +1 in 2027",
    ]


def test_past_milestones_only_reported_leave_the_floors_alone():
    problem = _late("report")
    p = plan(problem, "latest")
    assert problem.target("A", 2024) == 5
    assert problem.target("A", 2025) == 2
    assert p.feasible
    assert p.region("A").cumulative == (2, 2, 10)
    (past,) = [c for c in p.checks if c.past]
    assert (past.met, past.caught_up) == (False, 2027)
    with pytest.raises(InvalidProblemError, match="past_milestones"):
        _late("later")


# --- issue 12, fault 3: a province's own stretch goal, and checks that say whose -----


def test_a_province_states_its_own_stretch_without_restating_a_floor():
    problem = RolloutProblem(
        regions=[Region("HY", total=12, recognised=2, capacity=4)],
        milestones=[Milestone(2025, "30%"), Milestone(2025, stretch="50%", region="HY")],
        start=2025,
        end=2025,
    )
    p = plan(problem, "latest")
    assert [c.message() for c in p.checks] == [
        "HY 2025 (own): 6/12 (stretch 6): stretch met",
        "HY 2025 (national): 6/12 (needs 4): met",
    ]
    assert [c.national for c in p.checks] == [False, True]
