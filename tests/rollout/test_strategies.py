"""rollout/strategies.py: the objectives, their dispatch, and plans at scale.

The optima against the MILP oracle are in test_optimality.py.
"""

from __future__ import annotations

import random
from typing import get_args

import pytest

from modelunit.errors import InvalidArgumentError, ModelUnitError
from modelunit.rollout import STRATEGIES, Milestone, Region, RolloutProblem, apportion, plan
from modelunit.rollout._compile import compile_problem
from modelunit.rollout.strategies import _SOLVERS, Strategy, solve
from tests.rollout.milp_oracle import assert_valid


@pytest.mark.parametrize("method", ["largest_remainder", "webster", "dhondt"])
def test_proportional_shares_each_year_by_remaining_work(method):
    problem = RolloutProblem(
        regions=[Region("A", total=30), Region("B", total=10)],
        milestones=[Milestone(2028, 1)],
        start=2026,
        end=2028,
    )
    level = plan(problem, "level")
    assert level.national == (13, 13, 14)
    p = plan(problem, "proportional", method=method)
    assert p.national == level.national
    remaining = [30, 10]
    for t in range(3):
        expected = apportion(p.national[t], remaining, method)
        assert [p.region("A").new[t], p.region("B").new[t]] == expected
        remaining = [w - e for w, e in zip(remaining, expected, strict=True)]
    assert p.method == method


def test_a_random_700_region_problem_plans_validly():
    rnd = random.Random(7)
    from modelunit.rollout import Milestone, Region

    regions = [
        Region(
            f"P{i:03d}",
            total=(t := rnd.randint(1, 40)),
            recognised=rnd.randint(0, t // 4),
            capacity=rnd.randint(3, 12),
        )
        for i in range(700)
    ]
    problem = RolloutProblem(
        regions=regions,
        milestones=[Milestone(2027, "30%", stretch="50%"), Milestone(2030, 1)],
        start=2026,
        end=2030,
    )
    for strategy in STRATEGIES:
        p = plan(problem, strategy)
        assert_valid(problem, p)


def test_every_strategy_has_exactly_one_objective() -> None:
    """``Strategy`` is the one declaration; the dispatch table must cover it exactly, so a
    strategy added to the Literal without its objective fails here (not silently)."""
    assert get_args(Strategy) == STRATEGIES
    assert tuple(_SOLVERS) == STRATEGIES


def test_solve_checks_the_strategy_and_the_method_once() -> None:
    comp = compile_problem(
        RolloutProblem(regions=[Region("A", total=4)], milestones=[], start=2026, end=2026)
    )
    with pytest.raises(InvalidArgumentError, match="unknown strategy 'fastest'") as info:
        solve(comp, "fastest")  # type: ignore[arg-type]
    assert isinstance(info.value, ModelUnitError)
    assert isinstance(info.value, ValueError)
    with pytest.raises(InvalidArgumentError, match="unknown apportionment method 'borda'"):
        solve(comp, "level", "borda")  # type: ignore[arg-type]
    assert solve(comp, "level") == ([[0, 0]], True, True)
