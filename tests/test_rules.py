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
from tests.helpers import both, catalog_of, ev, ledger, outcome, problems_of

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


# -- exact edges, through both evaluators -------------------------------------------------


class TestRelativeChangeAtTheThreshold:
    """ "Down at least 5%" from 1000 is 950 or fewer: the threshold is 5% of the *baseline*
    (a threshold taken on the current value would let 951 through, 951 - 1000 <= -47.55)."""

    rule = Change("crimes", "<=", D("-0.05"), relative=True)

    @pytest.mark.parametrize(("current", "expected"), [(949, MET), (950, MET), (951, NOT_MET)])
    def test_down_five_percent_from_1000(self, current: int, expected: Outcome) -> None:
        recs = (ev("crimes", "2023", current), ev("crimes", "2022", 1000))
        assert both(self.rule, *recs) is expected

    @pytest.mark.parametrize(("current", "expected"), [(1049, NOT_MET), (1050, MET)])
    def test_up_five_percent_from_1000(self, current: int, expected: Outcome) -> None:
        up = Change("crimes", ">=", D("0.05"), relative=True)
        assert both(up, ev("crimes", "2023", current), ev("crimes", "2022", 1000)) is expected

    def test_decimal_values_at_the_threshold(self) -> None:
        rule = Change("budget", "<", D("-0.1"), relative=True)
        at = (ev("budget", "2023", D("90.0")), ev("budget", "2022", D("100")))
        below = (ev("budget", "2023", D("89.99")), ev("budget", "2022", D("100")))
        assert both(rule, *at) is NOT_MET
        assert both(rule, *below) is MET

    def test_terms_are_the_exact_cross_multiplied_form(self) -> None:
        # value = p/q: q (c - b) op p |b|.
        assert self.rule.value_terms == (-1, 20)
        assert Change("crimes", ">", D("0.25"), relative=True).value_terms == (1, 4)
        assert Change("crimes", "==", D(0), relative=True).value_terms == (0, 1)
        assert self.rule.holds(950, 1000) is True
        assert self.rule.holds(951, 1000) is False

    def test_an_absolute_change_compares_the_difference(self) -> None:
        rule = Change("crimes", "<=", D(-3))
        assert rule.holds(7, 10) is True
        assert rule.holds(8, 10) is False
        assert both(rule, ev("crimes", "2023", 8), ev("crimes", "2022", 10)) is NOT_MET
        assert both(rule, ev("crimes", "2023", 7), ev("crimes", "2022", 10)) is MET


class TestRatioSigns:
    """``n / d op v`` flips when ``d < 0``; ``d == 0`` is undefined."""

    @pytest.mark.parametrize(
        ("n", "d", "op", "value", "expected"),
        [
            (3, D(-5), ">=", D(-1), MET),  # -0.6 >= -1
            (6, D(-5), ">=", D(-1), NOT_MET),  # -1.2 >= -1
            (5, D(-5), ">=", D(-1), MET),  # -1 >= -1
            (5, D(-5), ">", D(-1), NOT_MET),
            (5, D(-5), "<", D(-1), NOT_MET),
            (6, D(-5), "<", D(-1), MET),
            (5, D(-5), "==", D(-1), MET),
            (5, D(-5), "!=", D(-1), NOT_MET),
            (3, D("-0.5"), "<=", D(-6), MET),  # -6 <= -6
            (3, D("0.5"), "<=", D(6), MET),
            (3, D("0.5"), "<", D(6), NOT_MET),
            (0, D(-5), ">=", D(0), MET),
        ],
    )
    def test_a_negative_denominator_flips_the_comparison(
        self, n: int, d: Decimal, op: str, value: Decimal, expected: Outcome
    ) -> None:
        rule = Ratio("crimes", "budget", op, value)  # type: ignore[arg-type]
        recs = (ev("crimes", "2023", n), ev("budget", "2023", d))
        assert both(rule, *recs) is expected
        assert rule.holds(n, d) is (expected is MET)

    def test_a_zero_denominator_is_undefined(self) -> None:
        rule = Ratio("crimes", "budget", ">=", D(-1))
        assert rule.holds(3, D(0)) is None
        assert both(rule, ev("crimes", "2023", 3), ev("budget", "2023", D(0))) is UNKNOWN

    def test_value_terms(self) -> None:
        assert Ratio("a", "b", ">=", D("-0.25")).value_terms == (-1, 4)
        assert Ratio("a", "b", ">=", D("1.5")).value_terms == (3, 2)
        assert Ratio("a", "b", ">=", D(0)).value_terms == (0, 1)


class TestSubUnitsCounts:
    @staticmethod
    def registry(n: int) -> UnitRegistry:
        areas = [Unit(f"a{i}", kind="residential_area", parent="w") for i in range(n)]
        return UnitRegistry((Unit("w"), *areas))

    def test_a_count_of_zero_is_met_by_any_registered_sub_units(self) -> None:
        rule = SubUnits(Flag("hq_ok"), count=0)
        assert rule.needed(3) == 0
        assert catalog_of(rule).problems() == []
        recs = [ev("hq_ok", "2023", False, unit=f"a{i}") for i in range(3)]
        assert both(rule, *recs, units=self.registry(3)) is MET
        assert both(rule, units=self.registry(3)) is MET  # nothing known, nothing needed
        assert both(rule, units=self.registry(0)) is UNKNOWN  # nothing to judge

    @pytest.mark.parametrize(("met", "expected"), [(1, NOT_MET), (2, MET), (3, MET)])
    def test_a_count_of_two_of_three(self, met: int, expected: Outcome) -> None:
        rule = SubUnits(Flag("hq_ok"), count=2)
        recs = [ev("hq_ok", "2023", i < met, unit=f"a{i}") for i in range(3)]
        assert both(rule, *recs, units=self.registry(3)) is expected

    def test_a_count_needs_only_that_many_known(self) -> None:
        rule = SubUnits(Flag("hq_ok"), count=2)
        recs = [ev("hq_ok", "2023", True, unit=f"a{i}") for i in range(2)]
        assert both(rule, *recs, units=self.registry(5)) is MET
        one = [ev("hq_ok", "2023", True, unit="a0"), ev("hq_ok", "2023", False, unit="a1")]
        assert both(rule, *one, units=self.registry(3)) is UNKNOWN

    def test_only_sub_units_of_the_kind_count(self) -> None:
        rule = SubUnits(Flag("hq_ok"), count=1, unit_kind="residential_area")
        registry = UnitRegistry(
            (
                Unit("w"),
                Unit("v", kind="village", parent="w"),
                Unit("a", kind="residential_area", parent="w"),
            )
        )
        recs = (ev("hq_ok", "2023", True, unit="v"), ev("hq_ok", "2023", False, unit="a"))
        assert both(rule, *recs, units=registry) is NOT_MET
        assert both(SubUnits(Flag("hq_ok"), count=1), *recs, units=registry) is MET


# -- validation of each kind --------------------------------------------------------------


def _rule_problems(rule: Rule, criteria: set[str] | None = None) -> list[tuple[str, str]]:
    from modelunit.rules import rule_problems
    from tests.helpers import INDICATORS

    return rule_problems(rule, {i.key: i for i in INDICATORS}, criteria)


def test_a_change_baseline_is_previous_the_same_period_or_a_period() -> None:
    assert _rule_problems(Change("crimes", "<", D(0), baseline="2019")) == []
    assert _rule_problems(Change("crimes", "<", D(0), baseline="same_period")) == []
    assert _rule_problems(Change("crimes", "<", D(0), baseline="last year")) == [
        ("baseline", "unknown baseline 'last year'; expected 'previous', 'same_period' or a period")
    ]
    assert _rule_problems(Change("hq_ok", "<", D(0))) == [
        ("indicator", "indicator 'hq_ok' is a boolean; expected count or quantity or share")
    ]


def test_a_baseline_of_only_separators_is_not_taken_for_a_misspelt_word() -> None:
    # Spaces, underscores and hyphens are dropped before asking whether a baseline is a
    # word: with nothing left it is no word, so no "did you mean" is offered.
    expected = "expected 'previous', 'same_period' or a period such as '2019', got "
    for baseline in (" ", "_ -"):
        assert _rule_problems(Change("crimes", "<", D(0), baseline=baseline)) == [
            ("baseline", expected + repr(baseline))
        ]


def test_combinators_need_rules() -> None:
    assert _rule_problems(AllOf(())) == [("rules", "'all' needs at least one rule")]
    assert _rule_problems(AnyOf(())) == [("rules", "'any' needs at least one rule")]
    assert _rule_problems(ShareOf(Fraction(1, 2), ())) == [
        ("rules", "'share_of' needs at least one rule")
    ]
    assert _rule_problems(KOf(0, ())) == []  # at least 0 of none is a (trivial) rule


@pytest.mark.parametrize("share", [Fraction(-1, 10), Fraction(11, 10)])
def test_shares_lie_in_the_unit_interval(share: Fraction) -> None:
    assert _rule_problems(ShareOf(share, (Flag("hq_ok"),))) == [
        ("share", f"a share lies in 0..1; got {share}")
    ]
    assert _rule_problems(SubUnits(Flag("hq_ok"), share=share)) == [
        ("share", f"a share lies in 0..1; got {share}")
    ]


@pytest.mark.parametrize("share", [Fraction(0), Fraction(1)])
def test_shares_at_the_ends_are_valid(share: Fraction) -> None:
    assert _rule_problems(ShareOf(share, (Flag("hq_ok"),))) == []
    assert _rule_problems(SubUnits(Flag("hq_ok"), share=share)) == []


def test_a_sub_unit_rule_gives_exactly_one_of_share_and_count() -> None:
    assert _rule_problems(SubUnits(Flag("hq_ok"))) == [
        ("share", "give exactly one of 'share' and 'count'")
    ]
    assert _rule_problems(SubUnits(Flag("hq_ok"), share=Fraction(1, 2), count=1)) == [
        ("share", "give exactly one of 'share' and 'count'")
    ]
    assert _rule_problems(SubUnits(Flag("hq_ok"), count=-1)) == [
        ("count", "a count is never negative; got -1")
    ]
    assert _rule_problems(SubUnits(Flag("hq_ok"), count=0)) == []
    assert _rule_problems(SubUnits(AllOf((Flag("hq_ok"), CriterionRef("C1")))), {"C1"}) == [
        ("share", "give exactly one of 'share' and 'count'"),
        ("rule", "a sub-unit rule cannot refer to criteria of the parent unit"),
    ]


def test_paths_of_nested_problems() -> None:
    rule = AllOf((Flag("hq_ok"), Not(KOf(1, (Flag("nope"), SubUnits(Flag("crimes"), count=1))))))
    assert _rule_problems(rule) == [
        ("rules[1].rule.rules[0].indicator", "unknown indicator 'nope'"),
        (
            "rules[1].rule.rules[1].rule.indicator",
            "indicator 'crimes' is a count; expected boolean",
        ),
    ]


def test_referenced_indicators_walk_every_node() -> None:
    from modelunit.rules import referenced_criteria, referenced_indicators

    rule = AnyOf(
        (
            Ratio("registered", "households", ">=", D("0.9")),
            Not(Change("crimes", "<", D(0))),
            SubUnits(AtLeastLevel("ranking", "good"), count=1),
            CriterionRef("C9"),
        )
    )
    assert referenced_indicators(rule) == {"registered", "households", "crimes", "ranking"}
    assert referenced_criteria(rule) == {"C9"}
    assert Change("crimes", "<", D(0)).indicators() == ("crimes",)


def test_the_abstract_node_has_no_description() -> None:
    from modelunit.rules import _Node

    with pytest.raises(NotImplementedError):
        _Node().describe()


def test_labels_replace_descriptions() -> None:
    labelled: list[Rule] = [
        Compare("crimes", "<", D(1), label="L"),
        Change("crimes", "<", D(0), label="L"),
        Ratio("crimes", "budget", "<", D(1), label="L"),
        AtLeastLevel("ranking", "good", label="L"),
        Flag("hq_ok", label="L"),
        Absent("serious", label="L"),
        Present("serious", label="L"),
        CriterionRef("C1", label="L"),
        AllOf((Flag("hq_ok"),), label="L"),
        AnyOf((Flag("hq_ok"),), label="L"),
        Not(Flag("hq_ok"), label="L"),
        KOf(1, (Flag("hq_ok"),), label="L"),
        ShareOf(Fraction(1, 2), (Flag("hq_ok"),), label="L"),
        SubUnits(Flag("hq_ok"), count=1, label="L"),
    ]
    from modelunit.rules import RULE_TYPES

    assert {type(r) for r in labelled} == set(RULE_TYPES)
    assert {r.describe() for r in labelled} == {"L"}


def test_descriptions_without_labels() -> None:
    assert [
        r.describe()
        for r in (
            Compare("crimes", "<", D(1)),
            Change("crimes", ">=", D(2), baseline="2019"),
            Change("crimes", "<=", D("-0.125"), relative=True),
            Ratio("crimes", "budget", "<", D("0.5")),
            AtLeastLevel("ranking", "good"),
            Flag("hq_ok"),
            Flag("hq_ok", expected=False),
            Absent("serious"),
            Present("serious"),
            CriterionRef("C1"),
            AnyOf((Flag("hq_ok"), Absent("serious"))),
            Not(Flag("hq_ok")),
            KOf(1, (Flag("hq_ok"), Absent("serious"))),
            SubUnits(Flag("hq_ok"), count=2),
            SubUnits(Flag("hq_ok"), share=Fraction(7, 10), unit_kind="residential_area"),
        )
    ] == [
        "crimes < 1",
        "crimes change vs 2019 >= 2",
        "crimes relative change vs previous period <= -12.5%",
        "crimes / budget < 0.5",
        "ranking at least 'good'",
        "hq_ok is true",
        "hq_ok is false",
        "no serious",
        "some serious",
        "criterion C1",
        "any of: (hq_ok is true; no serious)",
        "not (hq_ok is true)",
        "at least 1 of 2: (hq_ok is true; no serious)",
        "at least 2 of sub-units meet (hq_ok is true)",
        "at least 70% of residential_area sub-units meet (hq_ok is true)",
    ]


def test_a_level_on_an_indicator_that_is_not_a_category_names_the_field() -> None:
    found = problems_of(criteria=(Criterion("C1", AtLeastLevel("crimes", "good")),))
    assert found == [
        ("criteria[0].rule.indicator", "C1", "indicator 'crimes' is a count; expected category")
    ]


def test_a_ratio_over_indicators_it_cannot_divide_names_both_fields() -> None:
    found = problems_of(criteria=(Criterion("C1", Ratio("nope", "ranking", ">=", 1)),))
    assert found == [
        ("criteria[0].rule.numerator", "C1", "unknown indicator 'nope'"),
        (
            "criteria[0].rule.denominator",
            "C1",
            "indicator 'ranking' is a category; expected count or quantity or share",
        ),
    ]
