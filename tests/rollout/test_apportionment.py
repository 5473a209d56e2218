"""rollout/apportionment.py: exact totals, quota, house monotonicity, caps, errors."""

from __future__ import annotations

from fractions import Fraction
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.errors import InvalidArgumentError
from modelunit.rollout import METHODS, ApportionmentMethod, apportion
from modelunit.rollout.apportionment import check_method

weights_st = st.lists(st.integers(0, 50), min_size=1, max_size=8)


@given(st.integers(0, 60), weights_st, st.sampled_from(METHODS))
def test_apportionment_hands_out_exactly_the_total(total, weights, method):
    seats = apportion(total, weights, method)
    if sum(weights) == 0:
        assert seats == [0] * len(weights)
        return
    assert sum(seats) == total
    assert all(s == 0 for s, w in zip(seats, weights, strict=True) if w == 0)


@given(st.integers(0, 60), weights_st)
def test_largest_remainder_satisfies_quota(total, weights):
    seats = apportion(total, weights, "largest_remainder")
    wsum = sum(weights)
    if wsum == 0:
        return
    for s, w in zip(seats, weights, strict=True):
        quota = Fraction(total * w, wsum)
        assert quota - 1 < s < quota + 1


@given(st.integers(0, 60), weights_st, st.sampled_from(["webster", "dhondt"]))
def test_divisor_methods_are_house_monotone(total, weights, method):
    before = apportion(total, weights, method)
    after = apportion(total + 1, weights, method)
    if sum(weights):
        assert all(a >= b for a, b in zip(after, before, strict=True))


@given(st.integers(0, 60), weights_st)
def test_dhondt_never_gives_less_than_the_lower_quota(total, weights):
    wsum = sum(weights)
    if wsum == 0:
        return
    for s, w in zip(apportion(total, weights, "dhondt"), weights, strict=True):
        assert s >= total * w // wsum


def test_alabama_paradox_of_largest_remainder():
    # The classic example: one more seat in the house costs party C a seat.
    weights = [6, 6, 2]
    assert apportion(10, weights, "largest_remainder") == [4, 4, 2]
    assert apportion(11, weights, "largest_remainder") == [5, 5, 1]
    # Webster is house-monotone: 11 seats never take one away from the 10-seat result.
    assert apportion(10, weights, "webster") == [5, 4, 1]  # three-way tie: first listed wins
    assert apportion(11, weights, "webster") == [5, 5, 1]


@given(st.integers(0, 60), weights_st, st.sampled_from(METHODS), st.data())
def test_apportionment_respects_caps(total, weights, method, data):
    caps = data.draw(st.lists(st.integers(0, 20), min_size=len(weights), max_size=len(weights)))
    seats = apportion(total, weights, method, caps=caps)
    assert all(0 <= s <= c for s, c in zip(seats, caps, strict=True))
    room = sum(c for c, w in zip(caps, weights, strict=True) if w > 0)
    assert sum(seats) == min(total, room)


def test_apportionment_rejects_unknown_methods():
    with pytest.raises(ValueError, match="unknown apportionment method 'borda'"):
        apportion(3, [1, 2], "borda")  # type: ignore[arg-type]


def test_every_method_is_dispatched() -> None:
    assert get_args(ApportionmentMethod) == METHODS
    assert {m: apportion(5, [6, 3, 1], m) for m in METHODS} == {
        "largest_remainder": [3, 2, 0],
        "webster": [3, 2, 0],
        "dhondt": [4, 1, 0],
    }


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((3, [1, 2], "borda"), {}, "unknown apportionment method 'borda'"),
        ((-1, [1, 2]), {}, "must be non-negative"),
        ((3, [1, -2]), {}, "must be non-negative"),
        ((3, [1, 2]), {"caps": [1]}, "expected 2 caps"),
    ],
)
def test_bad_arguments_are_invalid_argument_errors(args, kwargs, message) -> None:
    with pytest.raises(InvalidArgumentError, match=message) as info:
        apportion(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    assert check_method("webster") == "webster"


def _one_at_a_time(total, weights, method):
    """The divisor methods by their definition: each unit to the highest priority
    w / (s + 1/2) (Webster) or w / (s + 1) (D'Hondt), ties to the first party."""
    seats = [0] * len(weights)
    for _ in range(total):
        best = None
        for i, w in enumerate(weights):
            if w == 0:
                continue
            divisor = Fraction(2 * seats[i] + 1, 2) if method == "webster" else seats[i] + 1
            priority = Fraction(w) / divisor
            if best is None or priority > best[0]:
                best = (priority, i)
        if best is None:
            break
        seats[best[1]] += 1
    return seats


@given(
    st.integers(0, 400),
    st.lists(st.integers(0, 1000), min_size=1, max_size=8),
    st.sampled_from(["webster", "dhondt"]),
)
def test_divisor_methods_start_from_a_lower_bound_and_give_the_same_seats(total, weights, method):
    if sum(weights) == 0:
        return
    assert apportion(total, weights, method) == _one_at_a_time(total, weights, method)


@pytest.mark.parametrize("method", METHODS)
def test_huge_totals_are_apportioned_without_a_step_per_unit(method):
    # A region at the limits: a step per unit would take 10**12 heap operations.
    seats = apportion(10**12, [3, 2, 1], method)
    assert sum(seats) == 10**12
    quotas = [Fraction(10**12 * w, 6) for w in (3, 2, 1)]
    if method == "dhondt":  # never below the lower quota (it may exceed the quota)
        assert all(s >= q.numerator // q.denominator for s, q in zip(seats, quotas, strict=True))
    else:
        assert all(abs(s - q) < 1 for s, q in zip(seats, quotas, strict=True))
