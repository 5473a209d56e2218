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

import itertools
import operator
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, assert_never

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
from modelunit.evidence import Evidence, EvidenceColumns, EvidenceLedger, field_values, moment
from modelunit.indicators import Indicator, Value
from modelunit.limits import MAX_DIGITS
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

_Entry = Evidence

_NONES = itertools.repeat(None)
_canonical_key = operator.attrgetter("recorded_at", "id")

# A table holds, for one indicator and one period, each unit's current record and its
# value: two lists by unit position (dense; the last slot is that of units without
# records), or two dicts from position (sparse, when a list per period would cost far
# more than the records). Entries are Evidence objects or, for a ledger given as
# columns, row numbers; None in an empty slot (and in a slot with a conflict).
_Slots = list[Any] | dict[int, Any]
_Table = tuple[_Slots, _Slots]


class EvidenceIndex:
    """Current (non-superseded) records by unit and indicator, checked against types.

    Records for indicators the criteria set does not declare are ignored (a
    ledger can serve several versions of a set); records for declared
    indicators whose values do not fit the type are errors, all reported at once.

    With ``as_of``, only records recorded by then count (see
    :meth:`~modelunit.evidence.EvidenceLedger.as_of`); the index remembers it in
    :attr:`as_of`, and every assessment made from it records it.

    It is built in one pass over the records in the order they were given: a table per
    indicator and period holds each unit's record and value, so that a column of values
    for many units (:meth:`column`) is read at C speed; values are then checked a table
    at a time.
    """

    __slots__ = (
        "_conflicts",
        "_converted",
        "_dense",
        "_identity",
        "_known",
        "_ledger",
        "_n",
        "_placeholders",
        "_pos",
        "_rows",
        "_tables",
        "_unit_ids",
        "_units",
        "as_of",
        "indicators",
    )

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
        # Every unit the ledger speaks of, even where nothing was recorded by as_of:
        # read on first use of knows().
        self._ledger = ledger
        self._known: frozenset[str] | None = None
        self._units: set[str] | None = None
        if self.as_of is not None:
            ledger = ledger.as_of(self.as_of)
        rows = ledger.rows
        self._rows = rows
        budget = _dense_budget(len(rows))
        self._placeholders = {k: _placeholder(i) for k, i in self.indicators.items()}
        build = _build(rows, self._placeholders, budget) or _build(rows, self._placeholders, None)
        assert build is not None
        self._unit_ids = build.units
        self._n = len(build.units)
        self._pos = build.pos
        self._dense = build.dense
        self._identity: list[int] | None = None
        by_period, spare = build.finish()
        self._tables: dict[str, dict[Period, _Table]] = {}
        self._conflicts: dict[tuple[str, Period], dict[int, list[Any]]] = {}
        self._converted: dict[str, Value] = {}
        self._merge(by_period, spare, ledger.superseded())
        self._check_values()

    # -- building ------------------------------------------------------------------------------

    def _record(self, entry: Any) -> Evidence:
        return entry if type(entry) is Evidence else self._rows.row(entry)  # type: ignore[union-attr]

    def _merge(
        self,
        by_period: list[tuple[Period, dict[str, _Table]]],
        spare: list[Any],
        superseded: frozenset[str],
    ) -> None:
        """Tables by indicator and period (equal periods given as different objects
        merged), then every slot with more than one record resolved: records that
        another supersedes drop out; two or more current ones are a conflict."""
        tables = self._tables
        for period, found in by_period:
            for key, table in found.items():
                mine = tables.setdefault(key, {})
                into = mine.get(period)
                if into is None:
                    mine[period] = table
                    continue
                for i, entry in _filled(table[0]):
                    if _get(into[0], i) is None:
                        into[0][i] = entry
                        into[1][i] = table[1][i]
                    else:
                        spare.append(entry)
        if not spare:
            return
        groups: dict[tuple[str, Period, int], list[Any]] = {}
        for entry in spare:
            rec = self._record(entry)
            groups.setdefault((rec.indicator, rec.period, self._pos[rec.unit]), []).append(entry)
        for (key, period, i), extra in groups.items():
            entries, values = tables[key][period]
            candidates = [entries[i], *extra]
            current = [e for e in candidates if self._record(e).id not in superseded]
            if len(current) == 1:
                entries[i] = current[0]
                values[i] = self._record(current[0]).value
                continue
            _clear(entries, i)
            if isinstance(values, list):
                values[i] = self._placeholders[key]
            else:
                values.pop(i, None)
            if current:
                self._conflicts.setdefault((key, period), {})[i] = current

    def _check_values(self) -> None:
        """Every current record's value against its indicator's type, a table at a time
        at C speed; a table that does not pass is checked record by record (each
        distinct value converted once), so every problem is found and values in other
        forms are converted once."""
        problems: list[tuple[tuple[datetime, str], Problem]] = []
        for key, periods in self._tables.items():
            ind = self.indicators[key]
            seen: dict[tuple[type, object], tuple[Value | None, str | None]] = {}
            for entries, values in periods.values():
                if _fits(ind, values if isinstance(values, list) else list(values.values())):
                    continue
                for i, entry in _filled(entries):
                    coerced = self._check_one(ind, entry, problems, seen)
                    if coerced is not None:
                        values[i] = coerced
        for (key, _), conflicts in self._conflicts.items():
            ind = self.indicators[key]
            for current in conflicts.values():
                for entry in current:
                    self._check_one(ind, entry, problems, {})
        if problems:
            problems.sort(key=operator.itemgetter(0))
            raise InvalidEvidenceError([p for _, p in problems])

    def _field(self, entry: Any, name: str) -> Any:
        """One field of an entry (a record, or a row of columns: no record is built)."""
        if type(entry) is Evidence:
            return getattr(entry, name)
        return getattr(self._rows, name)[entry]

    def _check_one(
        self,
        ind: Indicator,
        entry: Any,
        problems: list[tuple[tuple[datetime, str], Problem]],
        seen: dict[tuple[type, object], tuple[Value | None, str | None]],
    ) -> Value | None:
        """The converted value of one record, if it differs; a problem if it does not fit.
        ``seen`` holds what ``ind.coerce`` made of each distinct value already met (None
        for a value it returns as it is, or the message of its refusal)."""
        value = self._field(entry, "value")
        memo = _memo_key(value)
        found = None if memo is None else seen.get(memo)
        if found is None:
            try:
                coerced = ind.coerce(value)
            except InvalidValueError as exc:
                found = (None, str(exc))
            else:
                found = (None if coerced is value else coerced, None)
            if memo is not None:
                seen[memo] = found
        converted, message = found
        if message is not None:
            rid = self._field(entry, "id")
            problems.append(
                ((self._field(entry, "recorded_at"), rid), Problem("value", message, record=rid))
            )
            return None
        if converted is None:
            return None
        self._converted[self._field(entry, "id")] = converted
        return converted

    # -- reading -----------------------------------------------------------------------------

    def _value(self, rec: Evidence) -> Value:
        return self._converted.get(rec.id, rec.value) if self._converted else rec.value

    @classmethod
    def from_records(
        cls, indicators: Iterable[Indicator], records: Iterable[Evidence]
    ) -> EvidenceIndex:
        return cls(indicators, EvidenceLedger(tuple(records)))

    def units(self) -> set[str]:
        """Ids of the units with current evidence for the set's indicators."""
        if self._units is None:
            self._units = self._find_units()
        return set(self._units)

    def _find_units(self) -> set[str]:
        n = self._n
        dense = [t[0] for ts in self._tables.values() for t in ts.values() if type(t[0]) is list]
        # A table filled for every unit (its extra slot aside) answers at once. Identity
        # tests: list.count would call each record's __eq__.
        if any(
            all(map(operator.is_not, itertools.islice(entries, n), _NONES)) for entries in dense
        ):
            return set(self._unit_ids)
        # Lane-wise "or" of the tables' presence flags (one byte per unit), in C.
        full = int.from_bytes(b"\x01" * n, "little")
        seen = 0
        for periods in self._tables.values():
            for entries, _ in periods.values():
                if type(entries) is dict:
                    seen |= int.from_bytes(bytes(map(entries.__contains__, range(n))), "little")
                else:
                    seen |= int.from_bytes(
                        bytes(map(operator.is_not, itertools.islice(entries, n), _NONES)),
                        "little",
                    )
                if seen == full:
                    return set(self._unit_ids)
        for conflicts in self._conflicts.values():
            for i in conflicts:
                seen |= 1 << (8 * i)
        flags = seen.to_bytes(n, "little")
        return set(itertools.compress(self._unit_ids, flags))

    def knows(self, unit: str) -> bool:
        """Whether the ledger holds any record for ``unit`` (whenever recorded, for any
        indicator): a unit it knows may still have nothing to read as of the index's
        moment."""
        if self._known is None:
            self._known = frozenset(field_values(self._ledger.rows, "unit"))
        return as_id(unit) in self._known

    def _entries_of(self, unit: str, indicator: str) -> list[Evidence]:
        """Every current record of ``unit`` and ``indicator``, in recording order."""
        i = self._pos.get(unit)
        periods = self._tables.get(indicator)
        if i is None or periods is None:
            return []
        found = []
        for period, (entries, _) in periods.items():
            entry = _get(entries, i)
            if entry is not None:
                found.append(self._record(entry))
            else:
                conflicts = self._conflicts.get((indicator, period))
                if conflicts is not None and i in conflicts:
                    found.extend(map(self._record, conflicts[i]))
        if len(found) > 1:
            found.sort(key=_canonical_key)
        return found

    def lookup(self, unit: str, indicator: str, period: Period, *, lang: Lang = "en") -> Lookup:
        """The value of ``indicator`` for ``unit`` over ``period``, or why there is none
        (the reason, and how a value was combined, written in ``lang``)."""
        entries = self._entries_of(as_id(unit), indicator)
        exact = [e for e in entries if e.period is period or e.period == period]
        if len(exact) == 1:
            return Resolved(self._value(exact[0]), (exact[0].id,))
        return self._resolve(unit, indicator, period, entries, exact, lang=lang)

    def positions(self, units: Sequence[str]) -> list[int]:
        """Each unit's position in the index's tables (an always-empty one for a unit
        without records): what :meth:`column` reads a column for."""
        found = list(map(self._pos.get, units, itertools.repeat(self._n)))
        if self._dense and found == self._in_order():
            return self._in_order()  # every unit, in the tables' order: read by slicing
        return found

    def _in_order(self) -> list[int]:
        if self._identity is None:
            self._identity = list(range(self._n))
        return self._identity

    def _combines(self, indicator: str, period: Period) -> bool:
        """Whether records of sub-periods (or conflicts) may decide a value where no
        single record for exactly ``period`` does."""
        return bool(self._conflicts.get((indicator, period))) or any(
            q != period and period.contains(q) for q in self._tables.get(indicator, ())
        )

    def column(
        self, positions: Sequence[int], indicator: str, period: Period
    ) -> list[Value | None]:
        """The value of ``indicator`` over ``period`` for the units at ``positions``
        (from :meth:`positions`), None where it cannot be determined: :meth:`lookup` for
        every unit, at C speed where a unit has exactly one record for the period."""
        values, present = self.column_present(positions, indicator, period)
        i = present.find(0)
        while i >= 0:
            values[i] = None
            i = present.find(0, i + 1)
        return values

    def column_present(
        self, positions: Sequence[int], indicator: str, period: Period
    ) -> tuple[list[Any], bytearray]:
        """:meth:`column` as the batch evaluator reads it: every value (a placeholder of
        the indicator's type where there is none) and a flag per unit, 1 where there is
        one. Nothing is looked at one unit at a time unless sub-periods may combine."""
        table = self._tables.get(indicator, {}).get(period)
        placeholder = self._placeholders.get(indicator)
        values: list[Any]
        if table is None:
            values = [placeholder] * len(positions)
            present = bytearray(len(positions))
        else:
            entries, found = table
            if positions is self._identity and isinstance(found, list):
                values = found[: self._n]
                present = bytearray(
                    map(operator.is_not, itertools.islice(entries, self._n), _NONES)
                )
            elif isinstance(found, list):
                values = list(map(found.__getitem__, positions))
                slots = map(entries.__getitem__, positions)
                present = bytearray(map(operator.is_not, slots, _NONES))
            else:
                values = list(map(found.get, positions, itertools.repeat(placeholder)))
                present = bytearray(map(entries.__contains__, positions))
        if self._combines(indicator, period):
            j = present.find(0)
            while j >= 0:
                i = positions[j]
                if i < self._n:
                    got = self.lookup(self._unit_ids[i], indicator, period)
                    if isinstance(got, Resolved):
                        values[j] = got.value
                        present[j] = 1
                j = present.find(0, j + 1)
        return values, present

    def evidence_column(
        self, positions: Sequence[int], indicator: str, period: Period
    ) -> list[tuple[str, ...]]:
        """The ids of the records behind each value of :meth:`column` (for a value that
        cannot be determined, those that say why: conflicting records, sub-periods that
        do not tile), as :meth:`lookup` cites them."""
        table = self._tables.get(indicator, {}).get(period)
        entries = [None] * len(positions) if table is None else map(_getter(table[0]), positions)
        field = self._field
        found: list[tuple[str, ...]] = [() if e is None else (field(e, "id"),) for e in entries]
        if self._combines(indicator, period):
            for j, ids in enumerate(found):
                i = positions[j]
                if not ids and i < self._n:
                    found[j] = self.lookup(self._unit_ids[i], indicator, period).evidence
        return found

    def columns(
        self, units: Sequence[str], indicator: str, periods: Iterable[Period]
    ) -> dict[Period, tuple[list[Value | None], bytearray]]:
        """For each of ``periods``: the value of ``indicator`` for each of ``units``
        (None where it cannot be determined) and a presence flag per unit.

        The bulk form of :meth:`lookup`: a unit with exactly one record for a period is
        read straight from the index's table for that period, and only the others (no
        record, sub-periods to combine, a conflict) go through :meth:`lookup`.
        """
        positions = self.positions(units)
        out: dict[Period, tuple[list[Value | None], bytearray]] = {}
        for period in dict.fromkeys(periods):
            values = self.column(positions, indicator, period)
            out[period] = (values, bytearray(map(operator.is_not, values, _NONES)))  # noqa: RUF100
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


# -- table helpers -------------------------------------------------------------------------


def _getter(slots: _Slots) -> Any:
    """Slot i -> its content (None for an empty one), as a C-level callable."""
    return slots.__getitem__ if isinstance(slots, list) else slots.get


def _get(slots: _Slots, i: int) -> Any:
    return slots[i] if isinstance(slots, list) else slots.get(i)


def _clear(slots: _Slots, i: int) -> None:
    if isinstance(slots, list):
        slots[i] = None
    else:
        slots.pop(i, None)


def _filled(slots: _Slots) -> Iterator[tuple[int, Any]]:
    """(position, entry) of every filled slot."""
    if type(slots) is dict:
        return iter(slots.items())
    return itertools.compress(enumerate(slots), map(operator.is_not, slots, _NONES))


def _memo_key(value: object) -> tuple[type, object] | None:
    """What makes ``Indicator.coerce`` give the same answer for two values: their exact
    type and value (for decimals their digits and exponent, so ``1.0`` and ``1`` stay
    apart); None for a value of another type (converted on its own)."""
    if type(value) is Decimal:
        return (Decimal, value.as_tuple())
    kind = type(value)
    if kind is int or kind is bool or kind is str:
        return (kind, value)
    return None


def _dense_budget(records: int) -> int:
    """Slots dense tables may take for ``records`` records: beyond it (many periods, few
    units each) tables are dicts, whose size follows the records."""
    return 2 * records + 65_536


class _Builder:
    """Fills the tables of an index from records given as objects or columns."""

    __slots__ = ("by_id", "cap", "dense", "made", "placeholders", "pos", "spare", "units")

    def __init__(self, placeholders: dict[str, Value], *, dense: bool) -> None:
        self.dense = dense
        self.placeholders = placeholders  # what an empty slot's value holds, by indicator
        # Period object id -> (the period, indicator -> table).
        self.by_id: dict[int, tuple[Period, dict[str, _Table | None]]] = {}
        self.spare: list[Any] = []  # entries that found their slot taken
        self.pos: dict[str, int] = {}
        self.units: list[str] = []  # by position: in the order first seen
        self.cap = 1024  # slots per dense table; always more than there are units
        self.made: list[tuple[_Table, Value]] = []

    def tables_of(self, period: Period) -> dict[str, _Table | None]:
        found = self.by_id.get(id(period))
        if found is None:
            found = self.by_id[id(period)] = (period, {})
        return found[1]

    def new_table(self, tables: dict[str, _Table | None], key: str) -> _Table | None:
        """The table of ``key`` in ``tables`` (None, and remembered so, for an
        indicator the set does not declare: its records are skipped)."""
        if key not in self.placeholders:
            tables[key] = None
            return None
        placeholder = self.placeholders[key]
        table: _Table = ([None] * self.cap, [placeholder] * self.cap) if self.dense else ({}, {})
        tables[key] = table
        self.made.append((table, placeholder))
        return table

    def new_unit(self, unit: str) -> int:
        i = self.pos[unit] = len(self.units)
        self.units.append(unit)
        if self.dense and i + 1 >= self.cap:
            for (entries, values), placeholder in self.made:
                entries.extend([None] * self.cap)  # type: ignore[union-attr]
                values.extend([placeholder] * self.cap)  # type: ignore[union-attr]
            self.cap *= 2
        return i

    def slots(self) -> int:
        return len(self.made) * self.cap

    def finish(self) -> tuple[list[tuple[Period, dict[str, _Table]]], list[Any]]:
        found = []
        keep = len(self.units) + 1  # the units seen, and the slot of units without records
        for period, tables in self.by_id.values():
            kept: dict[str, _Table] = {}
            for key, table in tables.items():
                if table is None:
                    continue
                if self.dense:
                    # Trimmed in place: no copy.
                    del table[0][keep:]  # type: ignore[arg-type]
                    del table[1][keep:]  # type: ignore[arg-type]
                kept[key] = table
            found.append((period, kept))
        return found, self.spare


def _placeholder(ind: Indicator) -> Value:
    """The value an empty slot holds: of the indicator's type, so that a table's values
    can be checked and read without telling empty slots apart (their flags do that)."""
    match ind.type:
        case "count":
            return 0
        case "boolean":
            return False
        case "category":
            return ind.categories[0] if ind.categories else ""
        case "share" | "quantity":
            # A nonzero value the indicator accepts as it is, so that a table of good
            # values passes _fits; failing that (a range of only zero), any value: the
            # table then takes the record-by-record check, and empty slots stay unread.
            for candidate in (Decimal(1), ind.minimum, ind.maximum):
                if candidate and _accepts(ind, candidate):
                    return candidate
            return Decimal(1)
        case _:
            assert_never(ind.type)


def _accepts(ind: Indicator, value: Decimal) -> bool:
    try:
        return ind.coerce(value) is value
    except InvalidValueError:
        return False


def _build(
    rows: Sequence[Evidence] | EvidenceColumns,
    placeholders: dict[str, Value],
    budget: int | None,
) -> _Builder | None:
    """The tables of records by period and indicator, in one pass. Periods are told apart
    by identity here (a period is hashed once per object, not once per record); equal
    ones are merged afterwards. None when dense tables would take more than ``budget``
    slots (then build sparse ones)."""
    build = _Builder(placeholders, dense=budget is not None)
    if isinstance(rows, EvidenceColumns):
        ok = _fill_rows(build, rows, budget)
    else:
        ok = _fill_objects(build, rows, budget)
    return build if ok else None


def _fill_objects(build: _Builder, records: Sequence[Evidence], budget: int | None) -> bool:
    # The hot loop of preparing a batch: attribute reads and a few dict and list
    # operations per record, nothing allocated per record.
    pos = build.pos
    spare = build.spare
    last: object = None
    tables: dict[str, _Table | None] = {}
    last_unit: object = None
    i = 0
    dense = build.dense
    for rec in records:
        period = rec.period
        if period is not last:
            tables = build.tables_of(period)
            last = period
        try:
            table = tables[rec.indicator]
        except KeyError:
            table = build.new_table(tables, rec.indicator)
            if budget is not None and build.slots() > budget:
                return False
        if table is None:
            continue  # an indicator the set does not declare
        unit = rec.unit
        if unit is not last_unit:  # records usually come a unit at a time
            found = pos.get(unit)
            if found is None:
                found = build.new_unit(unit)
                if budget is not None and build.slots() > budget:
                    return False
            i = found
            last_unit = unit
        entries, values = table
        if dense:
            if entries[i] is None:
                entries[i] = rec
                values[i] = rec.value
                continue
        elif i not in entries:
            entries[i] = rec
            values[i] = rec.value
            continue
        spare.append(rec)
    return True


def _fill_rows(build: _Builder, rows: EvidenceColumns, budget: int | None) -> bool:
    """:func:`_fill_objects` over columns: the tables hold row numbers."""
    pos = build.pos
    spare = build.spare
    last: object = None
    tables: dict[str, _Table | None] = {}
    last_unit: object = None
    i = 0
    dense = build.dense
    for row, unit, key, period, value in zip(
        itertools.count(), rows.unit, rows.indicator, rows.period, rows.value
    ):
        if period is not last:
            tables = build.tables_of(period)
            last = period
        try:
            table = tables[key]
        except KeyError:
            table = build.new_table(tables, key)
            if budget is not None and build.slots() > budget:
                return False
        if table is None:
            continue
        if unit is not last_unit:
            found = pos.get(unit)
            if found is None:
                found = build.new_unit(unit)
                if budget is not None and build.slots() > budget:
                    return False
            i = found
            last_unit = unit
        entries, values = table
        if dense:
            if entries[i] is None:
                entries[i] = row
                values[i] = value
                continue
        elif i not in entries:
            entries[i] = row
            values[i] = value
            continue
        spare.append(row)
    return True


_LIMIT = 10**MAX_DIGITS


def _fits(ind: Indicator, values: list[Any]) -> bool:
    """Whether every value of a table (empty slots hold the indicator's placeholder) is
    already what ``ind.coerce`` returns for it, the same object: checked in a few
    C-level passes. False sends the table to the record-by-record check, which finds the
    problems and conversions, so False is always safe. Decimals are finite and within
    the limits on digits and exponent when a record is made
    (:class:`~modelunit.evidence.Evidence`), so only types and ranges are checked here."""
    if not values:
        return True
    kinds = set(map(type, values))
    match ind.type:
        case "count":
            return kinds == {int} and min(values) >= 0 and max(values) < _LIMIT
        case "boolean":
            return kinds == {bool}
        case "category":
            return kinds == {str} and set(values) <= set(ind.categories)
        case "share" | "quantity":
            # A zero is normalised by the converter (Decimal("0.00") -> Decimal(0)): one
            # sends the table to the record-by-record path.
            if kinds != {Decimal} or not all(values):
                return False
            low, high = min(values), max(values)
            if ind.type == "share" and not (low >= 0 and high <= 1):
                return False
            return (ind.minimum is None or low >= ind.minimum) and (
                ind.maximum is None or high <= ind.maximum
            )
        case _:
            assert_never(ind.type)
