"""Every bundled criteria set loads, validates, round-trips and says where it comes from."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

import modelunit
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.policy import AllConditions, CriteriaOutcomes, Tally
from modelunit.rules import AllOf, SubUnits, iter_rules
from modelunit.serialization import structure, unstructure

CATALOGS = modelunit.list_catalogs()
OURS = ("an-toan-antt-2021", "cap-kieu-mau-2021", "do-thi-van-minh-2022")


def _has_diacritics(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


def test_our_catalogs_are_bundled() -> None:
    assert set(OURS) <= set(CATALOGS)


@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_loads_and_round_trips(name: str) -> None:
    catalog = modelunit.load_catalog(name)
    assert catalog.id == name
    assert catalog.version
    assert catalog.problems() == []
    assert structure(unstructure(catalog), modelunit.CriteriaSet) == catalog


@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_is_bilingual(name: str) -> None:
    catalog = modelunit.load_catalog(name)
    assert catalog.title_vi
    assert catalog.title_en
    assert _has_diacritics(catalog.title_vi)
    for group in catalog.groups:
        assert group.title_en, group.id
        assert _has_diacritics(group.title_vi), group.id
    for crit in catalog.criteria:
        assert crit.title_en, crit.id
        assert _has_diacritics(crit.title_vi), crit.id
    for ind in catalog.indicators:
        assert ind.title_en, ind.key
        assert ind.title_vi, ind.key
    for level in (*catalog.policy.levels, catalog.policy.fallback):
        assert level.title_en, level.id
        assert level.title_vi, level.id


@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_has_provenance(name: str) -> None:
    catalog = modelunit.load_catalog(name)
    assert catalog.provenance is not None
    if catalog.provenance.status == "illustrative":
        return  # a made-up set (the tutorial) need not source each criterion
    for crit in catalog.criteria:
        assert crit.provenance is not None, crit.id
        assert crit.provenance.status in ("official", "reconstructed"), crit.id
        assert crit.provenance.url.startswith("http"), crit.id
        assert crit.provenance.note, crit.id


# -- the 22-criterion model-ward-police set ------------------------------------------------


@pytest.fixture(scope="module")
def cap() -> modelunit.CriteriaSet:
    return modelunit.load_catalog("cap-kieu-mau-2021")


def test_cap_shape(cap: modelunit.CriteriaSet) -> None:
    assert len(cap.criteria) == 22
    assert [c.id for c in cap.criteria] == [f"C{i:02d}" for i in range(1, 23)]
    assert [g.id for g in cap.groups] == [f"G{i}" for i in range(1, 8)]
    per_group = {g.id: sum(c.group == g.id for c in cap.criteria) for g in cap.groups}
    assert per_group == {"G1": 5, "G2": 5, "G3": 5, "G4": 2, "G5": 1, "G6": 3, "G7": 1}
    assert cap.unit_kinds == ("ward",)
    assert cap.effective_from == date(2021, 7, 13)


def test_cap_says_it_is_reconstructed(cap: modelunit.CriteriaSet) -> None:
    prov = cap.provenance
    assert prov is not None
    assert prov.status == "reconstructed"
    assert "5764/QĐ-BCA-V05" in prov.document
    assert prov.date == date(2021, 7, 13)
    assert prov.url.startswith("http://antg.cand.com.vn/")
    assert {c.provenance.status for c in cap.criteria if c.provenance} == {"reconstructed"}
    assert all("(reconstructed)" in g.title_en and "(tái dựng)" in g.title_vi for g in cap.groups)


def test_cap_vetoes_and_levels(cap: modelunit.CriteriaSet) -> None:
    assert [c.id for c in cap.criteria if c.mandatory] == ["C06", "C07"]
    levels = cap.policy.levels
    assert [lv.id for lv in levels] == ["model", "basically_met"]
    assert [lv.recognised for lv in levels] == [True, False]
    assert levels[0].condition == Tally("met", min_share=Fraction(1))
    assert levels[1].condition == AllConditions(
        (Tally("met", min_count=21), Tally("not_met", max_count=0))
    )
    assert cap.policy.fallback.id == "not_yet"
    assert cap.policy.fallback.title_vi == "Chưa đạt"


def test_cap_uses_the_rule_kinds(cap: modelunit.CriteriaSet) -> None:
    kinds = {node.kind for c in cap.criteria for _, node in iter_rules(c.rule)}
    assert kinds == {
        "absent",
        "compare",
        "change",
        "ratio",
        "at_least",
        "flag",
        "all",
        "any",
        "k_of",
    }
    ranking = cap.indicator_map["party_committee_ranking"]
    assert ranking.categories == ("not_completed", "completed", "good", "excellent")


# Synthetic evidence for the policy and edge cases: a ward meeting C01-C21.


def _good_ward(unit: str = "w") -> list[Evidence]:
    values: dict[str, object] = {
        "headquarters_to_standard": True,
        "equipment_to_norm": True,
        "officers_in_post": 10,
        "officers_allotted": 10,
        "disciplined_officers": 0,
        "attitude_complaints": 0,
        "political_security_incidents": 0,
        "serious_crimes": 0,
        "crime_hotspots": 0,
        "gangster_groups": 0,
        "new_drug_users": 0,
        "social_order_crimes": 8,
        "traffic_accidents": 2,
        "fires_explosions": 0,
        "conditional_businesses": 5,
        "conditional_businesses_inspected": 5,
        "residence_managed": True,
        "foreigners_managed": True,
        "crime_reports_received": 4,
        "crime_reports_processed": 4,
        "sidewalk_violations": 0,
        "litter_violations": 0,
        "security_movement_models": 1,
        "security_zalo_groups": True,
        "crime_prevention_cameras": False,
        "self_managed_households": True,
        "admin_on_time_share": "100%",
        "population_data_target_share": "100%",
        "chip_id_target_share": "100%",
        "resident_satisfaction": "90%",
    }
    records = [
        Evidence(f"{k}-23", unit, k, "2023", v, recorded_at="2024-01-10") for k, v in values.items()
    ]
    records += [
        Evidence(f"{k}-22", unit, k, "2022", v, recorded_at="2023-01-10")
        for k, v in {
            "social_order_crimes": 9,
            "traffic_accidents": 2,
            "fires_explosions": 0,
            "sidewalk_violations": 0,
            "litter_violations": 0,
        }.items()
    ]
    return records


def _ranking(party: str, people: str) -> list[Evidence]:
    return [
        Evidence("party-23", "w", "party_committee_ranking", "2023", party, "2024-02-01"),
        Evidence("people-23", "w", "peoples_committee_ranking", "2023", people, "2024-02-01"),
    ]


def _assess(cap: modelunit.CriteriaSet, records: list[Evidence]) -> modelunit.Assessment:
    return modelunit.assess(cap, EvidenceLedger(tuple(records)), unit="w", period="2023")


def test_cap_policy_levels(cap: modelunit.CriteriaSet) -> None:
    pending = _assess(cap, _good_ward())
    assert pending.summary() == "21/22 met, 1 pending: basically met"
    assert pending.by_outcome(Outcome.INSUFFICIENT) == ("C22",)

    model = _assess(cap, _good_ward() + _ranking("excellent", "good"))
    assert model.summary() == "22/22 met: model ward police unit"
    assert model.level == "model"
    assert model.recognised is True

    failed = _assess(cap, _good_ward() + _ranking("excellent", "completed"))
    assert failed.summary() == "21/22 met, 1 not met: not yet met"
    assert failed.level == "not_yet"


def test_cap_veto(cap: modelunit.CriteriaSet) -> None:
    records = [
        *_good_ward(),
        *_ranking("good", "good"),
        Evidence(
            "serious-fix",
            "w",
            "serious_crimes",
            "2023",
            1,
            "2024-03-01",
            supersedes="serious_crimes-23",
        ),
    ]
    result = _assess(cap, records)
    assert result.summary() == "21/22 met, 1 not met: not yet met"
    assert [c.reason for c in result.level_checks[:2]] == [
        "vetoed: mandatory C07 not met",
        "vetoed: mandatory C07 not met",
    ]


def test_cap_zero_counts_and_zero_denominators(cap: modelunit.CriteriaSet) -> None:
    # C16/C17: 0 violations in both years counts as met (via 'absent'), C11 needs a fall.
    base = _assess(cap, _good_ward())
    assert base.result("C16").outcome is Outcome.MET
    assert base.result("C11").outcome is Outcome.MET
    # Same count as last year: not a fall, and not zero -> C11 not met.
    flat = [r for r in _good_ward() if r.id != "social_order_crimes-23"]
    flat.append(Evidence("soc-flat", "w", "social_order_crimes", "2023", 9, "2024-01-10"))
    assert _assess(cap, flat).result("C11").outcome is Outcome.NOT_MET
    # No conditional businesses at all: the ratio is undefined -> insufficient.
    none = [r for r in _good_ward() if not r.indicator.startswith("conditional_businesses")]
    none += [
        Evidence("cb", "w", "conditional_businesses", "2023", 0, "2024-01-10"),
        Evidence("cbi", "w", "conditional_businesses_inspected", "2023", 0, "2024-01-10"),
    ]
    c13 = _assess(cap, none).result("C13")
    assert c13.outcome is Outcome.INSUFFICIENT
    assert c13.explanation == "conditional_businesses is 0 in 2023: the ratio is undefined"


def test_cap_k_of_two_of_three_models(cap: modelunit.CriteriaSet) -> None:
    records = [r for r in _good_ward() if r.indicator != "security_zalo_groups"]
    records.append(Evidence("zalo", "w", "security_zalo_groups", "2023", False, "2024-01-10"))
    result = _assess(cap, records)  # only 1 of 3 models now
    assert result.result("C18").outcome is Outcome.NOT_MET


# -- the sibling sets ----------------------------------------------------------------------


def test_civilized_ward_shape() -> None:
    vm = modelunit.load_catalog("do-thi-van-minh-2022")
    assert [c.id for c in vm.criteria] == [f"TC{i}" for i in range(1, 10)] + ["HL"]
    assert {c.group for c in vm.criteria} == {"criteria", "satisfaction"}
    tc4 = vm.criterion("TC4").rule
    assert isinstance(tc4, AllOf)
    assert len(tc4.rules) == 6
    (level,) = vm.policy.levels
    assert level.recognised
    assert level.condition == AllConditions(
        (
            Tally("met", min_share=Fraction(1), among=("criteria",)),
            CriteriaOutcomes(("HL",), "met"),
        )
    )
    assert vm.unit_kinds == ("ward", "town")


def test_safe_security_set_uses_sub_units() -> None:
    at = modelunit.load_catalog("an-toan-antt-2021")
    a3 = at.criterion("A3").rule
    assert isinstance(a3, SubUnits)
    assert a3.share == Fraction(7, 10)
    assert a3.unit_kind == "residential_area"
    assert isinstance(a3.rule, AllOf)
    assert len(a3.rule.rules) == 5
    assert at.unit_kinds == ("ward", "commune")


@pytest.mark.parametrize(
    ("safe", "outcome"), [(16, "not_met"), (17, "not_met"), (18, "met"), (25, "met")]
)
def test_seventy_percent_rounds_up(safe: int, outcome: str) -> None:
    at = modelunit.load_catalog("an-toan-antt-2021")
    units = [Unit("x", kind="commune")]
    records = []
    for i in range(25):
        units.append(Unit(f"x/{i}", kind="residential_area", parent="x"))
        ok = i < safe
        for key, value in {
            "ra_party_cell_resolution": ok,
            "ra_households_registered_share": "100%",
            "ra_listed_incidents": 0,
            "ra_crime_contained": True,
            "ra_self_management_active": True,
        }.items():
            records.append(Evidence(f"{i}-{key}", f"x/{i}", key, "2023", value, "2023-12-01"))
    result = modelunit.assess(
        at,
        EvidenceLedger(tuple(records)),
        unit="x",
        period="2023",
        units=UnitRegistry(tuple(units)),
    )
    assert result.result("A3").outcome is Outcome(outcome)
    assert result.result("A3").explanation.endswith("needs 18")
