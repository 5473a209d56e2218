"""Planning scenarios: a rollout problem with the assumptions and sources behind it.

Bundled scenarios state the national problem on the real geography, so that
planning runs out of the box:

>>> from modelunit.scenarios import list_scenarios, load_scenario
>>> list_scenarios()
('national-2024-2030-63', 'national-2027-2030')
>>> scenario = load_scenario("national-2027-2030")
>>> len(scenario.problem.regions), sum(r.total for r in scenario.problem.regions)
(34, 687)
>>> scenario.problem.start, scenario.problem.end, scenario.problem.baseline_year
(2027, 2030, 2026)

Every scenario lists its assumptions (``scenario.assumptions``): the baseline
recognised counts and the yearly capacities are not published figures. A scenario
also names how it is planned (``strategy``, ``method``, ``stretch``) and, for the odds
of meeting each milestone, the chance that a ward taken on is recognised within the
year (``p_recognised``). :meth:`Scenario.what_if` derives another scenario that says
what it changed:

>>> slower = scenario.what_if(capacity={"79": 20})
>>> slower.id
'national-2027-2030 | capacity[79]=20'
>>> print(slower.assumptions[-1])
What if: Hồ Chí Minh (79) can bring at most 20 wards a year up to standard (was 29).
>>> slower.plan().feasible
False
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from modelunit import _data
from modelunit._cattrs_errors import ERROR_FOR
from modelunit._checks import one_of
from modelunit._numbers import ceil_share, exact_fraction, format_share
from modelunit.errors import (
    InvalidArgumentError,
    InvalidProblemError,
    InvalidValueError,
    UnknownScenarioError,
)
from modelunit.rollout.apportionment import METHODS, ApportionmentMethod
from modelunit.rollout.problem import Milestone, Region, RolloutProblem
from modelunit.rollout.strategies import STRATEGIES, Strategy
from modelunit.serialization import structure_parsed

if TYPE_CHECKING:
    from modelunit.rollout.plan import RolloutPlan

__all__ = ["Scenario", "list_scenarios", "load_scenario"]


def __dir__() -> list[str]:
    return __all__


def _probability(value: object) -> Fraction | None:
    if value is None:
        return None
    p = exact_fraction(value)
    if not 0 <= p <= 1:
        raise InvalidValueError(f"p_recognised: expected a probability in 0..1, got {p}")
    return p


@attrs.frozen
class Scenario:
    """A named rollout problem, with what it assumes and where its figures come from,
    and how it is planned.

    ``strategy``, ``method`` and ``stretch`` are the arguments of
    :func:`~modelunit.rollout.plan`; ``p_recognised`` (``None``: not stated) is the chance
    that a ward taken on is recognised within its year, for the odds of meeting each
    milestone (:func:`~modelunit.rollout.exact_odds`).
    """

    id: str
    problem: RolloutProblem
    title: str = ""
    description: str = ""
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    strategy: Strategy = attrs.field(default="level", validator=one_of(STRATEGIES))
    method: ApportionmentMethod = attrs.field(
        default="largest_remainder", validator=one_of(METHODS)
    )
    stretch: bool = True
    p_recognised: Fraction | None = attrs.field(default=None, converter=_probability)

    def plan(self) -> RolloutPlan:
        """The plan of this scenario's problem, by its strategy."""
        from modelunit.rollout.plan import plan  # noqa: PLC0415 - the planner on use

        return plan(self.problem, self.strategy, method=self.method, stretch=self.stretch)

    def what_if(
        self,
        *,
        id: str | None = None,
        title: str | None = None,
        capacity: int | Mapping[str, int | None] | None = None,
        capacity_scale: object | Mapping[str, object] = None,
        baseline: object | Mapping[str, int] = None,
        target_year: int | None = None,
        national_capacity: int | None = None,
        p_recognised: object = None,
        strategy: Strategy | None = None,
        national_cap: int | None = None,
    ) -> Scenario:
        """This scenario with some assumptions changed, each stated in ``assumptions``.

        - ``capacity``: at most this many wards a year, for every region (a number) or
          for the regions named (a mapping; ``None``: no limit); their per-year
          capacities are dropped;
        - ``capacity_scale``: each capacity (and per-year capacity) times this share
          (``"80%"``, ``"4/5"``, ``0.8``), rounded down, for every region or per region;
          unlimited capacities stay unlimited;
        - ``baseline``: wards recognised at the baseline: a share of each region's wards
          (rounded up, like targets) or counts per region;
        - ``target_year``: the year the last national milestone falls due;
        - ``national_capacity``: the most new wards a year nationally (a number;
          renamed from ``national_cap``, which still works, with a ``DeprecationWarning``);
        - ``p_recognised``: the chance a ward taken on is recognised within its year;
        - ``strategy``: how to plan.

        ``id`` defaults to this id with the changes (``"... | capacity[79]=20"``). A
        region that is not in the problem is an
        :class:`~modelunit.errors.UnknownRegionError`; a bad value an
        :class:`~modelunit.errors.InvalidArgumentError`; a change that breaks the problem
        (a milestone after the horizon...) an :class:`~modelunit.errors.InvalidProblemError`.
        """
        if national_cap is not None:
            if national_capacity is not None:
                raise InvalidArgumentError(
                    "what_if() got both national_cap= and national_capacity=; national_cap "
                    "is the deprecated name of national_capacity: give only national_capacity="
                )
            warnings.warn(
                "what_if(national_cap=...) is deprecated; use national_capacity=",
                DeprecationWarning,
                stacklevel=2,
            )
            national_capacity = national_cap
        changes = _Changes(self.problem)
        if capacity is not None:
            changes.capacity(capacity)
        if capacity_scale is not None:
            changes.capacity_scale(capacity_scale)
        if baseline is not None:
            changes.baseline(baseline)
        if target_year is not None:
            changes.target_year(target_year)
        if national_capacity is not None:
            changes.national_capacity(national_capacity)
        p = self.p_recognised
        if p_recognised is not None:
            p = _argument("p_recognised", p_recognised, _probability)
            changes.said(
                f"p_recognised={p}",
                f"a ward taken on is recognised within its year with probability {format_share(p)}",
            )
        plan_by = self.strategy
        if strategy is not None:
            if strategy not in STRATEGIES:
                raise InvalidArgumentError(
                    f"unknown strategy {strategy!r}; expected one of {STRATEGIES}"
                )
            plan_by = strategy
            changes.said(f"strategy={strategy}", f"planned with the {strategy!r} strategy")
        if not changes.labels:
            raise InvalidArgumentError("what_if() needs at least one change")
        label = ", ".join(changes.labels)
        return attrs.evolve(
            self,
            id=f"{self.id} | {label}" if id is None else id,
            title=(f"{self.title or self.id}; what if: {label}" if title is None else title),
            problem=changes.problem(),
            assumptions=(*self.assumptions, *(f"What if: {t}." for t in changes.texts)),
            strategy=plan_by,
            p_recognised=p,
        )


ERROR_FOR[Scenario] = InvalidProblemError


def _argument(name: str, value: object, read: Callable[[object], Fraction | None]) -> Fraction:
    """``read(value)``, with a bad value reported as a bad argument named ``name``."""
    try:
        out = read(value)
    except (InvalidValueError, ValueError, TypeError) as exc:
        raise InvalidArgumentError(f"{name}: {exc}") from None
    assert isinstance(out, Fraction)
    return out


def _share(name: str, value: object) -> Fraction:
    share = _argument(name, value, exact_fraction)
    if share < 0:
        raise InvalidArgumentError(f"{name}: expected a share of at least 0, got {share}")
    return share


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"{name}: expected a whole number of at least 0, got {value!r}")
    return value


def _limit(name: str, value: object) -> int | None:
    """A capacity: a count, or ``None`` for no limit."""
    return None if value is None else _count(name, value)


def _scaled(value: int | None, share: Fraction) -> int | None:
    return None if value is None else value * share.numerator // share.denominator


class _Changes:
    """The changes of one what-if, applied to a copy of the problem's regions, each with
    a short label (for ids and columns) and a sentence (for the assumptions)."""

    def __init__(self, problem: RolloutProblem) -> None:
        self.base = problem
        self.regions = {r.id: r for r in problem.regions}
        self.milestones = list(problem.milestones)
        self.cap = problem.national_capacity
        self.cap_by_year = dict(problem.national_capacity_by_year)
        self.labels: list[str] = []
        self.texts: list[str] = []

    def said(self, label: str, text: str) -> None:
        self.labels.append(label)
        self.texts.append(text)

    def _named(self, rid: str) -> Region:
        self.base.region(rid)  # an UnknownRegionError naming the closest ids
        return self.regions[rid]

    @staticmethod
    def _who(region: Region) -> str:
        return f"{region.name} ({region.id})" if region.name else region.id

    def capacity(self, capacity: int | Mapping[str, int | None]) -> None:
        if not isinstance(capacity, Mapping):
            cap = _count("capacity", capacity)
            self.regions = {
                rid: attrs.evolve(r, capacity=cap, capacity_by_year={})
                for rid, r in self.regions.items()
            }
            self.said(
                f"capacity={cap}",
                f"every region can bring at most {cap} wards a year up to standard",
            )
            return
        for rid, value in capacity.items():
            region = self._named(rid)
            new = _limit(f"capacity[{rid}]", value)
            self.regions[rid] = attrs.evolve(region, capacity=new, capacity_by_year={})
            was = "no limit" if region.capacity is None else region.capacity
            can = "as many wards as it has" if new is None else f"at most {new} wards"
            self.said(
                f"capacity[{rid}]={new}",
                f"{self._who(region)} can bring {can} a year up to standard (was {was})",
            )

    def capacity_scale(self, scale: object | Mapping[str, object]) -> None:
        targets: dict[str, Fraction]
        if isinstance(scale, Mapping):
            targets = {rid: _share(f"capacity_scale[{rid}]", v) for rid, v in scale.items()}
            for rid in targets:
                self._named(rid)
        else:
            share = _share("capacity_scale", scale)
            targets = dict.fromkeys(self.regions, share)
        for rid, share in targets.items():
            r = self.regions[rid]
            self.regions[rid] = attrs.evolve(
                r,
                capacity=_scaled(r.capacity, share),
                capacity_by_year={
                    y: v * share.numerator // share.denominator
                    for y, v in r.capacity_by_year.items()
                },
            )
        if isinstance(scale, Mapping):
            for rid, share in targets.items():
                self.said(
                    f"capacity_scale[{rid}]={share}",
                    f"{self._who(self.regions[rid])} can bring {format_share(share)} of its "
                    "yearly capacity up to standard (rounded down)",
                )
        else:
            share = next(iter(targets.values()), Fraction(1))
            self.said(
                f"capacity_scale={share}",
                f"every region's yearly capacity is {format_share(share)} of the base "
                "scenario's (rounded down)",
            )

    def baseline(self, baseline: object | Mapping[str, int]) -> None:
        if isinstance(baseline, Mapping):
            for rid, value in baseline.items():
                region = self._named(rid)
                count = _count(f"baseline[{rid}]", value)
                self.regions[rid] = attrs.evolve(region, recognised=count)
                self.said(
                    f"baseline[{rid}]={count}",
                    f"{self._who(region)} has {count} wards recognised at the baseline "
                    f"(was {region.recognised})",
                )
            return
        share = _share("baseline", baseline)
        if share > 1:
            raise InvalidArgumentError(f"baseline: expected a share in 0..1, got {share}")
        self.regions = {
            rid: attrs.evolve(r, recognised=ceil_share(share, r.total))
            for rid, r in self.regions.items()
        }
        self.said(
            f"baseline={share}",
            f"every region has {format_share(share)} of its wards recognised at the "
            "baseline (rounded up)",
        )

    def target_year(self, year: int) -> None:
        _count("target_year", year)
        national = [(i, m) for i, m in enumerate(self.milestones) if m.region is None]
        if not national:
            raise InvalidArgumentError("target_year: the problem has no national milestone")
        i, last = max(national, key=lambda im: (im[1].year, im[1].share))
        self.milestones[i] = Milestone(year, last.share, stretch=last.stretch)
        self.said(
            f"target_year={year}",
            f"the last national milestone ({format_share(last.share)}) falls due in {year} "
            f"(was {last.year})",
        )

    def national_capacity(self, cap: int) -> None:
        self.cap = _count("national_capacity", cap)
        self.cap_by_year = {}
        self.said(f"national_capacity={cap}", f"at most {cap} new wards a year nationally")

    def problem(self) -> RolloutProblem:
        return attrs.evolve(
            self.base,
            regions=tuple(self.regions[r.id] for r in self.base.regions),
            milestones=tuple(self.milestones),
            national_capacity=self.cap,
            national_capacity_by_year=self.cap_by_year,
        )


def list_scenarios() -> tuple[str, ...]:
    """Names of the bundled scenarios, sorted."""
    return _data.bundled_names("scenarios")


def load_scenario(source: str | Path) -> Scenario:
    """Load a scenario from a ``.toml``/``.json`` file or by bundled name.

    A file holding only a rollout problem (``regions``, ``milestones``,
    ``start``, ``end``...) is read as a scenario named after the file.
    """
    data, name = _data.read_source(
        source, "scenarios", what=InvalidProblemError, unknown=UnknownScenarioError
    )
    if isinstance(data, dict) and "id" not in data:
        # Structured as the problem it is, so that paths in errors are the file's own.
        problem = structure_parsed(data, RolloutProblem, source=name)
        return Scenario(id=Path(source).stem, problem=problem)
    return structure_parsed(data, Scenario, source=name)
