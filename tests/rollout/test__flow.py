"""rollout/_flow.py against brute force: the single-region profiles and the min-cut oracle."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from modelunit.rollout._flow import (
    earliest_profile,
    feasible,
    latest_profile,
    leveled_profile,
    region_f,
    total_f,
)
from tests.rollout.brute_force import every_plan, regions


def _one_by_one(d, u):
    # The reference greedy: one unit at a time to the least-loaded open year, ties later.
    n = len(u) - 1
    x = [0] * (n + 1)
    for t in range(1, n + 1):
        for _ in range(d[t] - d[t - 1]):
            best = -1
            for s in range(t, 0, -1):
                if x[s] < u[s] and (best < 0 or x[s] < x[best]):
                    best = s
            if best < 0:
                return None
            x[best] += 1
    return x


@given(regions())
def test_profiles_against_every_plan(region):
    d, u = region
    n = len(u) - 1
    plans = list(every_plan(d, u))
    level = leveled_profile(d, u)
    late = latest_profile(d, u)
    early = earliest_profile(d, u, d[n])
    if not plans:
        assert level is None
        assert late is None
        assert early is None
        return
    assert level == _one_by_one(d, u)
    # Leveling minimises a strictly convex separable cost (so every convex one, per the
    # research notes); latest is dominated and earliest dominates in cumulative terms.
    assert sum(v * v for v in level[1:]) == min(sum(v * v for v in xs) for xs in plans)
    assert max(level[1:]) == min(max(xs) for xs in plans)
    for xs in plans:
        cum = list(itertools.accumulate(xs))
        assert all(a <= b for a, b in zip(itertools.accumulate(late[1:]), cum, strict=True))
        assert all(a >= b for a, b in zip(itertools.accumulate(early[1:]), cum, strict=True))


@given(st.lists(regions(max_years=3, max_cap=3), min_size=1, max_size=3), st.data())
def test_oracle_against_brute_force_over_national_caps(rows, data):
    n = min(len(u) - 1 for _, u in rows)
    rows = [(d[: n + 1], u[: n + 1]) for d, u in rows]
    caps = [0] + [data.draw(st.integers(0, 6)) for _ in range(n)]
    every = [list(every_plan(d, u)) for d, u in rows]
    expected = any(
        all(sum(p[t] for p in combo) <= caps[t + 1] for t in range(n))
        for combo in itertools.product(*every)
    )
    f_all = total_f([region_f(d, u, n) for d, u in rows], n)
    assert feasible(f_all, caps, n, sum(d[n] for d, _ in rows)) == expected
