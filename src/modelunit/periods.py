"""Evidence periods: a year, a quarter, a month, or any date range.

Periods are written the way people write them and parsed with python-dateutil:

>>> from modelunit.periods import Period
>>> Period.parse("2023")
Period('2023')
>>> Period.parse("2023-Q4").start, Period.parse("2023-Q4").end
(datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))
>>> Period.parse("2023-06").previous()
Period('2023-05')
>>> Period.parse("2023-01-01/2023-06-30").previous()   # a whole half-year
Period('2022-H2')
>>> Period.parse("2023-03-01/2023-03-10").previous()   # any other span: same length before
Period('2023-02-19/2023-02-28')
>>> Period.parse("2023-Q4") in Period.parse("2023")
True

Both ends are inclusive. A period's canonical text (``str(period)``) is what it
serialises to, and parsing it gives the same period back.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, timedelta
from typing import Literal

import attrs
from dateutil.parser import isoparse
from dateutil.relativedelta import relativedelta

from modelunit._checks import shown
from modelunit.errors import InvalidPeriodError, Problem

__all__ = ["Period", "PeriodKind"]


def __dir__() -> list[str]:
    return __all__


PeriodKind = Literal["year", "half", "quarter", "month", "range"]
"""How a period was written: it decides what its previous period is."""

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@attrs.frozen(order=False, repr=False, cache_hash=True)
class Period:
    """A closed interval of days, ``start`` to ``end`` inclusive.

    Build one with :meth:`parse` or the constructors :meth:`year`,
    :meth:`quarter`, :meth:`month` and :meth:`range`.
    """

    start: date
    end: date
    kind: PeriodKind = attrs.field(default="range", eq=False)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidPeriodError(
                [Problem("", f"period ends ({self.end}) before it starts ({self.start})")]
            )

    # -- constructors -------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(_day(year, 1, 1), _day(year, 12, 31), "year")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 1 + 6 * (_part(half, "half", 2) - 1)
        return cls(_day(year, first, 1), _month_end(year, first + 5), "half")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 1 + 3 * (_part(quarter, "quarter", 4) - 1)
        return cls(_day(year, first, 1), _month_end(year, first + 2), "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        _part(month, "month", 12)
        return cls(_day(year, month, 1), _month_end(year, month), "month")

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        """Any span of days; a span that is exactly a year, half, quarter or month
        becomes that kind, so that ``previous()`` steps by calendar units."""
        if start.day == 1 and end >= start:
            for kind, months in (("year", 12), ("half", 6), ("quarter", 3), ("month", 1)):
                last = start.month + months - 1
                if (
                    (start.month - 1) % months == 0
                    and last <= 12
                    and end == _month_end(start.year, last)
                ):
                    return cls(start, end, kind)  # type: ignore[arg-type]
        return cls(start, end, "range")

    @classmethod
    def parse(cls, text: str | int) -> Period:
        """Parse ``2023``, ``2023-H1``, ``2023-Q4``, ``2023-06`` or ``START/END``.

        ``START`` and ``END`` are ISO dates (anything :func:`dateutil.parser.isoparse`
        reads). Raises :class:`~modelunit.errors.InvalidPeriodError` otherwise.
        Equal texts give the same (immutable) object, so a million records for
        2023 share one period.
        """
        if type(text) in (str, int):  # hashable and not bool: safe to cache
            return _parse_cached(text)
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: object) -> Period:
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text) if abs(text) < 10**9 else _shown(text)
        if not isinstance(text, str):
            raise InvalidPeriodError(
                [Problem("", f"expected a period string such as '2023', got {shown(text)}")]
            )
        raw = text.strip()
        try:
            if m := _YEAR.match(raw):
                return cls.year(int(m[1]))
            if m := _HALF.match(raw):
                return cls.half(int(m[1]), int(m[2]))
            if m := _QUARTER.match(raw):
                return cls.quarter(int(m[1]), int(m[2]))
            if m := _MONTH.match(raw):
                return cls.month(int(m[1]), int(m[2]))
            if "/" in raw:
                left, _, right = raw.partition("/")
                start = isoparse(left.strip()).date()
                end = isoparse(right.strip()).date()
                return cls.range(start, end)
        except InvalidPeriodError:
            raise
        except (ValueError, OverflowError) as exc:
            raise InvalidPeriodError(
                [Problem("", f"cannot read period {shown(text)}: {exc}")]
            ) from None
        raise InvalidPeriodError(
            [
                Problem(
                    "",
                    f"cannot read period {shown(text)}: expected YYYY, YYYY-Hn, YYYY-Qn, "
                    "YYYY-MM or YYYY-MM-DD/YYYY-MM-DD",
                )
            ]
        )

    # -- queries ------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind and length immediately before this one.

        Raises :class:`~modelunit.errors.InvalidPeriodError` when it would start
        before the calendar's first day (0001-01-01).
        """
        try:
            if self.kind == "year":
                return Period.year(self.start.year - 1)
            if self.kind in ("half", "quarter", "month"):
                months = {"half": 6, "quarter": 3, "month": 1}[self.kind]
                start = self.start - relativedelta(months=months)
                end = self.start - timedelta(days=1)
                return Period(start, end, self.kind)
            return Period.range(
                self.start - timedelta(days=self.days), self.start - timedelta(days=1)
            )
        except (ValueError, OverflowError):  # a date before 0001-01-01
            raise InvalidPeriodError(
                [Problem("", f"there is no period before {self} in the calendar")]
            ) from None

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies entirely inside this period."""
        return self.start <= other.start and other.end <= self.end

    def __contains__(self, other: object) -> bool:
        return isinstance(other, Period) and self.contains(other)

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def sort_key(self) -> tuple[date, date]:
        return (self.start, self.end)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.start.year:04d}"
        if self.kind == "half":
            return f"{self.start.year:04d}-H{1 + (self.start.month - 1) // 6}"
        if self.kind == "quarter":
            return f"{self.start.year:04d}-Q{1 + (self.start.month - 1) // 3}"
        if self.kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"


def _shown(number: int) -> str:
    """A whole number for a message; a huge one by its size (its digits would be slow to
    write out, and past 4,300 of them Python refuses)."""
    if abs(number) < 10**9:
        return str(number)
    return (
        f"{'-' if number < 0 else ''}<a number of about {number.bit_length() * 0.30103:.0f} digits>"
    )


def _part(number: int, what: str, most: int) -> int:
    """``number`` if it numbers a half (1-2), quarter (1-4) or month (1-12) of a year."""
    if not 1 <= number <= most:
        raise InvalidPeriodError(
            [Problem("", f"expected a {what} from 1 to {most}, got {_shown(number)}")]
        )
    return number


def _day(year: int, month: int, day: int) -> date:
    if not 1 <= year <= 9999:  # also keeps date() from an OverflowError on huge years
        raise InvalidPeriodError(
            [Problem("", f"year {_shown(year)} is outside the calendar (0001 to 9999)")]
        )
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidPeriodError(
            [Problem("", f"no such day {year:04d}-{month:02d}-{day:02d}: {exc}")]
        ) from None


def _month_end(year: int, month: int) -> date:
    """The last day of a month, computed without stepping past the calendar's end."""
    first = _day(year, month, 1)
    return first.replace(day=calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str | int) -> Period:
    # Periods are immutable values, so sharing parsed ones is safe.
    return Period._parse(text)
