"""The evidence index: which records count (as of a moment), how sub-periods combine,
conflicts, type checks, and the bulk ``columns()`` agreeing with ``lookup()``."""

from __future__ import annotations

import contextlib
import decimal
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelunit
from modelunit import lookup as lookup_module
from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidEvidenceError, InvalidValueError, ModelUnitError
from modelunit.evidence import Evidence, EvidenceColumns, EvidenceLedger
from modelunit.indicators import Indicator
from modelunit.lookup import EvidenceIndex, Lookup, Missing, Resolved
from modelunit.outcomes import Outcome
from modelunit.periods import Period, ReportingYear
from modelunit.rules import Absent, Compare, Present
from modelunit.testing import criteria_sets, evidence_lists
from tests.helpers import INDICATORS, catalog_of, ev, ledger, outcome

MET, NOT_MET, UNKNOWN = Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT
D = Decimal
Y2023 = Period.parse("2023")


def index_of(*records: object, as_of: str | None = None) -> EvidenceIndex:
    return EvidenceIndex(INDICATORS, ledger(*records), as_of=as_of)  # type: ignore[arg-type]


class TestAggregation:
    def test_quarters_sum_to_the_year(self) -> None:
        recs = [ev("crimes", f"2023-Q{q}", q) for q in range(1, 5)]  # 1+2+3+4 = 10
        assert outcome(Compare("crimes", "==", D(10)), *recs) is MET

    def test_a_missing_quarter_is_insufficient_not_a_partial_sum(self) -> None:
        recs = [ev("crimes", f"2023-Q{q}", 0) for q in (1, 2, 4)]
        assert outcome(Compare("crimes", "<=", D(100)), *recs) is UNKNOWN

    def test_months_and_quarters_do_not_double_count(self) -> None:
        recs = [ev("crimes", f"2023-Q{q}", 1) for q in range(1, 5)]
        recs += [ev("crimes", "2023-01", 1), ev("crimes", "2023-02", 0)]
        assert outcome(Compare("crimes", "==", D(4)), *recs) is MET

    def test_last_takes_the_closing_sub_period(self) -> None:
        recs = [ev("households", "2023-Q3", 100), ev("households", "2023-Q4", 120)]
        assert outcome(Compare("households", "==", D(120)), *recs) is MET
        assert outcome(Compare("households", "==", D(100)), recs[0]) is UNKNOWN

    def test_any_over_quarters(self) -> None:
        recs = [ev("incident", f"2023-Q{q}", q == 3) for q in range(1, 5)]
        assert outcome(Present("incident"), *recs) is MET
        assert outcome(Absent("incident"), *recs) is NOT_MET

    def test_conflicting_records_are_insufficient_and_say_so(self) -> None:
        result = modelunit.assess(
            catalog_of(Compare("crimes", "<=", D(9))),
            ledger(ev("crimes", "2023", 5, id="a"), ev("crimes", "2023", 7, id="b")),
            unit="w",
            period="2023",
        )
        r = result.result("C1")
        assert r.outcome is UNKNOWN
        assert "conflicting records" in r.explanation
        assert r.evidence == ("a", "b")

    def test_conflicting_sub_period_records_are_insufficient(self) -> None:
        recs = [ev("crimes", f"2023-Q{q}", 1, id=f"q{q}") for q in range(1, 5)]
        recs.append(ev("crimes", "2023-Q2", 5, id="q2b"))
        result = modelunit.assess(
            catalog_of(Compare("crimes", ">=", D(0))), ledger(*recs), unit="w", period="2023"
        )
        r = result.result("C1")
        assert r.outcome is UNKNOWN
        assert "conflicting records for 2023-Q2 (q2, q2b)" in r.explanation


# -- what lookup() says ----------------------------------------------------------------------


def test_a_direct_record_and_sub_periods_say_where_the_value_came_from() -> None:
    index = index_of(
        ev("crimes", "2023", 5, id="y"),
        *(ev("serious", f"2023-Q{q}", q, id=f"s{q}") for q in range(1, 5)),
    )
    assert index.lookup("w", "crimes", Y2023) == Resolved(5, ("y",))
    assert index.lookup("w", "serious", Y2023) == Resolved(
        10, ("s1", "s2", "s3", "s4"), "sum of 4 sub-periods"
    )


def test_a_direct_record_stands_over_its_sub_periods() -> None:
    index = index_of(
        ev("crimes", "2023", 5, id="y"),
        *(ev("crimes", f"2023-Q{q}", 1) for q in range(1, 5)),
    )
    assert index.lookup("w", "crimes", Y2023) == Resolved(5, ("y",))


def test_the_most_specific_closing_record_stands_for_last() -> None:
    index = index_of(
        ev("households", "2023-Q4", 120, id="q4"), ev("households", "2023-12", 125, id="dec")
    )
    assert index.lookup("w", "households", Y2023) == Resolved(125, ("dec",), "last value, 2023-12")


def test_last_without_a_closing_record_says_where_the_records_end() -> None:
    index = index_of(ev("households", "2023-Q3", 100, id="q3"))
    assert index.lookup("w", "households", Y2023) == Missing(
        "no evidence for households at the end of 2023 (latest sub-period ends 2023-09-30)",
        ("q3",),
    )


def test_a_gap_in_the_sub_periods_is_named() -> None:
    index = index_of(*(ev("crimes", f"2023-Q{q}", 0, id=f"q{q}") for q in (1, 2, 4)))
    assert index.lookup("w", "crimes", Y2023) == Missing(
        "crimes in 2023: sub-period records do not continue after 2023-06-30", ("q1", "q2", "q4")
    )
    late = index_of(*(ev("crimes", f"2023-Q{q}", 0, id=f"q{q}") for q in (2, 3, 4)))
    assert late.lookup("w", "crimes", Y2023) == Missing(
        "crimes in 2023: sub-period records do not cover 2023-01-01 onwards", ("q2", "q3", "q4")
    )


def test_max_min_all_and_categories_combine_sub_periods() -> None:
    indicators = (
        Indicator("peak", "count", "max"),
        Indicator("low", "quantity", "min"),
        Indicator("ok", "boolean", "all"),
        Indicator("grade", "category", "min", categories=("poor", "fair", "good")),
        Indicator("best", "category", "max", categories=("poor", "fair", "good")),
    )
    values = {
        "peak": (3, 9),
        "low": (D("2.5"), D("-1")),
        "ok": (True, False),
        "grade": ("good", "fair"),
        "best": ("poor", "fair"),
    }
    records = [ev(key, f"2023-H{h}", pair[h - 1]) for key, pair in values.items() for h in (1, 2)]
    index = EvidenceIndex(indicators, ledger(*records))
    found = {key: index.lookup("w", key, Y2023) for key in values}
    assert {k: r.value for k, r in found.items() if isinstance(r, Resolved)} == {
        "peak": 9,
        "low": D("-1"),
        "ok": False,
        "grade": "fair",
        "best": "fair",
    }
    assert {r.how for r in found.values() if isinstance(r, Resolved)} == {
        f"{ind.aggregation} of 2 sub-periods" for ind in indicators
    }


def test_a_unit_without_records_is_missing_not_an_error() -> None:
    index = index_of(ev("crimes", "2023", 5))
    assert index.lookup("nobody", "crimes", Y2023) == Missing("no evidence for crimes in 2023")
    assert index.lookup("w", "serious", Y2023) == Missing("no evidence for serious in 2023")
    assert index.lookup("w", "crimes", Period.parse("2022")) == Missing(
        "no evidence for crimes in 2022"
    )
    assert index.units() == {"w"}


def test_an_undeclared_indicator_is_not_a_bare_key_error() -> None:
    index = index_of(ev("crimes", "2023", 5))
    found: Lookup | ModelUnitError
    try:
        found = index.lookup("w", "crimez", Y2023)
    except ModelUnitError as exc:  # an UnknownNameError would do, as would a Missing
        found = exc
    if isinstance(found, ModelUnitError):
        assert isinstance(found, KeyError)
        assert "crimez" in str(found)
    else:
        assert isinstance(found, Missing)
        assert "crimez" in found.reason


def test_records_of_undeclared_indicators_are_ignored_even_if_malformed() -> None:
    index = index_of(
        ev("not_declared", "2023", "anything", unit="x"), ev("crimes", "2023", 1, id="c")
    )
    assert index.units() == {"w"}
    assert index.lookup("w", "crimes", Y2023) == Resolved(1, ("c",))


# -- as of a moment --------------------------------------------------------------------------


BOOK = ledger(
    ev("crimes", "2023", 31, id="a", at="2024-01-10"),
    ev("crimes", "2023", 29, id="b", at="2024-02-01", supersedes="a"),
    ev("serious", "2023", 2, id="c", at="2024-03-01"),
)


def test_as_of_counts_only_what_was_recorded_by_then() -> None:
    before = EvidenceIndex(INDICATORS, BOOK, as_of="2024-01-31")
    assert before.lookup("w", "crimes", Y2023) == Resolved(31, ("a",))
    assert isinstance(before.lookup("w", "serious", Y2023), Missing)
    later = EvidenceIndex(INDICATORS, BOOK, as_of="2024-02-01")
    assert later.lookup("w", "crimes", Y2023) == Resolved(29, ("b",))
    assert isinstance(later.lookup("w", "serious", Y2023), Missing)
    nothing = EvidenceIndex(INDICATORS, BOOK, as_of="2023-12-31")
    assert nothing.units() == set()


def test_the_index_remembers_its_moment_as_naive_utc() -> None:
    assert EvidenceIndex(INDICATORS, BOOK).as_of is None
    assert EvidenceIndex.from_records(INDICATORS, BOOK.records).as_of is None
    day = EvidenceIndex(INDICATORS, BOOK, as_of="2024-01-31")
    assert day.as_of == datetime(2024, 1, 31, 23, 59, 59, 999999)
    aware = EvidenceIndex(INDICATORS, BOOK, as_of=datetime(2024, 2, 1, 7, 0, tzinfo=UTC))
    assert aware.as_of == datetime(2024, 2, 1, 7, 0)
    assert aware.lookup("w", "crimes", Y2023) == Resolved(29, ("b",))


def test_the_whole_ledger_without_as_of() -> None:
    index = EvidenceIndex(INDICATORS, BOOK)
    assert index.lookup("w", "crimes", Y2023) == Resolved(29, ("b",))
    assert index.lookup("w", "serious", Y2023) == Resolved(2, ("c",))


def test_an_unreadable_as_of_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValueError, match="expected an ISO date"):
        EvidenceIndex(INDICATORS, BOOK, as_of="last tuesday")


# -- type checks -----------------------------------------------------------------------------


def test_values_of_the_wrong_type_are_all_reported_at_once() -> None:
    book = ledger(
        ev("crimes", "2023", "many", id="r1"),
        ev("serious", "2023", -1, id="r2"),
        ev("satisfaction", "2023", "120%", id="r3"),
        ev("hq_ok", "2023", 1, id="r4"),
        ev("ranking", "2023", "great", id="r5"),
        ev("budget", "2023", True, id="r6"),
        ev("crimes", "2023", True, id="r7"),
        ev("crimes", "2022", 3, id="fine"),
    )
    with pytest.raises(InvalidEvidenceError) as info:
        EvidenceIndex(INDICATORS, book)
    assert [(p.path, p.record, p.message) for p in info.value.problems] == [
        ("value", "r1", "expected a whole number >= 0, got 'many'"),
        ("value", "r2", "a count cannot be negative, got -1"),
        ("value", "r3", "a share must be between 0 and 1 (0% to 100%), got '120%'"),
        ("value", "r4", "expected true or false, got 1"),
        (
            "value",
            "r5",
            "expected one of not_completed, completed, good, excellent, got 'great'",
        ),
        ("value", "r6", "expected a quantity, got True"),
        ("value", "r7", "expected a count, got True"),
    ]
    assert str(info.value).startswith("7 problems in evidence:")


def test_values_in_other_forms_are_converted_once() -> None:
    index = index_of(
        ev("crimes", "2023", "7", id="t"),
        ev("satisfaction", "2023", "92%", id="s"),
        ev("budget", "2023", 12, id="b"),
    )
    assert index.lookup("w", "crimes", Y2023) == Resolved(7, ("t",))
    assert index.lookup("w", "satisfaction", Y2023) == Resolved(D("0.92"), ("s",))
    budget = index.lookup("w", "budget", Y2023)
    assert isinstance(budget, Resolved)
    assert type(budget.value) is Decimal


@pytest.mark.parametrize("as_columns", [False, True])
def test_repeated_values_are_converted_and_refused_alike_for_every_record(
    as_columns: bool,
) -> None:
    # Each distinct value is converted once per indicator: the same answer for every
    # record holding it, decimals that differ in their exponent kept apart, and every
    # record with a bad value reported on its own.
    records = [
        ev("satisfaction", "2023", 1, unit="u1", id="i1"),
        ev("satisfaction", "2023", 1, unit="u2", id="i2"),
        ev("satisfaction", "2023", D("1.0"), unit="u3", id="d10"),
        ev("satisfaction", "2023", D("1.00"), unit="u4", id="d100"),
        ev("satisfaction", "2023", D("1"), unit="u5", id="d1"),
        ev("satisfaction", "2023", "92%", unit="u6", id="p1"),
        ev("satisfaction", "2023", "92%", unit="u7", id="p2"),
    ]
    book = (
        EvidenceLedger.from_columns(EvidenceColumns.from_records(records))
        if as_columns
        else ledger(*records)
    )
    index = EvidenceIndex(INDICATORS, book)
    found = {u: index.lookup(u, "satisfaction", Y2023) for u in ("u1", "u2", "u3", "u4", "u6")}
    assert {u: (str(r.value), type(r.value)) for u, r in found.items()} == {  # type: ignore[union-attr]
        "u1": ("1", Decimal),
        "u2": ("1", Decimal),
        "u3": ("1.0", Decimal),
        "u4": ("1.00", Decimal),
        "u6": ("0.92", Decimal),
    }
    bad = [
        ev("crimes", "2023", "many", unit="u1", id="b1"),
        ev("crimes", "2023", "many", unit="u2", id="b2"),
        ev("crimes", "2023", 3, unit="u3", id="ok"),
        ev("crimes", "2022", "many", unit="u1", id="b0"),
    ]
    book = (
        EvidenceLedger.from_columns(EvidenceColumns.from_records(bad))
        if as_columns
        else ledger(*bad)
    )
    with pytest.raises(InvalidEvidenceError) as info:
        EvidenceIndex(INDICATORS, book)
    assert [(p.record, p.message) for p in info.value.problems] == [
        ("b0", "expected a whole number >= 0, got 'many'"),
        ("b1", "expected a whole number >= 0, got 'many'"),
        ("b2", "expected a whole number >= 0, got 'many'"),
    ]


# -- exact sums ------------------------------------------------------------------------------


def test_sums_of_decimals_are_exact_under_a_low_ambient_precision() -> None:
    records = [ev("budget", f"2023-Q{q}", D("1000.001"), id=f"b{q}") for q in range(1, 5)]
    index = index_of(*records)
    with decimal.localcontext(prec=2) as ambient:
        found = index.lookup("w", "budget", Y2023)
        column = index.columns(["w"], "budget", [Y2023])[Y2023]
        assert decimal.getcontext() is ambient
        assert ambient.prec == 2
    assert found == Resolved(D("4000.004"), ("b1", "b2", "b3", "b4"), "sum of 4 sub-periods")
    assert column == ([D("4000.004")], bytearray(b"\x01"))


def test_a_percentage_is_read_exactly_under_a_low_ambient_precision() -> None:
    book = ledger(ev("satisfaction", "2023", "12.345%", id="s"))
    with decimal.localcontext(prec=2):
        index = EvidenceIndex(INDICATORS, book)
        result = modelunit.assess(
            catalog_of(Compare("satisfaction", ">=", D("0.12345"))), book, unit="w", period="2023"
        )
    assert index.lookup("w", "satisfaction", Y2023) == Resolved(D("0.12345"), ("s",))
    assert result.result("C1").outcome is MET


def test_sums_beyond_the_default_precision_are_exact() -> None:
    index = index_of(ev("budget", "2023-H1", D("1e30")), ev("budget", "2023-H2", D("0.5")))
    found = index.lookup("w", "budget", Y2023)
    assert isinstance(found, Resolved)
    assert found.value == D("1000000000000000000000000000000.5")


# -- columns() agrees with lookup() ----------------------------------------------------------


def _world() -> EvidenceIndex:
    recs = [
        ev("crimes", "2023", 5, unit="direct"),
        *(ev("crimes", f"2023-Q{q}", q, unit="quarters") for q in range(1, 5)),
        *(ev("crimes", f"2023-Q{q}", 1, unit="mixed") for q in range(1, 5)),
        ev("crimes", "2023-01", 1, unit="mixed"),
        ev("crimes", "2023-02", 0, unit="mixed"),
        *(ev("crimes", f"2023-Q{q}", 0, unit="gap") for q in (1, 2, 4)),
        ev("crimes", "2023", 5, unit="conflict"),
        ev("crimes", "2023", 7, unit="conflict"),
        *(ev("crimes", f"2023-Q{q}", 1, unit="sub_conflict") for q in range(1, 5)),
        ev("crimes", "2023-Q2", 5, unit="sub_conflict"),
        ev("crimes", "2023", 9, unit="both"),
        *(ev("crimes", f"2023-Q{q}", 1, unit="both") for q in range(1, 5)),
        ev("crimes", "2022", "4", unit="text"),
        ev("crimes", "2023", "6", unit="text"),
        ev("households", "2023-Q3", 100, unit="quarters"),
        ev("households", "2023-Q4", 120, unit="quarters"),
        ev("households", "2023-12", 125, unit="mixed"),
        ev("households", "2023-Q4", 121, unit="mixed"),
        ev("households", "2023-Q3", 90, unit="gap"),
        *(ev("budget", f"2023-Q{q}", D("0.1"), unit="quarters") for q in range(1, 5)),
        ev("budget", "2023", "2.50", unit="text"),
        ev("serious", "2023", 0, unit="other_indicator_only"),
    ]
    return index_of(*recs)


UNITS = [
    "direct",
    "quarters",
    "mixed",
    "gap",
    "conflict",
    "sub_conflict",
    "both",
    "text",
    "other_indicator_only",
    "nobody",
]
PERIODS = [Period.parse(p) for p in ("2023", "2023-Q1", "2023-Q2", "2023-H1", "2022", "2023-01")]


@pytest.mark.parametrize("indicator", ["crimes", "households", "budget"])
def test_columns_agree_with_lookup_for_every_unit(indicator: str) -> None:
    index = _world()
    columns = index.columns(UNITS, indicator, [*PERIODS, PERIODS[0]])
    assert list(columns) == PERIODS
    for period, (values, present) in columns.items():
        for i, unit in enumerate(UNITS):
            found = index.lookup(unit, indicator, period)
            expected = (found.value, 1) if isinstance(found, Resolved) else (None, 0)
            assert (values[i], present[i]) == expected, (unit, period)


def test_the_agreement_above_covers_every_kind_of_lookup() -> None:
    index = _world()
    found = [index.lookup(u, "crimes", Y2023) for u in UNITS]
    reasons = [f.reason for f in found if isinstance(f, Missing)]
    hows = {f.how for f in found if isinstance(f, Resolved)}
    assert hows == {"", "sum of 4 sub-periods"}
    assert any(r.startswith("conflicting records for crimes in 2023") for r in reasons)
    assert any("conflicting records for 2023-Q2" in r for r in reasons)
    assert any("do not continue after" in r for r in reasons)
    assert any(r.startswith("no evidence") for r in reasons)
    last = index.lookup("mixed", "households", Y2023)
    assert isinstance(last, Resolved)
    assert (last.value, last.how) == (125, "last value, 2023-12")


# -- the same index from columns, and with sparse tables ---------------------------------------


def _everything(index: EvidenceIndex, units: list[str]) -> list[object]:
    periods = [Period.parse(p) for p in ("2021", "2022", "2023", "2023-Q1", "2023-Q4", "2022-H2")]
    found: list[object] = [index.units()]
    for key in index.indicators:
        for period in periods:
            found.append(index.columns(units, key, periods))
            found += [index.lookup(u, key, period) for u in units]
    return found


@settings(max_examples=60, deadline=None)
@given(
    criteria_sets(max_criteria=3).flatmap(
        lambda c: evidence_lists(c, units=["a", "b", "c"]).map(lambda r: (c, r))
    ),
    st.sampled_from((None, "2024-01-03", "2024-02-15")),
)
def test_an_index_reads_alike_from_objects_columns_and_sparse_tables(
    data: tuple[CriteriaSet, list[Evidence]], as_of: str | None
) -> None:
    catalog, records = data
    units = ["a", "b", "c", "nobody"]
    objects = EvidenceLedger(tuple(records))
    columns = EvidenceLedger.from_columns(EvidenceColumns.from_records(records))
    assert columns == objects
    expected = _everything(EvidenceIndex(catalog.indicators, objects, as_of=as_of), units)
    assert _everything(EvidenceIndex(catalog.indicators, columns, as_of=as_of), units) == expected
    with _sparse():
        assert _everything(EvidenceIndex(catalog.indicators, objects, as_of=as_of), units) == (
            expected
        )
        assert _everything(EvidenceIndex(catalog.indicators, columns, as_of=as_of), units) == (
            expected
        )


@contextlib.contextmanager
def _sparse() -> Iterator[None]:
    saved = lookup_module._dense_budget
    lookup_module._dense_budget = lambda records: -1  # type: ignore[assignment]
    try:
        yield
    finally:
        lookup_module._dense_budget = saved  # type: ignore[assignment]


def test_equal_periods_given_as_different_objects_are_one_period() -> None:
    year = Period.parse("2023")
    same = Period(year.start, year.end, "year")  # equal, not the same object
    assert same == year
    assert same is not year
    index = index_of(
        ev("crimes", "2023", 5, id="a", unit="w"),
        Evidence("b", "w", "crimes", same, 6, recorded_at="2024-02-01"),
        ev("crimes", "2023", 7, id="c", unit="v"),
        Evidence("d", "u", "crimes", same, 8, recorded_at="2024-02-01"),
    )
    assert index.lookup("w", "crimes", year) == Missing(
        "conflicting records for crimes in 2023 (a, b); "
        "record a correction that supersedes one of them",
        ("a", "b"),
    )
    assert index.columns(["w", "v", "u"], "crimes", [same])[same] == (
        [None, 7, 8],
        bytearray(b"\x00\x01\x01"),
    )


def test_indicators_whose_range_excludes_one_are_indexed_and_read() -> None:
    # An empty slot holds a value of the indicator's type; one the range refuses
    # must not stop the index (nor be read: its flag says there is no value).
    inds = [
        Indicator("small", "quantity", "sum", maximum=D("0.5")),
        Indicator("negative", "quantity", "sum", minimum=D(-5), maximum=D(-1)),
        Indicator("zero", "quantity", "sum", minimum=D(0), maximum=D(0)),
    ]
    records = EvidenceLedger(
        [
            ev("small", "2023", D("0.25"), unit="w"),
            ev("negative", "2023", D(-2), unit="x"),
            ev("zero", "2023", D(0), unit="x"),
        ]
    )
    index = EvidenceIndex(inds, records)
    positions = index.positions(["w", "x", "y"])
    assert index.column(positions, "small", Y2023) == [D("0.25"), None, None]
    assert index.column(positions, "negative", Y2023) == [None, D(-2), None]
    assert index.column(positions, "zero", Y2023) == [None, D(0), None]
    values, present = index.column_present(positions, "negative", Y2023)
    assert (values[1], bytes(present)) == (D(-2), b"\x00\x01\x00")


class TestReportingYear:
    """Sub-period evidence makes up a reporting year only where it tiles it."""

    POLICE = ReportingYear("12-15", "12-14")

    def test_reporting_months_sum_to_the_reporting_year(self) -> None:
        months = [ev("crimes", str(self.POLICE.month(2024, m)), m) for m in range(1, 13)]
        found = index_of(*months).lookup("w", "crimes", self.POLICE.year(2024))
        assert isinstance(found, Resolved)
        assert (found.value, found.how) == (78, "sum of 12 sub-periods")

    def test_reporting_quarters_sum_to_the_reporting_year(self) -> None:
        quarters = [ev("crimes", str(self.POLICE.quarter(2024, q)), q) for q in range(1, 5)]
        found = index_of(*quarters).lookup("w", "crimes", self.POLICE.year(2024))
        assert isinstance(found, Resolved)
        assert found.value == 10

    def test_calendar_months_do_not_tile_it_and_say_why(self) -> None:
        months = [ev("crimes", f"{y}-{m:02d}", 1) for y in (2023, 2024) for m in range(1, 13)]
        found = index_of(*months).lookup("w", "crimes", self.POLICE.year(2024))
        assert isinstance(found, Missing)
        assert found.reason == (
            "crimes in 2023-12-15/2024-12-14: sub-period records do not cover 2023-12-15 "
            "onwards (records for 2023-12, 2024-12 cross its bounds; a record is never split)"
        )
        # The months inside are cited; the two that straddle the bounds are not used.
        assert len(found.evidence) == 11

    def test_a_calendar_year_record_is_not_the_reporting_year(self) -> None:
        found = index_of(ev("crimes", "2024", 30)).lookup("w", "crimes", self.POLICE.year(2024))
        assert isinstance(found, Missing)
        assert found.reason == (
            "no evidence for crimes in 2023-12-15/2024-12-14 "
            "(records for 2024 cross its bounds; a record is never split)"
        )
        assert found.evidence == ()

    def test_a_record_for_the_reporting_year_itself_is_used(self) -> None:
        record = ev("crimes", "2023-12-15/2024-12-14", 30)
        found = index_of(record).lookup("w", "crimes", self.POLICE.year(2024))
        assert found == Resolved(30, (record.id,))
