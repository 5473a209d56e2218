"""Apportionment: share a whole number of units among parties in proportion to weights.

Exact (integer cross-multiplication, no floats). Ties always go to the party listed
first (the planner lists regions sorted by id, so: smallest region id first).

Methods and their known properties:

- ``"largest_remainder"`` (Hamilton/Hare): everyone gets the floor of their exact
  quota, leftover units go to the largest remainders. Satisfies quota (never more
  than one away from the exact share) but is not house-monotone: raising the total can
  take a unit away from a party (the Alabama paradox).
- ``"webster"`` (Sainte-Laguë, divisors 1/2, 3/2, 5/2, ...): house-monotone, free of
  the population paradox, and close to unbiased between large and small parties;
  it can (rarely) violate quota.
- ``"dhondt"`` (Jefferson, divisors 1, 2, 3, ...): house-monotone, never gives a party
  less than the floor of its quota, but favours large parties and can exceed quota.

>>> apportion(10, [5, 3, 2], "largest_remainder")
[5, 3, 2]
>>> apportion(4, [5, 3, 2], "largest_remainder"), apportion(4, [5, 3, 2], "webster")
([2, 1, 1], [2, 1, 1])
>>> [apportion(5, [6, 3, 1], m) for m in ("largest_remainder", "webster", "dhondt")]
[[3, 2, 0], [3, 2, 0], [4, 1, 0]]

Caps (each party at most ``caps[i]``) are honoured by capping and re-apportioning the
rest among the others:

>>> apportion(6, [1, 1, 1], "webster", caps=[1, 10, 10])
[1, 3, 2]
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Final, Literal, assert_never, get_args

from modelunit.errors import InvalidArgumentError

__all__ = ["METHODS", "ApportionmentMethod", "apportion", "check_method"]


def __dir__() -> list[str]:
    return __all__


ApportionmentMethod = Literal["largest_remainder", "webster", "dhondt"]
METHODS: Final[tuple[ApportionmentMethod, ...]] = get_args(ApportionmentMethod)


def check_method(method: object) -> ApportionmentMethod:
    """``method`` itself if it names an apportionment method.

    >>> check_method("borda")
    Traceback (most recent call last):
    ...
    modelunit.errors.InvalidArgumentError: unknown apportionment method 'borda'; expected ...
    """
    if method not in METHODS:
        raise InvalidArgumentError(
            f"unknown apportionment method {method!r}; expected one of {METHODS}"
        )
    return method


class _Priority:
    """Heap key: weight / divisor, larger first; ties to the smaller index."""

    __slots__ = ("den", "index", "num")

    def __init__(self, num: int, den: int, index: int) -> None:
        self.num = num
        self.den = den
        self.index = index

    def __lt__(self, other: _Priority) -> bool:
        left = self.num * other.den
        right = other.num * self.den
        if left != right:
            return left > right
        return self.index < other.index


def _uncapped(total: int, weights: Sequence[int], method: ApportionmentMethod) -> list[int]:
    if total == 0 or sum(weights) == 0:
        return [0] * len(weights)
    match method:
        case "largest_remainder":
            return _largest_remainder(total, weights)
        case "webster":
            return _divisor(total, weights, webster=True)
        case "dhondt":
            return _divisor(total, weights, webster=False)
        case _:  # pragma: no cover - mypy checks that every method has its case
            assert_never(method)


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    seats = [0] * len(weights)
    wsum = sum(weights)
    rems: list[tuple[int, int]] = []
    for i, w in enumerate(weights):
        q, r = divmod(total * w, wsum)
        seats[i] = q
        rems.append((-r, i))
    left = total - sum(seats)
    for _, i in sorted(rems)[:left]:
        seats[i] += 1
    return seats


def _divisor(total: int, weights: Sequence[int], *, webster: bool) -> list[int]:
    """Divisor methods: priority w / (s + 1/2) for Webster (as 2w / (2s + 1)), w / (s + 1)
    for D'Hondt; one unit at a time to the highest priority (ties: the first party).

    Handing out units one at a time takes the ``total`` highest priorities of all
    parties (each party's priorities decrease), so it may start from any seats known
    to be among them. With ``m`` parties of positive weight ``W`` in all and ``h``
    units, let ``L`` be the ``h``-th highest priority: at least ``h`` priorities are at
    least ``L``, and a party has at most ``w / L + 1/2`` of those, so
    ``1 / L >= (2h - m) / 2W``; every priority above ``L`` is taken, and a party has at
    least ``w / L - 1`` of those. So each party gets at least
    ``w (2h - m) // 2W - 1`` units: they are handed out at once, and only the last
    ``O(m)`` units go through the heap (the result is the same, in ``O(m log m)``).
    """
    seats = [0] * len(weights)
    parties = sum(1 for w in weights if w > 0)
    wsum = sum(weights)
    if 2 * total > parties:
        for i, w in enumerate(weights):
            if w > 0:
                seats[i] = max(0, w * (2 * total - parties) // (2 * wsum) - 1)
    heap = []
    for i, w in enumerate(weights):
        if w > 0:
            divisor = 2 * seats[i] + 1 if webster else seats[i] + 1
            heap.append(_Priority(2 * w if webster else w, divisor, i))
    heapq.heapify(heap)
    for _ in range(total - sum(seats)):
        top = heapq.heappop(heap)
        i = top.index
        seats[i] += 1
        w = weights[i]
        divisor = 2 * seats[i] + 1 if webster else seats[i] + 1
        heapq.heappush(heap, _Priority(2 * w if webster else w, divisor, i))
    return seats


def apportion(
    total: int,
    weights: Sequence[int],
    method: ApportionmentMethod = "largest_remainder",
    *,
    caps: Sequence[int] | None = None,
) -> list[int]:
    """Share ``total`` units among parties by non-negative integer ``weights``.

    Parties with weight 0 get nothing. With ``caps``, a party that would exceed its cap
    is held at it and the rest is re-apportioned among the others; if the caps add up to
    less than ``total``, everyone ends at their cap. An unknown method, a negative
    total or weight, or caps not one per weight raise
    :class:`~modelunit.errors.InvalidArgumentError`.
    """
    check_method(method)
    if total < 0 or any(w < 0 for w in weights):
        raise InvalidArgumentError("total and weights must be non-negative")
    if caps is None:
        return _uncapped(total, weights, method)
    n = len(weights)
    if len(caps) != n:
        raise InvalidArgumentError(f"expected {n} caps (one per weight), got {len(caps)}")
    result = [0] * n
    active = [i for i in range(n) if weights[i] > 0 and caps[i] > 0]
    left = total
    while active and left > 0:
        share = _uncapped(left, [weights[i] for i in active], method)
        over = [i for i, s in zip(active, share, strict=True) if s >= caps[i]]
        if not over:
            for i, s in zip(active, share, strict=True):
                result[i] = s
            return result
        for i in over:
            result[i] = caps[i]
            left -= caps[i]
        active = [i for i in active if i not in over]
    return result
