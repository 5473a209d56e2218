"""Evidence records, the append-only ledger that holds them, and units.

An :class:`Evidence` record states one value of one indicator for one unit over
one period, with where it came from and when it was recorded. Records are never
edited: a correction is a new record that *supersedes* the old one, and the
history stays queryable. Assessing "as of" a moment uses only what had been
recorded by then.

>>> from datetime import datetime
>>> from modelunit.evidence import Evidence, EvidenceLedger
>>> first = Evidence("e1", "dien-bien", "social_order_crimes", "2023", 31,
...                  recorded_at=datetime(2024, 1, 10))
>>> fix = Evidence("e2", "dien-bien", "social_order_crimes", "2023", 29,
...                recorded_at=datetime(2024, 2, 1), supersedes="e1")
>>> ledger = EvidenceLedger((first, fix))
>>> [r.id for r in ledger.current()]
['e2']
>>> [r.id for r in ledger.as_of(datetime(2024, 1, 31)).current()]
['e1']
>>> [r.id for r in ledger.history("e2")]
['e1', 'e2']
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import attrs

from modelunit._checks import as_id, shown
from modelunit._numbers import exact_decimal
from modelunit.errors import (
    InvalidEvidenceError,
    InvalidValueError,
    Problem,
    UnknownRecordError,
    UnknownUnitError,
)
from modelunit.indicators import Value
from modelunit.periods import Period

__all__ = [
    "FIELDS",
    "Evidence",
    "EvidenceColumns",
    "EvidenceLedger",
    "Unit",
    "UnitRegistry",
    "Value",
    "field_values",
    "moment",
]


def __dir__() -> list[str]:
    return __all__


def moment(value: date | datetime | str) -> datetime:
    """A point in time for recording and ``as_of``: naive, in UTC.

    Aware datetimes are converted to UTC; a bare date means the *end* of that
    day, so ``as_of=date(2024, 3, 31)`` includes everything recorded that day.

    >>> moment("2024-03-31")
    datetime.datetime(2024, 3, 31, 23, 59, 59, 999999)
    """
    if isinstance(value, str):
        from dateutil.parser import isoparse  # noqa: PLC0415 - only needed for text

        text = value.strip()
        try:
            parsed = isoparse(text)
        except (ValueError, OverflowError) as exc:
            raise InvalidValueError(
                f"expected an ISO date or date-time such as '2024-03-31' or "
                f"'2024-03-31T17:00+07:00', got {shown(value)} ({exc})"
            ) from None
        if len(text) <= 10:  # a bare date
            return datetime.combine(parsed.date(), time.max)
        value = parsed
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            try:
                return value.astimezone(UTC).replace(tzinfo=None)
            except OverflowError:
                raise InvalidValueError(
                    f"{value.isoformat()} is outside the calendar once converted to UTC"
                ) from None
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.max)
    raise InvalidValueError(f"expected a date, a date-time or ISO text, got {shown(value)}")


def _to_period(value: Period | str | int) -> Period:
    return value if isinstance(value, Period) else Period.parse(value)


def _to_moment(value: date | datetime | str) -> datetime:
    return moment(value)


def _to_value(value: object) -> Value:
    # Floats become the exact decimal they were written as; a decimal must be finite and
    # within the limits on digits and exponent (checked here, once, so that reading many
    # records does not check each again); everything else is checked against the
    # indicator's type when the evidence is used.
    if isinstance(value, float):
        return exact_decimal(value)
    if isinstance(value, Decimal):
        exact_decimal(value)  # raises if not finite or too large; the value is kept as is
        return value
    if isinstance(value, bool | int | str):
        return value
    raise InvalidValueError(f"expected a boolean, number or category name, got {shown(value)}")


@attrs.frozen
class Evidence:
    """One recorded value: ``unit``'s ``indicator`` over ``period`` was ``value``.

    ``source`` says who reported it (an office, a survey); ``reference`` points
    at the document. ``supersedes`` names the record this one corrects.
    """

    # Ids are NFC text, interned: a ledger repeats the same unit and indicator many times.
    id: str = attrs.field(converter=as_id)
    unit: str = attrs.field(converter=as_id)
    indicator: str = attrs.field(converter=as_id)
    period: Period = attrs.field(converter=_to_period)
    value: Value = attrs.field(converter=_to_value)
    recorded_at: datetime = attrs.field(converter=_to_moment)
    source: str = ""
    reference: str = ""
    supersedes: str | None = attrs.field(default=None, converter=as_id)
    note: str = ""


@attrs.frozen
class Unit:
    """A unit being assessed (a ward police unit), or a sub-unit of one.

    ``kind`` decides which criteria apply (``ward``, ``commune``,
    ``special_zone``, ``residential_area``...). ``parent`` links a sub-unit
    (a residential area) to its unit (a ward).
    """

    id: str = attrs.field(converter=as_id)
    kind: str = attrs.field(default="ward", converter=as_id)
    name: str = ""
    parent: str | None = attrs.field(default=None, converter=as_id)
    region: str | None = attrs.field(default=None, converter=as_id)


@attrs.frozen
class UnitRegistry:
    """The units known to an assessment, with their parent links."""

    units: tuple[Unit, ...] = ()
    _by_id: dict[str, Unit] = attrs.field(init=False, repr=False, eq=False)
    _children: dict[str, tuple[Unit, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Unit] = {}
        problems = []
        for i, unit in enumerate(self.units):
            if unit.id in by_id:
                problems.append(
                    Problem(f"units[{i}].id", f"duplicate unit id {unit.id!r}", record=unit.id)
                )
            by_id[unit.id] = unit
        children: dict[str, list[Unit]] = {}
        for i, unit in enumerate(self.units):
            if unit.parent is not None:
                if unit.parent not in by_id:
                    problems.append(
                        Problem(
                            f"units[{i}].parent",
                            f"unknown parent unit {unit.parent!r}",
                            record=unit.id,
                        )
                    )
                children.setdefault(unit.parent, []).append(unit)
        if problems:
            raise InvalidEvidenceError(problems)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(
            self,
            "_children",
            {k: tuple(sorted(v, key=lambda u: u.id)) for k, v in children.items()},
        )

    def get(self, unit_id: str) -> Unit:
        """The unit with this id (:class:`~modelunit.errors.UnknownUnitError`, with the
        closest ids, if there is none). Ids match in Unicode NFC."""
        try:
            return self._by_id[as_id(unit_id)]
        except KeyError:
            raise UnknownUnitError(unit_id, self._by_id) from None

    def __contains__(self, unit_id: object) -> bool:
        return as_id(unit_id) in self._by_id

    def children(self, unit_id: str, kind: str | None = None) -> tuple[Unit, ...]:
        """Sub-units of ``unit_id`` (optionally of one kind), sorted by id."""
        found = self._children.get(as_id(unit_id), ())
        return found if kind is None else tuple(u for u in found if u.kind == kind)


# -- the ledger ------------------------------------------------------------------------------

#: The fields of a record, in declaration order: the columns of :class:`EvidenceColumns`.
FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Evidence))

_id = operator.attrgetter("id")
_unit = operator.attrgetter("unit")
_recorded = operator.attrgetter("recorded_at")
_supersedes = operator.attrgetter("supersedes")
_new = object.__new__
_SETTERS = tuple(Evidence.__dict__[name].__set__ for name in FIELDS)


class EvidenceColumns:
    """Evidence records as columns: one list per field of :class:`Evidence`, row ``i``
    of every list making record ``i``.

    This is how the readers (:mod:`modelunit.readers`) and the store
    (:mod:`modelunit.store`) hand evidence to a ledger without building a Python
    object per record; :meth:`EvidenceLedger.from_columns` checks plain columns.
    Every value must already be in the form an :class:`Evidence` field holds (ids in
    NFC, a :class:`~modelunit.periods.Period`, a naive UTC ``datetime``...).
    """

    __slots__ = (*FIELDS, "_cache")

    id: list[str]
    unit: list[str]
    indicator: list[str]
    period: list[Period]
    value: list[Value]
    recorded_at: list[datetime]
    source: list[str]
    reference: list[str]
    supersedes: list[str | None]
    note: list[str]

    def __init__(self, **columns: list[Any]) -> None:
        lengths = {len(columns[name]) for name in FIELDS}
        assert len(lengths) == 1, "columns of different lengths"
        for name in FIELDS:
            setattr(self, name, columns[name])
        self._cache: dict[int, Evidence] = {}

    @classmethod
    def from_records(cls, records: Iterable[Evidence]) -> EvidenceColumns:
        """The columns of ``records``."""
        given = tuple(records)
        return cls(**{name: list(map(operator.attrgetter(name), given)) for name in FIELDS})

    def __len__(self) -> int:
        return len(self.id)

    def row(self, i: int) -> Evidence:
        """Record ``i`` as an :class:`Evidence` (built once, then kept)."""
        found = self._cache.get(i)
        if found is None:
            found = _new(Evidence)
            for setter, name in zip(_SETTERS, FIELDS, strict=True):
                setter(found, getattr(self, name)[i])
            self._cache[i] = found
        return found

    def rows(self) -> tuple[Evidence, ...]:
        """Every record, in row order."""
        return tuple(map(self.row, range(len(self))))

    def take(self, rows: Sequence[int]) -> EvidenceColumns:
        """The columns of ``rows`` only."""
        out: dict[str, list[Any]] = {}
        for name in FIELDS:
            column = getattr(self, name)
            out[name] = list(map(column.__getitem__, rows))
        return EvidenceColumns(**out)


_Rows = tuple[Evidence, ...] | EvidenceColumns
"""A ledger's records as given: Evidence objects, or columns (records built on demand)."""


def field_values(rows: tuple[Evidence, ...] | EvidenceColumns, name: str) -> Iterable[Any]:
    """One field of every record of ``rows`` (:attr:`EvidenceLedger.rows`), in row order:
    the column itself, or a C-level pass over the objects."""
    if isinstance(rows, EvidenceColumns):
        return getattr(rows, name)  # type: ignore[no-any-return]
    return map(operator.attrgetter(name), rows)


def _record(rows: _Rows, i: int) -> Evidence:
    return rows.row(i) if isinstance(rows, EvidenceColumns) else rows[i]


def _rows_of(records: Iterable[Evidence] | EvidenceColumns) -> _Rows:
    if isinstance(records, EvidenceColumns):
        return records
    return tuple(records)


def _canonical(records: Iterable[Evidence]) -> tuple[Evidence, ...]:
    # Recording time, then id. Two stable sorts instead of a tuple key: no temporary
    # tuple per record.
    ordered = sorted(records, key=_id)
    ordered.sort(key=_recorded)
    return tuple(ordered)


def _corrections(rows: _Rows) -> list[int]:
    """Rows of the records that supersede another (found at C speed)."""
    return list(
        itertools.compress(
            range(len(rows)), map(operator.is_not, field_values(rows, "supersedes"), _NONES)
        )
    )


_NONES = itertools.repeat(None)


def _check(rows: _Rows) -> dict[str, str]:
    """``superseded id -> superseding id`` for a consistent ledger; otherwise an
    :class:`~modelunit.errors.InvalidEvidenceError` listing every problem.

    The usual case (unique ids, valid corrections) is checked in a few C-level passes;
    anything wrong is reported by :func:`_problems`, over the records in canonical order,
    so the paths name positions in :attr:`EvidenceLedger.records`.
    """
    n = len(rows)
    if len(set(field_values(rows, "id"))) != n:
        raise InvalidEvidenceError(_problems(rows))
    if set(field_values(rows, "supersedes")) <= {None}:  # no correction: the usual case
        return {}
    fixes = _corrections(rows)
    superseded_by: dict[str, str] = {}
    targets = {_record(rows, i).supersedes for i in fixes}
    found = {
        rec.id: rec
        for rec in map(
            functools.partial(_record, rows),
            itertools.compress(range(n), map(targets.__contains__, field_values(rows, "id"))),
        )
    }
    for i in fixes:
        rec = _record(rows, i)
        old = found.get(rec.supersedes)  # type: ignore[arg-type]
        if (
            old is None
            or old.id == rec.id
            or (old.unit, old.indicator, old.period) != (rec.unit, rec.indicator, rec.period)
            or old.recorded_at > rec.recorded_at
            or old.id in superseded_by
        ):
            raise InvalidEvidenceError(_problems(rows))
        superseded_by[old.id] = rec.id
    return superseded_by


def _problems(rows: _Rows) -> list[Problem]:
    """Every inconsistency, over the records in canonical order (the error path)."""
    records = _canonical(rows.rows() if isinstance(rows, EvidenceColumns) else rows)
    problems: list[Problem] = []
    by_id: dict[str, Evidence] = {}
    superseded_by: dict[str, str] = {}
    for i, rec in enumerate(records):
        if rec.id in by_id:
            problems.append(
                Problem(f"records[{i}].id", f"duplicate evidence id {rec.id!r}", record=rec.id)
            )
            continue
        by_id[rec.id] = rec
    for i, rec in enumerate(records):
        if rec.supersedes is None:
            continue
        old = by_id.get(rec.supersedes)
        where = f"records[{i}].supersedes"
        if old is None or old is rec:
            problems.append(
                Problem(where, f"supersedes unknown record {rec.supersedes!r}", record=rec.id)
            )
            continue
        if (old.unit, old.indicator, old.period) != (rec.unit, rec.indicator, rec.period):
            problems.append(
                Problem(
                    where,
                    f"a correction must be for the same unit, indicator and period as "
                    f"{old.id!r} ({old.unit}, {old.indicator}, {old.period})",
                    record=rec.id,
                )
            )
        if old.recorded_at > rec.recorded_at:
            problems.append(
                Problem(
                    where,
                    f"corrects {old.id!r}, which was recorded later "
                    f"({old.recorded_at.isoformat()})",
                    record=rec.id,
                )
            )
        if rec.supersedes in superseded_by:
            problems.append(
                Problem(
                    where,
                    f"{rec.supersedes!r} is already superseded by "
                    f"{superseded_by[rec.supersedes]!r}; supersede that record instead",
                    record=rec.id,
                )
            )
        else:
            superseded_by[rec.supersedes] = rec.id
    return problems


@attrs.frozen(eq=False, repr=False)
class EvidenceLedger:
    """An append-only collection of evidence records.

    Records are kept in recording order (ties by id), so two ledgers built from
    the same records in any order are equal. The ledger checks its own
    consistency when built: ids are unique; a record supersedes an existing,
    earlier-or-same-time record for the same unit, indicator and period; and no
    record is superseded twice (history is a line, not a tree).

    A ledger keeps the records as they were given (Python objects, or
    :class:`EvidenceColumns` from a reader or the store) and puts them in recording
    order only when :attr:`records` is first read: building one and assessing from it
    costs a few passes over the records, not a sort.
    """

    _rows: _Rows = attrs.field(default=(), alias="records", converter=_rows_of)
    _superseded_by: dict[str, str] = attrs.field(init=False)
    _cache: dict[str, Any] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_superseded_by", _check(self._rows))

    @classmethod
    def _checked(cls, rows: _Rows) -> EvidenceLedger:
        """A ledger over rows known to be consistent (a subset of a checked ledger cut
        at a moment), without checking them again."""
        ledger: EvidenceLedger = object.__new__(cls)
        superseded: dict[str, str] = {}
        for i in _corrections(rows):
            rec = _record(rows, i)
            superseded[rec.supersedes] = rec.id  # type: ignore[index]
        object.__setattr__(ledger, "_rows", rows)
        object.__setattr__(ledger, "_superseded_by", superseded)
        object.__setattr__(ledger, "_cache", {})
        return ledger

    @classmethod
    def from_records(cls, records: Iterable[Evidence]) -> EvidenceLedger:
        return cls(tuple(records))

    @classmethod
    def from_columns(cls, columns: EvidenceColumns) -> EvidenceLedger:
        """A ledger over records given as columns (checked for consistency like any
        ledger; the values must already be those :class:`Evidence` holds)."""
        return cls(columns)

    @property
    def records(self) -> tuple[Evidence, ...]:
        """Every record, in recording order (ties by id)."""
        found: tuple[Evidence, ...] | None = self._cache.get("records")
        if found is None:
            rows = self._rows
            found = _canonical(rows.rows() if isinstance(rows, EvidenceColumns) else rows)
            self._cache["records"] = found
        return found

    @property
    def rows(self) -> tuple[Evidence, ...] | EvidenceColumns:
        """The records as given, in no particular order: :class:`Evidence` objects or
        :class:`EvidenceColumns` (what the evidence index reads, without sorting)."""
        return self._rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EvidenceLedger):
            return NotImplemented
        return self is other or self.records == other.records

    def __hash__(self) -> int:
        return hash(self.records)

    def __repr__(self) -> str:
        return f"EvidenceLedger(records={self.records!r})"

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.records)

    def append(self, *records: Evidence) -> EvidenceLedger:
        """A new ledger with ``records`` added; this one is unchanged."""
        rows = self._rows
        given = rows.rows() if isinstance(rows, EvidenceColumns) else rows
        return EvidenceLedger((*given, *records))

    def as_of(self, when: date | datetime | str | None) -> EvidenceLedger:
        """The ledger as it stood at ``when`` (records recorded at or before it)."""
        if when is None:
            return self
        cutoff = moment(when)
        rows: _Rows = self._rows
        keep = list(
            itertools.compress(
                range(len(rows)), map(cutoff.__ge__, field_values(rows, "recorded_at"))
            )
        )
        if len(keep) == len(rows):
            return self
        if isinstance(rows, EvidenceColumns):
            subset: _Rows = rows.take(keep)
        else:
            subset = tuple(map(rows.__getitem__, keep))
        # A subset of a consistent ledger cut at a moment is consistent: a kept
        # correction was recorded no earlier than the record it corrects.
        return EvidenceLedger._checked(subset)

    def current(self) -> tuple[Evidence, ...]:
        """Records that no record in this ledger supersedes."""
        superseded = self._superseded_by
        if not superseded:
            return self.records
        return tuple(r for r in self.records if r.id not in superseded)

    def get(self, record_id: str) -> Evidence:
        """The record with this id (:class:`~modelunit.errors.UnknownRecordError`, a
        ``KeyError``, if there is none)."""
        by_id: dict[str, int] | None = self._cache.get("by_id")
        if by_id is None:
            by_id = dict(zip(field_values(self._rows, "id"), itertools.count(), strict=False))
            self._cache["by_id"] = by_id
        row = by_id.get(as_id(record_id))
        if row is None:
            raise UnknownRecordError(record_id, by_id)
        return _record(self._rows, row)

    def history(self, record_id: str) -> tuple[Evidence, ...]:
        """The chain of corrections ending at ``record_id``, oldest first."""
        chain = [self.get(record_id)]
        while chain[-1].supersedes is not None:
            chain.append(self.get(chain[-1].supersedes))
        return tuple(reversed(chain))

    def superseded_by(self, record_id: str) -> str | None:
        """The id of the record correcting ``record_id``, if any."""
        return self._superseded_by.get(as_id(record_id))

    def superseded(self) -> frozenset[str]:
        """Ids of the records another record in this ledger supersedes."""
        return frozenset(self._superseded_by)

    def units(self) -> tuple[str, ...]:
        return tuple(sorted(set(field_values(self._rows, "unit"))))
