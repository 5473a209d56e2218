"""The integer form of a planning problem: exact targets, computed once.

Everything downstream (:mod:`._flow`, :mod:`._distribute`, :mod:`._spread`,
:mod:`._floors`, the strategies) works on plain ``int`` lists indexed ``1..T``
(index 0 unused or "before the horizon"), precomputed here once from a
:class:`~modelunit.rollout.problem.RolloutProblem`; no ``Fraction`` arithmetic
happens after compilation.

The model. Region ``r`` must have taken on at least ``d[r][t]`` units (cumulative,
counted from the baseline) by the end of planned year ``t`` (its *floors*); it can
take on at most ``u[r][t]`` in year ``t`` (its *caps*); the whole country at most
``c[t]``. :mod:`._flow` says when such floors can all be met.

Budgets are limits on units too: a region's yearly budget allows ``budget // cost``
new units (folded into ``u``), the national budget ``budget // cost`` with the one
unit cost of every region (folded into ``c``). A past milestone the baseline misses is
a floor from the first planned year unless the problem only reports it. Every stretch
target of a region is its own goal ``(t, r, work)``, listed when the floors alone do
not meet it.

A year without a national capacity gets ``c[t] = unbounded``, one more than all the work
there is (the sum of every region's units left): a cap that can never bind, computed
from the problem, so no input can reach it (a fixed "infinity" could be exceeded by a
big enough region, and the distribution would then search forever for a value above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from modelunit._numbers import ceil_share
from modelunit.rollout._flow import region_f
from modelunit.rollout.problem import RolloutProblem

__all__ = ["Allocation", "IntegerProblem", "compile_problem"]


def __dir__() -> list[str]:
    return __all__


#: A plan in the integer form: ``x[r][t]`` new units of region ``r`` (by id) in year ``t``.
Allocation = list[list[int]]

_Goal = tuple[int, Fraction, Fraction | None]  # (year, floor share, stretch share)


class IntegerProblem:
    """Integer form of a problem, regions sorted by id.

    ``ncap`` is given with ``None`` for a year without a national capacity; it is kept with
    :attr:`unbounded` there (and any larger cap lowered to it, which changes nothing:
    no year's load can reach it), so that every cap is a plain ``int``.
    """

    __slots__ = (
        "_f_memo",
        "caps",
        "coupled",
        "floors",
        "ids",
        "ncap",
        "past",
        "past_missed",
        "rec",
        "rem",
        "stretch",
        "total",
        "unbounded",
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
        ncap: Sequence[int | None],
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
        #: More than all the work there is: the cap of a year without a national capacity.
        self.unbounded = sum(self.rem) + 1
        #: Whether some planned year has a national capacity (which couples the regions).
        self.coupled = any(c is not None for c in ncap[1:])
        top = self.unbounded
        self.ncap = [top if c is None or c > top else c for c in ncap]
        self.stretch = stretch
        self.past = past  # per region: (year, target) of milestones missed before start
        self.past_missed = any(past)
        self._f_memo: dict[tuple[int, tuple[int, ...]], list[int]] = {}

    def f_row(self, r: int, d: list[int]) -> list[int]:
        """:func:`._flow.region_f` of region ``r`` with floors ``d`` and its own caps,
        computed once per distinct floors (the steps of a plan ask for the same rows
        again: feasibility, stretch goals, least peak, distribution). Read only."""
        key = (r, tuple(d))
        row = self._f_memo.get(key)
        if row is None:
            row = self._f_memo[key] = region_f(d, self.caps[r], len(self.years))
        return row

    def f_rows(self, d: list[list[int]]) -> list[list[int]]:
        """:meth:`f_row` of every region."""
        return [self.f_row(r, row) for r, row in enumerate(d)]

    @property
    def n_years(self) -> int:
        return len(self.years)


def compile_problem(problem: RolloutProblem) -> IntegerProblem:
    """Exact integer targets, computed once (floors: ``d[r][t]`` cumulative new work)."""
    years = list(problem.years)
    n = len(years)
    start = problem.start
    catch_up = problem.past_milestones == "catch_up"
    national: list[_Goal] = [
        (m.year, m.share, m.stretch) for m in problem.milestones if m.region is None
    ]
    regional: dict[str, list[_Goal]] = {}
    for m in problem.milestones:
        if m.region is not None:
            regional.setdefault(m.region, []).append((m.year, m.share, m.stretch))
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
        min_by, min0 = region.quota_by_year, region.quota
        budgeted = region.budget is not None or bool(region.budget_by_year)
        for t, year in enumerate(years, start=1):
            c = cap_by.get(year, cap0) if cap_by else cap0
            if budgeted:
                paid = region.budget_limit_in(year)
                if paid is not None and (c is None or paid < c):
                    c = paid
            cap_row[t] = rem if c is None or c > rem else c
            quota_cum += min_by.get(year, min0) if min_by else min0
            need[t] = quota_cum if quota_cum < size else size
        goals: set[tuple[int, int]] = set()
        missed: list[tuple[int, int]] = []
        own = regional.get(region.id)
        for year, share, aim in national + own if own else national:
            target = ceil_share(share, size)
            if year < start:
                if target > done:
                    missed.append((year, target))
                    if catch_up and n:
                        need[1] = max(need[1], target)  # a floor from the first planned year
                continue
            t = year - start + 1
            need[t] = max(need[t], target)
            if aim:
                # Every stretch target is its own goal (not only the highest of a year).
                goals.add((t, ceil_share(aim, size)))
        past.append(sorted(missed))
        d = [0] * (n + 1)
        run = 0
        for t in range(1, n + 1):
            run = max(run, need[t] - done)
            d[t] = run
        for t, aim_target in sorted(goals):
            work = aim_target - done
            if work > d[t]:  # not met by the floors alone
                stretch.append((t, ri, work))
        caps.append(cap_row)
        floors.append(d)
    ncap: list[int | None] = [None] * (n + 1)
    for t, year in enumerate(years, start=1):
        ncap[t] = problem.national_limit_in(year)
    stretch.sort()
    return IntegerProblem(
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
