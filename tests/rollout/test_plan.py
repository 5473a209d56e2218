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
            "A 2022: 0/40 (needs 4): MISSED by 4 (before the horizon, at the baseline)",
            "A 2025: 8/40 (needs 12): MISSED by 4",
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
    assert early.national[0] == 70  # national cap in 2025
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
    assert repr(p) == "RolloutPlan(strategy='level', method=None, stretch=True, feasible=True)"


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
