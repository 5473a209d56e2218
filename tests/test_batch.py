"""The batch evaluator: lanes follow the three-valued laws, exact integer and decimal
comparisons, the wide k-of-n path, and the columns it reads; always agreeing with the
explained evaluator (``assess``)."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelunit
from modelunit._batch import needed_columns
from modelunit.assessment import RECORD_KEYS, assess_batch
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.errors import UnknownCriterionError
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.outcomes import Outcome, kleene_and, kleene_not, kleene_or
from modelunit.periods import Period
from modelunit.policy import (
    AllConditions,
    AnyCondition,
    Condition,
    CriteriaOutcomes,
    Level,
    NotCondition,
    Points,
    RecognitionPolicy,
    Tally,
)
from modelunit.rules import (
    OPERATORS,
    AllOf,
    AnyOf,
    Change,
    Compare,
    CriterionRef,
    Flag,
    KOf,
    Not,
    Operator,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
)
from modelunit.testing import criteria_sets, evidence_lists, unit_registries
from tests.helpers import INDICATORS, POLICY, ev, ledger, twenty_two

D = Decimal
MET, NOT_MET, UNKNOWN, NA = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.INSUFFICIENT,
    Outcome.NOT_APPLICABLE,
)


def catalog(*rules: Rule, indicators: Sequence[Indicator] = INDICATORS) -> CriteriaSet:
    crits = tuple(Criterion(f"C{i}", r) for i, r in enumerate(rules, start=1))
    return CriteriaSet(
        id="b", version="1", indicators=tuple(indicators), criteria=crits, policy=POLICY
    )


def agreed(
    the_catalog: CriteriaSet,
    book: EvidenceLedger,
    units: Sequence[str],
    period: str = "2023",
    registry: UnitRegistry | None = None,
) -> dict[str, dict[str, Outcome]]:
    """Outcomes per unit and criterion; fails unless batch and ``assess`` agree on each.
    Units are registered (some have no evidence at all)."""
    if registry is None:
        registry = UnitRegistry(tuple(Unit(u) for u in units))
    batch = assess_batch(the_catalog, book, units=units, periods=[period], registry=registry)
    found = {}
    for unit in units:
        single = modelunit.assess(the_catalog, book, unit=unit, period=period, units=registry)
        outcomes = batch.outcomes(unit, period)
        assert outcomes == {r.criterion: r.outcome for r in single.results}, unit
        found[unit] = outcomes
    return found


def test_batch_lanes_follow_the_kleene_tables() -> None:
    """and/or/not of the batch engine's lanes equal outcomes.kleene_* on every pair."""
    inds = (Indicator("a", "boolean", "last"), Indicator("b", "boolean", "last"))
    crits = (
        Criterion("A", Flag("a")),
        Criterion("B", Flag("b")),
        Criterion("AND", AllOf((CriterionRef("A"), CriterionRef("B")))),
        Criterion("OR", AnyOf((CriterionRef("A"), CriterionRef("B")))),
        Criterion("NOT", Not(CriterionRef("A"))),
    )
    catalog = CriteriaSet(
        id="k", version="1", indicators=inds, criteria=crits, policy=RecognitionPolicy(())
    )
    values = (True, False, None)  # met, not met, insufficient
    records = []
    units = []
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            unit = f"u{i}{j}"
            units.append(unit)
            for key, v in (("a", a), ("b", b)):
                if v is not None:
                    records.append(
                        Evidence(f"{unit}-{key}", unit, key, "2023", v, recorded_at="2024-01-01")
                    )
    registry = UnitRegistry(tuple(Unit(u) for u in units))  # some have no evidence at all
    batch = assess_batch(
        catalog, EvidenceLedger(tuple(records)), units=units, periods=["2023"], registry=registry
    )
    for unit in units:
        got = batch.outcomes(unit, "2023")
        assert got["AND"] is kleene_and([got["A"], got["B"]])
        assert got["OR"] is kleene_or([got["A"], got["B"]])
        assert got["NOT"] is kleene_not(got["A"])
    assert {batch.outcome(u, "2023", "A") for u in units} == {
        Outcome.MET,
        Outcome.NOT_MET,
        Outcome.INSUFFICIENT,
    }


# -- integer thresholds ----------------------------------------------------------------------


@pytest.mark.parametrize("op", OPERATORS)
def test_a_fractional_threshold_on_a_count_agrees_with_assess(op: str) -> None:
    the_catalog = catalog(
        Compare("crimes", op, D("2.5")),  # type: ignore[arg-type]
        Change("crimes", op, D("-1.5")),  # type: ignore[arg-type]
    )
    recs = [ev("crimes", "2023", n, unit=f"u{n}") for n in range(6)]
    recs += [ev("crimes", "2022", 3, unit=f"u{n}") for n in range(6)]
    found = agreed(the_catalog, ledger(*recs), [f"u{n}" for n in range(6)])
    compare = [found[f"u{n}"]["C1"] for n in range(6)]
    expected = {
        "<": [MET, MET, MET, NOT_MET, NOT_MET, NOT_MET],
        "<=": [MET, MET, MET, NOT_MET, NOT_MET, NOT_MET],
        ">": [NOT_MET, NOT_MET, NOT_MET, MET, MET, MET],
        ">=": [NOT_MET, NOT_MET, NOT_MET, MET, MET, MET],
        "==": [NOT_MET] * 6,
        "!=": [MET] * 6,
    }
    assert compare == expected[op]
    # The change from 3 is n - 3; -1.5 lies between -2 (n = 1) and -1 (n = 2).
    below, above = [MET] * 2 + [NOT_MET] * 4, [NOT_MET] * 2 + [MET] * 4
    expected_change = {"<": below, "<=": below, ">": above, ">=": above}
    change = [found[f"u{n}"]["C2"] for n in range(6)]
    assert change == expected_change.get(op, expected[op])


def test_count_at_least_two_and_a_half_is_count_at_least_three() -> None:
    half = catalog(Compare("crimes", ">=", D("2.5")), Compare("crimes", ">=", D(3)))
    units = [f"u{n}" for n in range(6)]
    book = ledger(*(ev("crimes", "2023", n, unit=f"u{n}") for n in range(6)))
    found = agreed(half, book, units)
    assert [found[u]["C1"] for u in units] == [found[u]["C2"] for u in units]
    assert [found[u]["C1"] for u in units] == [NOT_MET] * 3 + [MET] * 3


# -- the wide k-of-n path --------------------------------------------------------------------

# 150 rules on crimes and 150 on serious: a unit with crimes = c and serious = s meets
# c + 1 of the first and s + 1 of the second; a missing indicator leaves its 150 open.
WIDE = tuple(Compare("crimes", ">=", D(i)) for i in range(150)) + tuple(
    Compare("serious", ">=", D(i)) for i in range(150)
)
WIDE_UNITS = {
    "open": ((149, None), UNKNOWN),  # 150 met, 150 open: 200 still reachable
    "met": ((149, 49), MET),  # 200 met
    "just_short": ((149, 48), NOT_MET),  # 199 met, the rest failed
    "still_open": ((49, None), UNKNOWN),  # 50 met, 100 failed, 150 open
    "failed": ((10, 10), NOT_MET),
    "closed_early": ((10, None), NOT_MET),  # 11 met, 139 failed: 161 at most
    "nothing": ((None, None), UNKNOWN),
}


def _wide_ledger() -> EvidenceLedger:
    recs = []
    for unit, ((crimes, serious), _) in WIDE_UNITS.items():
        if crimes is not None:
            recs.append(ev("crimes", "2023", crimes, unit=unit))
        if serious is not None:
            recs.append(ev("serious", "2023", serious, unit=unit))
    return ledger(*recs)


def test_a_k_of_with_more_than_255_rules_agrees_with_assess() -> None:
    assert len(WIDE) > 255  # lane sums would overflow a byte: the wide path
    found = agreed(catalog(KOf(200, WIDE)), _wide_ledger(), list(WIDE_UNITS))
    assert {u: o["C1"] for u, o in found.items()} == {
        u: expected for u, (_, expected) in WIDE_UNITS.items()
    }


def test_a_share_of_more_than_255_rules_agrees_with_assess() -> None:
    # 2/3 of 300 is 200, as above.
    found = agreed(catalog(ShareOf(Fraction(2, 3), WIDE)), _wide_ledger(), list(WIDE_UNITS))
    assert {u: o["C1"] for u, o in found.items()} == {
        u: expected for u, (_, expected) in WIDE_UNITS.items()
    }


def test_a_wide_k_of_needing_one_fails_only_when_all_fail() -> None:
    # 300 thresholds (the wide path), all above "low"'s count and below "high"'s.
    rules = tuple(Compare("crimes", ">", D(1000 + i)) for i in range(300))
    book = ledger(ev("crimes", "2023", 5, unit="low"), ev("crimes", "2023", 1200, unit="high"))
    found = agreed(catalog(KOf(1, rules), KOf(0, rules)), book, ["low", "high", "none"])
    assert found == {
        "low": {"C1": NOT_MET, "C2": MET},  # every rule failed; none are needed for C2
        "high": {"C1": MET, "C2": MET},
        "none": {"C1": UNKNOWN, "C2": MET},
    }


def test_a_wide_k_of_reads_the_criteria_it_refers_to() -> None:
    rules = (CriterionRef("C1"), *(Compare("crimes", ">", D(1000 + i)) for i in range(299)))
    book = ledger(ev("hq_ok", "2023", True, unit="yes"), ev("hq_ok", "2023", False, unit="no"))
    for unit in ("yes", "no"):
        book = book.append(ev("crimes", "2023", 0, unit=unit))
    found = agreed(catalog(Flag("hq_ok"), KOf(1, rules)), book, ["yes", "no"])
    assert found == {"yes": {"C1": MET, "C2": MET}, "no": {"C1": NOT_MET, "C2": NOT_MET}}


@pytest.mark.parametrize("n", [255, 256])
def test_k_of_at_the_width_of_a_byte(n: int) -> None:
    # 255 met lanes still fit in a byte; 256 take the wide path (a byte would wrap to 0
    # and carry into the next unit's lane).
    rules = tuple(Compare("crimes", ">", D(i)) for i in range(n))
    book = ledger(
        ev("crimes", "2023", n, unit="all"),  # every rule met
        ev("crimes", "2023", n - 1, unit="most"),  # all but the last one met
        ev("crimes", "2023", 0, unit="none"),  # none met
    )
    found = agreed(catalog(KOf(n, rules), KOf(n - 1, rules)), book, ["all", "most", "none"])
    assert found == {
        "all": {"C1": MET, "C2": MET},
        "most": {"C1": NOT_MET, "C2": MET},
        "none": {"C1": NOT_MET, "C2": NOT_MET},
    }


def test_a_unit_without_sub_units_does_not_stop_the_others() -> None:
    rule = SubUnits(Flag("hq_ok"), count=1)
    registry = UnitRegistry(
        (
            Unit("lonely"),
            Unit("w"),
            Unit("a", kind="residential_area", parent="w"),
            Unit("v"),
            Unit("b", kind="residential_area", parent="v"),
        )
    )
    book = ledger(ev("hq_ok", "2023", True, unit="a"), ev("hq_ok", "2023", False, unit="b"))
    found = agreed(catalog(rule), book, ["lonely", "w", "v"], registry=registry)
    assert found == {"lonely": {"C1": UNKNOWN}, "w": {"C1": MET}, "v": {"C1": NOT_MET}}


# -- the columns the rules read --------------------------------------------------------------


def test_needed_columns_include_the_baseline_of_change_rules() -> None:
    the_catalog = catalog(
        Change("crimes", "<", D(0)),
        Change("budget", "<=", D("-0.05"), baseline="2019", relative=True),
        AllOf((Ratio("registered", "households", ">=", D("0.9")), Compare("crimes", "<", D(9)))),
        SubUnits(Flag("hq_ok"), count=1),
        CriterionRef("C1"),
    )
    y = Period.parse
    assert needed_columns(the_catalog, y("2023")) == [
        ("crimes", y("2023")),
        ("crimes", y("2022")),
        ("budget", y("2023")),
        ("budget", y("2019")),
        ("registered", y("2023")),
        ("households", y("2023")),
        ("hq_ok", y("2023")),
    ]
    assert needed_columns(the_catalog, y("2023-Q1"))[:2] == [
        ("crimes", y("2023-Q1")),
        ("crimes", y("2022-Q4")),
    ]


def test_a_change_against_a_fixed_baseline_is_decided_in_batch() -> None:
    the_catalog = catalog(Change("crimes", "<", D(0), baseline="2019"))
    book = ledger(ev("crimes", "2023", 3), ev("crimes", "2019", 5))
    assert agreed(the_catalog, book, ["w"]) == {"w": {"C1": MET}}


# -- exact decimals with negative denominators -----------------------------------------------

MONEY = (Indicator("income", "quantity", "sum"), Indicator("spend", "quantity", "sum"))
# Near ties with the thresholds below (-1.2345679 / 1, 0.33333334 / 1, a change from 1 to
# 1.33333334) round onto them at 4 digits: only exact products keep them apart.
AMOUNTS = (
    D("-12345.6789"),
    D("-1.2345679"),
    D("-1"),
    D("-0.00012345"),
    D(0),
    D("0.33333333"),
    D("0.33333334"),
    D(1),
    D("1.33333334"),
    D("3.14159265358979"),
    D("98765.4321"),
)
THRESHOLDS = (D("-1.2345678"), D("0.33333333"), D("1"))


def test_relative_changes_and_ratios_with_negative_denominators_agree_under_prec_4() -> None:
    ratios = {(op, v): Ratio("income", "spend", op, v) for op in OPERATORS for v in THRESHOLDS}
    changes = [Change("income", op, v, relative=True) for op in OPERATORS for v in THRESHOLDS]
    the_catalog = catalog(*ratios.values(), *changes, indicators=MONEY)
    ratio_id = {key: f"C{i}" for i, key in enumerate(ratios, start=1)}
    recs = []
    units = []
    for i, a in enumerate(AMOUNTS):
        for j, b in enumerate(AMOUNTS):
            unit = f"u{i}-{j}"
            units.append(unit)
            recs += [
                ev("income", "2023", a, unit=unit),
                ev("income", "2022", b, unit=unit),
                ev("spend", "2023", b, unit=unit),
            ]
    with decimal.localcontext(prec=4):
        found = agreed(the_catalog, ledger(*recs), units)
    seen = {o for outcomes in found.values() for o in outcomes.values()}
    assert seen == {MET, NOT_MET, UNKNOWN}  # UNKNOWN: ratios over a zero denominator
    # Exact spot checks: -12345.6789 / -1 >= 1 (the inequality flips), -1 / -12345.6789 is not.
    position = {a: i for i, a in enumerate(AMOUNTS)}

    def ratio(a: str, b: str, op: Operator, value: str) -> Outcome:
        return found[f"u{position[D(a)]}-{position[D(b)]}"][ratio_id[op, D(value)]]

    assert ratio("-12345.6789", "-1", ">=", "1") is MET
    assert ratio("-1", "-12345.6789", ">=", "1") is NOT_MET
    assert ratio("0.33333333", "0.33333333", "==", "1") is MET
    assert ratio("0.33333334", "1", ">", "0.33333333") is MET
    assert ratio("-1.2345679", "1", "<", "-1.2345678") is MET


# -- references to criteria that do not apply ------------------------------------------------


def test_a_reference_to_a_criterion_that_does_not_apply_is_insufficient_in_both() -> None:
    # Validation refuses such sets; _unchecked builds one to see what both engines do.
    crits = (
        Criterion("W", Flag("hq_ok"), applies_to=("ward",)),
        Criterion("ALL", CriterionRef("W")),
    )
    the_catalog = CriteriaSet._unchecked(
        id="t", version="1", indicators=INDICATORS, criteria=crits, policy=POLICY
    )
    registry = UnitRegistry((Unit("x", kind="commune"), Unit("w")))
    book = ledger(ev("hq_ok", "2023", True, unit="x"), ev("hq_ok", "2023", True, unit="w"))
    found = agreed(the_catalog, book, ["x", "w"], registry=registry)
    assert found == {"x": {"W": NA, "ALL": UNKNOWN}, "w": {"W": MET, "ALL": MET}}


# -- counts and levels for every unit at once --------------------------------------------------

OUTCOME_NAMES = st.sampled_from(("met", "not_met", "insufficient"))


@st.composite
def conditions(draw: st.DrawFn, criteria: Sequence[str], depth: int = 2) -> Condition:
    """Any policy condition over ``criteria`` (and the groups g1, g2)."""
    kinds = ["tally", "criteria", "points"] + (["all", "any", "not"] if depth else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "tally":
        return Tally(
            draw(OUTCOME_NAMES),
            min_count=draw(st.none() | st.integers(0, 6)),
            max_count=draw(st.none() | st.integers(0, 6)),
            min_share=draw(st.none() | st.fractions(0, 1, max_denominator=7)),
            max_share=draw(st.none() | st.fractions(0, 1, max_denominator=7)),
            among=tuple(draw(st.lists(st.sampled_from((*criteria, "g1", "g2")), max_size=3))),
        )
    if kind == "criteria":
        return CriteriaOutcomes(
            tuple(draw(st.lists(st.sampled_from(criteria), min_size=1, max_size=3))),
            draw(OUTCOME_NAMES),
            draw(st.sampled_from(("all", "any"))),
        )
    if kind == "points":
        return Points(draw(st.decimals(0, 40, places=1)))
    subs = st.lists(conditions(criteria, depth - 1), max_size=3)
    if kind == "all":
        return AllConditions(tuple(draw(subs)))
    if kind == "any":
        return AnyCondition(tuple(draw(subs)))
    return NotCondition(draw(conditions(criteria, depth - 1)))


@st.composite
def policy_worlds(draw: st.DrawFn) -> tuple[CriteriaSet, UnitRegistry, EvidenceLedger]:
    base = draw(criteria_sets(max_criteria=6, sub_units=False))
    ids = [c.id for c in base.criteria]
    levels = tuple(
        Level(
            f"L{k}",
            draw(conditions(ids)),
            recognised=draw(st.booleans()),
            honours_veto=draw(st.booleans()),
        )
        for k in range(draw(st.integers(0, 4)))
    )
    points = draw(
        st.lists(st.none() | st.decimals(0, 9, places=1), min_size=len(ids), max_size=len(ids))
    )
    crits = tuple(attrs.evolve(c, points=p) for c, p in zip(base.criteria, points, strict=True))
    the_catalog = attrs.evolve(base, criteria=crits, policy=RecognitionPolicy(levels))
    registry = draw(unit_registries(max_units=5, max_sub_units=0))
    records = draw(evidence_lists(the_catalog, units=[u.id for u in registry.units]))
    return the_catalog, registry, EvidenceLedger(tuple(records))


@settings(max_examples=150, deadline=None)
@given(policy_worlds())
def test_counts_and_levels_of_every_unit_at_once_equal_those_of_assess(
    world: tuple[CriteriaSet, UnitRegistry, EvidenceLedger],
) -> None:
    the_catalog, registry, book = world
    units = [u.id for u in registry.units]
    batch = assess_batch(the_catalog, book, units=units, periods=["2023"], registry=registry)
    rows = list(batch.summaries())
    assert [r.unit for r in rows] == units
    for row in rows:
        single = modelunit.assess(the_catalog, book, unit=row.unit, period="2023", units=registry)
        assert (row.counts, row.level, row.recognised) == (
            single.counts,
            single.level,
            single.recognised,
        )
        assert batch.summary(row.unit, "2023") == row


def test_levels_honour_vetoes_points_and_shares_exactly() -> None:
    the_catalog = twenty_two()
    the_catalog = attrs.evolve(
        the_catalog,
        policy=RecognitionPolicy(
            (
                Level("points", Points(D("105.5")), honours_veto=False),
                *the_catalog.policy.levels,
            )
        ),
    )
    cases = {
        "all": dict.fromkeys(range(1, 23), True),  # 110 points: first level
        "veto": {1: False} | dict.fromkeys(range(2, 23), True),  # 105 points, C1 vetoes
        "one_pending": dict.fromkeys(range(2, 23), True),  # 105 points, 21 met, none failed
        "one_failed": {22: False} | dict.fromkeys(range(1, 22), True),
    }
    recs = [
        ev(f"c{i}", "2023", v, unit=unit, id=f"{unit}-{i}")
        for unit, values in cases.items()
        for i, v in values.items()
    ]
    batch = assess_batch(the_catalog, ledger(*recs), periods=["2023"])
    found = {s.unit: (s.level, s.counts.met, s.counts.not_met) for s in batch.summaries()}
    assert found == {
        "all": ("points", 22, 0),
        "veto": ("not_yet", 21, 1),
        "one_pending": ("basically_met", 21, 0),
        "one_failed": ("not_yet", 21, 1),
    }


def test_every_per_unit_accessor_reads_the_same_outcome() -> None:
    the_catalog = catalog(Compare("crimes", "<=", D(3)), Flag("hq_ok"))
    recs = [ev("crimes", "2023", n, unit=f"u{n}") for n in range(6)]
    recs += [ev("hq_ok", "2023", n % 2 == 0, unit=f"u{n}") for n in range(0, 6, 2)]
    batch = assess_batch(the_catalog, ledger(*recs), periods=["2023"])
    assert batch.unit_ids == tuple(f"u{n}" for n in range(6))
    codes = {cid: batch.outcome_codes("2023", cid) for cid in ("C1", "C2")}
    for i, unit in enumerate(batch.unit_ids):
        outcomes = batch.outcomes(unit, "2023")
        assert outcomes == {cid: batch.outcome(unit, "2023", cid) for cid in ("C1", "C2")}
        assert [CODES[o] for o in outcomes.values()] == [codes["C1"][i], codes["C2"][i]]
    assert batch.outcomes("u4", "2023") == {"C1": NOT_MET, "C2": MET}
    assert batch.outcomes("u5", "2023") == {"C1": NOT_MET, "C2": UNKNOWN}
    with pytest.raises(UnknownCriterionError):
        batch.outcome("u1", "2023", "C9")


CODES = {NOT_MET: 0, UNKNOWN: 1, MET: 2, NA: 3}


# -- verdicts as records ---------------------------------------------------------------------


def test_records_give_every_verdict_with_the_values_and_evidence_read() -> None:
    the_catalog = catalog(
        Change("crimes", "<", D(0)),
        AllOf((Compare("satisfaction", ">=", D("0.9")), Flag("hq_ok"))),
        SubUnits(Flag("hq_ok"), count=1),
    )
    book = ledger(
        ev("crimes", "2023", 3, id="c23"),
        ev("crimes", "2022", 5, id="c22"),
        ev("satisfaction", "2023", D("0.95"), id="s"),
        ev("crimes", "2023", 4, unit="v", id="v1"),
        ev("crimes", "2023", 6, unit="v", id="v2"),
    )
    batch = assess_batch(the_catalog, book, periods=["2023"])
    rows = list(batch.to_records())
    assert all(tuple(r) == RECORD_KEYS for r in rows)
    assert rows == [
        {
            "unit": "v",
            "period": "2023",
            "criterion": "C1",
            "outcome": "insufficient",
            "values": (("crimes", "2023", None), ("crimes", "2022", None)),
            "evidence": ("v1", "v2"),  # the conflict
        },
        {
            "unit": "v",
            "period": "2023",
            "criterion": "C2",
            "outcome": "insufficient",
            "values": (("satisfaction", "2023", None), ("hq_ok", "2023", None)),
            "evidence": (),
        },
        {
            "unit": "v",
            "period": "2023",
            "criterion": "C3",
            "outcome": "insufficient",
            "values": (),
            "evidence": (),
        },
        {
            "unit": "w",
            "period": "2023",
            "criterion": "C1",
            "outcome": "met",
            "values": (("crimes", "2023", 3), ("crimes", "2022", 5)),
            "evidence": ("c23", "c22"),
        },
        {
            "unit": "w",
            "period": "2023",
            "criterion": "C2",
            "outcome": "insufficient",
            "values": (("satisfaction", "2023", D("0.95")), ("hq_ok", "2023", None)),
            "evidence": ("s",),
        },
        {
            "unit": "w",
            "period": "2023",
            "criterion": "C3",
            "outcome": "insufficient",
            "values": (),
            "evidence": (),
        },
    ]
    # The outcomes are the batch's.
    assert [r["outcome"] for r in rows if r["unit"] == "w"] == [
        o.value for o in batch.outcomes("w", "2023").values()
    ]


# -- lanes of units without a value ----------------------------------------------------------


def test_a_threshold_no_count_can_equal_leaves_units_without_a_value_open() -> None:
    # count == 2.5 is never true and count != 2.5 always: constants, but only where
    # there is a count at all.
    the_catalog = catalog(Compare("crimes", "==", D("2.5")), Compare("crimes", "!=", D("2.5")))
    found = agreed(
        the_catalog,
        ledger(ev("crimes", "2023", 2, unit="a"), ev("serious", "2023", 1, unit="b")),
        ["a", "b"],
    )
    assert found == {"a": {"C1": NOT_MET, "C2": MET}, "b": {"C1": UNKNOWN, "C2": UNKNOWN}}


@pytest.mark.parametrize(
    ("registered", "households", "expected"),
    [(1, 1, MET), (1, 2, MET), (1, 3, NOT_MET), (0, 1, NOT_MET), (1, 0, UNKNOWN), (0, 0, UNKNOWN)],
)
def test_a_ratio_of_counts_over_small_denominators(
    registered: int, households: int, expected: Outcome
) -> None:
    rule = Ratio("registered", "households", ">=", D("0.5"))
    book = ledger(ev("registered", "2023", registered), ev("households", "2023", households))
    assert agreed(catalog(rule), book, ["w"]) == {"w": {"C1": expected}}


@pytest.mark.parametrize(("numerator", "expected"), [(0, NOT_MET), (1, MET), (7, MET)])
def test_a_ratio_against_zero(numerator: int, expected: Outcome) -> None:
    rule = Ratio("registered", "households", ">", D(0))
    book = ledger(ev("registered", "2023", numerator), ev("households", "2023", 10))
    assert agreed(catalog(rule), book, ["w"]) == {"w": {"C1": expected}}


def test_sub_unit_rules_without_a_registry_are_insufficient() -> None:
    rule = SubUnits(Flag("hq_ok"), count=1)
    book = ledger(ev("hq_ok", "2023", True, unit="w"), ev("hq_ok", "2023", True, unit="v"))
    assert agreed(catalog(rule, Flag("hq_ok")), book, ["w", "v"]) == {
        "w": {"C1": UNKNOWN, "C2": MET},
        "v": {"C1": UNKNOWN, "C2": MET},
    }


def test_counts_and_tallies_over_more_than_255_criteria_agree_with_assess() -> None:
    # 300 criteria: per-unit counts no longer fit a byte, so they are summed 255 lanes at
    # a time; the policy's tallies (model: all met) read the same sums.
    wide = catalog(*(Flag("hq_ok") for _ in range(300)))
    book = ledger(ev("hq_ok", "2023", True, unit="a"), ev("hq_ok", "2023", False, unit="b"))
    units = ["a", "b", "c"]
    registry = UnitRegistry(tuple(Unit(u) for u in units))
    batch = assess_batch(wide, book, units=units, periods=["2023"], registry=registry)
    for unit in units:
        single = modelunit.assess(wide, book, unit=unit, period="2023", units=registry)
        summary = batch.summary(unit, "2023")
        assert (summary.counts, summary.level) == (single.counts, single.level), unit
    assert [batch.summary(u, "2023").level for u in units] == ["model", "not_yet", "not_yet"]
    assert batch.summary("a", "2023").counts.met == 300


def test_sub_unit_rules_over_two_kinds_of_sub_units_in_one_batch() -> None:
    the_catalog = catalog(
        SubUnits(Flag("hq_ok"), count=1, unit_kind="residential_area"),
        SubUnits(Flag("hq_ok"), count=1, unit_kind="village"),
        SubUnits(Flag("hq_ok"), count=2),  # every kind
    )
    registry = UnitRegistry(
        (
            Unit("w"),
            Unit("a", kind="residential_area", parent="w"),
            Unit("b", kind="village", parent="w"),
        )
    )
    book = ledger(ev("hq_ok", "2023", True, unit="a"), ev("hq_ok", "2023", False, unit="b"))
    assert agreed(the_catalog, book, ["w"], registry=registry) == {
        "w": {"C1": MET, "C2": NOT_MET, "C3": NOT_MET}
    }


def test_a_batch_keeps_the_units_given_as_they_are() -> None:
    given = (
        Unit("b", name="Phường B", region="hn"),
        Unit("a", kind="commune", name="Xã A", parent="d1"),
    )
    book = ledger(ev("hq_ok", "2023", True, unit="a"))
    batch = assess_batch(catalog(Flag("hq_ok")), book, units=given, periods=["2023"])
    assert batch.units == given
    assert batch.unit_ids == ("b", "a")
