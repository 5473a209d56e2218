"""The bundled worked examples give exactly the results their descriptions state."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

import modelunit
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import ComparedValue, Counts

ROOT = Path(__file__).resolve().parent.parent


def test_examples_are_bundled_and_described() -> None:
    names = {
        "dien-bien-2023",
        "nghe-an-2023",
        "van-minh-example",
        "residential-areas-example",
        "so-voi-cung-ky-example",
    }
    assert names <= set(modelunit.list_examples())
    for name in names:
        text = modelunit.load_evidence_file(name).description
        assert "illustrative" in text, name


def test_generator_is_in_sync() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "scripts" / "make_examples.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


# -- Điện Biên ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cap() -> modelunit.CriteriaSet:
    return modelunit.load_catalog("cap-kieu-mau-2021")


@pytest.fixture(scope="module")
def dien_bien() -> modelunit.EvidenceLedger:
    return modelunit.load_evidence("dien-bien-2023")


def test_dien_bien_2023(cap: modelunit.CriteriaSet, dien_bien: modelunit.EvidenceLedger) -> None:
    result = modelunit.assess(cap, dien_bien, unit="dien-bien", period="2023")
    assert result.counts == Counts(met=21, not_met=0, insufficient=1, not_applicable=0)
    assert result.level == "basically_met"
    assert result.recognised is False
    assert result.summary() == "21/22 met, 1 pending: basically met"
    assert result.summary("vi") == "21/22 đạt, 1 chưa đủ căn cứ: Cơ bản đạt"
    assert result.by_outcome(Outcome.INSUFFICIENT) == ("C22",)
    (gap,) = result.gaps
    assert gap.criterion == "C22"
    assert gap.missing == ("party_committee_ranking", "peoples_committee_ranking")
    assert result.result("C07").evidence == ("db-2023-serious_crimes",)
    assert result.result("C08").evidence == ("db-2023-crime_hotspots",)
    c11 = result.result("C11")
    assert c11.evidence == ("db-2023-social_order_crimes-r1", "db-2022-social_order_crimes")
    assert c11.trace is not None
    change = c11.trace.children[0]
    assert change.values == (
        ComparedValue("social_order_crimes", Period.parse("2023"), 19),
        ComparedValue("social_order_crimes", Period.parse("2022"), 25),
    )
    assert change.reason == (
        "social_order_crimes: 19 in 2023 vs 25 in 2022, change -24%, needs < 0%"
    )


def test_dien_bien_as_of(cap: modelunit.CriteriaSet, dien_bien: modelunit.EvidenceLedger) -> None:
    early = modelunit.assess(cap, dien_bien, unit="dien-bien", period="2023", as_of="2024-01-31")
    assert early.counts == Counts(met=20, not_met=0, insufficient=2, not_applicable=0)
    assert early.level == "not_yet"
    assert early.by_outcome(Outcome.INSUFFICIENT) == ("C21", "C22")
    c11 = early.result("C11")
    assert c11.evidence == ("db-2023-social_order_crimes", "db-2022-social_order_crimes")
    assert c11.trace is not None
    assert "21 in 2023 vs 25 in 2022, change -16%" in c11.trace.children[0].reason
    # After the correction (5 Feb) but before the survey (20 Feb): still 20/22.
    mid = modelunit.assess(cap, dien_bien, unit="dien-bien", period="2023", as_of="2024-02-10")
    assert mid.result("C11").evidence[0] == "db-2023-social_order_crimes-r1"
    assert mid.level == "not_yet"
    final = modelunit.assess(cap, dien_bien, unit="dien-bien", period="2023", as_of="2024-02-20")
    assert final.level == "basically_met"


def test_dien_bien_ledger_history(dien_bien: modelunit.EvidenceLedger) -> None:
    chain = dien_bien.history("db-2023-social_order_crimes-r1")
    assert [(r.id, r.value) for r in chain] == [
        ("db-2023-social_order_crimes", 21),
        ("db-2023-social_order_crimes-r1", 19),
    ]
    assert dien_bien.superseded_by("db-2023-social_order_crimes") == (
        "db-2023-social_order_crimes-r1"
    )


# -- Nghệ An ----------------------------------------------------------------------------------


def _nghe_an(cap: modelunit.CriteriaSet, as_of: str) -> dict[str, modelunit.Assessment]:
    ledger = modelunit.load_evidence("nghe-an-2023")
    units = modelunit.load_units("nghe-an-2023")
    index = modelunit.build_index(cap, ledger, as_of=as_of)
    return {
        u.id: modelunit.assess(cap, index, unit=u.id, period="2023", units=units)
        for u in units.units
    }


def test_nghe_an_cohort_by_january(cap: modelunit.CriteriaSet) -> None:
    results = _nghe_an(cap, "2024-01-31")
    assert len(results) == 16
    assert list(results)[:4] == ["truong-thi", "ha-huy-tap", "nghi-hoa", "nghi-thu"]
    for unit, result in results.items():
        assert result.counts == Counts(met=21, insufficient=1), unit
        assert result.by_outcome(Outcome.INSUFFICIENT) == ("C22",), unit
        assert result.level == "basically_met", unit


def test_nghe_an_after_rankings(cap: modelunit.CriteriaSet) -> None:
    results = _nghe_an(cap, "2024-04-01")
    levels = [r.level for r in results.values()]
    assert levels == ["model"] * 12 + ["not_yet"] + ["basically_met"] * 3
    assert results["nghe-an-phuong-13"].result("C22").outcome is Outcome.NOT_MET
    assert sum(r.recognised for r in results.values()) == 12


# -- the sibling sets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "level", "summary"),
    [
        ("phuong-vm-89", "not_yet", "9/10 met, 1 not met: not yet met"),
        ("phuong-vm-90", "civilized", "10/10 met: civilized urban standard met"),
        ("phuong-vm-c4", "not_yet", "9/10 met, 1 not met: not yet met"),
    ],
)
def test_civilized_ward_example(unit: str, level: str, summary: str) -> None:
    catalog = modelunit.load_catalog("do-thi-van-minh-2022")
    ledger = modelunit.load_evidence("van-minh-example")
    result = modelunit.assess(catalog, ledger, unit=unit, period="2023")
    assert result.level == level
    assert result.summary() == summary
    assert result.recognised is (level == "civilized")


def test_civilized_ward_reasons() -> None:
    catalog = modelunit.load_catalog("do-thi-van-minh-2022")
    ledger = modelunit.load_evidence("van-minh-example")
    low = modelunit.assess(catalog, ledger, unit="phuong-vm-89", period="2023")
    assert low.by_outcome(Outcome.NOT_MET) == ("HL",)
    hl = low.result("HL")
    assert hl.trace is not None
    assert hl.trace.values == (
        ComparedValue("resident_satisfaction", Period.parse("2023"), Decimal("0.89")),
    )
    c4 = modelunit.assess(catalog, ledger, unit="phuong-vm-c4", period="2023")
    assert c4.by_outcome(Outcome.NOT_MET) == ("TC4",)
    assert c4.result("TC4").explanation == (
        "c4_content_3 in 2023 is false, needs true (3 more not needed)"
    )


@pytest.mark.parametrize(
    ("unit", "a3", "explanation", "level"),
    [
        (
            "phuong-minh-hoa",
            Outcome.NOT_MET,
            "17 of 25 sub-units met, 8 not met, needs 18",
            "not_yet",
        ),
        ("xa-minh-hoa", Outcome.MET, "18 of 25 sub-units met, 7 not met, needs 18", "safe"),
        (
            "phuong-chua-du",
            Outcome.INSUFFICIENT,
            "17 of 25 sub-units met, 7 not met, 1 unknown, needs 18",
            "not_yet",
        ),
    ],
)
def test_residential_areas_example(unit: str, a3: Outcome, explanation: str, level: str) -> None:
    catalog = modelunit.load_catalog("an-toan-antt-2021")
    ledger = modelunit.load_evidence("residential-areas-example")
    units = modelunit.load_units("residential-areas-example")
    assert len(units.children(unit, "residential_area")) == 25
    result = modelunit.assess(catalog, ledger, unit=unit, period="2023", units=units)
    assert result.result("A3").outcome is a3
    assert result.result("A3").explanation == explanation
    assert result.level == level


# -- so với cùng kỳ: the same period of last year, over the police statistical year --------


@pytest.fixture(scope="module")
def cung_ky() -> tuple[modelunit.CriteriaSet, modelunit.EvidenceLedger]:
    return modelunit.load_catalog("so-voi-cung-ky"), modelunit.load_evidence(
        "so-voi-cung-ky-example"
    )


def test_cung_ky_the_reporting_year(
    cung_ky: tuple[modelunit.CriteriaSet, modelunit.EvidenceLedger],
) -> None:
    catalog, ledger = cung_ky
    result = modelunit.assess(catalog, ledger, unit="phuong-a-tphcm", period="2023")
    assert str(result.period) == "2022-12-15/2023-12-14"
    assert result.summary() == "3/3 met: reduced on the same period"
    k1 = result.result("K1")
    assert k1.explanation == (
        "criminal_cases: 41 in 2022-12-15/2023-12-14 vs 45 in the same period of 2022 "
        "(2021-12-15/2022-12-14), change -4, needs < 0"
    )
    assert len(k1.evidence) == 24  # twelve reporting months each year
    # For a whole reporting year the period just before is the same period of last year.
    assert result.result("K2").trace.values == k1.trace.values  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("period", "k1", "k2"),
    [
        (
            "2022-12-15/2023-11-14",
            "39 in 2022-12-15/2023-11-14 vs 43 in the same period of 2022 "
            "(2021-12-15/2022-11-14), change -4",
            "39 in 2022-12-15/2023-11-14 vs 39 in 2022-01-15/2022-12-14, change +0",
        ),
        (
            "2022-12-15/2023-03-14",
            "12 in 2022-12-15/2023-03-14 vs 14 in the same period of 2022 "
            "(2021-12-15/2022-03-14), change -2",
            "12 in 2022-12-15/2023-03-14 vs 10 in 2022-09-15/2022-12-14, change +2",
        ),
    ],
)
def test_cung_ky_the_same_months_not_the_months_just_before(
    cung_ky: tuple[modelunit.CriteriaSet, modelunit.EvidenceLedger], period: str, k1: str, k2: str
) -> None:
    catalog, ledger = cung_ky
    result = modelunit.assess(catalog, ledger, unit="phuong-a-tphcm", period=period)
    assert (result.result("K1").outcome, result.result("K2").outcome) == (
        Outcome.MET,
        Outcome.NOT_MET,
    )
    assert result.result("K1").explanation == f"criminal_cases: {k1}, needs < 0"
    assert result.result("K2").explanation == f"criminal_cases: {k2}, needs < 0"


def test_cung_ky_calendar_months_do_not_make_a_reporting_year(
    cung_ky: tuple[modelunit.CriteriaSet, modelunit.EvidenceLedger],
) -> None:
    catalog, ledger = cung_ky
    result = modelunit.assess(catalog, ledger, unit="phuong-b-tphcm", period="2023")
    assert result.by_outcome(Outcome.INSUFFICIENT) == ("K1", "K2")
    assert result.result("K1").explanation.startswith(
        "criminal_cases in 2022-12-15/2023-12-14: sub-period records do not cover 2022-12-15 "
        "onwards (records for 2022-12, 2023-12 cross its bounds; a record is never split)"
    )
    assert result.level == "not_yet"
    calendar_year = modelunit.assess(
        catalog, ledger, unit="phuong-b-tphcm", period=Period.year(2023)
    )
    assert calendar_year.result("K1").explanation == (
        "criminal_cases: 40 in 2023 vs 43 in the same period of 2022, change -3, needs < 0"
    )
