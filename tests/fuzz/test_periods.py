"""Fuzz periods and instants: ``Period.parse``, its constructors, ``previous()`` and
``str()``; ``moment()`` and ``EvidenceLedger.as_of`` with text.

Inputs are text shaped like what people write (years, halves, quarters, months, date
ranges and ISO instants, at the calendar's edges and past them, with offsets, in
other digits, with spaces), random text and integers of any size.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

import modelunit
from modelunit.evidence import EvidenceLedger, moment
from modelunit.periods import Period
from tests.fuzz.checks import attempt, fuzz_settings
from tests.fuzz.inputs import DATES, one_of_these, pick, texts

_DIGITS = "0123456789"
_YEARS = pick(
    st.integers(min_value=0, max_value=10_000).map(lambda y: f"{y:04d}"),
    one_of_these(["0001", "9999", "0000", "10000", "२०२३", "２０２３", "+2023", "-001"]),
    st.text(_DIGITS + "١２ ", min_size=1, max_size=5),
)
_EDGE_DATES = pick(
    st.dates(),
    st.dates(max_value=date(1, 2, 1)),
    st.dates(min_value=date(9999, 12, 1)),
)


def _dates_text() -> st.SearchStrategy[str]:
    return pick(
        _EDGE_DATES.map(date.isoformat),
        st.builds(
            lambda y, m, d: f"{y}-{m}-{d}",
            _YEARS,
            st.text(_DIGITS, max_size=3),
            st.text(_DIGITS, max_size=3),
        ),
    )


def period_texts() -> st.SearchStrategy[str]:
    """Text that looks like a period (and some that does not)."""
    return pick(
        _YEARS,
        st.builds(lambda y, h: f"{y}-{h}", _YEARS, one_of_these(["H1", "H2", "h1", "H0", "H3"])),
        st.builds(lambda y, q: f"{y}-{q}", _YEARS, one_of_these(["Q1", "Q4", "q2", "Q0", "Q5"])),
        st.builds(lambda y, m: f"{y}-{m}", _YEARS, st.text(_DIGITS, min_size=1, max_size=3)),
        st.builds(lambda a, b: f"{a}/{b}", _dates_text(), _dates_text()),
        st.builds(lambda a, b: f" {a} / {b} ", _EDGE_DATES, _EDGE_DATES),
        one_of_these(DATES),
        texts(),
    )


def instant_texts() -> st.SearchStrategy[str]:
    """Text that looks like a date or a date-time, with or without an offset."""
    offsets = one_of_these(["", "Z", "+07:00", "-05:00", "+14:00", "-23:59", "+24:00", "+0530"])
    return pick(
        _dates_text(),
        st.builds(lambda d, o: f"{d.isoformat()}{o}", st.datetimes(), offsets),
        st.builds(
            lambda d, t, o: f"{d.isoformat()}T{t}{o}",
            _EDGE_DATES,
            one_of_these(["00:00", "23:59:59.999999", "24:00", "12", "25:00"]),
            offsets,
        ),
        one_of_these(DATES),
        texts(),
    )


@fuzz_settings(deadline_ms=1_000)
@given(text=pick(period_texts(), st.integers()))
def test_period_parse(text: str | int) -> None:
    period = attempt(Period.parse, text)
    if isinstance(period, Period):
        assert period.start <= period.end
        again = Period.parse(str(period))
        assert again == period
        assert again.kind == period.kind
        assert str(again) == str(period)


@fuzz_settings(deadline_ms=1_000)
@given(text=period_texts())
def test_period_previous_and_str(text: str) -> None:
    period = attempt(Period.parse, text)
    if not isinstance(period, Period):
        return
    before = attempt(period.previous)
    if isinstance(before, Period):
        assert before.end + timedelta(days=1) == period.start
        if period.kind == "range":
            assert before.days == period.days
        assert Period.parse(str(before)) == before


@fuzz_settings(deadline_ms=1_000)
@given(
    kind=one_of_these(["year", "half", "quarter", "month"]),
    year=pick(st.integers(), st.integers(min_value=-2, max_value=10_002)),
    part=pick(st.integers(min_value=-1, max_value=14), st.integers()),
)
def test_period_constructors(kind: str, year: int, part: int) -> None:
    build = getattr(Period, kind)
    period = attempt(build, year) if kind == "year" else attempt(build, year, part)
    if isinstance(period, Period):
        assert Period.parse(str(period)) == period


@fuzz_settings(deadline_ms=1_000)
@given(start=_EDGE_DATES, end=_EDGE_DATES)
def test_period_range(start: date, end: date) -> None:
    period = attempt(Period.range, start, end)
    if isinstance(period, Period):
        assert Period.parse(str(period)) == period
        attempt(period.previous)


@fuzz_settings(deadline_ms=1_000)
@given(value=pick(instant_texts(), st.datetimes(timezones=st.timezones()), st.dates()))
def test_moment(value: str | datetime | date) -> None:
    when = attempt(moment, value)
    if isinstance(when, datetime):
        assert when.tzinfo is None
        assert moment(when.isoformat()) == when


LEDGER = modelunit.load_evidence("tutorial")


@fuzz_settings(deadline_ms=1_000)
@given(text=instant_texts())
def test_ledger_as_of(text: str) -> None:
    ledger = attempt(LEDGER.as_of, text)
    if isinstance(ledger, EvidenceLedger):
        cut = moment(text)
        assert all(r.recorded_at <= cut for r in ledger)
