"""rollout/_spread.py against brute force: respreading reaches the least sum of squared
yearly loads under the same floors and caps, from any feasible start."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from modelunit.rollout._distribute import distribute_profiles
from modelunit.rollout._flow import earliest_profile, latest_profile
from modelunit.rollout._spread import respread, spread_from_even
from tests.rollout.brute_force import every_plan, feasible_instances


def _least_squares(d, u, c, n):
    every = [list(every_plan(dr, ur)) for dr, ur in zip(d, u, strict=True)]
    return min(
        sum(v * v for p in combo for v in p)
        for combo in itertools.product(*every)
        if all(sum(p[t] for p in combo) <= c[t + 1] for t in range(n))
    )


def _squares(x):
    return sum(v * v for row in x for v in row[1:])


@given(feasible_instances(), st.sampled_from(["earliest", "latest"]))
def test_respread_from_an_uneven_plan_reaches_the_least_squares(instance, start):
    d, u, c, n = instance
    if start == "earliest":
        rows = [earliest_profile(dr, ur, dr[n]) for dr, ur in zip(d, u, strict=True)]
    else:
        rows = [latest_profile(dr, ur) for dr, ur in zip(d, u, strict=True)]
    x0 = distribute_profiles(d, u, c, n, [row or [0] * (n + 1) for row in rows])
    x = respread(x0, d, u, c, n)
    assert _squares(x) == _least_squares(d, u, c, n)
    assert [sum(row) for row in x] == [dr[n] for dr in d]
    for r in range(len(d)):
        assert all(0 <= x[r][t] <= u[r][t] for t in range(1, n + 1))
        assert all(a >= b for a, b in zip(itertools.accumulate(x[r]), d[r], strict=True))
    assert all(sum(row[t] for row in x) <= c[t] for t in range(1, n + 1))


@given(feasible_instances())
def test_spread_from_even_is_optimal_when_it_finishes(instance):
    d, u, c, n = instance
    x = spread_from_even(d, u, c, n)
    if x is not None:
        assert _squares(x) == _least_squares(d, u, c, n)
        assert all(sum(row[t] for row in x) <= c[t] for t in range(1, n + 1))
