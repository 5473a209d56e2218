from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given

from modelunit.errors import InvalidPeriodError
from modelunit.periods import Period
from modelunit.testing import periods


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
        ],
    )
    def test_previous(self, text: str, previous: str) -> None:
        assert str(Period.parse(text).previous()) == previous

    def test_same_days_compare_equal_whatever_written(self) -> None:
        assert Period.parse("2023") == Period.range(date(2023, 1, 1), date(2023, 12, 31))
        assert hash(Period.parse("2023-Q2")) == hash(Period.parse("2023-04-01/2023-06-30"))


class TestContains:
    def test_quarter_in_year(self) -> None:
        assert Period.parse("2023-Q4") in Period.parse("2023")
        assert Period.parse("2022-Q4") not in Period.parse("2023")
        assert Period.parse("2023") not in Period.parse("2023-Q4")


@given(periods(kinds=("year", "half", "quarter", "month", "range")))
def test_text_round_trip(p: Period) -> None:
    assert Period.parse(str(p)) == p
    assert Period.parse(str(p)).kind == p.kind


@given(periods(kinds=("year", "half", "quarter", "month", "range")))
def test_previous_ends_the_day_before(p: Period) -> None:
    prev = p.previous()
    assert (p.start - prev.end).days == 1
    if p.kind == "range":
        # Same length; a span that happens to be a whole year (say) is named so.
        assert prev.days == p.days
    else:
        assert prev.kind == p.kind


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
