"""Integer core of the planner: compiled targets, the exact feasibility oracle, strategies.

Everything here works on plain ``int`` lists indexed ``1..T`` (index 0 unused or
"before the horizon"), precomputed once from a :class:`RolloutProblem`; no
``Fraction`` arithmetic happens after compilation.

The model. Region ``r`` must have taken on at least ``d[r][t]`` units (cumulative,
counted from the baseline) by the end of planned year ``t``; it can take on at most
``u[r][t]`` in year ``t``; the whole country at most ``c[t]`` (``INF``: no cap).
This is a transportation problem with nested deadlines. By max-flow/min-cut, with
``A`` the set of years whose national edge is *not* cut,

    max work routable = min over A of ( F(A) + sum of c[s] for s not in A ),
    F(A) = sum over r of min over t in 0..T of ( U_r^A(t) + D_r - d_r(t) ),

where ``U_r^A(t)`` is region r's capacity in the years of ``A`` up to ``t`` and
``D_r = d_r(T)``. The problem is feasible iff that minimum reaches ``sum D_r``.
``F`` does not depend on the national caps, so it is computed once (``2**T`` values)
and every cap vector is then checked in ``O(2**T)``. The tests check this against
``scipy.optimize.milp``.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction

from modelunit.rollout.problem import Milestone, RolloutProblem

__all__ = [
    "INF",
    "Compiled",
    "DistributionState",
    "compile_problem",
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


INF = 1 << 60


class Compiled:
    """Integer form of a problem, regions sorted by id."""

    __slots__ = (
        "caps",
        "floors",
        "ids",
        "ncap",
        "past",
        "past_missed",
        "rec",
        "rem",
        "stretch",
        "total",
        "years",
    )

    def __init__(
        self,
        *,
        ids: list[str],
        years: list[int],
        rec: list[int],
        total: list[int],
        caps: list[list[int]],
        floors: list[list[int]],
        ncap: list[int],
        stretch: list[tuple[int, int, int]],
        past: list[list[tuple[int, int]]],
    ) -> None:
        self.ids = ids
        self.years = years
        self.rec = rec
        self.total = total
        self.rem = [t - r for t, r in zip(total, rec, strict=True)]
        self.caps = caps
        self.floors = floors
        self.ncap = ncap
        self.stretch = stretch
        self.past = past  # per region: (year, target) of milestones missed before start
        self.past_missed = any(past)

    @property
    def n_years(self) -> int:
        return len(self.years)

    @property
    def coupled(self) -> bool:
        return any(c < INF for c in self.ncap[1:])


def compile_problem(problem: RolloutProblem) -> Compiled:
    """Exact integer targets, computed once (floors: ``d[r][t]`` cumulative new work)."""
    years = list(problem.years)
    n = len(years)
    start = problem.start

    def parts(ms: list[Milestone]) -> list[tuple[int, int, int, int, int]]:
        # (year, floor numerator, denominator, stretch numerator, denominator): the
        # shares as integers once, so targets are integer arithmetic per region.
        out = []
        for m in ms:
            st = m.stretch if m.stretch is not None else Fraction(0)
            out.append(
                (m.year, m.share.numerator, m.share.denominator, st.numerator, st.denominator)
            )
        return out

    national = parts([m for m in problem.milestones if m.region is None])
    regional: dict[str, list[Milestone]] = {}
    for m in problem.milestones:
        if m.region is not None:
            regional.setdefault(m.region, []).append(m)
    ids: list[str] = []
    rec: list[int] = []
    total: list[int] = []
    caps: list[list[int]] = []
    floors: list[list[int]] = []
    stretch: list[tuple[int, int, int]] = []
    past: list[list[tuple[int, int]]] = []
    for ri, region in enumerate(sorted(problem.regions, key=lambda r: r.id)):
        size = region.total
        done = region.recognised
        ids.append(region.id)
        rec.append(done)
        total.append(size)
        rem = size - done
        cap_row = [0] * (n + 1)
        need = [0] * (n + 1)
        quota_cum = done
        cap_by, cap0 = region.capacity_by_year, region.capacity
        min_by, min0 = region.minimum_by_year, region.minimum
        for t, year in enumerate(years, start=1):
            c = cap_by.get(year, cap0) if cap_by else cap0
            cap_row[t] = rem if c is None or c > rem else c
            quota_cum += min_by.get(year, min0) if min_by else min0
            need[t] = quota_cum if quota_cum < size else size
        goals: dict[int, int] = {}
        missed: list[tuple[int, int]] = []
        own = regional.get(region.id)
        for year, num, den, s_num, s_den in national + parts(own) if own else national:
            target = -(-num * size // den)
            if year < start:
                if target > done:
                    missed.append((year, target))
                continue
            t = year - start + 1
            need[t] = max(need[t], target)
            if s_num:
                s_target = -(-s_num * size // s_den)
                if s_target > goals.get(t, 0):
                    goals[t] = s_target
        past.append(sorted(missed))
        d = [0] * (n + 1)
        run = 0
        for t in range(1, n + 1):
            run = max(run, need[t] - done)
            d[t] = run
        for t in sorted(goals):
            work = goals[t] - done
            if work > d[t]:
                stretch.append((t, ri, work))
        caps.append(cap_row)
        floors.append(d)
    ncap = [INF] * (n + 1)
    for t, year in enumerate(years, start=1):
        c = problem.national_cap_in(year)
        if c is not None:
            ncap[t] = c
    stretch.sort()
    return Compiled(
        ids=ids,
        years=years,
        rec=rec,
        total=total,
        caps=caps,
        floors=floors,
        ncap=ncap,
        stretch=stretch,
        past=past,
    )


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
        for s in range(t, 0, -1):
            if count == 0:
                break
            if x[s] == level and x[s] < u[s]:
                x[s] += 1
                count -= 1
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
    inner = [INF] * size
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


# --- distribution of national loads to regions -----------------------------------------


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
            # Feasible values form an interval [a, b]; ``pref`` is outside it. Gallop
            # from ``pref`` towards it with the monotone test for that side, then bisect.
            if self._le(r, t, pref):  # a <= pref, so pref > b: b = largest v with x >= v ok
                good, bad, step = pref, pref, 1
                while True:
                    good = max(0, pref - step)
                    if self._ge(r, t, good):
                        break
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


# --- exact spreading (the second objective of "level") ---------------------------------


def _region_moves(
    xr: Sequence[int], dr: Sequence[int], ur: Sequence[int], n: int
) -> list[tuple[int, int, int]]:
    """Every one-unit move ``(a, b, cost)`` a region can make, with the change of its
    ``sum x**2``. Moving a unit earlier never breaks a deadline; moving it later
    needs a unit of slack (coverage above the floor) in every year from ``a`` to ``b - 1``.
    """
    slack = [0] * (n + 1)
    run = 0
    for t in range(1, n + 1):
        run += xr[t]
        slack[t] = run - dr[t]
    moves = []
    for a in range(1, n + 1):
        xa = xr[a]
        if not xa:
            continue
        base = 2 - 2 * xa
        for b in range(1, a):
            if xr[b] < ur[b]:
                moves.append((a, b, base + 2 * xr[b]))
        room = INF
        for b in range(a + 1, n + 1):
            room = min(room, slack[b - 1])
            if room < 1:
                break
            if xr[b] < ur[b]:
                moves.append((a, b, base + 2 * xr[b]))
    return moves


class _MoveBook:
    """The cheapest move between each ordered pair of years over all regions, kept up to
    date as regions change: a heap per pair, with stale entries dropped lazily. Ties go
    to the region listed first (lowest id)."""

    def __init__(self, x: list[list[int]], d: list[list[int]], u: list[list[int]], n: int) -> None:
        self.x, self.d, self.u, self.n = x, d, u, n
        self.version = [0] * len(x)
        self.heaps: list[list[list[tuple[int, int, int]]]] = [
            [[] for _ in range(n + 1)] for _ in range(n + 1)
        ]
        for r in range(len(x)):
            self._push(r)
        for row in self.heaps:
            for heap in row:
                heapq.heapify(heap)

    def _push(self, r: int) -> None:
        v = self.version[r]
        for a, b, cost in _region_moves(self.x[r], self.d[r], self.u[r], self.n):
            self.heaps[a][b].append((cost, r, v))

    def changed(self, r: int) -> None:
        self.version[r] += 1
        v = self.version[r]
        for a, b, cost in _region_moves(self.x[r], self.d[r], self.u[r], self.n):
            heapq.heappush(self.heaps[a][b], (cost, r, v))

    def matrix(self) -> tuple[list[list[int]], list[list[int]]]:
        n = self.n
        w = [[INF] * (n + 1) for _ in range(n + 1)]
        who = [[-1] * (n + 1) for _ in range(n + 1)]
        version = self.version
        for a in range(1, n + 1):
            for b in range(1, n + 1):
                heap = self.heaps[a][b]
                while heap and heap[0][2] != version[heap[0][1]]:
                    heapq.heappop(heap)
                if heap:
                    w[a][b], who[a][b] = heap[0][0], heap[0][1]
        return w, who


def _negative_cycle(w: list[list[int]], spare: list[bool], n: int) -> list[int] | None:
    """A cycle of negative total weight over years 1..n and the virtual node 0, or None.

    Node 0 stands for "outside": ``0 -> a`` (take a unit out of year ``a``, always
    allowed) and ``b -> 0`` (put it into year ``b``, allowed while ``b`` has spare
    national capacity), both free. Bellman-Ford from all nodes at distance 0.
    """
    nodes = n + 1
    dist = [0] * nodes
    pred = [-1] * nodes
    last = -1
    for _ in range(nodes):
        last = -1
        for a in range(nodes):
            da = dist[a]
            for b in range(nodes):
                if a == b:
                    continue
                if a == 0:
                    cost = 0
                elif b == 0:
                    if not spare[a]:
                        continue
                    cost = 0
                else:
                    cost = w[a][b]
                    if cost >= INF:
                        continue
                if da + cost < dist[b]:
                    dist[b] = da + cost
                    pred[b] = a
                    last = b
        if last == -1:
            return None
    node = last
    for _ in range(nodes):
        node = pred[node]
    cycle = [node]
    cur = pred[node]
    while cur != node:
        cycle.append(cur)
        cur = pred[cur]
    cycle.reverse()
    return cycle


def _apply_move(xr: list[int], dr: list[int], ur: list[int], a: int, b: int, n: int) -> int | None:
    """Move one unit of one region from year ``a`` to ``b`` if still allowed; the change
    in its sum of squares, or None (nothing changed)."""
    if xr[a] < 1 or xr[b] >= ur[b]:
        return None
    if b > a:
        run = sum(xr[1:a])
        for t in range(a, b):
            run += xr[t]
            if run - 1 < dr[t]:
                return None
    delta = 2 - 2 * xr[a] + 2 * xr[b]
    xr[a] -= 1
    xr[b] += 1
    return delta


def respread(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    c: Sequence[int],
    n: int,
    book: _MoveBook | None = None,
) -> list[list[int]]:
    """Among allocations meeting the same floors, capacities and yearly national caps
    ``c``, one with the least sum of squared yearly loads ``sum x[r][t]**2`` (each
    region's work as even as possible), reached from ``x`` by cancelling
    negative-cost cycles of unit moves (exact for this separable convex cost: no
    negative cycle is left). Regions and years are tried in index order, so the
    result is deterministic.
    """
    x = [list(row) for row in x]
    loads = [0] * (n + 1)
    for row in x:
        for t in range(1, n + 1):
            loads[t] += row[t]
    if book is None:
        book = _MoveBook(x, d, u, n)
    else:
        book.x = x
    while True:
        w, who = book.matrix()
        spare = [False] + [loads[t] < c[t] for t in range(1, n + 1)]
        cycle = _negative_cycle(w, spare, n)
        if cycle is None:
            return x
        undo: list[tuple[int, int, int]] = []
        total = 0
        steps = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        for a, b in steps:
            if a == 0 or b == 0:
                continue
            r = who[a][b]
            delta = _apply_move(x[r], d[r], u[r], a, b, n)
            if delta is None:
                total = 0
                break
            undo.append((r, a, b))
            total += delta
        else:
            if total < 0:
                for a, b in steps:
                    if a == 0:
                        loads[b] -= 1
                    elif b == 0:
                        loads[a] += 1
                for r in sorted({r for r, _, _ in undo}):
                    book.changed(r)
                continue
        # The cycle's moves interfere within one region (or do not improve once
        # applied in turn): undo them and settle for the best single move instead.
        for r, a, b in reversed(undo):
            x[r][b] -= 1
            x[r][a] += 1
        moved = _best_single_move(x, d, u, loads, c, n, w, who)
        if not moved:
            return x
        for r in moved:
            book.changed(r)


def _best_single_move(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    loads: list[int],
    c: Sequence[int],
    n: int,
    w: list[list[int]],
    who: list[list[int]],
) -> list[int]:
    """Apply the most improving move into a year with spare capacity, or the most
    improving exchange of two units between two years; the regions changed (none if
    there is no such move)."""
    best: tuple[int, int, int, int] | None = None  # (gain, a, b, kind)
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            if a == b or w[a][b] >= INF:
                continue
            if loads[b] < c[b] and w[a][b] < 0 and (best is None or w[a][b] < best[0]):
                best = (w[a][b], a, b, 1)
            if b > a and w[b][a] < INF:
                pair = w[a][b] + w[b][a]
                if pair < 0 and who[a][b] != who[b][a] and (best is None or pair < best[0]):
                    best = (pair, a, b, 2)
    if best is None:
        return []
    _, a, b, kind = best
    r = who[a][b]
    if _apply_move(x[r], d[r], u[r], a, b, n) is None:  # pragma: no cover - w is current
        return []
    if kind == 1:
        loads[a] -= 1
        loads[b] += 1
        return [r]
    r2 = who[b][a]
    if _apply_move(x[r2], d[r2], u[r2], b, a, n) is None:  # pragma: no cover
        x[r][b] -= 1
        x[r][a] += 1
        return []
    return sorted({r, r2})


def _shortest_paths(w: list[list[int]], source: int, n: int) -> tuple[list[int], list[int]]:
    """Bellman-Ford over years 1..n from ``source`` (weights may be negative, with no
    negative cycle): distances and predecessors; ties keep the first path found."""
    dist = [INF] * (n + 1)
    pred = [-1] * (n + 1)
    dist[source] = 0
    for _ in range(n - 1):
        changed = False
        for a in range(1, n + 1):
            da = dist[a]
            if da >= INF:
                continue
            wa = w[a]
            for b in range(1, n + 1):
                cost = wa[b]
                if cost < INF and da + cost < dist[b]:
                    dist[b] = da + cost
                    pred[b] = a
                    changed = True
        if not changed:
            break
    return dist, pred


def spread_from_even(
    d: list[list[int]], u: list[list[int]], c: Sequence[int], n: int
) -> list[list[int]] | None:
    """The least ``sum x[r][t]**2`` allocation under yearly national caps ``c``, by
    successive shortest paths: start from each region's own most even profile (optimal
    without the caps), then move the excess of each overloaded year, one unit at a
    time, along the cheapest chain of moves to a year with room. ``None`` when that
    does not finish (the caller then falls back to the general method)."""
    x: list[list[int]] = []
    for dr, ur in zip(d, u, strict=True):
        row = leveled_profile(dr, ur)
        if row is None:
            return None
        x.append(row)
    loads = [0] * (n + 1)
    for row in x:
        for t in range(1, n + 1):
            loads[t] += row[t]
    if all(loads[t] <= c[t] for t in range(1, n + 1)):
        # Each region at its own optimum and no cap binding: optimal as it stands.
        return x
    book = _MoveBook(x, d, u, n)
    while True:
        over = next((t for t in range(1, n + 1) if loads[t] > c[t]), 0)
        if not over:
            # Successive shortest paths keep the plan optimal; one last search for
            # an improving cycle confirms it (and repairs it if ever needed).
            return respread(x, d, u, c, n, book)
        w, who = book.matrix()
        dist, pred = _shortest_paths(w, over, n)
        room = [b for b in range(1, n + 1) if loads[b] < c[b] and dist[b] < INF]
        if not room:
            return None
        target = min(room, key=lambda b: (dist[b], b))
        path = [target]
        while path[-1] != over:
            path.append(pred[path[-1]])
        path.reverse()
        done: list[tuple[int, int, int]] = []
        for a, b in itertools.pairwise(path):
            r = who[a][b]
            if _apply_move(x[r], d[r], u[r], a, b, n) is None:
                for r2, a2, b2 in reversed(done):
                    x[r2][b2] -= 1
                    x[r2][a2] += 1
                return None
            done.append((r, a, b))
        loads[over] -= 1
        loads[target] += 1
        for r in sorted({r for r, _, _ in done}):
            book.changed(r)
