"""Regression tests for the planner escapes the fuzz suite found (P1-P5), each the
smallest reproducer of its finding; the fuzz suite now fails on any relapse."""

from __future__ import annotations

import unicodedata

import pytest

from modelunit.errors import ModelUnitError
from modelunit.rollout import (
    MappingRow,
    MergeRule,
    Milestone,
    Rebase,
    Region,
    RolloutPlan,
    RolloutProblem,
    plan,
    rebase_recognised,
)
from modelunit.scenarios import load_scenario
from modelunit.serialization import structure, unstructure
from tests.fuzz.checks import time_limit


def test_p1_a_plan_from_data_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ModelUnitError):
        structure([], RolloutPlan)


def test_p2_a_plan_whose_allocation_misses_a_year_is_refused() -> None:
    data = unstructure(plan(load_scenario("national-2027-2030").problem))
    del data["regions"][0]["new"][0]
    with pytest.raises(ModelUnitError):
        structure(data, RolloutPlan)


def test_p3_a_problem_with_an_unprintable_field_name_has_a_printable_error() -> None:
    data = {"\ud800": 1, "regions": [], "milestones": [], "start": 2026, "end": 2026}
    with pytest.raises(ModelUnitError) as info:
        structure(data, RolloutProblem)
    str(info.value).encode("utf-8")


def test_p3_a_merge_rule_with_an_unprintable_threshold_has_a_printable_error() -> None:
    with pytest.raises(ModelUnitError) as info:
        MergeRule("share", "\ud800")
    str(info.value).encode("utf-8")


def test_p4_a_region_of_2_to_the_62_units_is_planned_or_refused() -> None:
    # The review's B1: "no national capacity" is the sentinel 1 << 60 in rollout._compile.
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


def test_p5_a_plan_of_a_region_whose_name_is_not_text_round_trips() -> None:
    data = unstructure(load_scenario("national-2027-2030"))["problem"]
    data["regions"][0]["name"] = ["Hà Nội"]
    try:
        problem = structure(data, RolloutProblem)
    except ModelUnitError:
        return  # refused: fixed
    result = plan(problem)
    assert structure(unstructure(result), RolloutPlan) == result


def test_p5_a_rebase_of_rows_with_a_lone_surrogate_round_trips() -> None:
    rows = [MappingRow("w\ud800", "N1", "A", "X")]
    try:
        result = rebase_recognised(rows, [])
    except ModelUnitError:
        return  # refused: fixed
    assert structure(unstructure(result), Rebase) == result


def test_p5_a_plan_of_a_region_whose_name_is_in_nfd_round_trips() -> None:
    data = unstructure(load_scenario("national-2027-2030"))["problem"]
    data["regions"][0]["name"] = unicodedata.normalize("NFD", "Hà Nội")
    result = plan(structure(data, RolloutProblem))
    assert structure(unstructure(result), RolloutPlan) == result


def test_a_plan_whose_regions_are_in_another_order_than_the_problems_round_trips() -> None:
    # Found by the fuzz campaign, in the first fix of P2: a plan lists its regions in
    # its own order (by id), which need not be the problem's.
    problem = RolloutProblem(
        regions=[Region("B", total=4, capacity=2), Region("A", total=2, capacity=2)],
        milestones=[Milestone(2027, "50%")],
        start=2026,
        end=2027,
    )
    result = plan(problem)
    assert structure(unstructure(result), RolloutPlan) == result


def test_a_plan_without_one_of_the_problems_regions_is_refused() -> None:
    data = unstructure(plan(load_scenario("national-2027-2030").problem))
    dropped = data["regions"].pop(0)["region"]
    with pytest.raises(ModelUnitError, match=f"the problem has .*'{dropped}'"):
        structure(data, RolloutPlan)


@pytest.mark.parametrize("text", ["x" * 10_001, "a\ud800"], ids=["too long", "lone surrogate"])
def test_a_region_id_or_name_no_file_could_hold_is_refused(text: str) -> None:
    # Found by the fuzz campaign: a region id of 10,002 characters was planned, and the
    # plan's JSON was then refused (text read from a file is at most MAX_TEXT).
    for region in (Region(text, total=2), Region("A", text, total=2)):
        with pytest.raises(ModelUnitError, match=r"at most 10,000|lone surrogate"):
            RolloutProblem(regions=[region], milestones=[Milestone(2026, 1)], start=2026, end=2026)
