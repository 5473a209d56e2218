"""rollout/_distribute.py: cells fixed one at a time, each feasible value closest to the
preferred one, the whole always meeting every floor and cap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modelunit.rollout._distribute import DistributionState, distribute, distribute_profiles
from modelunit.rollout._flow import earliest_profile, feasible, latest_profile, region_f, total_f
from tests.rollout.brute_force import feasible_instances


def _assert_meets_everything(x, d, u, c, n):
    for r in range(len(d)):
        run = 0
        for t in range(1, n + 1):
            assert 0 <= x[r][t] <= u[r][t]
            run += x[r][t]
            assert run >= d[r][t]
        assert run == d[r][n]
    for t in range(1, n + 1):
        assert sum(row[t] for row in x) <= c[t]


@given(feasible_instances(), st.sampled_from(["earliest", "latest"]))
def test_distribute_profiles_meets_every_floor_and_cap(instance, which):
    d, u, c, n = instance
    f_all = total_f([region_f(a, b, n) for a, b in zip(d, u, strict=True)], n)
    assert feasible(f_all, c, n, sum(row[n] for row in d))
    if which == "earliest":
        profiles = [earliest_profile(a, b, a[n]) for a, b in zip(d, u, strict=True)]
    else:
        profiles = [latest_profile(a, b) for a, b in zip(d, u, strict=True)]
    x = distribute_profiles(d, u, c, n, [p or [0] * (n + 1) for p in profiles])
    _assert_meets_everything(x, d, u, c, n)


def test_a_feasible_profile_is_taken_whole_and_the_next_region_adapts():
    d = [[0, 2, 4], [0, 0, 4]]
    u = [[0, 4, 4], [0, 4, 4]]
    c = [0, 4, 4]
    # Both want all their work in year 1. A (first by id) fits whole; B then gets the
    # rest of its work in year 2, the closest to its wish that the national capacity allows.
    x = distribute_profiles(d, u, c, 2, [[0, 4, 0], [0, 4, 0]])
    assert x == [[0, 4, 0], [0, 0, 4]]


def test_distribute_gives_each_cell_the_feasible_value_closest_to_the_preferred_one():
    d = [[0, 1, 3], [0, 1, 3]]
    u = [[0, 3, 3], [0, 3, 3]]
    c = [0, 4, 2]
    wished = [[0, 0, 3], [0, 3, 0]]
    x = distribute(d, u, c, 2, lambda state, r, t: wished[r][t])
    # Year by year, regions by id: A wants nothing in year 1 but must have 1 by then;
    # B gets the 3 it wants; A's other 2 fit in year 2's national capacity of 2.
    assert x == [[0, 1, 2], [0, 3, 0]]
    _assert_meets_everything(x, d, u, c, 2)


def test_cell_tests_refuse_values_beyond_caps_or_the_work_left():
    # One region, 2 units by year 2, at most 2 a year; national caps 2 and 1.
    state = DistributionState([[0, 0, 2]], [[0, 2, 2]], [0, 2, 1], 2)
    assert state._eq(0, 1, 3) is None  # above both caps
    assert not state._ge(0, 1, 3)
    assert state._eq(0, 1, 2) is not None  # the whole work in year 1
    # Within the caps, but more than the work left: no completion.
    big = DistributionState([[0, 0, 2]], [[0, 5, 5]], [0, 5, 5], 2)
    assert big._eq(0, 1, 3) is None
    assert not big._ge(0, 1, 3)
    assert big._le(0, 1, 0)  # nothing in year 1: year 2 can take both
    assert not DistributionState([[0, 0, 2]], [[0, 5, 1]], [0, 5, 5], 2)._le(0, 1, 0)


def test_a_profile_is_taken_whole_only_if_it_is_a_valid_plan():
    def state():
        return DistributionState([[0, 1, 3]], [[0, 3, 3]], [0, 3, 3], 2)

    assert not state().take_whole(0, [0, 0, 3])  # misses the floor of year 1
    assert not state().take_whole(0, [0, 1, 1])  # 2 units by year 2, not the 3 due
    assert not state().take_whole(0, [0, 2, 2])  # 4 units, not the 3 due
    assert not state().take_whole(0, [0, 4, -1])  # above the cap
    s = state()
    s.choose(0, 1, 1)
    assert not s.take_whole(0, [0, 1, 2])  # a cell is already fixed
    s = state()
    assert s.take_whole(0, [0, 1, 2])
    assert s.x == [[0, 1, 2]]


def test_choosing_far_from_the_feasible_values_gallops_to_the_closest():
    # A must take 40 of its 100 units by year 1; B 20 of its 50. Asking for nothing
    # gives A the least feasible value, asking for all the most that leaves B its 20.
    d = [[0, 40, 100], [0, 20, 50]]
    u = [[0, 100, 100], [0, 50, 50]]
    c = [0, 100, 100]
    low = DistributionState(d, u, c, 2)
    assert low.choose(0, 1, 0) == 40
    high = DistributionState(d, u, c, 2)
    assert high.choose(0, 1, 100) == 80
    assert high.choose(1, 1, 0) == 20
