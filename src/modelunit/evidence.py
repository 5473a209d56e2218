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

import operator
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal

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
    "Evidence",
    "EvidenceLedger",
    "Unit",
    "UnitRegistry",
    "Value",
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
    # Floats become the exact decimal they were written as; everything else is
    # checked against the indicator's type when the evidence is used.
    if isinstance(value, float):
        return exact_decimal(value)
    if isinstance(value, bool | int | Decimal | str):
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


def _sorted_records(records: Iterable[Evidence]) -> tuple[Evidence, ...]:
    # Canonical order (recording time, then id) makes the ledger independent of the
    # order records arrive in. Two stable sorts instead of a tuple key: no temporary
    # tuple per record, which matters for millions of records.
    ordered = sorted(records, key=_by_id)
    ordered.sort(key=_by_time)
    return tuple(ordered)


_by_id = operator.attrgetter("id")
_by_time = operator.attrgetter("recorded_at")


@attrs.frozen
class EvidenceLedger:
    """An append-only collection of evidence records.

    Records are kept in recording order (ties by id), so two ledgers built from
    the same records in any order are equal. The ledger checks its own
    consistency when built: ids are unique; a record supersedes an existing,
    earlier-or-same-time record for the same unit, indicator and period; and no
    record is superseded twice (history is a line, not a tree).
    """

    records: tuple[Evidence, ...] = attrs.field(default=(), converter=_sorted_records)
    _superseded_by: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        by_id: dict[str, Evidence] = {}
        superseded_by: dict[str, str] = {}
        for i, rec in enumerate(self.records):
            if rec.id in by_id:
                problems.append(
                    Problem(f"records[{i}].id", f"duplicate evidence id {rec.id!r}", record=rec.id)
                )
                continue
            by_id[rec.id] = rec
        for i, rec in enumerate(self.records):
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
        if problems:
            raise InvalidEvidenceError(problems)
        object.__setattr__(self, "_superseded_by", superseded_by)

    @classmethod
    def from_records(cls, records: Iterable[Evidence]) -> EvidenceLedger:
        return cls(tuple(records))

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.records)

    def append(self, *records: Evidence) -> EvidenceLedger:
        """A new ledger with ``records`` added; this one is unchanged."""
        return EvidenceLedger((*self.records, *records))

    def as_of(self, when: date | datetime | str | None) -> EvidenceLedger:
        """The ledger as it stood at ``when`` (records recorded at or before it)."""
        if when is None:
            return self
        cutoff = moment(when)
        return EvidenceLedger(tuple(r for r in self.records if r.recorded_at <= cutoff))

    def current(self) -> tuple[Evidence, ...]:
        """Records that no record in this ledger supersedes."""
        return tuple(r for r in self.records if r.id not in self._superseded_by)

    def get(self, record_id: str) -> Evidence:
        """The record with this id (:class:`~modelunit.errors.UnknownRecordError`, a
        ``KeyError``, if there is none)."""
        wanted = as_id(record_id)
        for rec in self.records:
            if rec.id == wanted:
                return rec
        raise UnknownRecordError(record_id, (r.id for r in self.records))

    def history(self, record_id: str) -> tuple[Evidence, ...]:
        """The chain of corrections ending at ``record_id``, oldest first."""
        chain = [self.get(record_id)]
        while chain[-1].supersedes is not None:
            chain.append(self.get(chain[-1].supersedes))
        return tuple(reversed(chain))

    def superseded_by(self, record_id: str) -> str | None:
        """The id of the record correcting ``record_id``, if any."""
        return self._superseded_by.get(as_id(record_id))

    def units(self) -> tuple[str, ...]:
        return tuple(sorted({r.unit for r in self.records}))
