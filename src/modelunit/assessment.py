"""Assess units against a criteria set: per criterion, why, with evidence cited.

>>> import modelunit
>>> catalog = modelunit.load_catalog("tutorial")
>>> ledger = modelunit.load_evidence("tutorial")
>>> result = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023")
>>> result.summary()
'2/3 met, 1 pending: basically met'
>>> print(result.result("T2").explanation)
social_order_crimes: 18 in 2023 vs 24 in 2022, change -25.00%, needs <= -5%

For many units and periods use :func:`assess_batch`, which compiles the rules
once and evaluates them over all units at a time; explanations for any unit are
rendered on demand from the same evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from modelunit import _interpreter
from modelunit._index import EvidenceIndex
from modelunit._policy import decide_level
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.evidence import EvidenceLedger, Unit, UnitRegistry, moment
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import Assessment, Counts, CriterionResult, Gap, RuleTrace
from modelunit.rules import Change, Ratio, iter_rules

__all__ = ["EvidenceIndex", "assess", "build_index", "reassess"]


def __dir__() -> list[str]:
    return __all__


def build_index(
    catalog: CriteriaSet,
    ledger: EvidenceLedger,
    *,
    as_of: date | datetime | str | None = None,
) -> EvidenceIndex:
    """Index the ledger (as of ``as_of``) for ``catalog``'s indicators.

    Build it once and pass it to :func:`assess` for many units to avoid
    re-reading the ledger each time.
    """
    return EvidenceIndex(catalog.indicators, ledger.as_of(as_of))


def _as_period(period: Period | str | int) -> Period:
    return period if isinstance(period, Period) else Period.parse(period)


def _resolve_unit(unit: str | Unit, units: UnitRegistry | None, catalog: CriteriaSet) -> Unit:
    if isinstance(unit, Unit):
        return unit
    if units is not None and unit in units:
        return units.get(unit)
    return Unit(unit, kind=catalog.unit_kinds[0] if catalog.unit_kinds else "ward")


def assess(
    catalog: CriteriaSet,
    evidence: EvidenceLedger | EvidenceIndex,
    *,
    unit: str | Unit,
    period: Period | str | int,
    as_of: date | datetime | str | None = None,
    units: UnitRegistry | None = None,
) -> Assessment:
    """Assess one unit for one period against ``catalog``.

    ``evidence`` is a ledger (read as of ``as_of``: only records recorded by
    then count) or a prepared :class:`EvidenceIndex`. ``units`` gives unit
    kinds and sub-units; without it the unit is of the catalog's first unit
    kind and has no sub-units.

    Pure: the result depends only on the arguments.
    """
    period = _as_period(period)
    if isinstance(evidence, EvidenceLedger):
        index = build_index(catalog, evidence, as_of=as_of)
    else:
        if as_of is not None:
            msg = "as_of applies when building the index; pass a ledger or build_index(as_of=...)"
            raise TypeError(msg)
        index = evidence
    the_unit = _resolve_unit(unit, units, catalog)
    traces: dict[str, RuleTrace] = {}
    applicable: dict[str, bool] = {}
    for crit in catalog.evaluation_order():
        ok = crit.applies(the_unit.kind)
        applicable[crit.id] = ok
        if not ok:
            traces[crit.id] = RuleTrace(
                "not_applicable", crit.title(), Outcome.NOT_APPLICABLE,
                f"applies to {', '.join(crit.applies_to)}, not {the_unit.kind}",
            )
            continue
        ctx = _interpreter.Context(index, the_unit.id, period, units, traces)
        traces[crit.id] = _interpreter.evaluate(crit.rule, ctx)
    when = moment(as_of) if as_of is not None else None
    return _assemble(catalog, the_unit, period, when, traces)


def _assemble(
    catalog: CriteriaSet,
    unit: Unit,
    period: Period,
    as_of: datetime | None,
    traces: dict[str, RuleTrace],
) -> Assessment:
    results = []
    for crit in catalog.criteria:
        t = traces[crit.id]
        results.append(
            CriterionResult(
                criterion=crit.id,
                outcome=t.outcome,
                explanation=t.reason,
                evidence=_dedupe(t.evidence),
                mandatory=crit.mandatory,
                group=crit.group,
                points=crit.points,
                trace=t if t.outcome is not Outcome.NOT_APPLICABLE else None,
            )
        )
    outcomes = {r.criterion: r.outcome for r in results}
    counts = Counts(
        met=sum(o is Outcome.MET for o in outcomes.values()),
        not_met=sum(o is Outcome.NOT_MET for o in outcomes.values()),
        insufficient=sum(o is Outcome.INSUFFICIENT for o in outcomes.values()),
        not_applicable=sum(o is Outcome.NOT_APPLICABLE for o in outcomes.values()),
    )
    points = sum(
        (c.points for c in catalog.criteria if c.points is not None
         and outcomes[c.id] is Outcome.MET),
        Decimal(0),
    )
    level, checks = decide_level(catalog, outcomes, points)
    gaps = tuple(
        Gap(
            criterion=r.criterion,
            outcome=r.outcome,
            reason=r.explanation,
            mandatory=r.mandatory,
            missing=_missing_indicators(r.trace),
        )
        for r in results
        if r.outcome in (Outcome.NOT_MET, Outcome.INSUFFICIENT)
    )
    return Assessment(
        catalog=catalog.id,
        version=catalog.version,
        unit=unit.id,
        unit_kind=unit.kind,
        period=period,
        as_of=as_of,
        results=tuple(results),
        counts=counts,
        points=points,
        level=level.id,
        level_title_vi=level.title_vi,
        level_title_en=level.title_en,
        recognised=level.recognised,
        level_checks=checks,
        gaps=gaps,
    )


def _dedupe(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _missing_indicators(trace: RuleTrace | None) -> tuple[str, ...]:
    if trace is None:
        return ()
    found: list[str] = []
    stack = [trace]
    while stack:
        t = stack.pop()
        if t.outcome is Outcome.INSUFFICIENT:
            found.extend(v.indicator for v in t.values if v.value is None)
        stack.extend(t.children)
    return tuple(sorted(set(found)))


def reassess(
    old: Assessment,
    catalog: CriteriaSet,
    evidence: EvidenceLedger,
    *,
    units: UnitRegistry | None = None,
) -> Assessment:
    """Assess the same unit, period and as-of moment again under another version."""
    return assess(
        catalog,
        evidence,
        unit=Unit(old.unit, kind=old.unit_kind) if units is None else old.unit,
        period=old.period,
        as_of=old.as_of,
        units=units,
    )


def periods_needed(catalog: CriteriaSet, period: Period) -> tuple[Period, ...]:
    """Every period whose evidence ``catalog``'s rules read when assessing ``period``."""
    found = {period}
    for crit in catalog.criteria:
        for _, node in iter_rules(crit.rule):
            if isinstance(node, Change):
                found.add(node.baseline_period(period))
            elif isinstance(node, Ratio):
                pass
    return tuple(sorted(found, key=Period.sort_key))


def criteria_in(catalog: CriteriaSet, ids: Sequence[str]) -> tuple[Criterion, ...]:
    wanted = set(ids)
    return tuple(c for c in catalog.criteria if c.id in wanted)
