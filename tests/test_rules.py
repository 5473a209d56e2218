"""Exact semantics of every rule kind, through the explained evaluator.

How values for sub-periods combine is the evidence index's (test_lookup.py)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest

import modelunit
from modelunit.criteria import Criterion
from modelunit.errors import InvalidPeriodError
from modelunit.evidence import Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.rules import (
    Absent,
    AllOf,
    AnyOf,
    AtLeastLevel,
    Change,
    Compare,
    CriterionRef,
    Flag,
    KOf,
    Not,
    Present,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
)
from tests.helpers import catalog_of, ev, ledger, outcome, problems_of

MET, NOT_MET, UNKNOWN = Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT
D = Decimal


class TestCompare:
    @pytest.mark.parametrize(
        ("op", "value", "expected"),
        [
            ("<=", 5, MET),
            ("<", 5, NOT_MET),
            ("==", 5, MET),
            ("!=", 5, NOT_MET),
            (">=", D("4.5"), MET),
            (">", D("5"), NOT_MET),
        ],
    )
    def test_count(self, op: str, value: int, expected: Outcome) -> None:
        rule = Compare("crimes", op, D(value))  # type: ignore[arg-type]
        assert outcome(rule, ev("crimes", "2023", 5)) is expected

    def test_missing_is_insufficient_not_failure(self) -> None:
        assert outcome(Compare("crimes", "<=", D(5))) is UNKNOWN

    def test_share_exact(self) -> None:
        rule = Compare("satisfaction", ">=", D("0.9"))
        assert outcome(rule, ev("satisfaction", "2023", D("0.9"))) is MET
        assert outcome(rule, ev("satisfaction", "2023", "89.99%")) is NOT_MET

    def test_explanation_cites_values_and_evidence(self) -> None:
        result = modelunit.assess(
            catalog_of(Compare("crimes", "<=", D(3))),
            ledger(ev("crimes", "2023", 5, id="r1")),
            unit="w",
            period="2023",
        )
        r = result.result("C1")
        assert r.explanation == "crimes in 2023 is 5, needs <= 3"
        assert r.evidence == ("r1",)
        assert r.trace is not None
        assert r.trace.values[0].value == 5


class TestChange:
    def test_fewer_than_last_year(self) -> None:
        rule = Change("crimes", "<", D(0))
        assert outcome(rule, ev("crimes", "2023", 19), ev("crimes", "2022", 25)) is MET
        assert outcome(rule, ev("crimes", "2023", 25), ev("crimes", "2022", 25)) is NOT_MET
        assert outcome(rule, ev("crimes", "2023", 19)) is UNKNOWN

    def test_relative_against_fixed_baseline(self) -> None:
        # "at least 5% fewer cases than 2019": 95 of 100 passes, 96 does not.
        rule = Change("crimes", "<=", D("-0.05"), baseline="2019", relative=True)
        assert outcome(rule, ev("crimes", "2023", 95), ev("crimes", "2019", 100)) is MET
        assert outcome(rule, ev("crimes", "2023", 96), ev("crimes", "2019", 100)) is NOT_MET

    def test_relative_exact_where_floats_are_not(self) -> None:
        # 24% down from 25 is 19 exactly; float arithmetic gives 0.24000000000000002.
        rule = Change("crimes", "<=", D("-0.24"), relative=True)
        assert outcome(rule, ev("crimes", "2023", 19), ev("crimes", "2022", 25)) is MET

    def test_relative_zero_baseline_is_defined(self) -> None:
        # (c - b) op v*b with b = 0: none before and none now meets a reduction
        # target (0 <= 0); any case now is an increase.
        rule = Change("crimes", "<=", D("-0.05"), relative=True)
        assert outcome(rule, ev("crimes", "2023", 0), ev("crimes", "2022", 0)) is MET
        assert outcome(rule, ev("crimes", "2023", 1), ev("crimes", "2022", 0)) is NOT_MET
        no_increase = Change("crimes", "<=", D(0), relative=True)
        assert outcome(no_increase, ev("crimes", "2023", 0), ev("crimes", "2022", 0)) is MET
        assert outcome(no_increase, ev("crimes", "2023", 1), ev("crimes", "2022", 0)) is NOT_MET

    def test_quarter_compares_with_previous_quarter(self) -> None:
        rule = Change("crimes", "<", D(0))
        recs = [ev("crimes", "2023-Q1", 3), ev("crimes", "2022-Q4", 4)]
        assert outcome(rule, *recs, period="2023-Q1") is MET


class TestSamePeriodBaseline:
    """``baseline = "same_period"``: the same quarter, month, half or dates of an earlier
    year, whatever the previous period holds."""

    @pytest.mark.parametrize(
        ("period", "same", "previous"),
        [
            ("2023-Q1", "2022-Q1", "2022-Q4"),
            ("2023-06", "2022-06", "2023-05"),
            ("2023-H2", "2022-H2", "2023-H1"),
            ("2024-01-01/2024-11-30", "2023-01-01/2023-11-30", "2023-02-01/2023-12-31"),
            ("2024-01-01/2024-02-29", "2023-01-01/2023-02-28", "2023-11-01/2023-12-31"),
        ],
    )
    def test_the_same_period_of_last_year_decides(
        self, period: str, same: str, previous: str
    ) -> None:
        rule = Change("crimes", "<", D(0), baseline="same_period")
        # Fewer than the same period of last year, more than the period just before.
        recs = [ev("crimes", period, 5), ev("crimes", same, 6), ev("crimes", previous, 4)]
        assert outcome(rule, *recs, period=period) is MET
        assert outcome(Change("crimes", "<", D(0)), *recs, period=period) is NOT_MET
        assert (
            outcome(rule, ev("crimes", period, 5), ev("crimes", previous, 4), period=period)
            is UNKNOWN
        )

    def test_years_back(self) -> None:
        rule = Change(
            "crimes", "<=", D("-0.05"), baseline="same_period", years_back=4, relative=True
        )
        assert rule.baseline_period(modelunit.Period.parse("2023-Q3")) == modelunit.Period.parse(
            "2019-Q3"
        )
        recs = [
            ev("crimes", "2023-Q3", 95),
            ev("crimes", "2019-Q3", 100),
            ev("crimes", "2022-Q3", 10),
        ]
        assert outcome(rule, *recs, period="2023-Q3") is MET

    def test_the_baseline_kinds_are_one_declaration(self) -> None:
        from modelunit.rules import BASELINE_KINDS, BASELINE_WORDS

        assert BASELINE_KINDS == ("previous", "same_period", "fixed")
        assert BASELINE_WORDS == ("previous", "same_period")
        kinds = {
            Change("c", "<", D(0), baseline=b).baseline_kind
            for b in ("previous", "same_period", "2019")
        }
        assert kinds == set(BASELINE_KINDS)

    @pytest.mark.parametrize(
        ("years_back", "text"),
        [(1, "vs same period of previous year"), (3, "vs same period 3 years earlier")],
    )
    def test_describe(self, years_back: int, text: str) -> None:
        rule = Change("crimes", "<", D(0), baseline="same_period", years_back=years_back)
        assert rule.describe() == f"crimes change {text} < 0"

    @pytest.mark.parametrize(
        ("baseline", "years_back", "field", "message"),
        [
            ("previos", 1, "baseline", "unknown baseline 'previos' (did you mean 'previous'?)"),
            ("same_period_last_year", 1, "baseline", "(did you mean 'same_period'?)"),
            (
                "cùng kỳ",
                1,
                "baseline",
                "unknown baseline 'cùng kỳ'; expected 'previous', 'same_period' or a period",
            ),
            (
                "2019-13",
                1,
                "baseline",
                "expected 'previous', 'same_period' or a period such as '2019', got '2019-13'",
            ),
            ("same_period", 0, "years_back", "a whole number of years, 1 to 9998; got 0"),
            ("same_period", True, "years_back", "a whole number of years, 1 to 9998; got True"),
            ("previous", 2, "years_back", "years_back applies to baseline = 'same_period' only"),
            ("2019", 2, "years_back", "years_back applies to baseline = 'same_period' only"),
        ],
    )
    def test_a_baseline_that_cannot_be_formed_is_refused(
        self, baseline: str, years_back: int, field: str, message: str
    ) -> None:
        rule = Change("crimes", "<", D(0), baseline=baseline, years_back=years_back)
        problems = problems_of(criteria=(Criterion("C1", rule),))
        assert [(path, m.startswith(message) or message in m) for path, _, m in problems] == [
            (f"criteria[0].rule.{field}", True)
        ]

    def test_a_period_before_the_calendar_is_a_typed_error(self) -> None:
        rule = Change("crimes", "<", D(0), baseline="same_period", years_back=5)
        with pytest.raises(InvalidPeriodError, match="no period 5 years before 0004"):
            outcome(rule, period="0004")


class TestRatio:
    def test_registered_households(self) -> None:
        rule = Ratio("registered", "households", ">=", D("0.95"))
        assert outcome(rule, ev("registered", "2023", 95), ev("households", "2023", 100)) is MET
        assert outcome(rule, ev("registered", "2023", 94), ev("households", "2023", 100)) is NOT_MET

    def test_zero_denominator_is_insufficient(self) -> None:
        rule = Ratio("registered", "households", ">=", D("0.95"))
        assert outcome(rule, ev("registered", "2023", 0), ev("households", "2023", 0)) is UNKNOWN

    def test_negative_denominator_flips(self) -> None:
        rule = Ratio("budget", "budget", ">=", D(1))
        assert outcome(rule, ev("budget", "2023", D(-5))) is MET


class TestLeaves:
    def test_at_least_level(self) -> None:
        rule = AtLeastLevel("ranking", "good")
        assert outcome(rule, ev("ranking", "2023", "excellent")) is MET
        assert outcome(rule, ev("ranking", "2023", "good")) is MET
        assert outcome(rule, ev("ranking", "2023", "completed")) is NOT_MET

    def test_flag_absent_present(self) -> None:
        assert outcome(Flag("hq_ok"), ev("hq_ok", "2023", True)) is MET
        assert outcome(Flag("hq_ok", expected=False), ev("hq_ok", "2023", True)) is NOT_MET
        assert outcome(Absent("serious"), ev("serious", "2023", 0)) is MET
        assert outcome(Present("serious"), ev("serious", "2023", 2)) is MET


class TestCombinators:
    met = Compare("crimes", ">=", D(0))
    failed = Compare("crimes", "<", D(0))
    unknown = Compare("serious", ">=", D(0))  # no evidence for "serious"

    def run(self, rule: Rule) -> Outcome:
        return outcome(rule, ev("crimes", "2023", 1))

    def test_all_any_not(self) -> None:
        assert self.run(AllOf((self.met, self.unknown))) is UNKNOWN
        assert self.run(AllOf((self.unknown, self.failed))) is NOT_MET
        assert self.run(AnyOf((self.unknown, self.met))) is MET
        assert self.run(AnyOf((self.unknown, self.failed))) is UNKNOWN
        assert self.run(Not(self.unknown)) is UNKNOWN
        assert self.run(Not(self.failed)) is MET

    def test_short_circuit_keeps_only_what_decided(self) -> None:
        result = modelunit.assess(
            catalog_of(AllOf((self.failed, self.unknown))),
            ledger(ev("crimes", "2023", 1)),
            unit="w",
            period="2023",
        )
        trace = result.result("C1").trace
        assert trace is not None
        assert len(trace.children) == 1
        assert "1 more not needed" in trace.reason

    def test_k_of(self) -> None:
        rules = (self.met, self.unknown, self.failed)
        assert self.run(KOf(1, rules)) is MET
        assert self.run(KOf(2, rules)) is UNKNOWN
        assert self.run(KOf(3, rules)) is NOT_MET
        assert self.run(KOf(0, rules)) is MET

    def test_share_of_rounds_up_exactly(self) -> None:
        # 70% of 3 is 2.1: three needed.
        assert self.run(ShareOf(Fraction(7, 10), (self.met, self.met, self.failed))) is NOT_MET
        assert self.run(ShareOf(Fraction(2, 3), (self.met, self.met, self.failed))) is MET


class TestSubUnits:
    @staticmethod
    def registry(n: int) -> UnitRegistry:
        areas = [Unit(f"a{i}", kind="residential_area", parent="w") for i in range(n)]
        return UnitRegistry((Unit("w"), *areas))

    @pytest.mark.parametrize(("safe", "expected"), [(17, NOT_MET), (18, MET)])
    def test_seventy_percent_of_25_needs_18(self, safe: int, expected: Outcome) -> None:
        rule = SubUnits(Flag("hq_ok"), share=Fraction(7, 10), unit_kind="residential_area")
        recs = [ev("hq_ok", "2023", i < safe, unit=f"a{i}") for i in range(25)]
        assert outcome(rule, *recs, units=self.registry(25)) is expected

    def test_unknown_sub_units_can_leave_it_open(self) -> None:
        rule = SubUnits(Flag("hq_ok"), share=Fraction(7, 10), unit_kind="residential_area")
        recs = [ev("hq_ok", "2023", True, unit=f"a{i}") for i in range(17)]
        assert outcome(rule, *recs, units=self.registry(25)) is UNKNOWN

    def test_no_sub_units_is_insufficient(self) -> None:
        rule = SubUnits(Flag("hq_ok"), count=1)
        assert outcome(rule, units=self.registry(0)) is UNKNOWN


def test_criterion_reference() -> None:
    catalog = catalog_of(Compare("crimes", "<=", D(3)), CriterionRef("C1"))
    result = modelunit.assess(catalog, ledger(ev("crimes", "2023", 1)), unit="w", period="2023")
    assert result.result("C2").outcome is MET


def test_describe() -> None:
    rule = ShareOf(
        Fraction(7, 10),
        (Absent("serious"), Change("crimes", "<=", D("-0.05"), baseline="2019", relative=True)),
    )
    assert rule.describe() == (
        "at least 70% of 2: (no serious; crimes relative change vs 2019 <= -5%)"
    )


def test_a_description_does_not_depend_on_the_decimal_context() -> None:
    rule = Change("budget", "<=", D("-0.123456"), relative=True)
    with decimal.localcontext(prec=4):
        rule.describe()
    assert rule.describe() == "budget relative change vs previous period <= -12.3456%"
