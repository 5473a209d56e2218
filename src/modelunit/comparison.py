"""Scenarios side by side: where their plans differ, which milestones each meets, the
cost per year and the odds.

The first scenario is the baseline; every other one is compared with it, per region,
year and measure, with the difference (``delta``) and the relative difference
(``rel_delta``, against the baseline's value; ``None`` where that is 0):

>>> from modelunit.scenarios import load_scenario
>>> from modelunit.comparison import compare
>>> national = load_scenario("national-2027-2030")
>>> slower = national.what_if(id="HCM at 20 a year", capacity={"79": 20})
>>> both = compare(national, slower)
>>> [(row["scenario"], row["feasible"], row["missed"]) for row in both.summary()]
[('national-2027-2030', True, 0), ('HCM at 20 a year', False, 1)]
>>> for row in both.differences():
...     if row["region"] == "79" and row["measure"] == "new":
...         print(row["year"], row["baseline"], row["value"], row["delta"], row["rel_delta"])
2027 26 20 -6 -3/13
2028 26 20 -6 -3/13
2029 27 20 -7 -7/27
2030 0 19 19 None

The other provinces change too: the ``level`` strategy keeps the national load even, so
they take on the city's share of 2030 earlier.

In a notebook the comparison shows itself as tables (``_repr_html_``); ``to_pandas()``
gives the long frame, ``plot()`` the scenarios side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from modelunit import frames
from modelunit.errors import InvalidArgumentError, UnknownNameError
from modelunit.rollout.plan import RolloutPlan
from modelunit.rollout.simulation import ExactOdds, exact_odds
from modelunit.scenarios import Scenario

if TYPE_CHECKING:
    from modelunit._i18n import Lang

__all__ = ["Comparison", "Odds", "chances", "compare", "summary_row"]


def __dir__() -> list[str]:
    return __all__


Odds = tuple[ExactOdds, ...]
"""The odds of each planned-year floor (``region, year, target, probability``), as from
:func:`~modelunit.rollout.exact_odds`."""

Table = Literal["values", "differences", "milestones", "costs", "summary"]
TABLES: Final[tuple[Table, ...]] = ("values", "differences", "milestones", "costs", "summary")


def chances(odds: Odds | None) -> dict[tuple[str, int, int], Fraction]:
    """The probability of each floor, by ``(region, year, target)`` (none without odds)."""
    return {(o.region, o.year, o.target): o.probability for o in odds or ()}


def p_end(plan: RolloutPlan, odds: Odds | None) -> Fraction | None:
    """The chance that every region meets its floor of the last planned year (regions are
    independent under the model, so it is the product of theirs); ``None`` without odds."""
    if odds is None:
        return None
    last = plan.years[-1]
    out = Fraction(1)
    for o in odds:
        if o.year == last:
            out *= o.probability
    return out


def summary_row(name: str, plan: RolloutPlan, odds: Odds | None) -> frames.Record:
    """One scenario's (or sweep point's) figures: strategy, feasible, national peak and
    loads, floors missed, regions at risk, ``p_end`` (the chance that every region meets
    its last floor) and total cost."""
    cost = plan.cost
    return {
        "scenario": name,
        "strategy": plan.strategy,
        "feasible": plan.feasible,
        "peak": plan.peak,
        "national": plan.national,
        "missed": len(plan.missed),
        "at_risk": tuple(plan.at_risk()),
        "p_end": p_end(plan, odds),
        "cost": None if cost is None else sum(cost, Decimal(0)),
    }


def _rel(delta: Any, baseline: Any) -> Fraction | None:
    if delta is None or baseline is None or baseline == 0:
        return None
    return Fraction(delta) / abs(Fraction(baseline))


@attrs.frozen(repr=False)
class Comparison:
    """Plans of several scenarios, compared with the first (the baseline).

    ``odds`` holds each scenario's exact odds of meeting each floor when it states
    ``p_recognised`` (``None`` otherwise).
    """

    scenarios: tuple[Scenario, ...]
    plans: tuple[RolloutPlan, ...]
    odds: tuple[Odds | None, ...]

    def __repr__(self) -> str:
        return f"<Comparison of {len(self.scenarios)}: {', '.join(self.ids)}>"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.scenarios)

    def plan(self, scenario: str) -> RolloutPlan:
        """The plan of the scenario with this id."""
        try:
            return self.plans[self.ids.index(scenario)]
        except ValueError:
            raise UnknownNameError(scenario, self.ids, detail="no such scenario here") from None

    def to_records(self) -> list[frames.Record]:
        """Every scenario's plan rows (:func:`modelunit.frames.plan_records`) with the
        baseline's value, ``delta`` and ``rel_delta`` (exact); ``None`` where the
        baseline has no such region or year."""
        base = {
            (r["region"], r["year"], r["measure"]): r["value"]
            for r in frames.plan_records(self.plans[0])
        }
        rows = []
        for scenario, plan in zip(self.scenarios, self.plans, strict=True):
            for r in frames.plan_records(plan):
                ref = base.get((r["region"], r["year"], r["measure"]))
                delta = None if ref is None else r["value"] - ref
                rows.append(
                    {
                        "scenario": scenario.id,
                        **r,
                        "baseline": ref,
                        "delta": delta,
                        "rel_delta": _rel(delta, ref),
                    }
                )
        return rows

    def differences(self) -> list[frames.Record]:
        """The rows of :meth:`to_records` where a scenario differs from the baseline."""
        first = self.scenarios[0].id
        return [r for r in self.to_records() if r["scenario"] != first and r["delta"] != 0]

    def milestones(self) -> list[frames.Record]:
        """Every milestone check of every scenario: met or missed, with the probability of
        meeting it when the scenario states ``p_recognised``."""
        rows: list[frames.Record] = []
        for scenario, plan, odds in zip(self.scenarios, self.plans, self.odds, strict=True):
            chance = chances(odds)
            names = {r.region: r.name for r in plan.regions}
            rows.extend(
                {
                    "scenario": scenario.id,
                    "region": c.region,
                    "name": names[c.region],
                    "year": c.year,
                    "target": c.target,
                    "coverage": c.coverage,
                    "met": c.met,
                    "stretch_met": c.stretch_met,
                    "past": c.past,
                    "probability": chance.get((c.region, c.year, c.target)),
                }
                for c in plan.checks
            )
        return rows

    def costs(self) -> list[frames.Record]:
        """New wards and cost (``None`` without unit costs) per scenario and year."""
        rows: list[frames.Record] = []
        for scenario, plan in zip(self.scenarios, self.plans, strict=True):
            cost = plan.cost
            rows.extend(
                {
                    "scenario": scenario.id,
                    "year": year,
                    "new": plan.national[t],
                    "cost": None if cost is None else cost[t],
                }
                for t, year in enumerate(plan.years)
            )
        return rows

    def summary(self) -> list[frames.Record]:
        """One row per scenario (:func:`summary_row`)."""
        return [
            summary_row(s.id, p, o)
            for s, p, o in zip(self.scenarios, self.plans, self.odds, strict=True)
        ]

    def to_pandas(self, table: Table = "values") -> Any:
        """One of the tables as a DataFrame (extra ``pandas``): ``"values"``
        (:meth:`to_records`), ``"differences"``, ``"milestones"``, ``"costs"`` or
        ``"summary"``."""
        if table not in TABLES:
            raise InvalidArgumentError(f"unknown table {table!r}; expected one of {TABLES}")
        rows = self.to_records() if table == "values" else getattr(self, table)()
        return frames.to_pandas(rows)

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - rendered on demand

        return display.html(self)

    def html(self, lang: Lang = "en") -> str:
        """The HTML of the notebook view, in ``lang``."""
        from modelunit import display  # noqa: PLC0415 - rendered on demand

        return display.html(self, lang)

    def plot(self, **options: Any) -> Any:
        """The scenarios side by side (:func:`modelunit.plot.scenarios`); returns the Axes."""
        from modelunit import plot  # noqa: PLC0415 - matplotlib on demand

        return plot.scenarios(self, **options)


def _entry(name: str | None, item: Scenario | RolloutPlan, i: int) -> tuple[Scenario, RolloutPlan]:
    if isinstance(item, Scenario):
        scenario = item if name is None else attrs.evolve(item, id=name)
        return scenario, scenario.plan()
    if isinstance(item, RolloutPlan):
        scenario = Scenario(
            id=name if name is not None else f"{i + 1}: {item.strategy}",
            problem=item.problem,
            strategy=item.strategy,
            method=item.method or "largest_remainder",
            stretch=item.stretch,
        )
        return scenario, item
    raise InvalidArgumentError(f"compare() takes scenarios or plans, got a {type(item).__name__}")


def compare(
    *items: Scenario | RolloutPlan | Mapping[str, Scenario | RolloutPlan],
) -> Comparison:
    """Compare scenarios (planned by their strategy) or plans, the first as the baseline.

    Pass them in order, or as a mapping ``{name: scenario or plan}`` to name them; a
    plan is used as it is, named by its position and strategy. At least two, with
    distinct names (:class:`~modelunit.errors.InvalidArgumentError` otherwise). The
    odds are exact (:func:`~modelunit.rollout.exact_odds`) for every scenario that
    states ``p_recognised``.
    """
    entries: list[tuple[Scenario, RolloutPlan]] = []
    for item in items:
        if isinstance(item, Mapping):
            entries.extend(_entry(k, v, len(entries)) for k, v in item.items())
        else:
            entries.append(_entry(None, item, len(entries)))
    if len(entries) < 2:
        raise InvalidArgumentError(f"compare() needs at least two scenarios, got {len(entries)}")
    names = [s.id for s, _ in entries]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidArgumentError(
            f"scenario ids must differ; given more than once: {', '.join(twice)} "
            "(name them with what_if(id=...) or a mapping)"
        )
    odds = tuple(
        None if s.p_recognised is None else exact_odds(p, s.p_recognised) for s, p in entries
    )
    return Comparison(
        scenarios=tuple(s for s, _ in entries),
        plans=tuple(p for _, p in entries),
        odds=odds,
    )
