"""Exact feasibility with a diagnosis: which floor, by how much, and the smallest fix.

>>> from modelunit.rollout.problem import Milestone, Region, RolloutProblem
>>> p = RolloutProblem(
...     regions=[Region("A", total=40, recognised=0, capacity=4)],
...     milestones=[Milestone(2025, "30%")], start=2024, end=2025,
... )
>>> d = diagnose(p)
>>> d.feasible
False
>>> print(d.explain())
infeasible:
  - A: needs 12 by 2025, at most 8 reachable: short by 4; not reachable by 2025
  - add capacity: A +4 in 2025
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from modelunit._i18n import Lang
from modelunit._numbers import ceil_share, exact_arithmetic
from modelunit._texts import text
from modelunit.rollout._compile import IntegerProblem, compile_problem
from modelunit.rollout._flow import max_flow, region_f, total_f
from modelunit.rollout.problem import RolloutProblem, units_within

__all__ = [
    "BudgetIncrease",
    "CapacityIncrease",
    "Diagnosis",
    "Shortfall",
    "diagnose",
    "past_misses",
]


def __dir__() -> list[str]:
    return __all__


ShortfallKind = Literal["milestone", "quota", "national", "catch_up"]


@attrs.frozen
class Shortfall:
    """A floor that cannot be met: ``needed`` units by ``year``, at most ``reachable``.

    ``region`` is ``None`` for a national shortfall (the national capacity or budget is the
    limit). ``past`` marks a milestone before the horizon, checked against the baseline
    count (missed, late); ``kind="catch_up"`` is the floor such a milestone becomes in
    the first planned year (unless the problem only reports past milestones).
    ``earliest_year`` is the first planned year the target can be reached (``None``:
    not within the horizon).
    """

    region: str | None
    year: int
    needed: int
    reachable: int
    kind: ShortfallKind = "milestone"
    past: bool = False
    earliest_year: int | None = None

    @property
    def short(self) -> int:
        return self.needed - self.reachable

    def message(self, lang: Lang = "en", *, region: bool = True) -> str:
        """One line in ``lang``: what is needed, what is reachable, by how much it falls
        short and when it could be reached; ``region=False`` leaves out the leading
        region id (for a list already grouped by region)."""
        figures = {
            "needed": self.needed,
            "year": self.year,
            "reachable": self.reachable,
            "short": self.short,
        }
        if self.past:
            body = text("shortfall.past", lang, **figures)
        else:
            what = {"quota": "shortfall.quota", "catch_up": "shortfall.catch_up"}.get(self.kind)
            quota = text(what, lang) if what is not None else ""
            body = text("shortfall.needs", lang, quota=quota, **figures)
        if self.kind != "national":
            if self.earliest_year is not None:
                body += text("shortfall.reachable_in", lang, year=self.earliest_year)
            elif self.past:
                body += text("shortfall.not_within", lang)
            else:
                body += text("shortfall.not_by", lang, year=self.year)
        if not region:
            return body
        who = self.region if self.region is not None else text("shortfall.national", lang)
        return f"{who}: {body}"


@attrs.frozen
class CapacityIncrease:
    """Add ``units`` of capacity in ``year`` to ``region`` (``None``: the national capacity)."""

    region: str | None
    year: int
    units: int


@attrs.frozen
class BudgetIncrease:
    """Add ``amount`` (in the units of the unit costs) to the budget of ``region`` in
    ``year`` (``None``: the national budget): the least that pays for the units needed."""

    region: str | None
    year: int
    amount: Decimal


@attrs.frozen
class Diagnosis:
    """Whether every planned floor can be met, and if not, exactly why and the fix.

    ``extra_capacity`` is the smallest fix: per region, the least extra capacity, added
    in the first year it is needed; then, with that applied, the least total extra
    national capacity, added as late as possible. Where a budget is what limits those units,
    ``extra_budget`` names that budget and the least increase paying for them (and
    ``extra_capacity`` only what the capacity itself lacks). Applying both makes the
    problem feasible. Past misses (milestones before the horizon) are listed; they are
    caught up from the first planned year unless the problem only reports them.
    """

    feasible: bool
    shortfalls: tuple[Shortfall, ...] = ()
    extra_capacity: tuple[CapacityIncrease, ...] = ()
    extra_budget: tuple[BudgetIncrease, ...] = ()

    def __repr__(self) -> str:
        state = "feasible" if self.feasible else "infeasible"
        increases = len(self.extra_capacity) + len(self.extra_budget)
        found = f"{len(self.shortfalls)} shortfalls, {increases} increases"
        return f"<Diagnosis {state}: {found}>"

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - the notebook view, on demand

        return display.html(self)

    def to_records(self) -> list[dict[str, Any]]:
        """Shortfalls and the fix as rows (:func:`modelunit.frames.diagnosis_records`)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.diagnosis_records(self)

    @property
    def past_misses(self) -> tuple[Shortfall, ...]:
        return tuple(s for s in self.shortfalls if s.past)

    def explain(self, lang: Lang = "en") -> str:
        """Readable text in ``lang``: one line per shortfall, one for the suggested
        capacity increases and one for the budget increases."""
        head = "diagnosis.feasible" if self.feasible else "diagnosis.infeasible"
        if self.feasible and self.shortfalls:
            head = "diagnosis.past_only"
        lines = [text(head, lang)]
        lines.extend(f"  - {s.message(lang)}" for s in self.shortfalls)
        lines.extend(f"  - {fix}" for fix in (self.fix(lang), self.budget_fix(lang)) if fix)
        return "\n".join(lines)

    def fix(self, lang: Lang = "en") -> str:
        """The smallest fix in one line (``add capacity: A +4 in 2025``), or ``""``."""
        capacity = [(c.region, c.units, c.year) for c in self.extra_capacity]
        return _fix_line(capacity, "diagnosis.national_capacity", "diagnosis.add_capacity", lang)

    def budget_fix(self, lang: Lang = "en") -> str:
        """The budget increases of the fix in one line (``add budget: A +120 in 2026``),
        or ``""``."""
        budget = [(b.region, b.amount, b.year) for b in self.extra_budget]
        return _fix_line(budget, "diagnosis.national_budget", "diagnosis.add_budget", lang)


def _fix_line(
    increases: Sequence[tuple[str | None, int | Decimal, int]], national: str, key: str, lang: Lang
) -> str:
    """``add ...: A +4 in 2025, national capacity +2 in 2026`` (``national`` names the
    increase of no region), or ``""`` when there is none."""
    parts = [
        text(
            "diagnosis.fix",
            lang,
            who=region if region is not None else text(national, lang),
            units=amount,
            year=year,
        )
        for region, amount, year in increases
    ]
    return text(key, lang, fixes=", ".join(parts)) if parts else ""


def _reach(comp: IntegerProblem, r: int) -> list[int]:
    """Most units recognised by the end of each year (index 0: baseline)."""
    n = comp.n_years
    out = [comp.rec[r]] * (n + 1)
    cum = 0
    for t in range(1, n + 1):
        cum += comp.caps[r][t]
        out[t] = comp.rec[r] + min(comp.rem[r], cum)
    return out


def _first_reaching(reach: list[int], years: list[int], target: int, after: int) -> int | None:
    for t in range(1, len(reach)):
        if years[t - 1] >= after and reach[t] >= target:
            return years[t - 1]
    return None


def _national_fix(comp: IntegerProblem, caps: list[list[int]]) -> list[CapacityIncrease]:
    """The least total extra national capacity, as late as possible.

    The least total is exactly the deficit ``demand - max flow``: a unit of national capacity
    raises the max flow by at most one, and augmenting a max flow through extra
    year-to-sink capacity uses one extra unit per unit of flow. Raising one year's cap
    raises the flow by one per unit up to that year's gain (concave, slopes 0 or 1), and
    since the cut function is submodular, when no single year gains, no set of years
    does: so taking each year's gain, last year first, closes the whole deficit.
    """
    n = comp.n_years
    f_all = total_f([region_f(dr, ur, n) for dr, ur in zip(comp.floors, caps, strict=True)], n)
    demand = sum(row[n] for row in comp.floors)
    ncap = list(comp.ncap)
    best = max_flow(f_all, ncap, n)
    out: list[CapacityIncrease] = []
    for s in range(n, 0, -1):
        if best >= demand:
            break
        trial = list(ncap)
        trial[s] = comp.unbounded
        gain = min(max_flow(f_all, trial, n), demand) - best
        if gain > 0:
            ncap[s] += gain
            best += gain
            out.append(CapacityIncrease(None, comp.years[s - 1], gain))
    return sorted(out, key=lambda c: c.year)


def past_misses(comp: IntegerProblem) -> Diagnosis:
    """The diagnosis of a feasible problem: only milestones missed before the horizon."""
    shortfalls: list[Shortfall] = []
    start = comp.years[0]
    for ri, rid in enumerate(comp.ids):
        if not comp.past[ri]:
            continue
        reach = _reach(comp, ri)
        for year, target in comp.past[ri]:
            when = _first_reaching(reach, comp.years, target, start)
            shortfalls.append(
                Shortfall(rid, year, target, comp.rec[ri], past=True, earliest_year=when)
            )
    shortfalls.sort(key=lambda s: (s.region or "", s.year))
    return Diagnosis(feasible=True, shortfalls=tuple(shortfalls))


def diagnose(problem: RolloutProblem, *, compiled: IntegerProblem | None = None) -> Diagnosis:
    """Check every floor exactly; list every shortfall and the smallest capacity fix."""
    comp = compiled if compiled is not None else compile_problem(problem)
    n = comp.n_years
    years = comp.years
    start = problem.start
    shortfalls: list[Shortfall] = []
    extras: list[CapacityIncrease] = []
    caps = [list(row) for row in comp.caps]
    regions = {r.id: r for r in problem.regions}
    for ri, rid in enumerate(comp.ids):
        region = regions[rid]
        reach = _reach(comp, ri)
        for m in problem.milestones_for(rid):
            m_target = ceil_share(m.share, region.total)
            if m.year < start:
                if region.recognised < m_target:
                    when = _first_reaching(reach, years, m_target, start)
                    shortfalls.append(
                        Shortfall(
                            rid, m.year, m_target, region.recognised, past=True, earliest_year=when
                        )
                    )
                    if problem.past_milestones == "catch_up" and reach[1] < m_target:
                        shortfalls.append(
                            Shortfall(
                                rid, start, m_target, reach[1], "catch_up", earliest_year=when
                            )
                        )
                continue
            t = m.year - start + 1
            if reach[t] < m_target:
                shortfalls.append(
                    Shortfall(
                        rid,
                        m.year,
                        m_target,
                        reach[t],
                        earliest_year=_first_reaching(reach, years, m_target, m.year),
                    )
                )
        quota = region.recognised
        for t, year in enumerate(years, start=1):
            quota = min(region.total, quota + region.quota_in(year))
            if reach[t] < quota and region.quota_in(year) > 0:
                shortfalls.append(
                    Shortfall(
                        rid,
                        year,
                        quota,
                        reach[t],
                        "quota",
                        earliest_year=_first_reaching(reach, years, quota, year),
                    )
                )
        # Least extra capacity: cover the running maximum of the cumulative shortfall,
        # adding each increment in the first year it is needed.
        d = comp.floors[ri]
        cum = 0
        covered = 0
        for t in range(1, n + 1):
            cum += comp.caps[ri][t]
            gap = d[t] - cum
            if gap > covered:
                extras.append(CapacityIncrease(rid, years[t - 1], gap - covered))
                caps[ri][t] += gap - covered
                covered = gap
    national_ok = True
    if comp.coupled:
        # Per deadline: what the national capacity lets through (regions' extras applied).
        previous = 0
        for t in range(1, n + 1):
            d_t = [[row[min(s, t)] for s in range(n + 1)] for row in comp.floors]
            f_t = total_f([region_f(dr, ur, n) for dr, ur in zip(d_t, caps, strict=True)], n)
            demand = sum(row[n] for row in d_t)
            best = max_flow(f_t, comp.ncap, n)
            if best < demand and demand > previous:  # only years where a floor falls due
                national_ok = False
                shortfalls.append(Shortfall(None, years[t - 1], demand, best, "national"))
            previous = demand
        if not national_ok:
            extras.extend(_national_fix(comp, caps))
    ok = national_ok and not any(not s.past for s in shortfalls)
    shortfalls.sort(key=lambda s: (s.region is None, s.region or "", s.year, s.kind))
    capacity, budget = _split_by_budget(problem, comp, extras)
    return Diagnosis(ok, tuple(shortfalls), capacity, budget)


def _split_by_budget(
    problem: RolloutProblem, comp: IntegerProblem, extras: list[CapacityIncrease]
) -> tuple[tuple[CapacityIncrease, ...], tuple[BudgetIncrease, ...]]:
    """Each increase of a limit on units as what must grow: the capacity (or national
    cap) where it is lower than the units needed, the budget where it pays for fewer
    (the least amount: ``needed x cost - budget``), or both."""
    capacity: list[CapacityIncrease] = []
    budget: list[BudgetIncrease] = []
    ids = {rid: ri for ri, rid in enumerate(comp.ids)}
    for inc in extras:
        t = inc.year - problem.start + 1
        if inc.region is None:
            needed = comp.ncap[t] + inc.units
            cap = problem.national_capacity_in(inc.year)
            money, cost = problem.national_budget_in(inc.year), problem.unit_cost
        else:
            needed = comp.caps[ids[inc.region]][t] + inc.units
            region = problem.region(inc.region)
            cap = region.capacity_in(inc.year)
            money, cost = region.budget_in(inc.year), region.cost
        if cap is not None and cap < needed:
            capacity.append(CapacityIncrease(inc.region, inc.year, needed - cap))
        paid = units_within(money, cost)
        if paid is not None and paid < needed and money is not None and cost is not None:
            with exact_arithmetic():
                budget.append(BudgetIncrease(inc.region, inc.year, needed * cost - money))
    return tuple(capacity), tuple(budget)
