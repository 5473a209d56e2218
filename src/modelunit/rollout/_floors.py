"""The steps around an objective: which floors a strategy plans for.

Before a strategy's objective applies, the planner decides the floors it plans for:
whether the compiled floors can all be met (:func:`floors_feasible`); if not, either
each region's floors lowered to what its own capacity reaches
(:func:`reachable_floors`, without a national capacity) or a best effort
(:func:`best_effort`, with one); then the floors raised by the largest number of
stretch goals that can be met together (:func:`with_stretch`, exact). :func:`min_peak`
is the least peak national load those floors allow, the first objective of
``"level"`` (and what the benchmarks compare with HiGHS). All exact, with the
oracle of :mod:`._flow`.
"""

from __future__ import annotations

from operator import le, sub

from modelunit.rollout._compile import Allocation, IntegerProblem
from modelunit.rollout._flow import earliest_profile, feasible, region_f, total_f

__all__ = [
    "STRETCH_SEARCH_LIMIT",
    "StretchChoice",
    "best_effort",
    "floors_feasible",
    "min_peak",
    "most_work_by",
    "reachable_floors",
    "with_stretch",
]


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
    f_all = total_f(comp.f_rows(d), n)
    return feasible(f_all, comp.ncap, n, sum(dr[n] for dr in d))


def reachable_floors(comp: IntegerProblem, d: list[list[int]]) -> list[list[int]]:
    """Each region's floors lowered to what its own capacity can reach (no national capacity)."""
    out = []
    for r, row in enumerate(d):
        reach = [min(comp.rem[r], c) for c in _cum(comp.caps[r])]
        out.append([min(v, reach[t]) for t, v in enumerate(row)])
    return out


def best_effort(comp: IntegerProblem) -> Allocation:
    """For an infeasible problem: each year, regions with the nearest unmet floor go
    first (ties by id), each as fast as its capacity and the national capacity allow."""
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


#: Most oracle checks the exact stretch-goal search makes before it stops with the best
#: set found so far, reported as not proven (every problem the tests draw, and the
#: bundled national scenarios, are proven far below it).
STRETCH_SEARCH_LIMIT = 5_000


class StretchChoice:
    """The floors raised by the chosen stretch goals, which goals (indices into
    ``comp.stretch``) and whether their number is proven the largest possible."""

    __slots__ = ("chosen", "floors", "proven")

    def __init__(self, floors: list[list[int]], chosen: tuple[int, ...], *, proven: bool) -> None:
        self.floors = floors
        self.chosen = chosen
        self.proven = proven


def with_stretch(
    comp: IntegerProblem, d: list[list[int]], *, limit: int = STRETCH_SEARCH_LIMIT
) -> StretchChoice:
    """Floors raised by the largest number of stretch goals that can be met together
    with every floor in ``d``.

    Every goal of ``comp.stretch`` (one per stretch target, several per region and
    year when both a national and the region's own milestone set one) counts one.
    Without a national capacity each region is on its own and its earliest coverage
    dominates every plan, so the goals it reaches are met all together: exact at once.
    With one, the choice couples the regions (the oracle's cut condition is a sum over
    regions: a knapsack with one dimension per subset of the years). Two first sets
    (goals by least extra work; goals by the largest share they take of a cut's
    slack) are checked against two upper bounds (each cut alone as a knapsack by
    count; each year's national work as one); when the larger set reaches the bound
    it is proven the most. Otherwise an exact branch and bound over the goals in
    ``(year, region, target)`` order, including a goal before excluding it, each
    inclusion decided by the exact oracle, keeps the first set larger than the first
    sets it finds. Which set of the largest size is returned is thus fixed by that
    sequence (same problem, same plan). The search stops after ``limit`` oracle checks
    with the best set found, ``proven=False``.
    """
    d = [list(row) for row in d]
    goals = comp.stretch
    if not comp.coupled:
        chosen = []
        reach: dict[int, list[int]] = {}
        for g, (t, r, work) in enumerate(goals):
            if r not in reach:
                reach[r] = [min(comp.rem[r], c) for c in _cum(comp.caps[r])]
            if reach[r][t] >= work:
                d[r] = _prefix_max(d[r], t, work)
                chosen.append(g)
        return StretchChoice(d, tuple(chosen), proven=True)
    return _StretchSearch(comp, d, limit).run()


#: What undoes one goal's raise of a region's floors: its floors, its oracle row and
#: the extra demand.
_Undo = tuple[list[int], list[int], int]


class _StretchSearch:
    """Depth-first branch and bound for :func:`with_stretch` with a national capacity."""

    def __init__(self, comp: IntegerProblem, d: list[list[int]], limit: int) -> None:
        n = comp.n_years
        self.comp, self.n, self.limit = comp, n, limit
        self.d = d
        self.f_rows = comp.f_rows(d)
        self.f_all = total_f(self.f_rows, n)
        self.demand = sum(row[n] for row in d)
        # Most national work by each year in any plan meeting ``d``: raising floors only
        # lowers it, so it bounds every branch (computed when the search needs it).
        self.root = [list(row) for row in d]
        self._most_by: list[int] | None = None
        self.colsum = [sum(row[t] for row in d) for t in range(n + 1)]
        # Goals no plan can meet even alone are dropped at once.
        reach: dict[int, list[int]] = {}
        self.goals: list[tuple[int, int, int, int]] = []  # (t, r, work, index)
        for g, (t, r, work) in enumerate(comp.stretch):
            if r not in reach:
                reach[r] = [min(comp.rem[r], c) for c in _cum(comp.caps[r])]
            if reach[r][t] >= work:
                self.goals.append((t, r, work, g))
        self.checks = 0
        full = (1 << n) - 1
        sums = [0] * (full + 1)
        for h in range(1, n + 1):
            bit = 1 << (h - 1)
            for prev in range(bit):
                sums[prev | bit] = sums[prev] + comp.ncap[h]
        # The national caps of the years outside each cut (``C(not A)``), by mask.
        self.outside = [sums[full ^ m] for m in range(full + 1)]

    def _try(self, r: int, t: int, work: int) -> _Undo | None:
        """Raise region ``r``'s floors for a goal; the undo record, or ``None`` if the
        floors would no longer be feasible."""
        comp, n = self.comp, self.n
        old = self.d[r]
        trial = _prefix_max(old, t, work)
        if earliest_profile(trial, comp.caps[r], comp.rem[r]) is None:
            return None
        self.checks += 1
        f_new = comp.f_row(r, trial)
        f_try = [a - b + e for a, b, e in zip(self.f_all, self.f_rows[r], f_new, strict=True)]
        extra = trial[n] - old[n]
        need = self.demand + extra
        for a, b in zip(f_try, self.outside, strict=True):
            if a + b < need:
                return None
        undo = (old, self.f_rows[r], extra)
        self.d[r], self.f_rows[r], self.f_all = trial, f_new, f_try
        self.demand += extra
        for s in range(t, n + 1):
            self.colsum[s] += trial[s] - old[s]
        return undo

    def _undo(self, r: int, undo: _Undo) -> None:
        old, f_old, extra = undo
        n = self.n
        cur = self.d[r]
        for s in range(1, n + 1):
            self.colsum[s] += old[s] - cur[s]
        self.f_all = [a - b + e for a, b, e in zip(self.f_all, self.f_rows[r], f_old, strict=True)]
        self.d[r], self.f_rows[r] = old, f_old
        self.demand -= extra

    @property
    def most_by(self) -> list[int]:
        if self._most_by is None:
            self._most_by = most_work_by(self.comp, self.root)
        return self._most_by

    def _upper_bound(self, i: int) -> int:
        """Most goals from ``i`` on that can still be met: for each year ``T``, the goals
        due later count one each, and those due by ``T`` must fit, all together, in the
        national work still possible by ``T`` (``most_by[T]`` minus the floors' work by
        ``T``). A region's goals due by ``T`` cost, together, the largest of their
        extra work; counted as items costing the differences of their sorted extra
        work, the most that fit is found greedily (cheapest first), a relaxation."""
        n, d = self.n, self.d
        rest = self.goals[i:]
        best = len(rest)
        for big_t in range(1, n + 1):
            spare = self.most_by[big_t] - self.colsum[big_t]
            later = 0
            extra_by_region: dict[int, list[int]] = {}
            for t, r, work, _ in rest:
                if t > big_t:
                    later += 1
                    continue
                gap = work - d[r][big_t]
                if gap <= 0:
                    later += 1
                else:
                    extra_by_region.setdefault(r, []).append(gap)
            best = min(best, later + _most_that_fit(extra_by_region, spare))
        return best

    def _cut_costs(self) -> tuple[list[int], list[list[int] | None]]:
        """The slack of every cut of the oracle at the root floors (``F(A) + C(not A) -
        demand``, at least 0 as they are feasible) and, per goal, what it takes from
        each cut alone (``None``: the region cannot meet it). The cut condition is a
        sum over regions, so a set of goals of different regions fits iff, on every
        cut, the sum of its costs is within the slack; goals of one region together
        cost at least the largest of theirs (a region's cost on a cut is
        ``max_t (d(t) - U^A(t))``, monotone in its floors)."""
        comp, n = self.comp, self.n
        slack = [f + c - self.demand for f, c in zip(self.f_all, self.outside, strict=True)]
        costs: list[list[int] | None] = []
        for t, r, work, _ in self.goals:
            trial = _prefix_max(self.d[r], t, work)
            if earliest_profile(trial, comp.caps[r], comp.rem[r]) is None:
                costs.append(None)
                continue
            f_new, base = comp.f_row(r, trial), self.f_rows[r]
            extra = trial[n] - self.d[r][n]
            costs.append([extra - a + b for a, b in zip(f_new, base, strict=True)])
        return slack, costs

    def _root_bound(self, slack: list[int], costs: list[list[int] | None], enough: int) -> int:
        """Most goals that fit on every single cut (each cut a knapsack by count, items
        the differences of a region's sorted costs, cheapest first): an upper bound.
        Cuts are tried tightest first, and the search stops at a bound of ``enough``
        (what a set in hand already reaches: nothing lower is needed)."""
        best = len(self.goals)
        live = [cost for cost in costs if cost is not None]
        regions = [r for (_, r, _, _), c in zip(self.goals, costs, strict=True) if c is not None]
        columns: list[tuple[int, ...]] | None = None
        for m in sorted(range(len(slack)), key=lambda m: (slack[m], m)):
            if best <= enough:
                break
            if columns is None:  # each cut's costs in goal order, built once when needed
                columns = list(zip(*live, strict=True)) if live else [()] * len(slack)
            spare = slack[m]
            paid = [(r, c) for r, c in zip(regions, columns[m], strict=True) if c > 0]
            by_region: dict[int, list[int]] = {}
            for r, c in paid:
                by_region.setdefault(r, []).append(c)
            best = min(best, len(live) - len(paid) + _most_that_fit(by_region, spare))
        return best

    def _greedy(
        self,
        order: list[int],
        slack: list[int],
        costs: list[list[int] | None],
    ) -> tuple[int, tuple[int, ...], list[list[int]]]:
        """Goals (indices into ``self.goals``) in ``order``, each kept if the floors stay
        feasible; the count, the goals and the floors. Exact with the cut slacks alone:
        the oracle's condition is linear in each region's contribution, so a goal fits
        iff its region's change of cost is within every cut's slack left."""
        comp, n = self.comp, self.n
        left = list(slack)
        floors = [list(row) for row in self.d]
        spent: dict[int, list[int]] = {}  # region -> its cost on every cut so far
        kept: list[int] = []
        for k in order:
            t, r, work, g = self.goals[k]
            trial = _prefix_max(floors[r], t, work)
            if trial == floors[r]:
                kept.append(g)
                continue
            cost = costs[k]
            if r in spent:  # a second goal of the region: its cost together with the first
                if earliest_profile(trial, comp.caps[r], comp.rem[r]) is None:
                    continue
                f_new, base = comp.f_row(r, trial), self.f_rows[r]
                extra = trial[n] - self.d[r][n]
                cost = [extra - a + b for a, b in zip(f_new, base, strict=True)]
            if cost is None:
                continue
            before = spent.get(r)
            # (map with operator functions: the same comparisons, without a Python-level
            # loop over the 2**years cuts for every goal)
            delta = cost if before is None else list(map(sub, cost, before))
            if not all(map(le, delta, left)):
                continue
            left = list(map(sub, left, delta))
            spent[r] = cost
            floors[r] = trial
            kept.append(g)
        return len(kept), tuple(sorted(kept)), floors

    def run(self) -> StretchChoice:
        goals = self.goals
        size = len(goals)
        # First sets: goals by least extra work, and by the largest share they take of
        # a cut's slack; the larger is kept.
        slack, costs = self._cut_costs()
        ks = range(size)
        first, first_chosen, first_floors = self._greedy(
            sorted(ks, key=lambda k: (goals[k][2] - self.d[goals[k][1]][goals[k][0]], k)),
            slack,
            costs,
        )
        if first == size:  # every goal that is reachable alone: proven at once
            return StretchChoice(first_floors, first_chosen, proven=True)

        def bottleneck(k: int) -> int:
            # The largest share of a cut's slack the goal takes, in units of 2**-64
            # (an order for a first set only; ties go to the goal order).
            cost = costs[k]
            if cost is None:
                return 1 << 80
            worst = 0
            for c, room in zip(cost, slack, strict=True):
                if c > 0:
                    share = 1 << 80 if room == 0 else (c << 64) // room
                    if share > worst:  # noqa: PLR1730 - hot loop: faster than max()
                        worst = share
            return worst

        # A bound above ``first`` is the whole minimum over the cuts (none stopped it).
        bound = self._root_bound(slack, costs, first)
        if first >= bound:
            return StretchChoice(first_floors, first_chosen, proven=True)
        keys = [bottleneck(k) for k in ks]
        second = self._greedy(sorted(ks, key=lambda k: (keys[k], k)), slack, costs)
        if second[0] > first:
            first, first_chosen, first_floors = second
        if first >= bound or first >= self._upper_bound(0):
            return StretchChoice(first_floors, first_chosen, proven=True)
        path: list[tuple[int, _Undo | None, bool]] = []
        count = 0
        # A set of the search is kept when it has at least ``first`` goals and more
        # than any kept before: the first of the largest size in the search's order.
        best = -1
        best_floors: list[list[int]] = []
        best_chosen: tuple[int, ...] = ()
        i = 0
        proven = True
        while True:
            if i < size and self.checks >= self.limit:
                proven = False
            need = max(best + 1, first)
            leaf = i == size or not proven
            if not leaf and count + self._upper_bound(i) < need:
                leaf = True  # this branch cannot reach the size wanted
            elif leaf and count >= need:
                best = count
                best_floors = [list(row) for row in self.d]
                best_chosen = tuple(goals[j][3] for j, _, inc in path if inc)
            if leaf:
                if not proven:
                    break  # out of checks: keep the best set found
                # Back up to the last goal included and exclude it instead.
                while path:
                    j, undo, included = path.pop()
                    if not included:
                        continue
                    count -= 1
                    if undo is None:  # met by the floors already: nothing to exclude
                        continue
                    self._undo(goals[j][1], undo)
                    path.append((j, None, False))
                    i = j + 1
                    break
                else:
                    break
                continue
            t, r, work, _ = goals[i]
            if self.d[r][t] >= work:
                path.append((i, None, True))
                count += 1
            else:
                undo = self._try(r, t, work)
                path.append((i, undo, undo is not None))
                count += undo is not None
            i += 1
        if best < first:
            return StretchChoice(first_floors, first_chosen, proven=proven)
        return StretchChoice(best_floors, best_chosen, proven=proven)


def _most_that_fit(costs_by_region: dict[int, list[int]], room: int) -> int:
    """Most goals whose costs fit in ``room``, a region's goals together costing the
    largest of theirs: counted as items costing the differences of each region's sorted
    costs, cheapest first (a relaxation, so an upper bound)."""
    items: list[int] = []
    for costs in costs_by_region.values():
        costs.sort()
        prev = 0
        for cost in costs:
            items.append(cost - prev)
            prev = cost
    items.sort()
    fit = 0
    for item in items:
        if item > room:
            break
        room -= item
        fit += 1
    return fit


def most_work_by(comp: IntegerProblem, d: list[list[int]]) -> list[int]:
    """Most national work doable in years ``1..t``, for each ``t``, by plans meeting the
    floors ``d`` (work beyond the floors goes to a virtual year ``n+1`` without caps;
    index 0 is 0). Exact: a min cut over the subsets of the years up to ``t``."""
    n = comp.n_years
    m = n + 1
    d_ext = [[*d[r], comp.rem[r]] for r in range(len(d))]
    u_ext = [[*comp.caps[r], comp.rem[r]] for r in range(len(d))]
    c_ext = [*comp.ncap, comp.unbounded]
    f_all = total_f([region_f(dr, ur, m) for dr, ur in zip(d_ext, u_ext, strict=True)], m)
    total = sum(comp.rem)
    most_by = [0] * (n + 1)
    for t in range(1, n + 1):
        worst_after = 0
        for mask in range(1 << t):
            cut = f_all[mask]
            for s in range(1, t + 1):
                if not (mask >> (s - 1)) & 1:
                    cut += c_ext[s]
            worst_after = max(worst_after, total - cut)
        most_by[t] = total - worst_after
    return most_by


def min_peak(
    comp: IntegerProblem, d: list[list[int]], f_rows: list[list[int]] | None = None
) -> int:
    """The least possible peak national yearly load meeting every floor (exact).

    Feasibility is monotone in the peak, so the least feasible one is searched from a
    lower bound every plan obeys (the floors' work due by year ``t`` is done in ``t``
    years: a peak of at least ``ceil(D(t) / t)``), galloping up (1, 2, 4... above it)
    to a feasible peak, then by bisection: the answer is usually at or near the bound,
    so a few oracle checks instead of ``log2(demand)``. (``demand`` itself is the
    answer when no lower peak is feasible, as a plain bisection over ``0..demand``.)
    """
    n = comp.n_years
    if f_rows is None:
        f_rows = comp.f_rows(d)
    f_all = total_f(f_rows, n)
    demand = sum(row[n] for row in d)
    ncap = comp.ncap

    def fits(peak: int) -> bool:
        return feasible(f_all, [c if c < peak else peak for c in ncap], n, demand)

    due = [sum(row[t] for row in d) for t in range(n + 1)]
    lo = max((-(-due[t] // t) for t in range(1, n + 1)), default=0)
    hi = lo
    gap = 1
    while hi < demand and not fits(hi):
        lo = hi + 1
        hi = min(demand, hi + gap)
        gap *= 2
    # The least feasible peak is in lo..hi (hi feasible, or demand).
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(mid):
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
