"""The exact feasibility oracle (max-flow/min-cut) and the single-region profiles.

Notation as in :mod:`._compile`: floors ``d[r][t]``, region caps ``u[r][t]``,
national caps ``c[t]``, years ``1..n``. Meeting every floor is a transportation
problem with nested deadlines. By max-flow/min-cut, with ``A`` the set of years
whose national edge is *not* cut,

    max work routable = min over A of ( F(A) + sum of c[s] for s not in A ),
    F(A) = sum over r of min over t in 0..T of ( U_r^A(t) + D_r - d_r(t) ),

where ``U_r^A(t)`` is region r's capacity in the years of ``A`` up to ``t`` and
``D_r = d_r(T)``. The problem is feasible iff that minimum reaches ``sum D_r``.
``F`` does not depend on the national caps, so it is computed once (``2**T`` values)
and every cap vector is then checked in ``O(2**T)``. The tests check this against
``scipy.optimize.milp``.

One region alone (no national capacity) needs no oracle: its earliest, latest and most
even profiles are closed forms, in ``O(T)``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "earliest_profile",
    "feasible",
    "latest_profile",
    "leveled_profile",
    "max_flow",
    "region_f",
    "total_f",
]


def __dir__() -> list[str]:
    return __all__


# --- single-region profiles (exact, O(T)) ---------------------------------------------


def earliest_profile(d: Sequence[int], u: Sequence[int], limit: int) -> list[int] | None:
    """As fast as capacity allows up to ``limit`` units; ``None`` if a floor is missed."""
    n = len(u) - 1
    x = [0] * (n + 1)
    done = 0
    for t in range(1, n + 1):
        x[t] = min(u[t], limit - done)
        done += x[t]
        if done < d[t]:
            return None
    return x


def latest_profile(d: Sequence[int], u: Sequence[int]) -> list[int] | None:
    """Just in time: the least cumulative work meeting every floor; ``None`` if impossible."""
    n = len(u) - 1
    m = [0] * (n + 1)
    m[n] = d[n]
    for t in range(n - 1, -1, -1):
        m[t] = max(d[t], m[t + 1] - u[t + 1])
    if m[0] > 0:
        return None
    return [0] + [m[t] - m[t - 1] for t in range(1, n + 1)]


def leveled_profile(d: Sequence[int], u: Sequence[int]) -> list[int] | None:
    """Spread a region's work evenly: each unit, in deadline order, goes to the least-loaded
    year it may use (not after its deadline, under capacity); ties go to the later year.

    This greedy minimises every separable convex cost of the yearly loads under nested
    deadlines (checked against brute force). Each deadline's units are placed at once by
    water-filling: raise every open year to a level ``L``, then the latest years at ``L``
    get one more each, which is what placing them one by one does.
    """
    n = len(u) - 1
    x = [0] * (n + 1)
    for t in range(1, n + 1):
        count = d[t] - d[t - 1]
        if count <= 0:
            continue
        room = sum(u[s] - x[s] for s in range(1, t + 1))
        if room < count:
            return None
        lo = min(x[s] for s in range(1, t + 1))
        hi = max(x[s] for s in range(1, t + 1)) + count
        while lo < hi:  # highest level whose filling needs at most ``count`` units
            mid = (lo + hi + 1) // 2
            need = 0
            for s in range(1, t + 1):
                top = u[s] if u[s] < mid else mid
                if top > x[s]:
                    need += top - x[s]
            if need <= count:
                lo = mid
            else:
                hi = mid - 1
        level = lo
        for s in range(1, t + 1):
            top = u[s] if u[s] < level else level
            if top > x[s]:
                count -= top - x[s]
                x[s] = top
        # Fewer units are left than years at the level with room (``level`` is the
        # highest that fits): one more each for the latest of them.
        s = t
        while count:
            assert s >= 1, "leveled_profile: no year left at the level"
            if x[s] == level and x[s] < u[s]:
                x[s] += 1
                count -= 1
            s -= 1
    return x


# --- the oracle ------------------------------------------------------------------------


def region_f(d: Sequence[int], u: Sequence[int], n: int) -> list[int]:
    """Max work of one region routable through each subset ``A`` of years (bit t-1 = year t).

    ``f(A) = min over t of (U^A(t) + D - d(t))``; the minimum is reached at ``t = n`` or
    just before a year of ``A``, so with ``h`` the last year of ``A`` and ``A' = A - {h}``:
    ``m(A) = min(m(A'), U(A') + D - d(h-1))``, ``U(A) = U(A') + u[h]``,
    ``f(A) = min(m(A), U(A))``: constant work per subset.
    """
    total_demand = d[n]
    size = 1 << n
    if total_demand == 0:
        return [0] * size
    slack = [total_demand - d[t] for t in range(n + 1)]
    inner = [0] * size
    # m of the empty set: no bound yet, so any value at least every slack (each mask's
    # first year h takes min(slack[h - 1], inner[0]) = slack[h - 1]).
    inner[0] = max(slack)
    used = [0] * size
    out = [0] * size
    # Masks grouped by their last year h: mask = prev | bit(h), prev < bit(h).
    for h in range(1, n + 1):
        bit = 1 << (h - 1)
        due = slack[h - 1]
        room = u[h]
        for prev in range(bit):
            mask = prev | bit
            m = used[prev] + due
            before = inner[prev]
            if before < m:  # noqa: PLR1730 - plain comparison: hot loop, faster than min()
                m = before
            inner[mask] = m
            cap = used[prev] + room
            used[mask] = cap
            out[mask] = m if m < cap else cap
    return out


def total_f(rows: Sequence[Sequence[int]], n: int) -> list[int]:
    if not rows:
        return [0] * (1 << n)
    return [sum(column) for column in zip(*rows, strict=True)]


def _cap_sums(c: Sequence[int], n: int) -> list[int]:
    sums = [0] * (1 << n)
    for h in range(1, n + 1):
        bit = 1 << (h - 1)
        extra = c[h]
        for prev in range(bit):
            sums[prev | bit] = sums[prev] + extra
    return sums


def max_flow(f_all: Sequence[int], c: Sequence[int], n: int) -> int:
    """Most work routable (min cut) given ``F`` and national caps ``c[1..n]``."""
    full = (1 << n) - 1
    sums = _cap_sums(c, n)
    return min(f_all[mask] + sums[full ^ mask] for mask in range(full + 1))


def feasible(f_all: Sequence[int], c: Sequence[int], n: int, demand: int) -> bool:
    """Whether ``demand`` units can all be routed: every cut at least ``demand``."""
    full = (1 << n) - 1
    sums = _cap_sums(c, n)
    for mask in range(full + 1):  # noqa: SIM110 - explicit loop: hot path, no generator
        if f_all[mask] + sums[full ^ mask] < demand:
            return False
    return True
