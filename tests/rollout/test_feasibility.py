"""rollout/feasibility.py: the exact diagnosis of floors that cannot be met."""

from __future__ import annotations

from modelunit.rollout import Milestone, Region, RolloutProblem, diagnose


def test_national_cap_shortfall_is_diagnosed():
    problem = RolloutProblem(
        regions=[Region("A", total=10), Region("B", total=10)],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
        national_cap=8,
    )
    d = diagnose(problem)
    assert not d.feasible
    assert [s.message() for s in d.shortfalls] == [
        "national: needs 20 by 2026, at most 16 reachable: short by 4"
    ]
    assert [(c.region, c.year, c.units) for c in d.extra_capacity] == [(None, 2026, 4)]
