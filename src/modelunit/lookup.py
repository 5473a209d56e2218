"""Resolve "the value of indicator X for unit U over period P" from a ledger.

An :class:`EvidenceIndex` is built once per (criteria set, ledger as of a moment)
and then answers lookups; both the explained evaluator and the batch evaluator read
values through it, so they cannot disagree about evidence. It carries the moment it
was built for (:attr:`EvidenceIndex.as_of`), which every assessment made from it
records.

>>> from modelunit import load_catalog, load_evidence
>>> from modelunit.periods import Period
>>> catalog = load_catalog("tutorial")
>>> index = EvidenceIndex(catalog.indicators, load_evidence("tutorial"), as_of="2024-01-31")
>>> index.as_of
datetime.datetime(2024, 1, 31, 23, 59, 59, 999999)
>>> index.lookup("phuong-an-hoa", "social_order_crimes", Period.parse("2023"))
Resolved(value=18, evidence=('ev-2023-soc',), how='')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs

from modelunit._checks import as_id
from modelunit._i18n import Lang
from modelunit._numbers import exact_arithmetic
from modelunit._texts import text
from modelunit.errors import (
    InvalidEvidenceError,
    InvalidValueError,
    Problem,
    UnknownIndicatorError,
)
from modelunit.evidence import Evidence, EvidenceLedger, moment
from modelunit.indicators import Indicator, Value
from modelunit.periods import Period

__all__ = ["EvidenceIndex", "Lookup", "Missing", "Resolved"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Resolved:
    """A value found for (unit, indicator, period), with the records it came from."""

    value: Value
    evidence: tuple[str, ...]
    how: str = ""  # "" for a direct record, else e.g. "sum of 4 sub-periods"


@attrs.frozen
class Missing:
    """No value could be determined; ``reason`` says why."""

    reason: str
    evidence: tuple[str, ...] = ()


Lookup = Resolved | Missing

_Entry = Evidence  # current records; values needing conversion are kept apart


class EvidenceIndex:
    """Current (non-superseded) records by unit and indicator, checked against types.

    Records for indicators the criteria set does not declare are ignored (a
    ledger can serve several versions of a set); records for declared
    indicators whose values do not fit the type are errors, all reported at once.

    With ``as_of``, only records recorded by then count (see
    :meth:`~modelunit.evidence.EvidenceLedger.as_of`); the index remembers it in
    :attr:`as_of`, and every assessment made from it records it.
    """

    __slots__ = ("_converted", "_entries", "_known", "as_of", "indicators")

    def __init__(
        self,
        indicators: Iterable[Indicator],
        ledger: EvidenceLedger,
        *,
        as_of: date | datetime | str | None = None,
    ) -> None:
        self.indicators = {i.key: i for i in indicators}
        #: The moment the index stands at (naive UTC), or None for the whole ledger.
        self.as_of: datetime | None = None if as_of is None else moment(as_of)
        # Every unit the ledger speaks of, even where nothing was recorded by as_of.
        self._known = frozenset(r.unit for r in ledger.records)
        if self.as_of is not None:
            ledger = ledger.as_of(self.as_of)
        # The records themselves are the entries: no per-record tuple is built, which
        # keeps memory and garbage-collector work proportional to the ledger.
        # unit -> indicator -> records: no key tuple per record.
        entries: dict[str, dict[str, list[_Entry]]] = {}
        converted: dict[str, Value] = {}
        problems: list[Problem] = []
        for rec in ledger.current():
            ind = self.indicators.get(rec.indicator)
            if ind is None:
                continue
            value = rec.value
            # Fast paths for the common, already-valid cases; everything else is checked.
            kind = type(value)
            if not (
                (kind is int and ind.type == "count" and value >= 0)  # type: ignore[operator]
                or (kind is bool and ind.type == "boolean")
            ):
                try:
                    coerced = ind.coerce(value)
                except InvalidValueError as exc:
                    problems.append(Problem("value", str(exc), record=rec.id))
                    continue
                if coerced is not value:
                    converted[rec.id] = coerced
            by_indicator = entries.get(rec.unit)
            if by_indicator is None:
                by_indicator = entries[rec.unit] = {}
            found = by_indicator.get(rec.indicator)
            if found is None:
                by_indicator[rec.indicator] = [rec]
            else:
                found.append(rec)
        if problems:
            raise InvalidEvidenceError(problems)
        self._entries = entries
        self._converted = converted

    def _value(self, rec: Evidence) -> Value:
        return self._converted.get(rec.id, rec.value) if self._converted else rec.value

    @classmethod
    def from_records(
        cls, indicators: Iterable[Indicator], records: Iterable[Evidence]
    ) -> EvidenceIndex:
        return cls(indicators, EvidenceLedger(tuple(records)))

    def units(self) -> set[str]:
        """Ids of the units with current evidence for the set's indicators."""
        return set(self._entries)

    def knows(self, unit: str) -> bool:
        """Whether the ledger holds any record for ``unit`` (whenever recorded, for any
        indicator): a unit it knows may still have nothing to read as of the index's
        moment."""
        return as_id(unit) in self._known

    def lookup(self, unit: str, indicator: str, period: Period, *, lang: Lang = "en") -> Lookup:
        """The value of ``indicator`` for ``unit`` over ``period``, or why there is none
        (the reason, and how a value was combined, written in ``lang``)."""
        by_indicator = self._entries.get(as_id(unit))
        entries = by_indicator.get(indicator, ()) if by_indicator is not None else ()
        exact = [e for e in entries if e.period is period or e.period == period]
        if len(exact) == 1:
            return Resolved(self._value(exact[0]), (exact[0].id,))
        return self._resolve(unit, indicator, period, entries, exact, lang=lang)

    def columns(
        self, units: Sequence[str], indicator: str, periods: Iterable[Period]
    ) -> dict[Period, tuple[list[Value | None], bytearray]]:
        """For each of ``periods``: the value of ``indicator`` for each of ``units``
        (None where it cannot be determined) and a presence flag per unit.

        The bulk form of :meth:`lookup`: one pass over each unit's records fills every
        period's column, and only units without exactly one record for a period (no
        record, sub-periods to combine, a conflict) go through :meth:`lookup`.
        """
        wanted = list(dict.fromkeys(periods))
        n = len(units)
        out: dict[Period, tuple[list[Value | None], bytearray]] = {
            p: ([None] * n, bytearray(n)) for p in wanted
        }
        hits = {p: bytearray(n) for p in wanted}
        entries = self._entries
        converted = self._converted
        for i, unit in enumerate(units):
            by_indicator = entries.get(unit)
            found = by_indicator.get(indicator) if by_indicator is not None else None
            if not found:
                continue
            for rec in found:
                column = out.get(rec.period)
                if column is None:
                    continue
                count = hits[rec.period]
                if count[i] < 2:
                    count[i] += 1
                column[0][i] = converted.get(rec.id, rec.value) if converted else rec.value
                column[1][i] = 1
            for p in wanted:
                if hits[p][i] != 1:
                    # No single record for exactly this period: combine, explain or
                    # report as the one-unit lookup does.
                    result = self.lookup(unit, indicator, p)
                    if isinstance(result, Resolved):
                        out[p][0][i] = result.value
                        out[p][1][i] = 1
                    else:
                        out[p][0][i] = None
                        out[p][1][i] = 0
        return out

    def _resolve(
        self,
        unit: str,
        indicator: str,
        period: Period,
        entries: Sequence[_Entry],
        exact: list[_Entry],
        *,
        lang: Lang,
    ) -> Lookup:
        ind = self.indicators.get(indicator)
        if ind is None:
            raise UnknownIndicatorError(
                indicator, self.indicators, detail="not declared by the set"
            )
        if len(exact) > 1:
            ids = tuple(e.id for e in exact)
            return Missing(
                text(
                    "missing.conflict", lang, indicator=indicator, period=period, ids=", ".join(ids)
                ),
                ids,
            )
        inside = [e for e in entries if period.contains(e.period)]
        if not inside:
            return Missing(
                text("missing.none", lang, indicator=indicator, period=period)
                + _straddling(period, entries, lang)
            )
        if ind.aggregation == "last":
            ending = [e for e in inside if e.period.end == period.end]
            if not ending:
                last = max(e.period.end for e in inside)
                return Missing(
                    text("missing.no_end", lang, indicator=indicator, period=period, last=last),
                    tuple(e.id for e in inside),
                )
            # Several records end on the period's end (a quarter and its last
            # month): the shortest, most specific one stands.
            best = max(ending, key=lambda e: (e.period.start, e.id))
            return Resolved(
                self._value(best), (best.id,), text("how.last", lang, period=best.period)
            )
        tiling = _tile(period, inside, lang)
        if isinstance(tiling, str):
            return Missing(
                text("missing.tiling", lang, indicator=indicator, period=period, problem=tiling)
                + _straddling(period, entries, lang),
                tuple(e.id for e in inside),
            )
        values = [self._value(e) for e in tiling]
        ids = tuple(e.id for e in tiling)
        agg = ind.aggregation
        how = text(_HOW[agg], lang, count=len(tiling))
        if agg == "sum":
            with exact_arithmetic():
                total: int | Decimal = sum(values)  # type: ignore[arg-type]
            return Resolved(total, ids, how)
        if agg == "any":
            return Resolved(any(values), ids, how)
        if agg == "all":
            return Resolved(all(values), ids, how)
        if ind.type == "category":
            ranked = sorted(values, key=lambda v: ind.rank(str(v)))
            return Resolved(ranked[-1] if agg == "max" else ranked[0], ids, how)
        pick = max if agg == "max" else min
        return Resolved(pick(values), ids, how)


# How values of sub-periods are combined, by aggregation ("last" is said apart).
_HOW = {"sum": "how.sum", "max": "how.max", "min": "how.min", "any": "how.any", "all": "how.all"}


def _straddling(period: Period, entries: Sequence[_Entry], lang: Lang = "en") -> str:
    """Why records that overlap ``period`` were not used, if some do: a record is never
    split, so calendar months cannot make up a reporting year from 15 December."""
    across = sorted(
        {
            str(e.period): e.period
            for e in entries
            if period.overlaps(e.period) and not period.contains(e.period)
        }.values(),
        key=Period.sort_key,
    )
    if not across:
        return ""
    shown = ", ".join(str(p) for p in across[:3]) + (", ..." if len(across) > 3 else "")
    return text("missing.straddling", lang, periods=shown)


def _tile(period: Period, inside: list[_Entry], lang: Lang = "en") -> list[_Entry] | str:
    """Sub-period records that cover ``period`` exactly once, or why they do not.

    When records of several granularities cover the same days (quarters and
    months), the coarsest tiling that works is used, so a quarter total is not
    added to its own months.
    """
    # Try coarse-to-fine: greedily take, at each position, the longest record
    # starting there whose end still leaves a continuation.
    by_start: dict[object, list[_Entry]] = {}
    for e in inside:
        by_start.setdefault(e.period.start, []).append(e)
    for lst in by_start.values():
        lst.sort(key=lambda e: (-(e.period.end - e.period.start).days, e.id))
    chosen: list[_Entry] = []
    cursor = period.start
    while cursor <= period.end:
        options = by_start.get(cursor)
        if not options:
            return text("tiling.gap", lang, day=cursor.isoformat())
        pick = None
        for opt in options:
            nxt = opt.period.end + timedelta(days=1)
            if nxt > period.end or nxt in by_start:
                pick = opt
                break
        twins = [o.id for o in options if o.period.end == pick.period.end] if pick else []
        if len(twins) > 1:
            return text("tiling.conflict", lang, period=pick.period, ids=", ".join(twins))  # type: ignore[union-attr]
        if pick is None:
            return text("tiling.stops", lang, day=options[0].period.end.isoformat())
        chosen.append(pick)
        cursor = pick.period.end + timedelta(days=1)
    return chosen
