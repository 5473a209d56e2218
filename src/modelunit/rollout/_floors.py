"""The steps around an objective: which floors a strategy plans for.

Before a strategy's objective applies, the planner decides the floors it plans for:
whether the compiled floors can all be met (:func:`floors_feasible`); if not, either
each region's floors lowered to what its own capacity reaches
(:func:`reachable_floors`, without a national cap) or a best effort
(:func:`best_effort`, with one); then the floors raised by every stretch goal
capacity allows (:func:`with_stretch`). :func:`min_peak` is the least peak national
load those floors allow, the first objective of ``"level"`` (and what the benchmarks
compare with HiGHS). All exact, with the oracle of :mod:`._flow`.
"""

from __future__ import annotations

from modelunit.rollout._compile import Allocation, IntegerProblem
from modelunit.rollout._flow import earliest_profile, feasible, region_f, total_f

__all__ = ["best_effort", "floors_feasible", "min_peak", "reachable_floors", "with_stretch"]


def __dir__() -> list[str]:
    return __all__


def floors_feasible(comp: IntegerProblem, d: list[list[int]]) -> bool:
    """Can every floor in ``d`` be met (exact)?"""
    n = comp.n_years
    for r in range(len(d)):
        if earliest_profile(d[r], comp.caps[r], comp.rem[r]) is None:
            return False
    if not comp.coupled:
        return True
    f_all = total_f([region_f(dr, ur, n) for dr, ur in zip(d, comp.caps, strict=True)], n)
    return feasible(f_all, comp.ncap, n, sum(dr[n] for dr in d))


def reachable_floors(comp: IntegerProblem, d: list[list[int]]) -> list[list[int]]:
    """Each region's floors lowered to what its own capacity can reach (no national cap)."""
    out = []
    for r, row in enumerate(d):
        reach = [min(comp.rem[r], c) for c in _cum(comp.caps[r])]
        out.append([min(v, reach[t]) for t, v in enumerate(row)])
    return out


def best_effort(comp: IntegerProblem) -> Allocation:
    """For an infeasible problem: each year, regions with the nearest unmet floor go
    first (ties by id), each as fast as its capacity and the national cap allow."""
    n = comp.n_years
    nreg = len(comp.ids)
    x = [[0] * (n + 1) for _ in range(nreg)]
    done = [0] * nreg
    for t in range(1, n + 1):
        budget = comp.ncap[t]

        def urgency(r: int, t: int = t) -> tuple[int, int]:
            for s in range(t, n + 1):
                if comp.floors[r][s] > done[r]:
                    return (s, r)
            return (n + 1, r)

        for r in sorted(range(nreg), key=urgency):
            take = min(comp.caps[r][t], comp.rem[r] - done[r], budget)
            x[r][t] = take
            done[r] += take
            budget -= take
    return x


def with_stretch(comp: IntegerProblem, d: list[list[int]]) -> list[list[int]]:
    """Floors raised by every stretch goal capacity allows (greedy in (year, region) order;
    the maximum number of goals when there is no national cap)."""
    n = comp.n_years
    d = [list(row) for row in d]
    if not comp.coupled:
        # Earliest coverage dominates every plan, so each goal it reaches is met by the
        # plan that meets them all.
        reach: dict[int, list[int]] = {}
        for t, r, work in comp.stretch:
            if r not in reach:
                cap_cum = _cum(comp.caps[r])
                reach[r] = [min(comp.rem[r], c) for c in cap_cum]
            if reach[r][t] >= work:
                d[r] = _prefix_max(d[r], t, work)
        return d
    f_rows = [region_f(dr, ur, n) for dr, ur in zip(d, comp.caps, strict=True)]
    f_all = total_f(f_rows, n)
    demand = sum(row[n] for row in d)
    for t, r, work in comp.stretch:
        trial = _prefix_max(d[r], t, work)
        if earliest_profile(trial, comp.caps[r], comp.rem[r]) is None:
            continue
        f_new = region_f(trial, comp.caps[r], n)
        f_try = [a - b + e for a, b, e in zip(f_all, f_rows[r], f_new, strict=True)]
        extra = trial[n] - d[r][n]
        if feasible(f_try, comp.ncap, n, demand + extra):
            d[r], f_rows[r], f_all, demand = trial, f_new, f_try, demand + extra
    return d


def min_peak(
    comp: IntegerProblem, d: list[list[int]], f_rows: list[list[int]] | None = None
) -> int:
    """The least possible peak national yearly load meeting every floor (exact)."""
    n = comp.n_years
    if f_rows is None:
        f_rows = [region_f(dr, ur, n) for dr, ur in zip(d, comp.caps, strict=True)]
    f_all = total_f(f_rows, n)
    demand = sum(row[n] for row in d)
    lo, hi = 0, demand
    while lo < hi:
        mid = (lo + hi) // 2
        if feasible(f_all, [min(c, mid) for c in comp.ncap], n, demand):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _prefix_max(d: list[int], t: int, work: int) -> list[int]:
    out = list(d)
    for s in range(t, len(out)):
        out[s] = max(out[s], work)
    return out


def _cum(profile: list[int]) -> list[int]:
    out = [0] * len(profile)
    for t in range(1, len(profile)):
        out[t] = out[t - 1] + profile[t]
    return out
