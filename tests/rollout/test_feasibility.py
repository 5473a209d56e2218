"""rollout/feasibility.py: the exact diagnosis of floors that cannot be met."""

from __future__ import annotations

from decimal import Decimal

import attrs

from modelunit.rollout import Milestone, Region, RolloutProblem, diagnose, plan


def test_national_capacity_shortfall_is_diagnosed():
    problem = RolloutProblem(
        regions=[Region("A", total=10), Region("B", total=10)],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
        national_capacity=8,
    )
    d = diagnose(problem)
    assert not d.feasible
    assert [s.message() for s in d.shortfalls] == [
        "national: needs 20 by 2026, at most 16 reachable: short by 4"
    ]
    assert [(c.region, c.year, c.units) for c in d.extra_capacity] == [(None, 2026, 4)]


def test_a_binding_region_budget_is_named_with_the_least_increase():
    # 4 units a year are paid for (10 // 2.5) though capacity allows 6; 10 are due in 2
    # years: 2 more units in 2026, that is 5 more of budget, and no more capacity.
    problem = RolloutProblem(
        regions=[
            Region("A", total=10, cost=Decimal("2.5"), budget=Decimal(10), capacity=6),
        ],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
    )
    d = diagnose(problem)
    assert not d.feasible
    assert d.extra_capacity == ()
    assert [(b.region, b.year, b.amount) for b in d.extra_budget] == [("A", 2026, Decimal("5.0"))]
    assert d.explain().splitlines()[-1] == "  - add budget: A +5.0 in 2026"
    fixed = attrs.evolve(
        problem, regions=[attrs.evolve(problem.regions[0], budget_by_year={2026: Decimal(15)})]
    )
    assert plan(fixed).feasible


def test_a_binding_national_budget_is_named_and_a_capacity_short_too():
    # Nationally 7 units a year are paid for (14 // 2); the cap of 8 allows one more.
    # 18 due by 2026: 4 more in 2026, that is 8 more of budget and 3 more of cap.
    problem = RolloutProblem(
        regions=[Region(r, total=9, cost=Decimal(2)) for r in "AB"],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
        national_capacity=8,
        national_budget=Decimal(14),
    )
    d = diagnose(problem)
    assert not d.feasible
    assert [(c.region, c.year, c.units) for c in d.extra_capacity] == [(None, 2026, 3)]
    assert [(b.region, b.year, b.amount) for b in d.extra_budget] == [(None, 2026, Decimal(8))]
    assert plan(problem).national == (7, 7)
