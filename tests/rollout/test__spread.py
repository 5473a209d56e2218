"""rollout/_spread.py against brute force: respreading reaches the least sum of squared
yearly loads under the same floors and caps, from any feasible start."""

from __future__ import annotations

import itertools
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.rollout import _spread
from modelunit.rollout._distribute import distribute_profiles
from modelunit.rollout._flow import earliest_profile, latest_profile
from modelunit.rollout._spread import _apply_move, _region_moves, respread, spread_from_even
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


def test_region_moves_need_a_unit_of_slack_in_every_year_they_cross():
    # Floors 1, 2, 2 and coverage 2, 2, 2: slack 1 in year 1, none in year 2. A unit may
    # move earlier freely, later only from year 1 to 2 (crossing year 1, slack 1), not
    # to 3 (crossing year 2 too, slack 0).
    x, d, u = [0, 2, 0, 0], [0, 1, 2, 2], [0, 3, 3, 3]
    assert _region_moves(x, d, u, 3) == [(1, 2, -2)]
    x = [0, 1, 1, 0]
    assert _region_moves(x, d, u, 3) == [(2, 1, 2)]  # year 2 -> 3 would cross year 2
    # Costs are the change of sum x**2: moving from a year of 3 to a year of 1 saves 2.
    assert _region_moves([0, 3, 1], [0, 0, 4], [0, 4, 4], 2) == [(1, 2, -2), (2, 1, 6)]
    # A full year takes nothing; batches of 2 need 2 units of slack and of room.
    assert _region_moves([0, 3, 1], [0, 0, 4], [0, 4, 1], 2) == [(2, 1, 6)]
    assert _region_moves([0, 4, 0], [0, 3, 4], [0, 4, 4], 2, step=2) == []
    assert _region_moves([0, 4, 0], [0, 2, 4], [0, 4, 4], 2, step=2) == [(1, 2, -8)]


def _plain_region_moves(xr, dr, ur, n, step):
    # The definition, year pair by year pair: ``step`` units from ``a`` to ``b`` if ``a``
    # has them, ``b`` has room, and (later) every year from ``a`` to ``b - 1`` keeps
    # ``step`` units of coverage above its floor; cost the change of sum x**2.
    moves = []
    for a in range(1, n + 1):
        for b in [*range(1, a), *range(a + 1, n + 1)]:
            if xr[a] < step or xr[b] + step > ur[b]:
                continue
            cover = [sum(xr[1 : t + 1]) - dr[t] for t in range(a, b)]
            if b > a and min(cover) < step:
                continue
            after = (xr[a] - step) ** 2 + (xr[b] + step) ** 2
            moves.append((a, b, after - xr[a] ** 2 - xr[b] ** 2))
    return moves


@given(
    st.integers(1, 7).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.integers(0, 9), min_size=n, max_size=n),
            st.lists(st.integers(0, 12), min_size=n, max_size=n),
            st.lists(st.integers(0, 3), min_size=n, max_size=n),
            st.sampled_from([1, 2, 4]),
        )
    )
)
def test_region_moves_are_every_allowed_move_in_year_order(case):
    n, xs, rooms, steps, step = case
    xr = [0, *xs]
    ur = [0, *(x + r for x, r in zip(xs, rooms, strict=True))]
    dr, run = [0], 0
    for t in range(1, n + 1):
        run += xr[t]
        dr.append(max(dr[-1], run - steps[t - 1]))  # floors at most the coverage
    assert _region_moves(xr, dr, ur, n, step) == _plain_region_moves(xr, dr, ur, n, step)


def test_the_move_book_rebuilds_from_each_regions_current_moves():
    # A rebuild (once stale entries outnumber live ones) pushes every region's current
    # moves again: the same cheapest move per pair as a book built afresh.
    x = [[0, 3, 1, 2], [0, 1, 3, 0], [0, 2, 2, 2]]
    d = [[0, 0, 0, 4], [0, 0, 1, 4], [0, 0, 0, 6]]
    u = [[0, 4, 4, 4]] * 3
    book = _spread._MoveBook(x, d, u, 3)
    book.limit = 0  # every change rebuilds
    for r, a, b in [(0, 1, 2), (1, 2, 3), (2, 3, 1), (0, 2, 3)]:
        assert _apply_move(x[r], d[r], u[r], a, b, 3) is not None
        book.changed(r)
        assert book.matrix() == _spread._MoveBook([list(row) for row in x], d, u, 3).matrix()


def test_apply_move_changes_one_region_only_when_still_allowed():
    xr = [0, 3, 1, 0]
    assert _apply_move(xr, [0, 0, 0, 4], [0, 4, 4, 4], 1, 2, 3) == -2
    assert xr == [0, 2, 2, 0]
    assert _apply_move(xr, [0, 2, 2, 4], [0, 4, 4, 4], 1, 3, 3) is None  # breaks floor 1
    assert _apply_move(xr, [0, 0, 0, 4], [0, 4, 2, 4], 1, 2, 3) is None  # year 2 is full
    assert _apply_move(xr, [0, 0, 0, 4], [0, 4, 4, 4], 3, 1, 3) is None  # year 3 is empty
    assert xr == [0, 2, 2, 0]  # refused moves change nothing
    assert _apply_move(xr, [0, 0, 0, 4], [0, 4, 4, 4], 2, 3, 3, step=2) == 0
    assert xr == [0, 2, 0, 2]
    assert _apply_move(xr, [0, 0, 0, 4], [0, 4, 4, 4], 1, 3, 3) == 2 - 4 + 4  # 2**2+... -> 1, 3
    assert xr == [0, 1, 0, 3]


@pytest.mark.parametrize(
    "case",
    [
        # One region, all in year 1: cycles through "outside" (spare national room in
        # year 2) move one unit at a time until even.
        ([[0, 0, 6]], [[0, 6, 6]], [0, 6, 6], 2, [[0, 6, 0]], [[0, 3, 3]]),
        # Two regions: A's load moves to year 2 while year 2 has room, then an
        # exchange with B (a cycle 1 -> 2 -> 1 between regions) evens both.
        (
            [[0, 0, 4], [0, 0, 2]],
            [[0, 4, 4], [0, 2, 2]],
            [0, 4, 3],
            2,
            [[0, 4, 0], [0, 0, 2]],
            [[0, 2, 2], [0, 1, 1]],
        ),
        # B must have 3 by year 2: it keeps 2 + 1, A spreads over the three years.
        (
            [[0, 0, 0, 6], [0, 0, 3, 3]],
            [[0, 6, 6, 6], [0, 3, 3, 3]],
            [0, 6, 6, 6],
            3,
            [[0, 6, 0, 0], [0, 0, 3, 0]],
            [[0, 2, 2, 2], [0, 2, 1, 0]],
        ),
    ],
)
def test_respread_cancels_cycles_to_an_exact_result(case):
    d, u, c, n, x, expected = case
    assert respread(x, d, u, c, n) == expected
    assert _squares(expected) == _least_squares(d, u, c, n)


def test_an_interfering_cycle_is_undone_and_respread_still_reaches_the_optimum(monkeypatch):
    # R moves 1 -> 3 and 2 -> 4, S moves 3 -> 2: each move is allowed alone, but R's
    # second one crosses year 2, whose slack R's first one used up. T starts with both
    # its units in year 4 (no move of T competes with the cycle's), so the best single
    # move improves the plan, and cycle cancelling goes on.
    d = [[0, 0, 1, 1, 2], [0, 0, 0, 0, 1], [0, 0, 0, 0, 2]]
    u = [[0, 3, 3, 3, 3], [0, 3, 3, 3, 3], [0, 3, 3, 3, 3]]
    c = [0, 5, 5, 5, 5]
    x = [[0, 1, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 2]]
    real = _spread._negative_cycle
    calls = []

    def first_a_bad_cycle(w, spare, n):
        calls.append(len(calls))
        return [0, 1, 3, 2, 4] if len(calls) == 1 else real(w, spare, n)

    monkeypatch.setattr(_spread, "_negative_cycle", first_a_bad_cycle)
    out = respread(x, d, u, c, 4)
    assert len(calls) > 1
    assert _squares(out) == _least_squares(d, u, c, 4)
    for r in range(3):
        assert sum(out[r]) == sum(x[r])
        assert all(a >= b for a, b in zip(itertools.accumulate(out[r]), d[r], strict=True))
    assert all(sum(row[t] for row in out) <= c[t] for t in range(1, 5))


def test_the_best_single_move_goes_where_there_is_room_or_exchanges():
    x = [[0, 3, 1], [0, 1, 3]]
    d = [[0, 0, 4], [0, 0, 4]]
    # B's year 1 is full, so no exchange: A's move 1 -> 2 (saves 2) goes into the room
    # year 2 has nationally.
    u = [[0, 4, 4], [0, 1, 4]]
    w, who = _spread._MoveBook(x, d, u, 2).matrix()
    loads = [0, 4, 4]
    assert _spread._best_single_move(x, d, u, loads, [0, 4, 5], 2, w, who) == [0]
    assert x == [[0, 2, 2], [0, 1, 3]]
    assert loads == [0, 3, 5]
    # No room anywhere, but A 1 -> 2 and B 2 -> 1 together (an exchange) save 4.
    x = [[0, 3, 1], [0, 1, 3]]
    u = [[0, 4, 4], [0, 4, 4]]
    w, who = _spread._MoveBook(x, d, u, 2).matrix()
    loads = [0, 4, 4]
    assert _spread._best_single_move(x, d, u, loads, [0, 4, 4], 2, w, who) == [0, 1]
    assert x == [[0, 2, 2], [0, 2, 2]]
    assert loads == [0, 4, 4]
    # Nothing improves: no move.
    w, who = _spread._MoveBook(x, d, u, 2).matrix()
    assert _spread._best_single_move(x, d, u, loads, [0, 4, 4], 2, w, who) == []
    assert x == [[0, 2, 2], [0, 2, 2]]


def test_a_path_that_runs_in_a_circle_or_whose_moves_interfere_is_not_taken(monkeypatch):
    assert _spread._path([-1, 0, 3, 2], 1, 3, 3) is None  # 3 <- 2 <- 3 <- ...
    assert _spread._path([-1, -1, 1, 2], 1, 3, 3) == [1, 2, 3]
    # The interfering moves of the test above, as a path from year 1 to year 4.
    d = [[0, 0, 1, 1, 2], [0, 0, 0, 0, 1]]
    u = [[0, 3, 3, 3, 3], [0, 3, 3, 3, 3]]
    x = [[0, 1, 1, 0, 0], [0, 0, 0, 1, 0]]
    book = _spread._MoveBook(x, d, u, 4)
    # Year 4 is the closest with room; its path 1 -> 3 (R), 3 -> 2 (S), 2 -> 4 (R).
    monkeypatch.setattr(
        _spread, "_shortest_paths", lambda w, source, n: ([0, 0, 5, 5, 1], [-1, -1, 3, 1, 2])
    )
    loads = [0, 1, 1, 1, 0]
    assert not _spread._push_excess(x, d, u, [0, 0, 3, 3, 3], 4, loads, book, 1)
    assert x == [[0, 1, 1, 0, 0], [0, 0, 0, 1, 0]]  # undone
    assert loads == [0, 1, 1, 1, 0]


def test_spread_from_even_needs_every_region_feasible_alone():
    assert spread_from_even([[0, 5]], [[0, 4]], [0, 10], 1) is None


@given(feasible_instances(), st.sampled_from([1, 2]))
def test_batches_of_moves_still_reach_the_least_squares(instance, batch):
    # _BATCH = 1 or 2 makes even these tiny instances start with moves of several
    # units, halving down to one: the same optimum as brute force.
    d, u, c, n = instance
    rows = [earliest_profile(dr, ur, dr[n]) for dr, ur in zip(d, u, strict=True)]
    x0 = distribute_profiles(d, u, c, n, [row or [0] * (n + 1) for row in rows])
    with mock.patch.object(_spread, "_BATCH", batch):
        x = respread(x0, d, u, c, n)
        even = spread_from_even(d, u, c, n)
    best = _least_squares(d, u, c, n)
    assert _squares(x) == best
    assert even is None or _squares(even) == best
    for r in range(len(d)):
        assert all(0 <= x[r][t] <= u[r][t] for t in range(1, n + 1))
        assert all(a >= b for a, b in zip(itertools.accumulate(x[r]), d[r], strict=True))
    assert all(sum(row[t] for row in x) <= c[t] for t in range(1, n + 1))


def test_the_first_batch_follows_the_largest_count():
    assert [_spread._first_step(v) for v in (0, 2047, 2048, 4096, 10**9)] == [1, 1, 2, 4, 2**19]


def test_the_move_book_stays_small_however_many_changes():
    x = [[0, 3, 1], [0, 1, 3]]
    book = _spread._MoveBook(x, [[0, 0, 4], [0, 0, 4]], [[0, 4, 4], [0, 4, 4]], 2)
    for _ in range(5000):
        book.changed(0)
    assert book.size <= book.limit
    w, who = book.matrix()
    assert (w[1][2], who[1][2]) == (-2, 0)


@pytest.mark.parametrize(
    "case",
    [
        # Each move allowed, but R's 2 -> 4 crosses year 2 after its 1 -> 3 used the slack.
        (
            [[0, 0, 1, 1, 2], [0, 0, 0, 0, 1]],
            [[0, 3, 3, 3, 3], [0, 3, 3, 3, 3]],
            [[0, 1, 1, 0, 0], [0, 0, 0, 1, 0]],
            [0, 1, 3, 2, 4],
        ),
        # Every move applies, and the plan comes back to where it was: no improvement.
        ([[0, 0, 1, 2, 4]], [[0, 3, 3, 3, 3]], [[0, 1, 1, 1, 1]], [1, 3, 2, 4]),
        # A and B exchange a unit (A 1 -> 2, B 2 -> 1) at no gain: a different plan,
        # just as even, which must not be kept (only improving cycles are).
        ([[0, 0, 3], [0, 0, 3]], [[0, 3, 3], [0, 3, 3]], [[0, 2, 1], [0, 1, 2]], [1, 2]),
    ],
)
def test_a_cycle_that_fails_or_does_not_improve_is_undone(monkeypatch, case):
    d, u, x, bad = case
    offered = []

    def only_the_bad_cycle(w, spare, n):
        offered.append(bad)
        return bad if len(offered) == 1 else None

    monkeypatch.setattr(_spread, "_negative_cycle", only_the_bad_cycle)
    # Already as even as can be: after undoing the cycle there is no single move either.
    n = len(x[0]) - 1
    assert respread(x, d, u, [0, 3, 3] if n == 2 else [0, 5, 5, 5, 5], n) == x
    assert offered == [bad]


def test_a_negative_cycle_is_found_exactly_when_there_is_one():
    nothing: _spread.Matrix = [[None] * 3 for _ in range(3)]
    assert _spread._negative_cycle(nothing, [False, True, True], 2) is None
    # Moving a unit from year 1 to year 2 gains 1: a cycle only through "outside", and
    # only while year 2 has spare national capacity (odd weights: the virtual edges
    # must cost nothing, or -1 + 1 would not be negative).
    w: _spread.Matrix = [[None] * 3 for _ in range(3)]
    w[1][2] = -1
    assert _spread._negative_cycle(w, [False, False, False], 2) is None
    assert _spread._negative_cycle(w, [False, False, True], 2) == [1, 2, 0]
    # 1 -> 2 -> 1 between two regions, -3 + 1: a cycle with no spare capacity at all.
    w[2][1] = 1
    w[1][2] = -3
    assert _spread._negative_cycle(w, [False, False, False], 2) == [1, 2]
    w[1][2] = -1
    assert _spread._negative_cycle(w, [False, False, False], 2) is None


def test_units_moved_in_from_outside_count_against_the_national_capacity():
    # B must do its 3 in year 2; A's 6 all start in year 1. Year 2 has room for one more
    # (capacity 4) and year 3 for one (capacity 1): A ends 4, 1, 1, and no year is over.
    d = [[0, 0, 0, 6], [0, 0, 3, 3]]
    u = [[0, 6, 6, 6], [0, 0, 3, 0]]
    c = [0, 9, 4, 1]
    x = [[0, 6, 0, 0], [0, 0, 3, 0]]
    out = respread(x, d, u, c, 3)
    assert out == [[0, 4, 1, 1], [0, 0, 3, 0]]
    assert [sum(row[t] for row in out) for t in range(1, 4)] == [4, 4, 1]


def test_the_best_exchange_moves_a_whole_batch_between_the_two_years():
    # Two units at a time: A 1 -> 2 and B 2 -> 1 together save 16; year 3 takes nothing
    # and no year has national room, so the exchange is the best move.
    x = [[0, 6, 2, 0], [0, 2, 6, 0]]
    d = [[0, 0, 0, 8], [0, 0, 0, 8]]
    u = [[0, 8, 8, 0], [0, 8, 8, 0]]
    w, who = _spread._MoveBook(x, d, u, 3, 2).matrix()
    loads = [0, 8, 8, 0]
    assert _spread._best_single_move(x, d, u, loads, [0, 8, 8, 0], 3, w, who, 2) == [0, 1]
    assert x == [[0, 4, 4, 0], [0, 4, 4, 0]]
    assert loads == [0, 8, 8, 0]


def test_a_batch_cycle_that_does_not_improve_falls_back_to_a_move_of_the_whole_batch(
    monkeypatch,
):
    # Batches of two (``_BATCH = 2``): the offered cycle A 1 -> 2, B 2 -> 1, twice over,
    # gains nothing, so it is undone and the best single move, an exchange of two
    # units, evens both regions.
    monkeypatch.setattr(_spread, "_BATCH", 2)
    offered = []

    def only_a_useless_cycle(w, spare, n):
        offered.append(len(offered))
        return [1, 2, 1, 2] if len(offered) == 1 else None

    monkeypatch.setattr(_spread, "_negative_cycle", only_a_useless_cycle)
    x = [[0, 6, 2], [0, 2, 6]]
    d = [[0, 0, 8], [0, 0, 8]]
    u = [[0, 8, 8], [0, 8, 8]]
    assert respread(x, d, u, [0, 8, 8], 2) == [[0, 4, 4], [0, 4, 4]]
    assert len(offered) == 3  # the useless cycle, then none at two units and at one


def test_batches_of_moves_finish_where_single_units_would():
    # Moves of several units (``_BATCH = 1``) still push every excess to a year with
    # room: successive shortest paths need only the n - 1 rounds of Bellman-Ford, and
    # the spread finishes (``None`` would hand the problem to the slower method).
    d = [[0, 0, 3, 5], [0, 0, 2, 4], [0, 0, 4, 6]]
    u = [[0, 6, 6, 0], [0, 6, 5, 2], [0, 3, 6, 3]]
    c = [0, 2, 10, 3]
    with mock.patch.object(_spread, "_BATCH", 1):
        x = spread_from_even(d, u, c, 3)
    assert x == [[0, 1, 4, 0], [0, 0, 3, 1], [0, 1, 3, 2]]
    assert _squares(x) == _least_squares(d, u, c, 3)


def test_each_batch_size_moves_its_own_number_of_units():
    # Among plans just as even, which one a batch run ends on follows from the size of
    # each phase's moves: a book of single-unit moves in a phase of two-unit moves
    # gives other plans. Pinned here, since a plan must not change between runs.
    d = [[0, 1, 5, 6, 10], [0, 0, 0, 0, 10], [0, 1, 3, 8, 9], [0, 1, 1, 1, 6]]
    u = [[0, 5, 4, 5, 4], [0, 6, 4, 6, 5], [0, 6, 5, 5, 1], [0, 6, 2, 1, 0]]
    c = [0, 12, 13, 12, 3]
    with mock.patch.object(_spread, "_BATCH", 1):
        x = spread_from_even(d, u, c, 4)
    assert x == [[0, 3, 3, 3, 1], [0, 3, 3, 3, 1], [0, 2, 3, 3, 1], [0, 3, 2, 1, 0]]
    d = [[0, 0, 0, 4], [0, 0, 1, 1], [0, 0, 0, 3], [0, 0, 0, 4]]
    u = [[0, 2, 3, 4], [0, 0, 3, 6], [0, 4, 2, 1], [0, 0, 0, 6]]
    c = [0, 2, 5, 8]
    x0 = [[0, 2, 2, 0], [0, 0, 1, 0], [0, 0, 2, 1], [0, 0, 0, 4]]
    with mock.patch.object(_spread, "_BATCH", 1):
        x = respread(x0, d, u, c, 3)
    assert x == [[0, 1, 2, 1], [0, 0, 1, 0], [0, 1, 1, 1], [0, 0, 0, 4]]
    assert _squares(x) == _least_squares(d, u, c, 3)


def test_a_batch_run_that_cannot_push_the_last_unit_gives_up():
    # With moves of several units (``_BATCH = 1``) the chains found at two units leave
    # a unit of excess that no chain of single-unit moves takes: the spread says so
    # (``None``, and ``"level"`` then takes the general method) instead of going on.
    # Started at one unit (the default batch here) it finishes.
    d = [[0, 0, 1, 1, 3], [0, 2, 2, 4, 9], [0, 0, 0, 1, 3]]
    u = [[0, 2, 1, 4, 1], [0, 6, 3, 0, 5], [0, 1, 2, 6, 6]]
    c = [0, 6, 2, 4, 4]
    with mock.patch.object(_spread, "_BATCH", 1):
        assert spread_from_even(d, u, c, 4) is None
    x = spread_from_even(d, u, c, 4)
    assert x == [[0, 1, 0, 2, 0], [0, 4, 2, 0, 3], [0, 1, 0, 1, 1]]
    assert _squares(x) == _least_squares(d, u, c, 4)
