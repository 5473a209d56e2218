"""Assessments: re-assessment, explanations, batch, the as-of rule.

Recognition levels, vetoes and shares are tested with the policy (test_policy.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs
import pytest

import modelunit
from modelunit.assessment import assess_batch
from modelunit.criteria import Criterion
from modelunit.errors import InvalidArgumentError
from modelunit.evidence import Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.periods import Period, ReportingYear
from modelunit.rules import Change, Compare, Flag
from tests.helpers import INDICATORS, catalog_of, ev, ledger, twenty_two

D = Decimal


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


def test_the_evidence_index_stays_importable_from_assessment() -> None:
    from modelunit import assessment, lookup

    assert assessment.EvidenceIndex is lookup.EvidenceIndex
    assert "EvidenceIndex" in assessment.__all__


class TestReportingYear:
    """In a set whose year runs from 15 December, "2024" is 2023-12-15/2024-12-14."""

    POLICE = ReportingYear("12-15", "12-14")

    def world(self) -> tuple[modelunit.CriteriaSet, modelunit.EvidenceLedger]:
        catalog = catalog_of(
            Change("crimes", "<", D(0), baseline="same_period"),
            Change("crimes", "<", D(0)),
            reporting_year=self.POLICE,
        )
        recs = [
            ev("crimes", str(self.POLICE.month(year, m)), m + (year == 2023), id=f"{year}-{m}")
            for year in (2023, 2024)
            for m in range(1, 13)
        ]
        return catalog, ledger(*recs)

    def test_a_bare_year_is_the_sets_year(self) -> None:
        catalog, book = self.world()
        for period in ("2024", 2024, self.POLICE.year(2024)):
            result = modelunit.assess(catalog, book, unit="w", period=period)
            assert str(result.period) == "2023-12-15/2024-12-14"
            assert result.result("C1").explanation == (
                "crimes: 78 in 2023-12-15/2024-12-14 vs 90 in the same period of 2023 "
                "(2022-12-15/2023-12-14), change -12, needs < 0"
            )
            # The previous period of a reporting year is the reporting year before too.
            assert result.result("C2").explanation == (
                "crimes: 78 in 2023-12-15/2024-12-14 vs 90 in 2022-12-15/2023-12-14, "
                "change -12, needs < 0"
            )

    def test_a_period_object_is_used_as_it_is(self) -> None:
        catalog, book = self.world()
        result = modelunit.assess(catalog, book, unit="w", period=Period.year(2024))
        assert result.period == Period.year(2024)
        assert result.result("C1").outcome is Outcome.INSUFFICIENT

    def test_the_batch_reads_periods_in_the_sets_year(self) -> None:
        catalog, book = self.world()
        batch = assess_batch(catalog, book, periods=["2024", "2024-Q2"])
        assert batch.periods == (self.POLICE.year(2024), Period.quarter(2024, 2))
        for period in ("2024", 2024, self.POLICE.year(2024)):
            assert batch.outcome("w", period, "C1") is Outcome.MET
        assert batch.assessment("w", "2024") == modelunit.assess(
            catalog, book, unit="w", period="2024"
        )
        # A calendar quarter, which reporting months do not tile: insufficient in both.
        assert batch.outcome("w", "2024-Q2", "C1") is Outcome.INSUFFICIENT
        with pytest.raises(KeyError):
            batch.outcome("w", Period.year(2024), "C1")
