"""The explained evaluator: the reasons it gives, references to other criteria, numbers
shown to people (huge ratios, percentages) and independence from the decimal context."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from fractions import Fraction

import pytest

import modelunit
from modelunit import _explain
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.errors import InvalidValueError
from modelunit.evidence import Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.lookup import EvidenceIndex
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.policy import RecognitionPolicy
from modelunit.results import RuleTrace
from modelunit.rules import (
    COMPARISONS,
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
from tests.helpers import INDICATORS, POLICY, catalog_of, ev, ledger

D = Decimal
MET, NOT_MET, UNKNOWN, NA = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.INSUFFICIENT,
    Outcome.NOT_APPLICABLE,
)
Y2023 = Period.parse("2023")


def explained(rule: Rule, *records: object, units: UnitRegistry | None = None) -> RuleTrace:
    """The trace of ``rule`` (as criterion C1) for unit ``w`` in 2023."""
    result = modelunit.assess(
        catalog_of(rule),
        ledger(*records),  # type: ignore[arg-type]
        unit="w",
        period="2023",
        units=units,
    )
    trace = result.result("C1").trace
    assert trace is not None
    return trace


def reason(rule: Rule, *records: object, units: UnitRegistry | None = None) -> tuple[str, str]:
    trace = explained(rule, *records, units=units)
    return trace.outcome.name, trace.reason


# -- references to other criteria ------------------------------------------------------------


def test_a_reference_to_a_criterion_that_does_not_apply_is_insufficient_with_why() -> None:
    index = EvidenceIndex(INDICATORS, ledger())
    not_applicable = RuleTrace("not_applicable", "W", NA, "applies to ward, not commune")
    ctx = _explain.Context(index, "x", Y2023, None, {"W": not_applicable})
    trace = _explain.evaluate(CriterionRef("W"), ctx)
    assert trace == RuleTrace(
        "criterion", "criterion W", UNKNOWN, "criterion W does not apply to x"
    )


def test_the_same_through_assess_of_an_unchecked_set() -> None:
    # Validation refuses such a set (see test_criteria); the evaluator must still say why.
    crits = (
        Criterion("W", Flag("hq_ok"), applies_to=("ward",)),
        Criterion("ALL", AllOf((Flag("hq_ok"), CriterionRef("W")))),
    )
    catalog = CriteriaSet._unchecked(
        id="t", version="1", indicators=INDICATORS, criteria=crits, policy=POLICY
    )
    result = modelunit.assess(
        catalog,
        ledger(ev("hq_ok", "2023", True, unit="x")),
        unit="x",
        period="2023",
        units=UnitRegistry((Unit("x", kind="commune"),)),
    )
    assert result.result("W").outcome is NA
    assert (result.result("ALL").outcome, result.result("ALL").explanation) == (
        UNKNOWN,
        "undecided: criterion W does not apply to x",
    )


def test_a_reference_to_a_decided_criterion_cites_its_reason_and_evidence() -> None:
    catalog = catalog_of(Compare("crimes", "<=", D(3)), CriterionRef("C1"))
    result = modelunit.assess(
        catalog, ledger(ev("crimes", "2023", 5, id="r")), unit="w", period="2023"
    )
    assert (result.result("C2").outcome, result.result("C2").explanation) == (
        NOT_MET,
        "criterion C1 is not met: crimes in 2023 is 5, needs <= 3",
    )
    assert result.result("C2").evidence == ("r",)


# -- the reasons of combinators --------------------------------------------------------------

MET_RULE = Compare("crimes", ">=", D(0))
FAILED_RULE = Compare("crimes", "<", D(0))
OPEN_RULE = Compare("serious", ">=", D(0))  # no evidence for serious
CRIMES = ev("crimes", "2023", 1, id="c")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            AllOf((MET_RULE, OPEN_RULE)),
            ("INSUFFICIENT", "undecided: no evidence for serious in 2023"),
        ),
        (
            AllOf((MET_RULE, FAILED_RULE, OPEN_RULE)),
            ("NOT_MET", "crimes in 2023 is 1, needs < 0 (1 more not needed)"),
        ),
        (
            AllOf((MET_RULE, MET_RULE)),
            ("MET", "crimes in 2023 is 1, needs >= 0; crimes in 2023 is 1, needs >= 0"),
        ),
        (
            AnyOf((FAILED_RULE, FAILED_RULE)),
            ("NOT_MET", "none met: crimes in 2023 is 1, needs < 0; crimes in 2023 is 1, needs < 0"),
        ),
        (Not(FAILED_RULE), ("MET", "negation of: crimes in 2023 is 1, needs < 0")),
        (
            KOf(2, (MET_RULE, OPEN_RULE, FAILED_RULE)),
            ("INSUFFICIENT", "1 of 3 met, 1 not met, needs 2"),
        ),
        (
            KOf(1, (MET_RULE, OPEN_RULE, FAILED_RULE)),
            ("MET", "1 of 3 met, 0 not met, needs 1 (2 not needed)"),
        ),
        (
            ShareOf(Fraction(1, 2), (FAILED_RULE, FAILED_RULE, MET_RULE)),
            ("NOT_MET", "0 of 3 met, 2 not met, needs 2 (1 not needed)"),
        ),
    ],
)
def test_combinators_say_what_decided_them(rule: Rule, expected: tuple[str, str]) -> None:
    assert reason(rule, CRIMES) == expected


def test_sub_units_count_their_outcomes_or_say_none_are_registered() -> None:
    rule = SubUnits(Flag("hq_ok"), count=1, unit_kind="residential_area")
    alone = UnitRegistry((Unit("w"),))
    assert reason(rule, units=alone) == (
        "INSUFFICIENT",
        "no residential_area sub-units of w are registered",
    )
    areas = UnitRegistry(
        (
            Unit("w"),
            Unit("a", kind="residential_area", parent="w"),
            Unit("b", kind="residential_area", parent="w"),
        )
    )
    trace = explained(rule, ev("hq_ok", "2023", False, unit="a", id="ra"), units=areas)
    assert (trace.outcome, trace.reason) == (
        UNKNOWN,
        "0 of 2 sub-units met, 1 not met, 1 unknown, needs 1",
    )
    assert [(t.unit, t.outcome) for t in trace.children] == [("a", NOT_MET), ("b", UNKNOWN)]
    assert trace.evidence == ("ra",)


# -- numbers shown to people -----------------------------------------------------------------

MONEY = (Indicator("n", "quantity", "sum"), Indicator("d", "quantity", "sum"))


def money_reason(rule: Rule, **values: Decimal) -> tuple[Outcome, str]:
    recs = [ev(key, "2023", v) for key, v in values.items()]
    catalog = CriteriaSet(
        id="m",
        version="1",
        indicators=MONEY,
        criteria=(Criterion("C1", rule),),
        policy=RecognitionPolicy(()),
    )
    r = modelunit.assess(catalog, ledger(*recs), unit="w", period="2023").result("C1")
    return r.outcome, r.explanation


def test_a_ratio_at_the_size_limits_is_shown_to_four_significant_digits() -> None:
    # Numbers read from data lie within 1e-60..1e60 (modelunit.limits): 1e400 is refused
    # at the boundary (when the record is made), and the largest and smallest ratios
    # still show 4 digits.
    rule = Ratio("n", "d", ">=", D(1))
    assert money_reason(rule, n=D("1e60"), d=D("1e-60")) == (
        MET,
        "n/d = 1E+60/1E-60 = 1e+120, needs >= 1",
    )
    assert money_reason(rule, n=D("-1e60"), d=D(3)) == (
        NOT_MET,
        "n/d = -1E+60/3 = -3.333e+59, needs >= 1",
    )
    with pytest.raises(InvalidValueError, match="too large"):
        money_reason(rule, n=D("1e400"), d=D(1))


def test_an_ordinary_ratio_is_shown_to_four_significant_digits() -> None:
    assert reason(
        Ratio("registered", "households", ">=", D("0.95")),
        ev("registered", "2023", 2),
        ev("households", "2023", 3),
    ) == ("NOT_MET", "registered/households = 2/3 = 0.6667, needs >= 0.95")


def test_a_tiny_ratio_is_shown_to_four_significant_digits() -> None:
    assert money_reason(Ratio("n", "d", ">=", D(1)), n=D(1), d=D("1e60")) == (
        NOT_MET,
        "n/d = 1/1E+60 = 1e-60, needs >= 1",
    )


def test_an_undefined_ratio_says_why() -> None:
    assert reason(
        Ratio("registered", "households", ">=", D("0.95")),
        ev("registered", "2023", 1),
        ev("households", "2023", 0),
    ) == ("INSUFFICIENT", "households is 0 in 2023: the ratio is undefined")


def test_changes_show_the_difference_or_the_percentage() -> None:
    assert reason(
        Change("crimes", "<", D(0)), ev("crimes", "2023", 5), ev("crimes", "2022", 2)
    ) == ("NOT_MET", "crimes: 5 in 2023 vs 2 in 2022, change +3, needs < 0")
    assert reason(
        Change("budget", "<", D(0)), ev("budget", "2023", D("1.25")), ev("budget", "2022", D("3.5"))
    ) == ("MET", "budget: 1.25 in 2023 vs 3.5 in 2022, change -2.25, needs < 0")
    relative = Change("budget", "<=", D("-0.05"), relative=True)
    assert reason(relative, ev("budget", "2023", D(95)), ev("budget", "2022", D(100))) == (
        "MET",
        "budget: 95 in 2023 vs 100 in 2022, change -5%, needs <= -5%",
    )


@pytest.mark.parametrize(
    ("period", "years_back", "records", "reason"),
    [
        # The example: the same 11 months of last year, named with their dates.
        (
            "2024-01-01/2024-11-30",
            1,
            {"2024-01-01/2024-11-30": 19, "2023-01-01/2023-11-30": 25},
            "crimes: 19 in 2024-01-01/2024-11-30 vs 25 in the same period of 2023 "
            "(2023-01-01/2023-11-30), change -24%, needs <= -5%",
        ),
        (
            "2024-Q1",
            2,
            {"2024-Q1": 10, "2022-Q1": 8},
            "crimes: 10 in 2024-Q1 vs 8 in the same period of 2022 (2022-Q1), "
            "change 25%, needs <= -5%",
        ),
        # A calendar year names itself.
        (
            "2023",
            1,
            {"2023": 18, "2022": 24},
            "crimes: 18 in 2023 vs 24 in the same period of 2022, change -25%, needs <= -5%",
        ),
        # A missing baseline says which window was looked for.
        (
            "2024-01-01/2024-02-29",
            1,
            {"2024-01-01/2024-02-29": 3},
            "no evidence for crimes in 2023-01-01/2023-02-28",
        ),
    ],
)
def test_a_change_on_the_same_period_names_it(
    period: str, years_back: int, records: dict[str, int], reason: str
) -> None:
    rule = Change(
        "crimes", "<=", D("-0.05"), baseline="same_period", years_back=years_back, relative=True
    )
    result = modelunit.assess(
        catalog_of(rule),
        ledger(*(ev("crimes", p, v) for p, v in records.items())),
        unit="w",
        period=period,
    )
    assert result.result("C1").explanation == reason


def test_a_relative_change_from_zero_is_described_in_words() -> None:
    relative = Change("budget", "<=", D("-0.05"), relative=True)
    assert reason(relative, ev("budget", "2023", D(0)), ev("budget", "2022", D(0))) == (
        "MET",
        "budget: 0 in 2023 vs 0 in 2022, change 0%, needs <= -5%",
    )
    assert reason(relative, ev("budget", "2023", D(1)), ev("budget", "2022", D(0))) == (
        "NOT_MET",
        "budget: 1 in 2023 vs 0 in 2022, change an increase from 0, needs <= -5%",
    )


_SHOWN = re.compile(r"change (?P<change>-?[\d.]+)%, needs (?P<op>\S+) (?P<needed>-?[\d.]+)%$")


@pytest.mark.parametrize(
    ("current", "baseline"),
    [
        ("95", "100"),
        ("96", "100"),
        ("110", "100"),
        ("-98", "-100"),
        ("-90", "-100"),
        ("-110", "-100"),
    ],
)
def test_the_relative_change_shown_agrees_with_the_outcome(current: str, baseline: str) -> None:
    rule = Change("budget", "<=", D("-0.05"), relative=True)
    trace = explained(rule, ev("budget", "2023", D(current)), ev("budget", "2022", D(baseline)))
    shown = _SHOWN.search(trace.reason)
    assert shown is not None, trace.reason
    holds = COMPARISONS[shown["op"]](D(shown["change"]), D(shown["needed"]))  # type: ignore[index]
    assert (trace.outcome is MET) == holds, trace.reason


# -- independent of the decimal context ------------------------------------------------------


def _world() -> tuple[CriteriaSet, modelunit.EvidenceLedger]:
    """A set whose explanations show long decimals, built afresh each time."""
    catalog = catalog_of(
        Change("budget", "<=", D("-0.123456789"), relative=True),
        Change("budget", ">", D("0.000001")),
        Ratio("registered", "households", ">=", D("0.987654321")),
        Compare("budget", "<=", D("123456.789012")),
        ShareOf(Fraction(2, 3), (Flag("hq_ok"), Compare("satisfaction", ">=", D("0.333333")))),
    )
    book = ledger(
        ev("budget", "2023", D("12345.678901"), id="b1"),
        ev("budget", "2022", D("98765.4321987"), id="b0"),
        ev("registered", "2023", 987654321, id="r"),
        ev("households", "2023", 999999937, id="h"),
        ev("hq_ok", "2023", True, id="q"),
        ev("satisfaction", "2023", D("0.3333329"), id="s"),
    )
    return catalog, book


def test_explanations_are_the_same_under_a_low_ambient_precision() -> None:
    catalog, book = _world()
    default = modelunit.assess(catalog, book, unit="w", period="2023")
    with decimal.localcontext(prec=4):
        catalog, book = _world()
        low = modelunit.assess(catalog, book, unit="w", period="2023")
    assert low.explain() == default.explain()
    assert [r.trace.render() for r in low.results if r.trace] == [
        r.trace.render() for r in default.results if r.trace
    ]
    text = default.explain()
    assert "change -87.50000012538546862313028089%, needs <= -12.3456789%" in text
    assert "change -86419.7532977, needs > 0.000001" in text


def test_reasons_are_the_same_when_the_evaluator_is_called_under_a_low_precision() -> None:
    catalog, book = _world()
    index = EvidenceIndex(catalog.indicators, book)

    def reasons() -> list[str]:
        traces: dict[str, RuleTrace] = {}
        for crit in catalog.criteria:
            ctx = _explain.Context(index, "w", Y2023, None, traces)
            traces[crit.id] = _explain.evaluate(crit.rule, ctx)
        return [t.reason for t in traces.values()]

    default = reasons()
    with decimal.localcontext(prec=4):
        low = reasons()
    assert low == default


def test_a_trace_keeps_its_rule_and_the_sub_rules_that_decided_it() -> None:
    # What the explanation tree shows: each node's kind and rule, and its children.
    records = (ev("hq_ok", "2023", True, id="hq"), ev("crimes", "2023", 3, id="cr"))
    both = explained(AllOf((Flag("hq_ok"), Compare("crimes", "<=", D(5)))), *records)
    assert [(t.kind, t.evidence) for t in both.children] == [
        ("flag", ("hq",)),
        ("compare", ("cr",)),
    ]
    two = explained(KOf(2, (Flag("hq_ok"), Compare("crimes", "<=", D(5)))), *records)
    assert [t.kind for t in two.children] == ["flag", "compare"]
    ratio = Ratio("registered", "households", ">=", D("0.95"))
    half = explained(ratio, ev("registered", "2023", 90, id="reg"))
    assert (half.kind, half.description, half.outcome) == ("ratio", ratio.describe(), UNKNOWN)
    assert half.evidence == ("reg",)  # the value that was found is cited all the same


def test_an_undefined_ratio_keeps_its_kind_and_rule() -> None:
    ratio = Ratio("registered", "households", ">=", D("0.5"))
    trace = explained(
        ratio, ev("registered", "2023", 3, id="r"), ev("households", "2023", 0, id="h")
    )
    assert (trace.kind, trace.description, trace.outcome) == ("ratio", ratio.describe(), UNKNOWN)
    assert trace.reason == "households is 0 in 2023: the ratio is undefined"
    assert trace.evidence == ("r", "h")
    decided = explained(ratio, ev("registered", "2023", 3), ev("households", "2023", 4))
    assert (decided.kind, decided.description, decided.outcome) == ("ratio", ratio.describe(), MET)


def test_values_sub_units_and_the_second_value_of_a_ratio_are_told_in_the_language_asked() -> None:
    catalog = catalog_of(
        Flag("hq_ok"),
        SubUnits(Flag("hq_ok"), count=1),
        Ratio("registered", "households", ">=", D("0.5")),
    )
    registry = UnitRegistry((Unit("w"), Unit("a", kind="residential_area", parent="w")))
    book = ledger(
        ev("hq_ok", "2023", True),
        ev("hq_ok", "2023", False, unit="a"),
        ev("registered", "2023", 3),  # the denominator, households, is missing
    )
    vi = modelunit.assess(catalog, book, unit="w", period="2023", units=registry, lang="vi")
    assert vi.result("C1").explanation == "hq_ok trong 2023 là đúng, cần đúng"
    sub_units = vi.result("C2").trace
    assert sub_units is not None
    assert [(t.unit, t.reason) for t in sub_units.children] == [
        ("a", "hq_ok trong 2023 là sai, cần đúng")
    ]
    assert vi.result("C3").explanation == "không có căn cứ về households trong 2023"


def test_absent_and_present_say_what_they_need_by_the_indicator_s_type() -> None:
    # A flag needs false or true; a count needs 0 or at least 1.
    catalog = catalog_of(
        Absent("incident"), Present("incident"), Absent("crimes"), Present("crimes")
    )
    book = ledger(ev("incident", "2023", True), ev("crimes", "2023", 2))
    en = modelunit.assess(catalog, book, unit="w", period="2023")
    assert [r.explanation for r in en.results] == [
        "incident in 2023 is true, needs false",
        "incident in 2023 is true, needs true",
        "crimes in 2023 is 2, needs 0",
        "crimes in 2023 is 2, needs at least 1",
    ]
    vi = modelunit.assess(catalog, book, unit="w", period="2023", lang="vi")
    assert [r.explanation for r in vi.results] == [
        "incident trong 2023 là đúng, cần sai",
        "incident trong 2023 là đúng, cần đúng",
        "crimes trong 2023 là 2, cần 0",
        "crimes trong 2023 là 2, cần ít nhất 1",
    ]


def test_a_level_needed_is_said_in_the_language_asked() -> None:
    catalog = catalog_of(AtLeastLevel("ranking", "good"))
    book = ledger(ev("ranking", "2023", "completed"))
    vi = modelunit.assess(catalog, book, unit="w", period="2023", lang="vi")
    assert vi.results[0].explanation == "ranking trong 2023 là completed, cần ít nhất good"
