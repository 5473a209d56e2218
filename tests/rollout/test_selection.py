"""rollout/selection.py: readiness from assessments, most-ready first, every error listed."""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace

import pytest

from modelunit.errors import InvalidProblemError
from modelunit.rollout import Milestone, Region, RolloutProblem, UnitReadiness, plan, select_units
from modelunit.serialization import structure, unstructure


def _assessment(unit, outcomes):
    results = [
        SimpleNamespace(mandatory=mandatory, outcome=SimpleNamespace(value=value))
        for mandatory, value in outcomes
    ]
    values = [v for _, v in outcomes]
    counts = SimpleNamespace(
        met=values.count("met"),
        not_met=values.count("not_met"),
        insufficient=values.count("insufficient"),
        not_applicable=values.count("not_applicable"),
        applicable=len(values) - values.count("not_applicable"),
    )
    return SimpleNamespace(unit=unit, counts=counts, results=results)


def test_readiness_from_an_assessment_like_object():
    a = _assessment(
        "Hưng Dũng",
        [(True, "met"), (True, "insufficient"), (False, "not_met"), (False, "not_applicable")],
    )
    r = UnitReadiness.from_assessment(a, region="NA")
    assert r == UnitReadiness(
        "Hưng Dũng", "NA", criteria_missing=2, mandatory_unmet=1, insufficient=1
    )


def test_readiness_from_the_core_engine_types():
    results = pytest.importorskip("modelunit.results")
    outcomes = pytest.importorskip("modelunit.outcomes")
    counts = results.Counts(met=20, not_met=1, insufficient=1, not_applicable=0)
    rows = [
        SimpleNamespace(mandatory=True, outcome=outcomes.Outcome.MET),
        SimpleNamespace(mandatory=True, outcome=outcomes.Outcome.INSUFFICIENT),
        SimpleNamespace(mandatory=False, outcome=outcomes.Outcome.NOT_MET),
    ]
    a = SimpleNamespace(unit="Hưng Dũng", counts=counts, results=rows)
    r = UnitReadiness.from_assessment(a, region="NA")
    assert (r.criteria_missing, r.mandatory_unmet, r.insufficient) == (2, 1, 1)


def test_selection_is_most_ready_first_with_ties_by_unit_id():
    problem = RolloutProblem(
        regions=[Region("NA", total=5, recognised=1, capacity=2)],
        milestones=[Milestone(2027, 1)],
        start=2026,
        end=2027,
    )
    p = plan(problem, "earliest")
    units = [
        UnitReadiness("d", "NA", criteria_missing=1),
        UnitReadiness("c", "NA", criteria_missing=1),
        UnitReadiness("b", "NA", criteria_missing=0, mandatory_unmet=0),
        UnitReadiness("a", "NA", criteria_missing=1, mandatory_unmet=1),
        UnitReadiness("e", "NA", criteria_missing=5),
    ]
    chosen = select_units(p, units, region="NA")
    assert [(s.unit, s.year, s.rank) for s in chosen] == [
        ("b", 2026, 1),
        ("c", 2026, 2),
        ("d", 2027, 3),
        ("e", 2027, 4),
        ("a", None, 5),
    ]
    assert chosen[-1].reason == (
        "rank 5 of 5: 1 criterion missing, 1 mandatory unmet; the plan takes on 4 units by 2027"
    )
    assert structure(unstructure(chosen[0]), type(chosen[0])) == chosen[0]
    assert structure(unstructure(units[0]), UnitReadiness) == units[0]


def test_selection_errors_list_every_problem():
    problem = RolloutProblem(regions=[Region("NA", total=5)], milestones=[], start=2026, end=2026)
    p = plan(problem)
    with pytest.raises(InvalidProblemError) as info:
        select_units(
            p,
            [UnitReadiness("a", "HN"), UnitReadiness("b", "NA"), UnitReadiness("b", "NA")],
            region="NA",
        )
    assert [x.path for x in info.value.problems] == ["readiness[0].region", "readiness[2].unit"]
    with pytest.raises(InvalidProblemError, match="unknown region id 'XX'"):
        select_units(p, [], region="XX")


def test_selection_places_only_the_units_listed_whatever_the_plan_takes_on():
    problem = RolloutProblem(
        regions=[Region("NA", total=10**9, capacity=10**8)],
        milestones=[Milestone(2030, "50%")],
        start=2026,
        end=2030,
    )
    p = plan(problem, "earliest")
    chosen = select_units(p, [UnitReadiness("b", "NA"), UnitReadiness("a", "NA")], region="NA")
    assert [(s.unit, s.year) for s in chosen] == [("a", 2026), ("b", 2026)]


def test_selection_reads_ids_in_nfc_and_refuses_what_is_not_readiness():
    nfc = unicodedata.normalize("NFC", "Nghệ An")
    nfd = unicodedata.normalize("NFD", "Nghệ An")
    problem = RolloutProblem(
        regions=[Region(nfc, total=2, capacity=1)],
        milestones=[Milestone(2027, 1)],
        start=2026,
        end=2027,
    )
    p = plan(problem)
    chosen = select_units(p, [UnitReadiness("Vinh", nfd)], region=nfd)
    assert [(s.region, s.year) for s in chosen] == [(nfc, 2026)]
    with pytest.raises(InvalidProblemError) as info:
        select_units(p, [("Vinh", nfc), UnitReadiness(5, nfc)], region=nfc)  # type: ignore[list-item, arg-type]
    assert [e.path for e in info.value.problems] == ["readiness[0]", "readiness[1]"]
    assert info.value.problems[0].message == f"expected a UnitReadiness, got ('Vinh', {nfc!r})"
    assert info.value.problems[1].message.startswith("expected a UnitReadiness, got UnitReadiness(")
