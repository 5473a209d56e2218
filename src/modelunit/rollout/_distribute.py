"""Distribution of national loads to regions, cell by cell, kept exactly feasible.

The objectives decide what each region would like (a whole profile, or a value per
year); this module gives each region-year cell the feasible value closest to it,
checking every choice with the oracle of :mod:`._flow` so that the cells not yet
fixed can still meet every floor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from modelunit.rollout._flow import feasible, region_f, total_f

__all__ = ["DistributionState", "distribute", "distribute_profiles"]


def __dir__() -> list[str]:
    return __all__


class DistributionState:
    """Fix region-year cells one at a time, each as close to a preferred value as keeps
    the rest exactly feasible (checked by the oracle). Cells of a region are fixed in
    year order; regions may be interleaved (year-major order)."""

    def __init__(
        self,
        d: list[list[int]],
        u: list[list[int]],
        c: list[int],
        n: int,
        f_rows: list[list[int]] | None = None,
    ) -> None:
        self.n = n
        self.d = d
        self.u = u
        self.c = list(c)
        self.k = [0] * len(d)
        self.done = [0] * len(d)
        self.x = [[0] * (n + 1) for _ in d]
        if f_rows is None:
            f_rows = [region_f(dr, ur, n) for dr, ur in zip(d, u, strict=True)]
        self.f = list(f_rows)
        self.f_all = total_f(self.f, n)
        self.demand = sum(dr[n] for dr in d)

    def _residual(self, r: int, k: int, done: int, cap_t: int | None) -> list[int] | None:
        d, u, n = self.d[r], self.u[r], self.n
        for s in range(1, k + 1):
            if d[s] > done:
                return None
        if done > d[n]:
            return None
        rd = [0] * (n + 1)
        ru = [0] * (n + 1)
        for s in range(k + 1, n + 1):
            rd[s] = max(0, d[s] - done)
            ru[s] = u[s]
        if cap_t is not None:
            ru[k + 1] = min(ru[k + 1], cap_t)
        return region_f(rd, ru, n)

    def _check(self, r: int, f_new: list[int], c: list[int], demand: int) -> bool:
        old = self.f[r]
        f_all = [a - b + e for a, b, e in zip(self.f_all, old, f_new, strict=True)]
        return feasible(f_all, c, self.n, demand)

    def _eq(self, r: int, t: int, x: int) -> list[int] | None:
        c = self.c
        if x > c[t] or x > self.u[r][t]:
            return None
        f_new = self._residual(r, t, self.done[r] + x, None)
        if f_new is None:
            return None
        c2 = list(c)
        c2[t] -= x
        return f_new if self._check(r, f_new, c2, self.demand - x) else None

    def _ge(self, r: int, t: int, x: int) -> bool:
        """Is there a feasible completion with ``x[r][t] >= x``?"""
        if x > self.c[t] or x > self.u[r][t]:
            return False
        f_new = self._residual(r, t - 1, self.done[r] + x, self.u[r][t] - x)
        if f_new is None:
            return False
        c2 = list(self.c)
        c2[t] -= x
        return self._check(r, f_new, c2, self.demand - x)

    def _le(self, r: int, t: int, x: int) -> bool:
        f_new = self._residual(r, t - 1, self.done[r], x)
        return f_new is not None and self._check(r, f_new, self.c, self.demand)

    def take_whole(self, r: int, profile: Sequence[int]) -> bool:
        """Give region ``r`` (nothing fixed yet) exactly ``profile`` if that stays feasible."""
        n, d, u, c = self.n, self.d[r], self.u[r], self.c
        if self.k[r] != 0:
            return False
        run = 0
        for t in range(1, n + 1):
            v = profile[t]
            if v < 0 or v > u[t] or v > c[t]:
                return False
            run += v
            if run < d[t]:
                return False
        if run != d[n]:
            return False
        c2 = [c[t] - profile[t] if t else c[t] for t in range(n + 1)]
        f_rest = [a - b for a, b in zip(self.f_all, self.f[r], strict=True)]
        if not feasible(f_rest, c2, n, self.demand - run):
            return False
        self.f_all = f_rest
        self.f[r] = [0] * len(f_rest)
        self.c = c2
        self.demand -= run
        self.done[r] = run
        self.k[r] = n
        self.x[r] = [0, *profile[1 : n + 1]]
        return True

    def choose(self, r: int, t: int, preferred: int) -> int:
        """Fix ``x[r][t]`` to the feasible value closest to ``preferred`` and return it."""
        assert self.k[r] == t - 1
        hi = min(self.u[r][t], self.c[t], self.d[r][self.n] - self.done[r])
        pref = max(0, min(preferred, hi))
        f_new = self._eq(r, t, pref)
        value = pref
        if f_new is None:
            # Feasible values form an interval [a, b] within [0, hi]; ``pref`` is outside
            # it. Gallop from ``pref`` towards it with the monotone test for that side
            # (at most log2(hi) steps: the interval is never empty, so the gallop stops
            # at 0 or ``hi`` at the latest), then bisect.
            if self._le(r, t, pref):  # a <= pref, so pref > b: b = largest v with x >= v ok
                good, bad, step = pref, pref, 1
                while True:
                    good = max(0, pref - step)
                    if self._ge(r, t, good):
                        break
                    if good == 0:  # pragma: no cover - 0 is always feasible from above
                        raise AssertionError("distribution lost feasibility")
                    bad, step = good, step * 2
                lo_b, hi_b = good, bad - 1
                while lo_b < hi_b:
                    mid = (lo_b + hi_b + 1) // 2
                    if self._ge(r, t, mid):
                        lo_b = mid
                    else:
                        hi_b = mid - 1
            else:  # pref < a: a = least v with x <= v ok
                good, bad, step = pref, pref, 1
                while True:
                    good = min(hi, pref + step)
                    if self._le(r, t, good):
                        break
                    if good == hi:  # pragma: no cover - hi is always feasible from below
                        raise AssertionError("distribution lost feasibility")
                    bad, step = good, step * 2
                lo_b, hi_b = bad + 1, good
                while lo_b < hi_b:
                    mid = (lo_b + hi_b) // 2
                    if self._le(r, t, mid):
                        hi_b = mid
                    else:
                        lo_b = mid + 1
            value = lo_b
            f_new = self._eq(r, t, value)
            if f_new is None:
                raise AssertionError("distribution lost feasibility")  # pragma: no cover
        self.f_all = [a - b + e for a, b, e in zip(self.f_all, self.f[r], f_new, strict=True)]
        self.f[r] = f_new
        self.c[t] -= value
        self.demand -= value
        self.done[r] += value
        self.k[r] = t
        self.x[r][t] = value
        return value


def distribute_profiles(
    d: list[list[int]],
    u: list[list[int]],
    c: list[int],
    n: int,
    profiles: list[list[int]],
    *,
    f_rows: list[list[int]] | None = None,
) -> list[list[int]]:
    """Regions in index (id) order: each takes its preferred profile whole when the rest
    stays feasible (one oracle check), else year by year the feasible value closest to
    its preferred cumulative coverage."""
    state = DistributionState(d, u, c, n, f_rows)
    for r, profile in enumerate(profiles):
        if state.take_whole(r, profile):
            continue
        cum = 0
        for t in range(1, n + 1):
            cum += profile[t]
            state.choose(r, t, cum - state.done[r])
    return state.x


def distribute(
    d: list[list[int]],
    u: list[list[int]],
    c: list[int],
    n: int,
    preferred: Callable[[DistributionState, int, int], int],
    *,
    before_year: Callable[[DistributionState, int], None] | None = None,
    f_rows: list[list[int]] | None = None,
) -> list[list[int]]:
    """Year by year, regions in index (id) order: each cell gets the feasible value
    closest to ``preferred(state, r, t)``."""
    state = DistributionState(d, u, c, n, f_rows)
    for t in range(1, n + 1):
        if before_year is not None:
            before_year(state, t)
        for r in range(len(d)):
            state.choose(r, t, preferred(state, r, t))
    return state.x
