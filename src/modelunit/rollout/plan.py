"""``plan()`` and the :class:`RolloutPlan` it returns.

>>> from modelunit.rollout import Milestone, Region, RolloutProblem
>>> problem = RolloutProblem(
...     regions=[Region("A", total=10, capacity=5), Region("B", total=6, recognised=3)],
...     milestones=[Milestone(2026, "50%"), Milestone(2028, 1)],
...     start=2026, end=2028,
... )
>>> p = plan(problem, "latest")
>>> p.national, p.region("A").new, p.region("A").cumulative
((5, 0, 8), (5, 0, 5), (5, 5, 10))
>>> print(p.to_table())
region  2026  2027  2028  final  share
A          5     0     5     10   100%
B          0     0     3      6   100%
total      5     0     8
>>> [c.message() for c in p.checks][:2]
['A 2026 (national): 5/10 (needs 5): met', 'A 2028 (national): 10/10 (needs 10): met']
>>> plan(problem, "level").national
(5, 4, 4)
"""

from __future__ import annotations

import functools
import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from modelunit._i18n import Lang
from modelunit._numbers import ceil_share, exact_arithmetic
from modelunit._texts import text
from modelunit.errors import InfeasiblePlanError, UnknownRegionError
from modelunit.rollout._compile import IntegerProblem, compile_problem
from modelunit.rollout.apportionment import ApportionmentMethod
from modelunit.rollout.feasibility import Diagnosis, diagnose, past_misses
from modelunit.rollout.problem import RolloutProblem, nfc
from modelunit.rollout.strategies import Strategy, solve

__all__ = ["MilestoneCheck", "RegionPlan", "RolloutPlan", "plan"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class MilestoneCheck:
    """One milestone checked for one region: ``coverage`` units recognised by ``year``
    against the exact ``target`` (and ``stretch_target`` when there is a stretch goal).

    ``national`` says whose goal it is: a national milestone (``True``) or the
    region's own (``False``); the message says so too. Past milestones (before the
    horizon) are checked against the baseline count; one the baseline misses is
    missed (late), and ``caught_up`` is the first planned year its target is reached
    (``None``: not within the horizon).
    """

    region: str = attrs.field(converter=nfc)
    year: int
    share: Fraction
    target: int
    coverage: int
    total: int
    stretch: Fraction | None = None
    stretch_target: int | None = None
    past: bool = False
    national: bool = True
    caught_up: int | None = None

    @property
    def met(self) -> bool:
        return self.coverage >= self.target

    @property
    def stretch_met(self) -> bool | None:
        if self.stretch_target is None:
            return None
        return self.coverage >= self.stretch_target

    @property
    def stretch_only(self) -> bool:
        """A stretch goal without a floor of its own (``share`` 0)."""
        return self.share == 0 and self.stretch_target is not None

    def message(self, lang: Lang = "en", *, region: bool = True) -> str:
        """One line in ``lang``: coverage against the target, met or missed, and whose
        goal it is (national or the region's own); ``region=False`` leaves out the
        leading region id."""
        scope = text("check.national" if self.national else "check.own", lang)
        if self.stretch_only:
            body = text(
                "check.stretch_only",
                lang,
                year=self.year,
                scope=scope,
                coverage=self.coverage,
                total=self.total,
                target=self.stretch_target,
                status=text(
                    "check.stretch_only_met" if self.stretch_met else "check.stretch_only_not_met",
                    lang,
                ),
            )
            return f"{self.region} {body}" if region else body
        stretch = (
            text("check.stretch_target", lang, target=self.stretch_target)
            if self.stretch_target is not None
            else ""
        )
        status = (
            text("check.met", lang)
            if self.met
            else text("check.missed", lang, count=self.target - self.coverage)
        )
        body = text(
            "check.needs",
            lang,
            year=self.year,
            scope=scope,
            coverage=self.coverage,
            total=self.total,
            target=self.target,
            stretch=stretch,
            status=status,
        )
        if self.stretch_met is not None and self.met:
            body += text("check.stretch_met" if self.stretch_met else "check.stretch_not_met", lang)
        if self.past:
            body += text("check.past", lang)
            if not self.met:
                body += (
                    text("check.caught_up", lang, year=self.caught_up)
                    if self.caught_up is not None
                    else text("check.not_caught_up", lang)
                )
        return f"{self.region} {body}" if region else body


@attrs.frozen
class RegionPlan:
    """One region's plan: new units taken on per planned year (``new``); cumulative
    recognised units, share and cost at the end of each year are derived from it.
    ``region`` is the region's id (Unicode NFC), ``name`` its name (also
    NFC)."""

    region: str = attrs.field(converter=nfc)
    name: str = attrs.field(converter=nfc)
    total: int
    recognised: int
    new: tuple[int, ...]
    unit_cost: Decimal | None = None

    @functools.cached_property
    def cumulative(self) -> tuple[int, ...]:
        """Units recognised by the end of each planned year."""
        return tuple(itertools.accumulate(self.new, initial=self.recognised))[1:]

    @property
    def share(self) -> tuple[Fraction, ...]:
        """Recognised share at the end of each planned year (exact)."""
        if not self.total:
            return tuple(Fraction(1) for _ in self.new)
        return tuple(Fraction(c, self.total) for c in self.cumulative)

    @property
    def cost(self) -> tuple[Decimal, ...] | None:
        """Cost of each planned year's new units (``None`` without a unit cost), exact
        whatever the thread's decimal context."""
        if self.unit_cost is None:
            return None
        with exact_arithmetic():
            return tuple(self.unit_cost * v for v in self.new)


@attrs.frozen
class RolloutPlan:
    """A plan: allocations, coverage, national totals, every milestone check, costs,
    and the strategy and inputs that produced it.

    Only the allocation is stored (with the problem, strategy and diagnosis); coverage,
    national totals, costs and checks are derived from it, so a plan read back from
    JSON is always consistent. ``feasible`` is ``False`` when some planned floor cannot
    be met; the allocation is then a best effort and ``diagnosis`` says exactly why and
    what would fix it.
    """

    # The problem and allocations are long: keep the repr to what identifies the plan.
    problem: RolloutProblem = attrs.field(repr=False)
    strategy: Strategy
    method: ApportionmentMethod | None
    stretch: bool
    regions: tuple[RegionPlan, ...] = attrs.field(repr=False)
    diagnosis: Diagnosis = attrs.field(repr=False)
    feasible: bool
    #: Whether the number of stretch goals met is proven the largest possible (always,
    #: without a national capacity; with one, unless the exact search ran out of steps).
    stretch_proven: bool = True

    @property
    def years(self) -> tuple[int, ...]:
        """The planned years."""
        return self.problem.years

    @functools.cached_property
    def national(self) -> tuple[int, ...]:
        """New units per planned year, all regions together."""
        return tuple(sum(col) for col in zip(*(r.new for r in self.regions), strict=True)) or (
            (0,) * len(self.years)
        )

    @functools.cached_property
    def cost(self) -> tuple[Decimal, ...] | None:
        """Cost per planned year over the regions that have a unit cost (``None``: none)."""
        costs = [c for c in (r.cost for r in self.regions) if c is not None]
        if not costs:
            return None
        with exact_arithmetic():
            return tuple(sum(col, Decimal(0)) for col in zip(*costs, strict=True))

    @functools.cached_property
    def checks(self) -> tuple[MilestoneCheck, ...]:
        """Every milestone checked for every region (past ones at the baseline)."""
        return tuple(_checks(self.problem, self.regions))

    def region(self, region_id: str) -> RegionPlan:
        """The plan of one region.

        Raises :class:`~modelunit.errors.UnknownRegionError` (a ``KeyError``) naming
        the closest ids if the plan has no such region.
        """
        wanted = nfc(region_id)
        for r in self.regions:
            if r.region == wanted:
                return r
        raise UnknownRegionError(wanted, (r.region for r in self.regions))

    @property
    def peak(self) -> int:
        """The largest national yearly load."""
        return max(self.national, default=0)

    @property
    def missed(self) -> tuple[MilestoneCheck, ...]:
        """Every floor not met (including past ones, checked at the baseline)."""
        return tuple(c for c in self.checks if not c.met)

    @property
    def stretch_met(self) -> tuple[MilestoneCheck, ...]:
        """Checks whose stretch goal is met."""
        return tuple(c for c in self.checks if c.stretch_met)

    @property
    def stretch_goals(self) -> tuple[MilestoneCheck, ...]:
        """Checks with a stretch goal in a planned year: the goals the plan maximises
        (every one counts one; see :mod:`modelunit.rollout.strategies`)."""
        return tuple(c for c in self.checks if c.stretch_target is not None and not c.past)

    def at_risk(
        self, *, slack: int | None = None, lang: Lang = "en", region: bool = True
    ) -> dict[str, tuple[str, ...]]:
        """Regions with a missed floor or a diagnosed shortfall, and why (one line each,
        in ``lang``); with ``slack``, also floors met with at most that many units of
        capacity to spare (``slack=0``: where any delay would break them).
        ``region=False`` leaves the region id out of each line (it is the key).

        A national shortfall (national capacity too low) is listed under ``"national"``.
        """
        out: dict[str, list[str]] = {}
        for c in self.missed:
            out.setdefault(c.region, []).append(c.message(lang, region=region))
        for sf in self.diagnosis.shortfalls:
            out.setdefault(sf.region or "national", []).append(sf.message(lang, region=region))
        if slack is not None:
            for rid, year, target, spare in self._spare():
                if spare <= slack:
                    line = text(
                        "check.spare",
                        lang,
                        year=year,
                        target=target,
                        reach=target + spare,
                        spare=spare,
                    )
                    out.setdefault(rid, []).append(f"{rid} {line}" if region else line)
        return {k: tuple(dict.fromkeys(v)) for k, v in sorted(out.items())}

    def _spare(self) -> list[tuple[str, int, int, int]]:
        # Capacity to spare for each planned floor that needs new units: the most the
        # region's own capacity reaches by that year minus the target (the highest
        # target of the year; no limit on capacity means nothing to report).
        best: dict[tuple[str, int], int] = {}
        problem = self.problem
        for c in self.checks:
            if not c.past and c.met and c.target > problem.region(c.region).recognised:
                key = (c.region, c.year)
                best[key] = max(best.get(key, 0), c.target)
        out = []
        for (rid, year), target in sorted(best.items()):
            region = problem.region(rid)
            caps = [region.capacity_in(y) for y in range(problem.start, year + 1)]
            if any(cap is None for cap in caps):
                continue
            room = sum(cap for cap in caps if cap is not None)
            out.append((rid, year, target, region.recognised + room - target))
        return out

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - the notebook view, on demand

        return display.html(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per region, year and measure (:func:`modelunit.frames.plan_records`)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.plan_records(self)

    def to_pandas(self, *, iamc: bool = False, scenario: str | None = None) -> Any:
        """:meth:`to_records` as a pandas DataFrame (extra ``pandas``); ``iamc=True``: the
        IAMC columns for ``pyam.IamDataFrame`` (:func:`modelunit.frames.iamc_frame`)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.iamc_frame(self, scenario=scenario) if iamc else frames.to_pandas(self)

    def plot(self, kind: str = "coverage", **options: Any) -> Any:
        """``"coverage"`` or ``"workload"`` (:mod:`modelunit.plot`); returns the Axes."""
        from modelunit import plot  # noqa: PLC0415 - matplotlib on demand

        return plot.plan(self, kind, **options)

    def to_table(self, lang: Lang = "en") -> str:
        """A fixed-width text table: new units per year, then final coverage and share
        (headings in ``lang``)."""
        width = max([6, *(len(r.region) for r in self.regions)])
        head = f"{text('table.region', lang):<{width}}" + "".join(f"{y:>6}" for y in self.years)
        head += f"{text('table.final', lang):>7}{text('table.share', lang):>7}"
        lines = [head]
        for r in self.regions:
            row = f"{r.region:<{width}}" + "".join(f"{v:>6}" for v in r.new)
            final = r.cumulative[-1] if r.cumulative else r.recognised
            # Whole percent, rounded half up, with integers (no float formatting).
            pct = f"{(200 * final + r.total) // (2 * r.total)}%" if r.total else "-"
            row += f"{final:>7}{pct:>7}"
            lines.append(row)
        total = text("table.total", lang)
        lines.append(f"{total:<{width}}" + "".join(f"{v:>6}" for v in self.national))
        return "\n".join(lines)


def _checks(problem: RolloutProblem, regions: tuple[RegionPlan, ...]) -> list[MilestoneCheck]:
    checks: list[MilestoneCheck] = []
    start = problem.start
    for rp in regions:
        for m in problem.milestones_for(rp.region):
            past = m.year < start
            target = ceil_share(m.share, rp.total)
            caught_up = None
            if past and rp.recognised < target:
                caught_up = next(
                    (y for y, c in zip(problem.years, rp.cumulative, strict=True) if c >= target),
                    None,
                )
            checks.append(
                MilestoneCheck(
                    region=rp.region,
                    year=m.year,
                    share=m.share,
                    target=target,
                    coverage=rp.recognised if past else rp.cumulative[m.year - start],
                    total=rp.total,
                    stretch=m.stretch,
                    stretch_target=None if m.stretch is None else ceil_share(m.stretch, rp.total),
                    past=past,
                    national=m.region is None,
                    caught_up=caught_up,
                )
            )
    return checks


def plan(
    problem: RolloutProblem,
    strategy: Strategy = "level",
    *,
    method: ApportionmentMethod = "largest_remainder",
    stretch: bool = True,
    strict: bool = False,
    compiled: IntegerProblem | None = None,
) -> RolloutPlan:
    """Plan how many units each region takes on each year.

    ``strategy`` is one of ``"earliest"``, ``"latest"``, ``"level"``,
    ``"proportional"`` (see :mod:`modelunit.rollout.strategies`); ``method`` names the
    apportionment method used by ``"proportional"``. With ``stretch`` (the default) the
    plan meets the largest number of stretch goals that can be met together with every
    floor (each stretch target counts one; ``stretch_proven`` says whether that number
    is proven the largest). When the floors cannot all be
    met, the plan is a best effort with ``feasible=False`` and a diagnosis, or
    :class:`~modelunit.errors.InfeasiblePlanError` is raised if ``strict``.
    ``compiled`` lets a caller reuse the integer targets of an unchanged problem.
    An unknown strategy or method raises :class:`~modelunit.errors.InvalidArgumentError`.
    """
    comp = compiled if compiled is not None else compile_problem(problem)
    x, ok, proven = solve(comp, strategy, method, stretch=stretch)
    # The diagnosis costs more than planning; only build it when there is something to say.
    if ok and not comp.past_missed:
        diagnosis = Diagnosis(feasible=True)
    elif ok:
        diagnosis = past_misses(comp)
    else:
        diagnosis = diagnose(problem, compiled=comp)
    if not ok and strict:
        raise InfeasiblePlanError(diagnosis.explain(), diagnosis)
    n = comp.n_years
    by_id = {r.id: r for r in problem.regions}
    region_plans = []
    for ri, rid in enumerate(comp.ids):
        region = by_id[rid]
        region_plans.append(
            RegionPlan(
                rid,
                region.name,
                region.total,
                region.recognised,
                tuple(x[ri][1 : n + 1]),
                region.cost,
            )
        )
    return RolloutPlan(
        problem=problem,
        strategy=strategy,
        method=method if strategy == "proportional" else None,
        stretch=stretch,
        regions=tuple(region_plans),
        diagnosis=diagnosis,
        feasible=ok,
        stretch_proven=proven,
    )
