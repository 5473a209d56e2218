"""One strict ``xfail`` reproducer per open finding of the fuzz suite
(:mod:`tests.fuzz.open_findings`): each fails today, as it should not; when it is fixed
its test passes, which ``xfail_strict`` turns into a failure: then remove the
reproducer here and the finding there (the fuzz suite then fails on any relapse).
"""

from __future__ import annotations

import unicodedata

import pytest

from modelunit.errors import ModelUnitError
from modelunit.rollout import (
    MappingRow,
    MergeRule,
    Rebase,
    RolloutPlan,
    RolloutProblem,
    plan,
    rebase_recognised,
)
from modelunit.scenarios import load_scenario
from modelunit.serialization import structure, unstructure
from tests.fuzz.checks import HangError, time_limit


@pytest.mark.xfail(strict=True, raises=AttributeError, reason="open finding P1 (planner)")
def test_p1_a_plan_from_data_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ModelUnitError):
        structure([], RolloutPlan)


@pytest.mark.xfail(
    strict=True, raises=pytest.fail.Exception, reason="open finding P2 (planner): accepted"
)
def test_p2_a_plan_whose_allocation_misses_a_year_is_refused() -> None:
    data = unstructure(plan(load_scenario("national-2027-2030").problem))
    del data["regions"][0]["new"][0]
    with pytest.raises(ModelUnitError):
        structure(data, RolloutPlan)


@pytest.mark.xfail(strict=True, raises=UnicodeEncodeError, reason="open finding P3 (planner)")
def test_p3_a_problem_with_an_unprintable_field_name_has_a_printable_error() -> None:
    data = {"\ud800": 1, "regions": [], "milestones": [], "start": 2026, "end": 2026}
    with pytest.raises(ModelUnitError) as info:
        structure(data, RolloutProblem)
    str(info.value).encode("utf-8")


@pytest.mark.xfail(strict=True, raises=UnicodeEncodeError, reason="open finding P3 (planner)")
def test_p3_a_merge_rule_with_an_unprintable_threshold_has_a_printable_error() -> None:
    with pytest.raises(ModelUnitError) as info:
        MergeRule("share", "\ud800")
    str(info.value).encode("utf-8")


@pytest.mark.xfail(strict=True, raises=HangError, reason="open finding P4 (planner): a hang")
def test_p4_a_region_of_2_to_the_62_units_is_planned_or_refused() -> None:
    # The review's B1: "no national cap" is the sentinel 1 << 60 in rollout._compile.
    data = {
        "regions": [{"id": "A", "total": 2**62}],
        "milestones": [{"year": 2026, "share": "50%"}],
        "start": 2026,
        "end": 2027,
    }
    try:
        problem = structure(data, RolloutProblem)
    except ModelUnitError:
        return  # refused: fixed
    with time_limit(2):
        plan(problem, "level")


@pytest.mark.xfail(
    strict=True, raises=ModelUnitError, reason="open finding P5 (planner): B7, a name not text"
)
def test_p5_a_plan_of_a_region_whose_name_is_not_text_round_trips() -> None:
    data = unstructure(load_scenario("national-2027-2030"))["problem"]
    data["regions"][0]["name"] = ["Hà Nội"]
    try:
        problem = structure(data, RolloutProblem)
    except ModelUnitError:
        return  # refused: fixed
    result = plan(problem)
    assert structure(unstructure(result), RolloutPlan) == result


@pytest.mark.xfail(
    strict=True, raises=ModelUnitError, reason="open finding P5 (planner): ids not valid text"
)
def test_p5_a_rebase_of_rows_with_a_lone_surrogate_round_trips() -> None:
    rows = [MappingRow("w\ud800", "N1", "A", "X")]
    try:
        result = rebase_recognised(rows, [])
    except ModelUnitError:
        return  # refused: fixed
    assert structure(unstructure(result), Rebase) == result


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="open finding P5 (planner): names not in NFC"
)
def test_p5_a_plan_of_a_region_whose_name_is_in_nfd_round_trips() -> None:
    data = unstructure(load_scenario("national-2027-2030"))["problem"]
    data["regions"][0]["name"] = unicodedata.normalize("NFD", "Hà Nội")
    result = plan(structure(data, RolloutProblem))
    assert structure(unstructure(result), RolloutPlan) == result
