from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from modelunit.errors import InvalidArgumentError, InvalidPeriodError
from modelunit.periods import Period, ReportingYear
from modelunit.testing import periods, reporting_years

EVERY_KIND = ("year", "half", "quarter", "month", "range")
POLICE = ReportingYear("12-15", "12-14")


class TestParse:
    @pytest.mark.parametrize(
        ("text", "start", "end", "kind"),
        [
            ("2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
            ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31), "quarter"),
            ("2023-q1", date(2023, 1, 1), date(2023, 3, 31), "quarter"),
            ("2024-H1", date(2024, 1, 1), date(2024, 6, 30), "half"),
            ("2023-06", date(2023, 6, 1), date(2023, 6, 30), "month"),
            ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
            ("2023-01-01/2023-06-30", date(2023, 1, 1), date(2023, 6, 30), "half"),
            ("2023-01-01/2023-12-31", date(2023, 1, 1), date(2023, 12, 31), "year"),
            ("2023-02-03/2023-02-10", date(2023, 2, 3), date(2023, 2, 10), "range"),
            (2021, date(2021, 1, 1), date(2021, 12, 31), "year"),
        ],
    )
    def test_forms_people_write(self, text: str | int, start: date, end: date, kind: str) -> None:
        p = Period.parse(text)
        assert (p.start, p.end, p.kind) == (start, end, kind)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "abc",
            "2023-13",
            "2023-Q5",
            "2023-H3",
            "2023-06-31/2023-07-01",
            "2023-12-31/2023-01-01",
            "23",
        ],
    )
    def test_bad_text_is_a_typed_error(self, text: str) -> None:
        with pytest.raises(InvalidPeriodError) as info:
            Period.parse(text)
        assert isinstance(info.value, ValueError)

    def test_error_names_the_text(self) -> None:
        with pytest.raises(InvalidPeriodError, match="'2023-Q5'"):
            Period.parse("2023-Q5")


class TestPrevious:
    @pytest.mark.parametrize(
        ("text", "previous"),
        [
            ("2023", "2022"),
            ("2023-Q1", "2022-Q4"),
            ("2023-H1", "2022-H2"),
            ("2023-01", "2022-12"),
            ("2023-03-01/2023-03-10", "2023-02-19/2023-02-28"),
            # The issue's two cases: whole months step by calendar months.
            ("2024-01-01/2024-11-30", "2023-02-01/2023-12-31"),
            ("2023-12-15/2024-12-14", "2022-12-15/2023-12-14"),
            ("2023-02-01/2023-03-31", "2022-12-01/2023-01-31"),
            ("2024-03-01/2024-04-30", "2024-01-01/2024-02-29"),
            ("2024-01-15/2024-02-14", "2023-12-15/2024-01-14"),
            # Whole months whose earlier start day does not exist: same days before.
            ("2024-03-30/2024-04-29", "2024-02-28/2024-03-29"),
            # Not whole months: the same number of days.
            ("2024-03-01/2024-04-29", "2024-01-01/2024-02-29"),
        ],
    )
    def test_previous(self, text: str, previous: str) -> None:
        assert str(Period.parse(text).previous()) == previous

    @pytest.mark.parametrize(
        ("text", "months"),
        [
            ("2023", 12),
            ("2023-H2", 6),
            ("2023-Q4", 3),
            ("2024-02", 1),
            ("2024-01-01/2024-11-30", 11),
            ("2023-12-15/2024-12-14", 12),
            ("2022-01-01/2024-12-31", 36),
            ("9999-12-01/9999-12-31", 1),
            ("2024-01-01/2024-11-29", None),
            ("2024-01-15/2024-02-15", None),
            ("2024-01-31/2024-02-29", None),
        ],
    )
    def test_whole_months(self, text: str, months: int | None) -> None:
        assert Period.parse(text).whole_months == months

    def test_same_days_compare_equal_whatever_written(self) -> None:
        assert Period.parse("2023") == Period.range(date(2023, 1, 1), date(2023, 12, 31))
        assert hash(Period.parse("2023-Q2")) == hash(Period.parse("2023-04-01/2023-06-30"))


class TestSamePeriod:
    @pytest.mark.parametrize(
        ("text", "years_back", "same"),
        [
            ("2024", 1, "2023"),
            ("2024-H2", 1, "2023-H2"),
            ("2024-Q1", 1, "2023-Q1"),
            ("2024-02", 1, "2023-02"),
            ("2023-02", 1, "2022-02"),
            ("2025-02", 1, "2024-02"),
            ("2024-Q3", 4, "2020-Q3"),
            # The issue's cases: the same 11 months, the reporting year before.
            ("2024-01-01/2024-11-30", 1, "2023-01-01/2023-11-30"),
            ("2023-12-15/2024-12-14", 1, "2022-12-15/2023-12-14"),
            ("2023-12-15/2024-12-14", 2, "2021-12-15/2022-12-14"),
            # 29 February: a range ending on it ends on 28 February of a common year...
            ("2024-01-01/2024-02-29", 1, "2023-01-01/2023-02-28"),
            ("2024-02-10/2024-02-29", 1, "2023-02-10/2023-02-28"),
            # ...and whole months ending with February still do in a leap year...
            ("2023-01-01/2023-02-28", 3, "2020-01-01/2020-02-29"),
            ("2023-12-01/2024-02-29", 4, "2019-12-01/2020-02-29"),
            # ...while other dates keep their day: 28 February is the 28th.
            ("2023-02-10/2023-02-28", 3, "2020-02-10/2020-02-28"),
            # A range starting on 29 February starts on the 28th.
            ("2024-02-29/2024-03-10", 1, "2023-02-28/2023-03-10"),
            ("2024-02-29/2024-03-28", 1, "2023-02-28/2023-03-28"),
            ("2024-02-29/2024-02-29", 4, "2020-02-29/2020-02-29"),
            ("2024-02-29/2024-02-29", 1, "2023-02-28/2023-02-28"),
            ("2023-03-01/2023-03-10", 1, "2022-03-01/2022-03-10"),
            ("9999-12-01/9999-12-31", 1, "9998-12"),
        ],
    )
    def test_same_period(self, text: str, years_back: int, same: str) -> None:
        assert str(Period.parse(text).same_period(years_back)) == same

    def test_one_year_back_is_the_default(self) -> None:
        assert Period.parse("2024-Q2").same_period() == Period.parse("2023-Q2")

    @pytest.mark.parametrize("years_back", [0, -1, True, 1.0, "1"])
    def test_years_back_is_a_whole_number_from_1(self, years_back: object) -> None:
        with pytest.raises(InvalidArgumentError, match="years_back"):
            Period.parse("2024").same_period(years_back)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("text", "years_back"), [("0001", 1), ("0003-Q1", 3), ("0004-02-29/0004-03-01", 4)]
    )
    def test_before_the_calendar_is_a_typed_error(self, text: str, years_back: int) -> None:
        with pytest.raises(InvalidPeriodError, match=r"there is no period .* before"):
            Period.parse(text).same_period(years_back)


def test_the_issues_two_cases_give_the_wanted_windows() -> None:
    """Issue 15: which of the wanted windows is ``previous()`` and which the same period."""
    first_11_months = Period.parse("2024-01-01/2024-11-30")
    # "wanted the same 11 months of 2023": the same period of last year...
    assert str(first_11_months.same_period()) == "2023-01-01/2023-11-30"
    # ...while the period just before is the 11 calendar months before (not 2023-01-31/...).
    assert str(first_11_months.previous()) == "2023-02-01/2023-12-31"
    # "the previous reporting year is 2022-12-15/2023-12-14": both, a day off no more.
    reporting_year = Period.parse("2023-12-15/2024-12-14")
    assert str(reporting_year.previous()) == "2022-12-15/2023-12-14"
    assert str(reporting_year.same_period()) == "2022-12-15/2023-12-14"


def _feb_29s(p: Period) -> int:
    return sum(
        p.start <= date(y, 2, 29) <= p.end
        for y in range(p.start.year, p.end.year + 1)
        if calendar.isleap(y)
    )


@given(periods(kinds=EVERY_KIND), st.integers(1, 8))
def test_same_period_ends_exactly_years_back_before(p: Period, n: int) -> None:
    """The documented rule, computed here by dateutil (which moves 29 February to 28
    February) and month arithmetic, independently of the library."""
    q = p.same_period(n)
    months = p.whole_months
    after = None if months is None else p.start + relativedelta(years=-n, months=months)
    if p.kind != "range":
        assert q.kind == p.kind
        assert str(q) == f"{p.start.year - n:04d}{str(p)[4:]}"
    elif (
        months is not None and (p.start.month, p.start.day) != (2, 29) and after.day == p.start.day
    ):  # type: ignore[union-attr]
        # Whole months: the same months from the same day...
        assert q.start == p.start - relativedelta(years=n)
        assert q.whole_months == months
        assert q.end == after - timedelta(days=1)  # type: ignore[operator]
    else:
        # ...any other range: each date n years back, 29 February becoming the 28th.
        assert (q.start, q.end) == (
            p.start - relativedelta(years=n),
            p.end - relativedelta(years=n),
        )
    # Either way each end is n years before, in the same month, on the same day but for
    # the end of February; and the days are the same days of the year but for 29 February.
    for mine, theirs in ((q.start, p.start), (q.end, p.end)):
        assert (mine.year, mine.month) == (theirs.year - n, theirs.month)
        if theirs.month != 2 or theirs.day < 28:
            assert mine.day == theirs.day
    starts_on_leap_day = (p.start.month, p.start.day) == (2, 29) and q.start.day == 28
    assert q.days - p.days == _feb_29s(q) - _feb_29s(p) + starts_on_leap_day


@given(periods(kinds=EVERY_KIND))
def test_previous_ends_the_day_before(p: Period) -> None:
    prev = p.previous()
    assert (p.start - prev.end).days == 1
    months = p.whole_months
    if months is not None and prev.start == p.start - relativedelta(months=months):
        # Whole months: the same number of calendar months before.
        assert prev.whole_months == months
        if p.kind != "range":
            assert prev.kind == p.kind
    else:
        # Any other span (or whole months from a day the earlier month lacks): same days.
        assert prev.days == p.days
        assert months is None or p.start.day > 28


@given(reporting_years(), st.integers(4, 9999))
def test_reporting_years_and_their_parts_tile_the_calendar(ry: ReportingYear, label: int) -> None:
    year, before = ry.year(label), ry.year(label - 1)
    assert before.end + timedelta(days=1) == year.start  # no gap, no overlap
    assert year.end.year == label  # labelled by the year it ends in
    assert f"{year.start.month:02d}-{year.start.day:02d}" == ry.start
    assert year.whole_months == 12
    assert year.previous() == year.same_period() == before
    assert year.same_period(2) == ry.year(label - 2)
    for part, count in ((ry.half, 2), (ry.quarter, 4), (ry.month, 12)):
        parts = [part(label, i) for i in range(1, count + 1)]
        assert parts[0].start == year.start
        assert parts[-1].end == year.end
        for a, b in itertools.pairwise(parts):
            assert a.end + timedelta(days=1) == b.start
        assert {p.whole_months for p in parts} == {12 // count}
        assert all(p.same_period() == part(label - 1, i + 1) for i, p in enumerate(parts))
    assert ry.parse(f"{label:04d}") == year


class TestReportingYear:
    def test_the_police_year(self) -> None:
        assert str(POLICE.year(2024)) == "2023-12-15/2024-12-14"
        assert str(POLICE.year(2020)) == "2019-12-15/2020-12-14"  # as the Ministry labels it
        assert str(POLICE.month(2024, 1)) == "2023-12-15/2024-01-14"
        assert str(POLICE.quarter(2024, 4)) == "2024-09-15/2024-12-14"
        assert str(POLICE.half(2024, 1)) == "2023-12-15/2024-06-14"

    def test_the_calendar_year_is_the_default(self) -> None:
        calendar_year = ReportingYear()
        assert calendar_year.calendar
        assert calendar_year.year(2024).kind == "year"
        assert [str(calendar_year.quarter(2024, q)) for q in (1, 4)] == ["2024-Q1", "2024-Q4"]
        assert str(calendar_year.month(2024, 2)) == "2024-02"

    def test_a_year_from_1_march_ends_on_the_last_day_of_february(self) -> None:
        for end in ("02-28", "02-29"):
            spring = ReportingYear("03-01", end)
            assert str(spring.year(2024)) == "2023-03-01/2024-02-29"
            assert str(spring.year(2023)) == "2022-03-01/2023-02-28"
            assert str(spring.quarter(2024, 4)) == "2023-12-01/2024-02-29"

    def test_only_a_bare_year_is_read_as_the_reporting_year(self) -> None:
        assert POLICE.parse(" 2024 ") == POLICE.year(2024)
        assert POLICE.parse("2024-Q1") == Period.quarter(2024, 1)
        assert POLICE.parse("2023-12-15/2024-12-14") == POLICE.year(2024)
        assert POLICE.names_a_year("2024")
        assert not POLICE.names_a_year("2024-06")

    @pytest.mark.parametrize(
        ("start", "end", "field", "message"),
        [
            ("12-15", "12-15", "end", "from 12-15 ends on 12-14, the day before it starts again"),
            ("01-01", "12-30", "end", "from 01-01 ends on 12-31"),
            ("03-01", "02-27", "end", "ends on 02-28 or 02-29"),
            ("15-12", "14-12", "start", "did you mean '12-15'"),
            ("02-29", "02-28", "start", "day 1 to 28"),
            ("12-31", "12-30", "start", "day 1 to 28"),
            ("1215", "12-14", "start", "a month and day such as '12-15'"),
            ("13-01", "12-31", "start", "did you mean '01-13'"),
            ("00-15", "12-31", "start", "a month and day such as '12-15'"),
        ],
    )
    def test_a_year_that_does_not_tile_the_calendar_is_refused(
        self, start: str, end: str, field: str, message: str
    ) -> None:
        with pytest.raises(InvalidPeriodError) as info:
            ReportingYear(start, end)
        assert info.value.problems[0].path == field
        assert message in info.value.problems[0].message

    def test_every_problem_is_reported(self) -> None:
        with pytest.raises(InvalidPeriodError) as info:
            ReportingYear("15-12", "14-12")
        assert [p.path for p in info.value.problems] == ["start", "end"]

    @pytest.mark.parametrize("part", [0, 13, True])
    def test_parts_are_numbered_from_1(self, part: object) -> None:
        with pytest.raises(InvalidArgumentError, match="1 to 12"):
            POLICE.month(2024, part)  # type: ignore[arg-type]

    def test_a_year_outside_the_calendar_is_a_typed_error(self) -> None:
        with pytest.raises(InvalidPeriodError, match="outside the calendar"):
            POLICE.year(1)
        with pytest.raises(InvalidArgumentError):
            POLICE.year("2024")  # type: ignore[arg-type]


class TestContains:
    def test_quarter_in_year(self) -> None:
        assert Period.parse("2023-Q4") in Period.parse("2023")
        assert Period.parse("2022-Q4") not in Period.parse("2023")
        assert Period.parse("2023") not in Period.parse("2023-Q4")


@given(periods(kinds=EVERY_KIND))
def test_text_round_trip(p: Period) -> None:
    assert Period.parse(str(p)) == p
    assert Period.parse(str(p)).kind == p.kind


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Period.year(10**20), "year <a number of about 20 digits> is outside"),
        (lambda: Period.year(0), "year 0 is outside the calendar"),
        (lambda: Period.year(10_000), "year 10000 is outside the calendar"),
        (lambda: Period.half(2023, 3), "expected a half from 1 to 2, got 3"),
        (lambda: Period.quarter(2023, 0), "expected a quarter from 1 to 4, got 0"),
        (lambda: Period.month(2023, -(10**30)), "expected a month from 1 to 12, got -<a number"),
        (lambda: Period.parse(10**5000), "cannot read period '<a number of about 5000 digits>'"),
    ],
)
def test_constructors_refuse_numbers_outside_the_calendar(
    build: Callable[[], Period], message: str
) -> None:
    # Found by the fuzz suite: OverflowError from date() for huge years, ValueError
    # when a 5,000-digit year was written out, and "no such day 2023-13-01" for a third half.
    with pytest.raises(InvalidPeriodError, match=re.escape(message)):
        build()


def test_overlaps_containment_and_order() -> None:
    year, q4, q1_next = Period.parse("2023"), Period.parse("2023-Q4"), Period.parse("2024-Q1")
    assert year.overlaps(q4)
    assert q4.overlaps(year)
    assert not q4.overlaps(q1_next)
    assert Period.parse("2023-12-01/2024-01-31").overlaps(q1_next)
    assert q4 in year
    assert year not in q4
    assert "2023-Q4" not in year  # only periods are contained
    assert sorted([q1_next, q4, year], key=Period.sort_key) == [year, q4, q1_next]
    assert year.sort_key() == (date(2023, 1, 1), date(2023, 12, 31))


@pytest.mark.parametrize("value", [2023.0, None, True, ["2023"]])
def test_a_period_is_text_or_a_whole_year(value: object) -> None:
    with pytest.raises(InvalidPeriodError, match="expected a period string such as '2023'"):
        Period.parse(value)  # type: ignore[arg-type]
