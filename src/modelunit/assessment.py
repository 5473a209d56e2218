"""Assess units against a criteria set: per criterion, why, with evidence cited.

>>> import modelunit
>>> catalog = modelunit.load_catalog("tutorial")
>>> ledger = modelunit.load_evidence("tutorial")
>>> result = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023")
>>> result.summary()
'2/3 met, 1 pending: basically met'
>>> print(result.result("T2").explanation)
social_order_crimes: 18 in 2023 vs 24 in 2022, change -25%, needs <= -5%

For many units and periods use :func:`assess_batch`, which compiles the rules
once and evaluates them over all units at a time; explanations for any unit are
rendered on demand from the same evidence.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from modelunit import _explain, decide
from modelunit._batch import (
    CompiledCatalog,
    Frame,
    criterion_reads,
    lane_counts,
    level_lanes,
    needed_columns,
    outcome_lane,
)
from modelunit._checks import as_id
from modelunit._i18n import Lang
from modelunit._numbers import exact_arithmetic
from modelunit._texts import text
from modelunit.criteria import CriteriaSet
from modelunit.errors import (
    InvalidArgumentError,
    UnknownCriterionError,
    UnknownPeriodError,
    UnknownUnitError,
)
from modelunit.evidence import EvidenceLedger, Unit, UnitRegistry, moment
from modelunit.lookup import EvidenceIndex
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.policy import Level, decide_level, level_outlook, points_of
from modelunit.results import (
    Assessment,
    Counts,
    CriterionResult,
    Gap,
    LevelCheck,
    LevelOutlook,
    RuleTrace,
    Suggestion,
)
from modelunit.versions import CatalogFamily, VersionComparison, compare_assessments

__all__ = [
    "RECORD_KEYS",
    "BatchAssessment",
    "EvidenceIndex",
    "UnitSummary",
    "assess",
    "assess_batch",
    "assess_in_force",
    "build_index",
    "compare_versions",
    "reassess",
]


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
    re-reading the ledger each time. The index remembers ``as_of``, and every
    assessment made from it records it.
    """
    return EvidenceIndex(catalog.indicators, ledger, as_of=as_of)


def _as_period(period: Period | str | int, catalog: CriteriaSet) -> Period:
    """A period as given, or read from text in the set's reporting year (``"2024"`` is
    the set's year 2024, which need not be the calendar year)."""
    return period if isinstance(period, Period) else catalog.reporting_year.parse(period)


def _index(
    catalog: CriteriaSet,
    evidence: EvidenceLedger | EvidenceIndex,
    as_of: date | datetime | str | None,
) -> EvidenceIndex:
    """The one rule for ``as_of``: it applies when an index is built from a ledger; an
    index already stands at its own moment, and a different ``as_of`` is refused."""
    if isinstance(evidence, EvidenceLedger):
        return build_index(catalog, evidence, as_of=as_of)
    if as_of is not None and moment(as_of) != evidence.as_of:
        stands = "the whole ledger" if evidence.as_of is None else evidence.as_of.isoformat()
        raise InvalidArgumentError(
            f"as_of={as_of!r} was given with an evidence index built for {stands}; "
            "as_of applies when the index is built: pass the ledger, or "
            "build_index(catalog, ledger, as_of=...)"
        )
    return evidence


def _resolve_unit(
    unit: str | Unit, units: UnitRegistry | None, catalog: CriteriaSet, index: EvidenceIndex
) -> Unit:
    """The unit to assess: a :class:`Unit` as given; an id from the registry, else a unit
    with evidence, of the catalog's first unit kind. An id that is in neither is a typo
    far more often than a unit with no evidence at all: it is refused, with the closest
    known ids (register a unit to assess it without evidence)."""
    if isinstance(unit, Unit):
        return unit
    if units is not None and unit in units:
        return units.get(unit)
    uid = as_id(unit)
    if not index.knows(uid):
        known = set(index.units()) | ({u.id for u in units.units} if units is not None else set())
        raise UnknownUnitError(unit, known, detail="no evidence for it and not in the registry")
    return Unit(uid, kind=catalog.unit_kinds[0] if catalog.unit_kinds else "ward")


def assess(
    catalog: CriteriaSet,
    evidence: EvidenceLedger | EvidenceIndex,
    *,
    unit: str | Unit,
    period: Period | str | int,
    as_of: date | datetime | str | None = None,
    units: UnitRegistry | None = None,
    lang: Lang = "en",
) -> Assessment:
    """Assess one unit for one period against ``catalog``.

    ``evidence`` is a ledger (read as of ``as_of``: only records recorded by
    then count) or a prepared :class:`EvidenceIndex` (which stands at the moment it
    was built for; ``as_of`` may then only repeat it). ``units`` gives unit
    kinds and sub-units; without it the unit is of the catalog's first unit
    kind and has no sub-units. ``period`` given as text or a number is read in the
    catalog's reporting year (``"2024"`` is its year 2024: see
    :class:`~modelunit.periods.ReportingYear`); a
    :class:`~modelunit.periods.Period` is used as it is.
    ``lang`` is the language of the reasons and level checks (``"en"`` or ``"vi"``);
    outcomes do not depend on it.

    Pure: the result depends only on the arguments (decimal arithmetic is exact,
    whatever the caller's :mod:`decimal` context).
    """
    period = _as_period(period, catalog)
    index = _index(catalog, evidence, as_of)
    with exact_arithmetic():
        the_unit = _resolve_unit(unit, units, catalog, index)
        return _assess(catalog, index, the_unit, period, units, lang=lang)


def _assess(
    catalog: CriteriaSet,
    index: EvidenceIndex,
    the_unit: Unit,
    period: Period,
    units: UnitRegistry | None,
    *,
    lang: Lang = "en",
) -> Assessment:
    traces: dict[str, RuleTrace] = {}
    applicable: dict[str, bool] = {}
    for crit in catalog.evaluation_order():
        ok = crit.applies(the_unit.kind)
        applicable[crit.id] = ok
        if not ok:
            traces[crit.id] = RuleTrace(
                "not_applicable",
                crit.title(),
                Outcome.NOT_APPLICABLE,
                text(
                    "reason.applies_to",
                    lang,
                    kinds=", ".join(crit.applies_to),
                    kind=the_unit.kind,
                ),
            )
            continue
        ctx = _explain.Context(index, the_unit.id, period, units, traces, lang=lang)
        traces[crit.id] = _explain.evaluate(crit.rule, ctx)
    # What would decide each gap, from the same evidence.
    ctx = _explain.Context(index, the_unit.id, period, units, traces)
    known: dict[str, tuple[Suggestion, ...]] = {}
    ways = {
        crit.id: decide.suggestions(crit, ctx, catalog, known=known)
        for crit in catalog.criteria
        if traces[crit.id].outcome in (Outcome.NOT_MET, Outcome.INSUFFICIENT)
    }
    return _assemble(catalog, the_unit, period, index.as_of, traces, ways=ways, lang=lang)


def _counts(outcomes: Iterable[Outcome]) -> Counts:
    values = list(outcomes)
    return Counts(
        met=values.count(Outcome.MET),
        not_met=values.count(Outcome.NOT_MET),
        insufficient=values.count(Outcome.INSUFFICIENT),
        not_applicable=values.count(Outcome.NOT_APPLICABLE),
    )


def _level(
    catalog: CriteriaSet, outcomes: Mapping[str, Outcome], lang: Lang = "en"
) -> tuple[Decimal, Level, tuple[LevelCheck, ...]]:
    """The points of the met criteria, the level reached, and every level's check."""
    points = points_of(outcomes, catalog.points)
    level, checks = decide_level(
        catalog.policy,
        outcomes,
        points=points,
        groups=catalog.group_members,
        mandatory=catalog.mandatory,
        lang=lang,
    )
    return points, level, checks


def _outlook(catalog: CriteriaSet, outcomes: Mapping[str, Outcome]) -> LevelOutlook:
    """The level now and what the pending criteria could still make it."""
    return level_outlook(
        catalog.policy,
        outcomes,
        points=catalog.points,
        groups=catalog.group_members,
        mandatory=catalog.mandatory,
        possible=catalog.possible_outcomes,
    )


def _assemble(
    catalog: CriteriaSet,
    unit: Unit,
    period: Period,
    as_of: datetime | None,
    traces: dict[str, RuleTrace],
    *,
    ways: Mapping[str, tuple[Suggestion, ...]] | None = None,
    lang: Lang = "en",
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
    counts = _counts(outcomes.values())
    points, level, checks = _level(catalog, outcomes, lang)
    gaps = tuple(
        Gap(
            criterion=r.criterion,
            outcome=r.outcome,
            reason=r.explanation,
            mandatory=r.mandatory,
            missing=_missing_indicators(r.trace),
            decide=(ways or {}).get(r.criterion, ()),
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
        outlook=_outlook(catalog, outcomes),
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


def assess_in_force(
    family: CatalogFamily,
    evidence: EvidenceLedger | EvidenceIndex,
    *,
    unit: str | Unit,
    period: Period | str | int,
    version: str | None = None,
    as_of: date | datetime | str | None = None,
    units: UnitRegistry | None = None,
) -> Assessment:
    """Assess under the version of ``family`` in force for ``period`` (on its last day,
    :meth:`~modelunit.versions.CatalogFamily.in_force`), or under ``version`` when it is
    given. The result names the version, and records the day it was chosen for in
    :attr:`~modelunit.results.Assessment.in_force_on` (None for an explicit version).

    >>> import attrs, datetime, modelunit
    >>> from modelunit.versions import CatalogFamily
    >>> old = modelunit.load_catalog("tutorial")
    >>> family = CatalogFamily(
    ...     (old, attrs.evolve(old, version="2.0", effective_from=datetime.date(2025, 1, 1))))
    >>> ledger = modelunit.load_evidence("tutorial")
    >>> unit = ledger.records[0].unit
    >>> r = assess_in_force(family, ledger, unit=unit, period="2024")
    >>> r.version, r.in_force_on
    ('1.0', datetime.date(2024, 12, 31))
    >>> assess_in_force(family, ledger, unit=unit, period="2024", version="2.0").version
    '2.0'
    """
    if version is None:
        catalog, day = family.in_force(period), family.day_for(period)
    else:
        catalog, day = family.version(version), None
    period = _as_period(period, catalog)
    result = assess(catalog, evidence, unit=unit, period=period, as_of=as_of, units=units)
    return attrs.evolve(result, in_force_on=day)


def compare_versions(
    old: CriteriaSet,
    new: CriteriaSet,
    evidence: EvidenceLedger,
    *,
    unit: str | Unit,
    period: Period | str | int,
    as_of: date | datetime | str | None = None,
    units: UnitRegistry | None = None,
) -> VersionComparison:
    """Assess one unit and period under two versions and compare them outcome by outcome
    (:func:`~modelunit.versions.compare_assessments`)."""
    a = assess(old, evidence, unit=unit, period=period, as_of=as_of, units=units)
    b = assess(new, evidence, unit=unit, period=period, as_of=as_of, units=units)
    return compare_assessments(old, a, new, b)


def reassess(
    old: Assessment,
    catalog: CriteriaSet,
    evidence: EvidenceLedger,
    *,
    units: UnitRegistry | None = None,
    lang: Lang = "en",
) -> Assessment:
    """Assess the same unit, period and as-of moment again under another version
    (reasons in ``lang``)."""
    return assess(
        catalog,
        evidence,
        unit=Unit(old.unit, kind=old.unit_kind) if units is None else old.unit,
        period=old.period,
        as_of=old.as_of,
        units=units,
        lang=lang,
    )


@attrs.frozen
class UnitSummary:
    """One row of a batch: a unit's counts and level for a period."""

    unit: str
    period: Period
    counts: Counts
    level: str
    recognised: bool


_BY_CODE = (Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.MET, Outcome.NOT_APPLICABLE)
"""Outcome of each code of :meth:`BatchAssessment.outcome_codes`."""

RECORD_KEYS = ("unit", "period", "criterion", "outcome", "values", "evidence")
"""The keys of every row of :meth:`BatchAssessment.to_records`, in order."""


class BatchAssessment:
    """Outcomes of many units over one or more periods, from compiled rules.

    Per-criterion outcomes are computed eagerly for every unit; counts and levels
    for every unit at once, the first time a period's are asked for; full explained
    :class:`~modelunit.results.Assessment` objects on demand from the same evidence
    index, so every outcome can be explained without re-reading the ledger; their
    reasons are written in :attr:`lang`. Every per-unit accessor costs the same
    whatever the number of units.
    """

    __slots__ = (
        "_codes",
        "_frame",
        "_lanes",
        "_position",
        "_tallies",
        "catalog",
        "index",
        "lang",
        "periods",
        "registry",
    )

    def __init__(
        self,
        *,
        catalog: CriteriaSet,
        index: EvidenceIndex,
        units: Sequence[Unit] | Frame,
        periods: tuple[Period, ...],
        registry: UnitRegistry | None,
        lanes: dict[Period, dict[str, tuple[int, int, int]]],
        lang: Lang = "en",
    ) -> None:
        self.catalog = catalog
        self.lang: Lang = lang
        self.index = index
        self._frame = units if isinstance(units, Frame) else Frame(index, units)
        self.periods = periods
        self.registry = registry
        self._lanes = lanes
        self._position = dict(zip(self._frame.unit_ids, itertools.count()))
        self._codes: dict[Period, dict[str, bytes]] = {}
        self._tallies: dict[Period, _Tally] = {}

    @property
    def units(self) -> tuple[Unit, ...]:
        """The units assessed, in batch order."""
        return self._frame.units

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """The ids of the units assessed, in batch order (no
        :class:`~modelunit.evidence.Unit` built)."""
        return tuple(self._frame.unit_ids)

    def __repr__(self) -> str:
        c, periods = self.catalog, ", ".join(str(p) for p in self.periods)
        return f"<BatchAssessment {c.id} {c.version}: {len(self.units)} units x {periods}>"

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - the notebook view, on demand

        return display.html(self)

    def to_pandas(self, *, explain: bool = True) -> Any:
        """One row per unit, period and criterion (:func:`modelunit.frames.batch_records`)
        as a pandas DataFrame (extra ``pandas``)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.to_pandas(frames.batch_records(self, explain=explain))

    def plot(self, **options: Any) -> Any:
        """The criteria-by-units heat map (:func:`modelunit.plot.heatmap`); its Axes."""
        from modelunit import plot  # noqa: PLC0415 - matplotlib on demand

        return plot.heatmap(self, **options)

    @property
    def as_of(self) -> datetime | None:
        """The moment the evidence stands at (the index's), or None for the whole ledger."""
        return self.index.as_of

    def _period(self, period: Period | str | int) -> Period:
        p = _as_period(period, self.catalog)
        if p not in self._lanes:
            raise UnknownPeriodError(
                str(p), (str(q) for q in self._lanes), detail="not assessed in this batch"
            )
        return p

    def _unit(self, unit: str) -> int:
        try:
            return self._position[as_id(unit)]
        except KeyError:
            raise UnknownUnitError(unit, self._position, detail="not in this batch") from None

    def _all_codes(self, period: Period) -> dict[str, bytes]:
        found = self._codes.get(period)
        if found is None:
            found = {c.id: self.outcome_codes(period, c.id) for c in self.catalog.criteria}
            self._codes[period] = found
        return found

    def outcome(self, unit: str, period: Period | str | int, criterion: str) -> Outcome:
        """The outcome of one criterion for one unit and period."""
        i = self._unit(unit)
        codes = self._all_codes(self._period(period))
        found = codes.get(criterion)
        if found is None:
            raise UnknownCriterionError(criterion, codes)
        return _BY_CODE[found[i]]

    def outcomes(self, unit: str, period: Period | str | int) -> dict[str, Outcome]:
        """Every criterion's outcome for one unit and period, in catalog order."""
        i = self._unit(unit)
        return {
            cid: _BY_CODE[codes[i]] for cid, codes in self._all_codes(self._period(period)).items()
        }

    def outcome_codes(self, period: Period | str | int, criterion: str) -> bytes:
        """One byte per unit (in batch order): 0 not met, 1 insufficient, 2 met, 3 n/a.

        The raw, vectorised view for callers that process many units at once.
        """
        lanes = self._lanes[self._period(period)]
        if criterion not in lanes:
            raise UnknownCriterionError(criterion, lanes)
        met, failed, app = lanes[criterion]
        n = len(self._position)
        insufficient = app & ~(met | failed)
        # 3 for n/a lanes, 2 met, 1 insufficient, 0 failed: met*2 + insufficient + n/a*3.
        ones = int.from_bytes(b"\x01" * n, "little")
        code = 2 * met + insufficient + 3 * (ones ^ app)
        return code.to_bytes(n, "little")

    def _tally(self, period: Period) -> _Tally:
        found = self._tallies.get(period)
        if found is None:
            found = _Tally(self.catalog, self._lanes[period], len(self._position))
            self._tallies[period] = found
        return found

    def summary(self, unit: str, period: Period | str | int) -> UnitSummary:
        """The unit's counts and level for the period."""
        p = self._period(period)
        return self._tally(p).summary(self._frame.unit_ids, self._unit(unit), p)

    def summaries(self, period: Period | str | int | None = None) -> Iterator[UnitSummary]:
        """A summary row per unit and period (periods in order, then units in order);
        with ``period``, that period's only. Counts and levels are decided for all units
        at once, without rendering any explained assessment."""
        ids = self._frame.unit_ids
        for p in self.periods if period is None else (self._period(period),):
            tally = self._tally(p)
            for i in range(len(ids)):
                yield tally.summary(ids, i, p)

    def to_records(self) -> Iterator[dict[str, Any]]:
        """The verdicts as rows of plain data, one per unit, period and criterion (periods
        in order, then units, then criteria in catalog order), with the keys
        :data:`RECORD_KEYS`:

        - ``unit``, ``criterion``: ids; ``period``: its text (``"2023"``);
        - ``outcome``: ``"met"``, ``"not_met"``, ``"insufficient"`` or
          ``"not_applicable"``;
        - ``values``: ``(indicator, period, value)`` for every value the criterion's rule
          reads for the unit itself, in rule order (value None when it cannot be
          determined); exact (``int``, ``Decimal``, ``bool``, category name);
        - ``evidence``: the ids of the records behind those values (conflicting records
          included), each once.

        An explained assessment (:meth:`assessment`) cites only what decided the outcome,
        so its evidence may be fewer; a rule over sub-units or another criterion reads no
        value of the unit itself (there, see :meth:`assessment`).
        """
        index = self.index
        ids = self._frame.unit_ids
        positions = index.positions(ids)
        for p in self.periods:
            codes = self._all_codes(p)
            reads = {c.id: criterion_reads(c.rule, p) for c in self.catalog.criteria}
            cells: dict[tuple[str, Period], tuple[list[Any], list[tuple[str, ...]]]] = {}
            for key in dict.fromkeys(k for ks in reads.values() for k in ks):
                cells[key] = (
                    index.column(positions, *key),
                    index.evidence_column(positions, *key),
                )
            text = str(p)
            labels = {key: (key[0], str(key[1])) for key in cells}
            for i, uid in enumerate(ids):
                for cid, keys in reads.items():
                    values = tuple((*labels[k], cells[k][0][i]) for k in keys)
                    evidence = tuple(dict.fromkeys(e for k in keys for e in cells[k][1][i]))
                    yield {
                        "unit": uid,
                        "period": text,
                        "criterion": cid,
                        "outcome": _BY_CODE[codes[cid][i]].value,
                        "values": values,
                        "evidence": evidence,
                    }

    def assessment(self, unit: str, period: Period | str | int) -> Assessment:
        """The full explained assessment of one unit, rendered from the same evidence."""
        the_unit = self.units[self._unit(unit)]
        return assess(
            self.catalog,
            self.index,
            unit=the_unit,
            period=self._period(period),
            units=self.registry,
            lang=self.lang,
        )


class _Tally:
    """Counts and levels of every unit of a batch for one period, decided at once."""

    __slots__ = ("counts", "level_of", "levels")

    def __init__(
        self, catalog: CriteriaSet, lanes: dict[str, tuple[int, int, int]], n: int
    ) -> None:
        ones = int.from_bytes(b"\x01" * n, "little")
        criteria = [lanes[c.id] for c in catalog.criteria]
        self.counts = (
            *(
                lane_counts([outcome_lane(x, name) for x in criteria], n)
                for name in ("met", "not_met", "insufficient")
            ),
            lane_counts([ones ^ app for _, _, app in criteria], n),
        )
        self.levels = (*catalog.policy.levels, catalog.policy.fallback)
        reached = level_lanes(catalog, lanes, n)
        self.level_of: list[int] = [0] * n
        for k, lane in enumerate(reached):
            for i in itertools.compress(range(n), lane.to_bytes(n, "little")):
                self.level_of[i] = k

    def summary(self, ids: Sequence[str], i: int, period: Period) -> UnitSummary:
        met, not_met, insufficient, na = self.counts
        level = self.levels[self.level_of[i]]
        return UnitSummary(
            ids[i],
            period,
            Counts(met[i], not_met[i], insufficient[i], na[i]),
            level.id,
            level.recognised,
        )


def assess_batch(
    catalog: CriteriaSet | CompiledCatalog,
    evidence: EvidenceLedger | EvidenceIndex,
    *,
    units: Sequence[str | Unit] | None = None,
    periods: Sequence[Period | str | int],
    as_of: date | datetime | str | None = None,
    registry: UnitRegistry | None = None,
    frame: Frame | None = None,
    lang: Lang = "en",
) -> BatchAssessment:
    """Assess many units over one or more periods with rules compiled once.

    ``units`` defaults to every unit with evidence (sorted). The result gives
    each criterion's outcome per unit and period and renders explained
    assessments on demand; outcomes equal those of :func:`assess`. ``lang`` is the
    language of the reasons in those assessments.
    """
    compiled = catalog if isinstance(catalog, CompiledCatalog) else CompiledCatalog(catalog)
    the_catalog = compiled.catalog
    index = _index(the_catalog, evidence, as_of)
    if frame is None:
        if units is None:
            # Every unit with evidence: known to the index, so no unit is resolved one by
            # one; kinds from the registry, else the catalog's first.
            ids = sorted(index.units())
            default = the_catalog.unit_kinds[0] if the_catalog.unit_kinds else "ward"
            kinds_of = {} if registry is None else {u.id: u.kind for u in registry.units}
            kinds = list(map(kinds_of.get, ids, itertools.repeat(default)))
            frame = compiled.frame_of_ids(index, ids, kinds, registry)
        else:
            resolved = tuple(_resolve_unit(u, registry, the_catalog, index) for u in units)
            frame = compiled.frame(index, resolved, registry)
    the_periods = tuple(_as_period(p, the_catalog) for p in periods)
    # Read every column the rules need (sub-unit frames read theirs on first use).
    frame.prefetch(k for p in the_periods for k in needed_columns(the_catalog, p))
    lanes = {p: compiled.evaluate(frame, p) for p in the_periods}
    return BatchAssessment(
        catalog=the_catalog,
        index=index,
        units=frame,
        periods=the_periods,
        registry=registry,
        lanes=lanes,
        lang=lang,
    )
