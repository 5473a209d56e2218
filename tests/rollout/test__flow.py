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
    max_flow,
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
def test_oracle_against_brute_force_over_national_capacitys(rows, data):
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


def test_a_leveled_profile_never_exceeds_a_years_capacity():
    # 7 units due by year 3, capacities 10, 10, 2: level 2 everywhere (6 units), the
    # last one to the latest year with room, year 2 (year 3 is full at 2).
    assert leveled_profile([0, 0, 0, 7], [0, 10, 10, 2]) == [0, 2, 3, 2]
    # Ties to the later year when it has room.
    assert leveled_profile([0, 0, 0, 7], [0, 10, 10, 10]) == [0, 2, 2, 3]
    assert leveled_profile([0, 0, 0, 7], [0, 1, 1, 1]) is None


@st.composite
def _wide_regions(draw):
    """Floors and caps with counts far beyond brute force (and the old sentinel)."""
    n = draw(st.integers(1, 6))
    big = draw(st.sampled_from([10, 10**6, 10**20]))
    u = [0] + [draw(st.integers(0, big)) for _ in range(n)]
    d = [0]
    for _ in range(n):
        d.append(d[-1] + draw(st.integers(0, big)))
    return d, u


@given(st.one_of(regions(max_years=6, max_cap=9), _wide_regions()))
def test_every_profile_respects_the_caps_and_the_floors(region):
    d, u = region
    n = len(u) - 1
    feasible_at_all = all(d[t] <= sum(u[1 : t + 1]) for t in range(1, n + 1))
    for profile in (leveled_profile(d, u), latest_profile(d, u), earliest_profile(d, u, d[n])):
        if not feasible_at_all:
            assert profile is None
            continue
        assert profile is not None
        assert all(0 <= profile[t] <= u[t] for t in range(1, n + 1))
        cum = list(itertools.accumulate(profile))
        assert all(cum[t] >= d[t] for t in range(1, n + 1))
        assert cum[n] == d[n]


def _region_f_by_definition(d, u, n):
    # f(A) = min over t in 0..n of (U^A(t) + D - d(t)), U^A(t) the caps of A's years <= t.
    out = []
    for mask in range(1 << n):
        best = None
        for t in range(n + 1):
            room = sum(u[s] for s in range(1, t + 1) if mask >> (s - 1) & 1)
            value = room + d[n] - d[t]
            best = value if best is None else min(best, value)
        out.append(best if d[n] else 0)
    return out


@given(st.one_of(regions(max_years=5, max_cap=9), _wide_regions()).filter(lambda r: len(r[1]) <= 6))
def test_region_f_is_its_definition_whatever_the_counts(region):
    # No sentinel: a floor of 10**20 (above the old 1 << 60) is routed exactly.
    d, u = region
    n = len(u) - 1
    assert region_f(d, u, n) == _region_f_by_definition(d, u, n)


def test_max_flow_and_feasibility_with_counts_above_the_old_sentinel():
    big = 1 << 62
    d, u = [0, 0, big], [0, big, big]
    f_all = total_f([region_f(d, u, 2)], 2)
    assert feasible(f_all, [0, big, big], 2, big)
    assert max_flow(f_all, [0, big // 2, big // 4], 2) == big // 2 + big // 4
    assert not feasible(f_all, [0, big // 2, big // 4], 2, big)
    assert total_f([], 2) == [0, 0, 0, 0]
