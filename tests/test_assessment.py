"""Assessments: counts, recognition levels, vetoes, gaps, batch, re-assessment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import modelunit
from modelunit.assessment import assess_batch
from modelunit.criteria import (
    AllConditions,
    AnyCondition,
    CriteriaOutcomes,
    CriteriaSet,
    Criterion,
    Group,
    Level,
    NotCondition,
    Points,
    RecognitionPolicy,
    Tally,
)
from modelunit.errors import InvalidArgumentError
from modelunit.evidence import Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.rules import Compare, Flag
from tests.helpers import INDICATORS, catalog_of, ev, ledger

D = Decimal


def twenty_two() -> CriteriaSet:
    """22 criteria C1..C22, each "indicator cN is true"; C1 mandatory."""
    from modelunit.indicators import Indicator

    inds = tuple(Indicator(f"c{i}", "boolean", "last") for i in range(1, 23))
    crits = tuple(
        Criterion(f"C{i}", Flag(f"c{i}"), mandatory=i == 1, points=D(5)) for i in range(1, 23)
    )
    policy = RecognitionPolicy(
        (
            Level(
                "model",
                Tally("met", min_share=Fraction(1)),
                recognised=True,
                title_en="model unit",
                title_vi="đạt kiểu mẫu",
            ),
            Level(
                "basically_met",
                AllConditions((Tally("met", min_count=21), Tally("not_met", max_count=0))),
                title_en="basically met",
                title_vi="cơ bản đạt",
            ),
        )
    )
    return CriteriaSet(id="cap", version="2021", indicators=inds, criteria=crits, policy=policy)


def evidence_22(values: dict[int, bool]) -> modelunit.EvidenceLedger:
    return ledger(*(ev(f"c{i}", "2023", v, id=f"e{i}") for i, v in values.items()))


def test_22_of_22_is_a_model_unit() -> None:
    result = modelunit.assess(
        twenty_two(), evidence_22(dict.fromkeys(range(1, 23), True)), unit="w", period="2023"
    )
    assert result.level == "model"
    assert result.recognised
    assert result.summary() == "22/22 met: model unit"
    assert result.points == D(110)
    assert result.gaps == ()


def test_21_met_one_pending_is_basically_met() -> None:
    result = modelunit.assess(
        twenty_two(), evidence_22(dict.fromkeys(range(1, 22), True)), unit="w", period="2023"
    )
    assert result.counts.summary() == "21/22 met, 1 pending"
    assert result.level == "basically_met"
    assert result.summary("vi") == "21/22 met, 1 pending: cơ bản đạt"
    assert [(g.criterion, g.outcome, g.missing) for g in result.gaps] == [
        ("C22", Outcome.INSUFFICIENT, ("c22",))
    ]
    assert [(c.level, c.reached) for c in result.level_checks] == [
        ("model", False),
        ("basically_met", True),
    ]


def test_21_met_one_failed_is_not_yet() -> None:
    values = dict.fromkeys(range(1, 23), True) | {22: False}
    result = modelunit.assess(twenty_two(), evidence_22(values), unit="w", period="2023")
    assert result.level == "not_yet"
    assert result.level_checks[-1].reason == "no higher level reached"


def test_mandatory_failure_vetoes_every_honouring_level() -> None:
    values = dict.fromkeys(range(1, 23), True) | {1: False}
    catalog = twenty_two()
    lenient = attrs.evolve(
        catalog,
        policy=RecognitionPolicy((Level("lenient", Tally("met", min_count=20), recognised=True),)),
    )
    result = modelunit.assess(lenient, evidence_22(values), unit="w", period="2023")
    assert result.level == "not_yet"
    assert result.level_checks[0].reason == "vetoed: mandatory C1 not met"
    no_veto = attrs.evolve(
        lenient,
        policy=RecognitionPolicy(
            (Level("lenient", Tally("met", min_count=20), honours_veto=False),)
        ),
    )
    assert (
        modelunit.assess(no_veto, evidence_22(values), unit="w", period="2023").level == "lenient"
    )


def test_revocation_rule_of_new_rural_communes() -> None:
    """Revoked when 30-50% fail including one of a named set, or 50% or more fail."""
    inds = tuple(modelunit.indicators.Indicator(f"c{i}", "boolean", "last") for i in range(1, 11))
    crits = tuple(Criterion(f"C{i}", Flag(f"c{i}")) for i in range(1, 11))
    revoked = AnyCondition(
        (
            AllConditions(
                (
                    Tally("not_met", min_share=Fraction(3, 10), max_share=Fraction(1, 2)),
                    CriteriaOutcomes(("C9", "C10"), "not_met", "any"),
                )
            ),
            Tally("not_met", min_share=Fraction(1, 2)),
        )
    )
    catalog = CriteriaSet(
        id="ntm",
        version="1",
        indicators=inds,
        criteria=crits,
        policy=RecognitionPolicy(
            (Level("revoked", revoked),), fallback=Level("kept", AllConditions(()))
        ),
    )

    def level(failing: set[int]) -> str:
        book = evidence_22({i: i not in failing for i in range(1, 11)})
        return modelunit.assess(catalog, book, unit="w", period="2023").level

    assert level({1, 2, 3}) == "kept"  # 30% failing, none of the named set
    assert level({1, 2, 9}) == "revoked"  # 30% including C9
    assert level({1, 2, 3, 4, 5}) == "revoked"  # 50%
    assert level({1, 9}) == "kept"  # 20%


def test_civilized_ward_all_nine_and_ninety_percent_satisfied() -> None:
    inds = (
        *(modelunit.indicators.Indicator(f"c{i}", "boolean", "last") for i in range(1, 10)),
        modelunit.indicators.Indicator("satisfied", "share", "last"),
    )
    crits = (
        *(Criterion(f"C{i}", Flag(f"c{i}"), group="criteria") for i in range(1, 10)),
        Criterion("S", Compare("satisfied", ">=", D("0.9")), group="conditions"),
    )
    policy = RecognitionPolicy(
        (
            Level(
                "civilized",
                AllConditions(
                    (
                        Tally("met", min_share=Fraction(1), among=("criteria",)),
                        CriteriaOutcomes(("S",)),
                    )
                ),
                recognised=True,
            ),
        )
    )
    catalog = CriteriaSet(
        id="dtvm",
        version="2022",
        indicators=inds,
        criteria=crits,
        policy=policy,
        groups=(Group("criteria"), Group("conditions")),
    )

    def level(share: str) -> str:
        recs = [ev(f"c{i}", "2023", True) for i in range(1, 10)]
        return modelunit.assess(
            catalog, ledger(*recs, ev("satisfied", "2023", share)), unit="w", period="2023"
        ).level

    assert level("90%") == "civilized"
    assert level("89.9%") == "not_yet"


def test_points_and_not_conditions() -> None:
    catalog = catalog_of(Flag("hq_ok"), Compare("crimes", "<=", D(1)))
    catalog = attrs.evolve(
        catalog,
        criteria=tuple(attrs.evolve(c, points=D(7)) for c in catalog.criteria),
        policy=RecognitionPolicy(
            (
                Level(
                    "gold",
                    AllConditions(
                        (Points(D(14)), NotCondition(Tally("insufficient", min_count=1)))
                    ),
                ),
                Level("silver", Points(D(7))),
            )
        ),
    )
    book = ledger(ev("hq_ok", "2023", True), ev("crimes", "2023", 5))
    result = modelunit.assess(catalog, book, unit="w", period="2023")
    assert (result.points, result.level) == (D(7), "silver")


def test_not_applicable_criteria_are_left_out_of_shares() -> None:
    catalog = catalog_of(Flag("hq_ok"), Flag("incident", expected=False))
    catalog = attrs.evolve(
        catalog,
        criteria=(catalog.criteria[0], attrs.evolve(catalog.criteria[1], applies_to=("ward",))),
    )
    units = UnitRegistry((Unit("x", kind="commune"),))
    result = modelunit.assess(
        catalog, ledger(ev("hq_ok", "2023", True, unit="x")), unit="x", period="2023", units=units
    )
    assert result.result("C2").outcome is Outcome.NOT_APPLICABLE
    assert result.result("C2").explanation == "applies to ward, not commune"
    assert result.counts.summary() == "1/1 met, 1 not applicable"
    assert result.level == "model"


def test_reassess_under_a_new_version() -> None:
    old = catalog_of(Compare("crimes", "<=", D(5)))
    new = attrs.evolve(old, version="2", criteria=(Criterion("C1", Compare("crimes", "<=", D(3))),))
    book = ledger(ev("crimes", "2023", 4))
    first = modelunit.assess(old, book, unit="w", period="2023")
    second = modelunit.reassess(first, new, book)
    assert (first.version, first.level) == ("1", "model")
    assert (second.version, second.level) == ("2", "not_yet")
    assert [c.criterion for c in modelunit.diff(old, new).changed] == ["C1"]


def test_explain_renders_everything() -> None:
    result = modelunit.assess(
        catalog_of(Compare("crimes", "<=", D(5))),
        ledger(ev("crimes", "2023", 4, id="r")),
        unit="w",
        period="2023",
    )
    assert result.explain() == (
        "w (ward), 2023: t 1\n"
        "Result: 1/1 met: model\n"
        "  model: reached (1/1 met; needs >= 100%)\n"
        "C1: met: crimes in 2023 is 4, needs <= 5 [evidence: r]"
    )


class TestBatch:
    def test_matches_single_assessments(self) -> None:
        catalog = twenty_two()
        recs = []
        for u in range(5):
            recs += [
                ev(f"c{i}", "2023", (i + u) % 7 != 0, unit=f"u{u}", id=f"{u}-{i}")
                for i in range(1, 23)
                if (i * u) % 5 != 1
            ]
        book = ledger(*recs)
        batch = assess_batch(catalog, book, periods=["2023"])
        for u in range(5):
            single = modelunit.assess(catalog, book, unit=f"u{u}", period="2023")
            assert batch.outcomes(f"u{u}", "2023") == {
                r.criterion: r.outcome for r in single.results
            }
            assert batch.summary(f"u{u}", "2023").counts == single.counts
            assert batch.assessment(f"u{u}", "2023") == single

    def test_outcome_codes(self) -> None:
        catalog = catalog_of(Compare("crimes", "<=", D(5)))
        catalog = attrs.evolve(
            catalog, criteria=(attrs.evolve(catalog.criteria[0], applies_to=("ward",)),)
        )
        units = UnitRegistry((Unit("a"), Unit("b"), Unit("c"), Unit("d", kind="commune")))
        book = ledger(ev("crimes", "2023", 1, unit="a"), ev("crimes", "2023", 9, unit="b"))
        batch = assess_batch(
            catalog, book, units=["a", "b", "c", "d"], periods=["2023"], registry=units
        )
        assert batch.outcome_codes("2023", "C1") == bytes([2, 0, 1, 3])

    def test_unknown_period_is_a_key_error(self) -> None:
        batch = assess_batch(
            catalog_of(Flag("hq_ok")), ledger(ev("hq_ok", "2023", True)), periods=["2023"]
        )
        with pytest.raises(KeyError):
            batch.outcome("w", "2022", "C1")


def test_as_of_with_an_index_is_refused() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    index = modelunit.build_index(catalog, ledger())
    with pytest.raises(InvalidArgumentError, match="as_of applies when the index is built"):
        modelunit.assess(catalog, index, unit="w", period="2023", as_of="2024-01-01")
    with pytest.raises(InvalidArgumentError, match="as_of applies when the index is built"):
        assess_batch(catalog, index, periods=["2023"], as_of="2024-01-01")


def test_an_index_carries_its_as_of_into_every_assessment() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    book = ledger(ev("hq_ok", "2023", True))
    index = modelunit.build_index(catalog, book, as_of="2024-01-01")
    when = datetime(2024, 1, 1, 23, 59, 59, 999999)
    assert index.as_of == when
    single = modelunit.assess(catalog, index, unit="w", period="2023")
    batch = assess_batch(catalog, index, units=["w"], periods=["2023"])
    assert single.as_of == batch.as_of == batch.assessment("w", "2023").as_of == when
    # Repeating the index's own moment is not a conflict.
    again = modelunit.assess(catalog, index, unit="w", period="2023", as_of="2024-01-01")
    assert again == single
    assert modelunit.assess(catalog, book, unit="w", period="2023", as_of="2024-01-01") == single


def test_unused_indicators_in_the_ledger_are_ignored() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    book = ledger(ev("hq_ok", "2023", True), ev("not_declared", "2023", "anything"))
    assert modelunit.assess(catalog, book, unit="w", period="2023").level == "model"
    assert len(INDICATORS) == 9
