"""Evidence periods: a year, a quarter, a month, or any date range; reporting years.

Periods are written the way people write them and parsed with python-dateutil:

>>> from modelunit.periods import Period
>>> Period.parse("2023")
Period('2023')
>>> Period.parse("2023-Q4").start, Period.parse("2023-Q4").end
(datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))
>>> Period.parse("2023-Q4") in Period.parse("2023")
True

Both ends are inclusive. A period's canonical text (``str(period)``) is what it
serialises to, and parsing it gives the same period back.

Two periods to compare with. :meth:`Period.previous` is the period just before, of the
same length: in calendar months where the period is a whole number of them, else in days.
:meth:`Period.same_period` is "the same period of last year" (*cùng kỳ*), or *n* years
earlier: the same quarter, month or dates:

>>> Period.parse("2023-06").previous(), Period.parse("2023-06").same_period()
(Period('2023-05'), Period('2022-06'))
>>> first_11_months = Period.parse("2024-01-01/2024-11-30")
>>> first_11_months.previous()          # the 11 calendar months before
Period('2023-02-01/2023-12-31')
>>> first_11_months.same_period()       # the same 11 months of last year
Period('2023-01-01/2023-11-30')
>>> Period.parse("2023-03-01/2023-03-10").previous()   # not whole months: same days
Period('2023-02-19/2023-02-28')
>>> Period.parse("2024-02-10/2024-02-29").same_period()   # 29 February: 28 February
Period('2023-02-10/2023-02-28')

A :class:`ReportingYear` is a year that does not start on 1 January, such as the
Ministry of Public Security's statistical year, 15 December to 14 December; it is
labelled by the calendar year it ends in, and its previous year and "same period of
last year" are the reporting year before:

>>> police = ReportingYear("12-15", "12-14")
>>> police.year(2024)
Period('2023-12-15/2024-12-14')
>>> police.year(2024).previous() == police.year(2024).same_period() == police.year(2023)
True
>>> police.quarter(2024, 1), police.month(2024, 12)
(Period('2023-12-15/2024-03-14'), Period('2024-11-15/2024-12-14'))

The exact rules, 29 February included, are in ``docs/assessment.md`` ("Periods to
compare with").
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
from modelunit.errors import InvalidArgumentError, InvalidPeriodError, Problem

__all__ = ["Period", "PeriodKind", "ReportingYear"]


def __dir__() -> list[str]:
    return __all__


PeriodKind = Literal["year", "half", "quarter", "month", "range"]
"""How a period was written: it decides what its previous period and its same period of
an earlier year are."""

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

    @property
    def whole_months(self) -> int | None:
        """How many whole calendar months the period spans, or None when it does not.

        A period spans *m* whole months when it starts on some day *d* and ends the day
        before day *d*, *m* months later: every year (12), half, quarter and month;
        ``2024-01-01/2024-11-30`` (11); the reporting year ``2023-12-15/2024-12-14`` (12).

        >>> Period.parse("2024-01-01/2024-11-30").whole_months
        11
        >>> Period.parse("2024-01-01/2024-11-29").whole_months is None
        True
        """
        if self.end == date.max:  # the day after is 10000-01-01, outside the calendar
            after_year, after_month, after_day = 10000, 1, 1
        else:
            after = self.end + timedelta(days=1)
            after_year, after_month, after_day = after.year, after.month, after.day
        if after_day != self.start.day:
            return None
        return (after_year - self.start.year) * 12 + after_month - self.start.month

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts.

        The length is counted in calendar months where the period is a whole number of
        them (:attr:`whole_months`): the previous year, half, quarter or month; the 11
        calendar months before ``2024-01-01/2024-11-30`` (``2023-02-01/2023-12-31``);
        the reporting year before ``2023-12-15/2024-12-14`` (``2022-12-15/2023-12-14``).
        Any other span (or one whose earlier start day does not exist, such as the
        month before ``2024-03-30/2024-04-29``: there is no 30 February) is counted in
        days: the same number of days immediately before. For "the same months of last
        year" use :meth:`same_period`.

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
            whole = self.whole_months
            if whole is not None and (earlier := _shift_months(self.start, -whole)) is not None:
                return Period.range(earlier, self.start - timedelta(days=1))
            return Period.range(
                self.start - timedelta(days=self.days), self.start - timedelta(days=1)
            )
        except (ValueError, OverflowError):  # a date before 0001-01-01
            raise InvalidPeriodError(
                [Problem("", f"there is no period before {self} in the calendar")]
            ) from None

    def same_period(self, years_back: int = 1) -> Period:
        """The same period ``years_back`` years earlier: *cùng kỳ*, "the same period of
        last year" by default.

        - A year, half, quarter or month: the same one of the earlier year
          (``2024-Q1`` -> ``2023-Q1``).
        - A range of whole calendar months (:attr:`whole_months`): the same months, from
          the same day (``2024-01-01/2024-11-30`` -> ``2023-01-01/2023-11-30``; a
          reporting year -> the reporting year before). So a range ending on the last day
          of February still does: ``2023-01-01/2023-02-28`` -> ``2020-01-01/2020-02-29``
          three years back. (A whole-month range whose first day, or the day after its
          last, is a 29 February the earlier year lacks is treated as any other.)
        - Any other range: both dates keep their month and day in the earlier year, and
          29 February, where that year has none, becomes 28 February
          (``2024-02-10/2024-02-29`` -> ``2023-02-10/2023-02-28``). Such a range may
          gain or lose that one day; nothing else changes length.

        Each end is therefore exactly ``years_back`` years before, to the day, but for
        the end of February. The earlier period is computed from this one directly,
        never by stepping a year at a time (29 February does not survive steps).

        Raises :class:`~modelunit.errors.InvalidArgumentError` unless ``years_back`` is a
        whole number >= 1, and :class:`~modelunit.errors.InvalidPeriodError` when the
        earlier period would start before 0001-01-01.
        """
        if type(years_back) is not int or years_back < 1:
            raise InvalidArgumentError(
                f"years_back must be a whole number >= 1, got {years_back!r}"
            )
        try:
            year = self.start.year - years_back
            if self.kind == "year":
                return Period.year(year)
            if self.kind == "half":
                return Period.half(year, 1 + (self.start.month - 1) // 6)
            if self.kind == "quarter":
                return Period.quarter(year, 1 + (self.start.month - 1) // 3)
            if self.kind == "month":
                return Period.month(year, self.start.month)
            whole = self.whole_months
            if whole is not None:
                start = _shift_months(self.start, -12 * years_back)
                after = None if start is None else _shift_months(start, whole)
                if start is not None and after is not None:
                    return Period.range(start, after - timedelta(days=1))
            return Period.range(
                _years_earlier(self.start, years_back), _years_earlier(self.end, years_back)
            )
        except (ValueError, OverflowError):  # a date before 0001-01-01
            raise InvalidPeriodError(
                [
                    Problem(
                        "",
                        f"there is no period {years_back} year{'s' if years_back > 1 else ''} "
                        f"before {self} in the calendar",
                    )
                ]
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


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@attrs.frozen
class ReportingYear:
    """A year that runs from ``start`` to ``end`` (each ``"MM-DD"``), for example the
    Ministry of Public Security's statistical year, ``ReportingYear("12-15", "12-14")``:
    its figures for 2020 cover 15 December 2019 to 14 December 2020.

    A reporting year is labelled by the calendar year it **ends** in, as the Ministry
    labels it. ``end`` must be the day before ``start``, so that consecutive years
    tile the calendar (for a year from 1 March, write ``"02-28"`` or ``"02-29"``: the
    last day of February). ``start`` is day 1 to 28 of its month, so that every
    reporting month and quarter starts on that same day. The default is the calendar
    year. Anything else is an :class:`~modelunit.errors.InvalidPeriodError` naming the
    field.

    >>> police = ReportingYear("12-15", "12-14")
    >>> police.parse("2024"), police.parse("2024-Q1")   # only a bare year is read anew
    (Period('2023-12-15/2024-12-14'), Period('2024-Q1'))
    >>> ReportingYear().year(2024)
    Period('2024')
    >>> ReportingYear("12-15", "12-15")
    Traceback (most recent call last):
    ...
    modelunit.errors.InvalidPeriodError: 1 problem in period:
      - end: a reporting year from 12-15 ends on 12-14, the day before it starts again; got '12-15'
    """

    start: str = "01-01"
    end: str = "12-31"

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidPeriodError(problems)

    def problems(self) -> list[Problem]:
        """What is wrong with the declaration, each problem naming its field."""
        start = _month_day("start", self.start)
        if isinstance(start, Problem):
            end = _month_day("end", self.end)
            return [start, end] if isinstance(end, Problem) else [start]
        month, day = start
        if day > 28:
            return [
                Problem(
                    "start",
                    f"a reporting year starts on day 1 to 28 of a month (so that every "
                    f"reporting month starts on the same day); got {self.start!r}",
                )
            ]
        if (month, day) == (3, 1):
            wanted: tuple[str, ...] = ("02-28", "02-29")
        else:
            before = date(2001, month, day) - timedelta(days=1)  # a common year
            wanted = (f"{before.month:02d}-{before.day:02d}",)
        if self.end not in wanted:
            end = _month_day("end", self.end)
            if isinstance(end, Problem):
                return [end]
            return [
                Problem(
                    "end",
                    f"a reporting year from {self.start} ends on {' or '.join(wanted)}, "
                    f"the day before it starts again; got {self.end!r}",
                )
            ]
        return []

    @property
    def calendar(self) -> bool:
        """Whether this is the calendar year (1 January to 31 December)."""
        return self.start == "01-01"

    def year(self, label: int) -> Period:
        """The reporting year labelled ``label`` (the calendar year it ends in)."""
        if type(label) is not int:
            raise InvalidArgumentError(f"expected a year such as 2024, got {label!r}")
        if self.calendar:
            return Period.year(label)
        month, day = int(self.start[:2]), int(self.start[3:])
        try:
            start = date(label - 1, month, day)
            end = _shift_months(start, 12)
        except ValueError:
            raise InvalidPeriodError(
                [Problem("", f"the reporting year {label} is outside the calendar")]
            ) from None
        assert end is not None
        return Period(start, end - timedelta(days=1), "range")

    def half(self, label: int, half: int) -> Period:
        """Half 1 or 2 of the reporting year ``label`` (6 reporting months each)."""
        return self._part(label, half, 6)

    def quarter(self, label: int, quarter: int) -> Period:
        """Quarter 1 to 4 of the reporting year ``label`` (3 reporting months each)."""
        return self._part(label, quarter, 3)

    def month(self, label: int, month: int) -> Period:
        """Reporting month 1 to 12 of the reporting year ``label``: from the start day
        to the day before it, one month later (month 1 of the police year 2024 is
        2023-12-15 to 2024-01-14)."""
        return self._part(label, month, 1)

    def _part(self, label: int, index: int, length: int) -> Period:
        count = 12 // length
        if type(index) is not int or not 1 <= index <= count:
            raise InvalidArgumentError(f"expected a part 1 to {count}, got {index!r}")
        year = self.year(label)
        # Start days are 1..28, so every shifted day exists.
        start = _shift_months(year.start, (index - 1) * length)
        assert start is not None
        if index == count:
            return Period.range(start, year.end)
        after = _shift_months(start, length)
        assert after is not None
        return Period.range(start, after - timedelta(days=1))

    def parse(self, text: str | int) -> Period:
        """A period as written in a set with this reporting year: a bare year (``2024``
        or ``"2024"``) is the reporting year of that label; anything else is read as
        :meth:`Period.parse` reads it (quarters, months and dates stay calendar ones:
        use :meth:`quarter` and :meth:`month` for reporting ones)."""
        if self.names_a_year(text):
            return self.year(int(text))  # four digits: int() cannot fail
        return Period.parse(text)

    def names_a_year(self, text: object) -> bool:
        """Whether ``text`` is a bare year (``2024``), which this reporting year reads as
        its own and not as the calendar year."""
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)  # as Period.parse reads a number: four digits
        return isinstance(text, str) and _YEAR.match(text.strip()) is not None


def _month_day(field: str, text: object) -> tuple[int, int] | Problem:
    """``(month, day)`` from ``"MM-DD"`` (a day of a leap year), or the problem."""
    if not isinstance(text, str):
        return Problem(field, f"expected a month and day such as '12-15', got {text!r}")
    m = _MONTH_DAY.match(text)
    if m is not None:
        month, day = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]:
            return month, day
        if 1 <= day <= 12 and 1 <= month <= calendar.monthrange(2000, day)[1]:
            swapped = f"{m[2]}-{m[1]}"
            return Problem(
                field, f"expected month-day ('MM-DD'), got {text!r}; did you mean {swapped!r}?"
            )
    return Problem(field, f"expected a month and day such as '12-15' (MM-DD), got {text!r}")


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


def _shift_months(day: date, months: int) -> date | None:
    """The same day of the month ``months`` later (earlier if negative), or None when
    that month has no such day (30 February); an error outside the calendar."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    if not 1 <= year <= 9999:
        raise _outside(year)
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day.day)


def _years_earlier(day: date, years: int) -> date:
    """The same month and day ``years`` earlier; 29 February becomes 28 February where
    that year has none; an error outside the calendar."""
    year = day.year - years
    if year < 1:
        raise _outside(year)
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _outside(year: int) -> InvalidPeriodError:
    # Callers catch it (a ValueError) and say which period has no earlier one.
    return InvalidPeriodError([Problem("", f"year {year} is outside the calendar")])


def _month_end(year: int, month: int) -> date:
    """The last day of a month, computed without stepping past the calendar's end."""
    first = _day(year, month, 1)
    return first.replace(day=calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str | int) -> Period:
    # Periods are immutable values, so sharing parsed ones is safe.
    return Period._parse(text)
