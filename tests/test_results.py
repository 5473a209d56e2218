"""Result objects: counts, looking up a criterion's result, explanations and traces."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs
import pytest

import modelunit
from modelunit.errors import ModelUnitError, UnknownCriterionError
from modelunit.evidence import Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import (
    Assessment,
    ComparedValue,
    Counts,
    CriterionResult,
    LevelCheck,
    RuleTrace,
)
from modelunit.rules import Flag, SubUnits
from tests.helpers import catalog_of, ev, ledger

D = Decimal
MET, NOT_MET, UNKNOWN, NA = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.INSUFFICIENT,
    Outcome.NOT_APPLICABLE,
)


# -- Counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "summary"),
    [
        (Counts(met=22), "22/22 met"),
        (Counts(met=21, insufficient=1), "21/22 met, 1 pending"),
        (Counts(met=20, not_met=1, insufficient=1), "20/22 met, 1 not met, 1 pending"),
        (Counts(met=1, not_applicable=1), "1/1 met, 1 not applicable"),
        (Counts(), "0/0 met"),
        (Counts(not_applicable=2), "0/0 met, 2 not applicable"),
    ],
)
def test_counts_summary(counts: Counts, summary: str) -> None:
    assert counts.summary() == summary


def test_applicable_total_and_of() -> None:
    counts = Counts(met=5, not_met=3, insufficient=2, not_applicable=1)
    assert (counts.applicable, counts.total) == (10, 11)
    assert [counts.of(o) for o in (MET, NOT_MET, UNKNOWN, NA)] == [5, 3, 2, 1]


# -- Assessment ------------------------------------------------------------------------------


def assessment(**kw: object) -> Assessment:
    """A hand-built assessment of three criteria, one of each decided outcome and one pending."""
    fields: dict[str, object] = {
        "catalog": "t",
        "version": "1",
        "unit": "w",
        "unit_kind": "ward",
        "period": Period.parse("2023"),
        "as_of": None,
        "results": (
            CriterionResult("C1", MET, "fine", evidence=("a", "b", "c"), mandatory=True),
            CriterionResult("C2", NOT_MET, "too many", evidence=("d",)),
            CriterionResult("C3", UNKNOWN, "no evidence"),
            CriterionResult("C10", NA, "applies to commune, not ward"),
        ),
        "counts": Counts(met=1, not_met=1, insufficient=1, not_applicable=1),
        "points": D(0),
        "level": "not_yet",
        "level_title_vi": "chưa đạt",
        "level_title_en": "not yet met",
        "recognised": False,
        "level_checks": (
            LevelCheck("model", reached=False, reason="1/3 met"),
            LevelCheck("not_yet", reached=True, reason="no higher level reached"),
        ),
        "gaps": (),
    }
    fields.update(kw)
    return Assessment(**fields)  # type: ignore[arg-type]


def test_result_of_a_criterion() -> None:
    assert assessment().result("C2").explanation == "too many"


def test_result_of_an_unknown_criterion_suggests_the_closest() -> None:
    with pytest.raises(UnknownCriterionError) as info:
        assessment().result("C01")
    err = info.value
    assert isinstance(err, KeyError)
    assert isinstance(err, ModelUnitError)
    assert err.name == "C01"
    assert err.known == ("C1", "C10", "C2", "C3")
    assert str(err) == "unknown criterion 'C01'; did you mean 'C1' or 'C10'?"


def test_by_outcome_keeps_the_catalog_order() -> None:
    a = assessment()
    assert a.by_outcome(MET) == ("C1",)
    assert a.by_outcome(NA) == ("C10",)
    assert a.by_outcome(UNKNOWN) == ("C3",)
    without = assessment(results=())
    assert without.by_outcome(MET) == ()


def test_summary_in_either_language_falls_back_to_the_level_id() -> None:
    a = assessment()
    assert a.summary() == "1/3 met, 1 not met, 1 pending, 1 not applicable: not yet met"
    assert a.summary("vi") == "1/3 đạt, 1 chưa đạt, 1 chưa đủ căn cứ, 1 không áp dụng: chưa đạt"
    bare = assessment(level_title_vi="", level_title_en="")
    assert bare.summary("vi").endswith(": not_yet")


def test_explain_lists_levels_and_criteria() -> None:
    assert assessment().explain() == (
        "w (ward), 2023: t 1\n"
        "Result: 1/3 met, 1 not met, 1 pending, 1 not applicable: not yet met\n"
        "  model: not reached (1/3 met)\n"
        "  not_yet: reached (no higher level reached)\n"
        "C1 (mandatory): met: fine [evidence: a, b, c]\n"
        "C2: not met: too many [evidence: d]\n"
        "C3: insufficient evidence: no evidence\n"
        "C10: not applicable: applies to commune, not ward"
    )


@pytest.mark.parametrize(
    ("max_evidence", "cited"),
    [
        (8, "[evidence: a, b, c]"),
        (3, "[evidence: a, b, c]"),
        (2, "[evidence: a, b and 1 more]"),
        (1, "[evidence: a and 2 more]"),
    ],
)
def test_explain_counts_the_evidence_beyond_max_evidence(max_evidence: int, cited: str) -> None:
    line = assessment().explain(max_evidence=max_evidence).splitlines()[4]
    assert line == f"C1 (mandatory): met: fine {cited}"


def test_explain_of_many_sub_units_cites_some_and_keeps_all() -> None:
    areas = [Unit(f"a{i:02}", kind="residential_area", parent="w") for i in range(12)]
    registry = UnitRegistry((Unit("w"), *areas))
    book = ledger(
        *(ev("hq_ok", "2023", True, unit=a.id, id=f"r{i:02}") for i, a in enumerate(areas))
    )
    result = modelunit.assess(
        catalog_of(SubUnits(Flag("hq_ok"), count=12)), book, unit="w", period="2023", units=registry
    )
    assert len(result.result("C1").evidence) == 12
    assert result.explain().endswith(
        "[evidence: r00, r01, r02, r03, r04, r05, r06, r07 and 4 more]"
    )
    assert result.explain(max_evidence=12).endswith("r10, r11]")


def test_explain_shows_the_as_of_moment() -> None:
    end_of_day = datetime(2024, 1, 31, 23, 59, 59, 999999)
    assert assessment(as_of=end_of_day).explain().splitlines()[0] == (
        "w (ward), 2023 as of 2024-01-31: t 1"
    )
    noon = datetime(2024, 1, 31, 12, 0)
    assert assessment(as_of=noon).explain().splitlines()[0] == (
        "w (ward), 2023 as of 2024-01-31 12:00:00: t 1"
    )


def test_assessments_are_values() -> None:
    assert assessment() == assessment()
    assert assessment() != attrs.evolve(assessment(), unit="x")


# -- RuleTrace -------------------------------------------------------------------------------


def test_render_indents_children_and_cites_evidence_at_the_leaves() -> None:
    period = Period.parse("2023")
    leaf = RuleTrace(
        "compare",
        "crimes <= 3",
        NOT_MET,
        "crimes in 2023 is 5, needs <= 3",
        values=(ComparedValue("crimes", period, 5),),
        evidence=("r1",),
    )
    area = RuleTrace(
        "flag", "hq_ok is true", MET, "hq_ok in 2023 is true", evidence=("r2",), unit="a1"
    )
    root = RuleTrace(
        "all",
        "all of: (crimes <= 3; hq_ok is true)",
        NOT_MET,
        "crimes in 2023 is 5, needs <= 3",
        evidence=("r1", "r2"),
        children=(leaf, area),
    )
    assert root.render() == (
        "- all of: (crimes <= 3; hq_ok is true): not met (crimes in 2023 is 5, needs <= 3)\n"
        "  - crimes <= 3: not met (crimes in 2023 is 5, needs <= 3) [evidence: r1]\n"
        "  - [a1] hq_ok is true: met (hq_ok in 2023 is true) [evidence: r2]"
    )
    assert leaf.render(indent=2) == (
        "    - crimes <= 3: not met (crimes in 2023 is 5, needs <= 3) [evidence: r1]"
    )


def test_render_of_a_leaf_without_evidence() -> None:
    trace = RuleTrace("compare", "crimes <= 3", UNKNOWN, "no evidence for crimes in 2023")
    assert trace.render() == (
        "- crimes <= 3: insufficient evidence (no evidence for crimes in 2023)"
    )
