"""rollout/_serialization_hooks.py: problems structured with every problem listed; plans
round-trip through the converter and JSON, with a summary of the derived figures."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.errors import InvalidMappingError, InvalidProblemError
from modelunit.rollout import (
    STRATEGIES,
    MergeRule,
    Milestone,
    Region,
    RolloutPlan,
    RolloutProblem,
    plan,
)
from modelunit.scenarios import load_scenario
from modelunit.serialization import from_json, structure, to_json, unstructure
from tests.rollout.examples import national_problem


def test_structure_raises_the_problem_error_with_paths():
    data = {
        "regions": [
            {"id": "A", "total": 3, "recognised": 4},
            {"id": "B", "total": 2.5, "wards": 3, "capacity_by_year": {"2027": 1}},
        ],
        "milestones": [{"year": 2030, "share": "1"}],
        "start": 2027,
        "end": 2030,
    }
    with pytest.raises(InvalidProblemError) as info:
        structure(data, RolloutProblem)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("regions[1].wards", "unexpected field(s): wards"),
        ("regions[0].recognised", "4 recognised is more than the 3 units in total"),
        ("regions[1].total", "expected a whole number, got 2.5"),
    ]


def test_structure_reports_missing_fields_once():
    data = {
        "regions": [{"name": "no id"}, {"id": "B", "total": 2}],
        "milestones": [{"year": 2027}],
        "start": 2027,
        "end": 2027,
    }
    with pytest.raises(InvalidProblemError) as info:
        structure(data, RolloutProblem)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("regions[0].id", "missing field"),
        ("regions[0].total", "missing field"),
        ("milestones[0].share", "missing field"),
    ]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_plans_round_trip_through_the_converter_and_json(strategy):
    p = plan(national_problem(), strategy, method="webster")
    assert structure(unstructure(p), RolloutPlan) == p
    assert from_json(to_json(p), RolloutPlan) == p
    assert structure(unstructure(p.problem), RolloutProblem) == p.problem
    for part in (
        p.diagnosis,
        p.checks[0],
        p.regions[0],
        p.problem.regions[0],
        p.problem.milestones[1],
    ):
        assert structure(unstructure(part), type(part)) == part


def test_plan_json_has_a_summary_and_reads_back() -> None:
    result = plan(load_scenario("national-2027-2030").problem, "level")
    data = json.loads(to_json(result))
    summary = data["summary"]
    assert summary["years"] == [2027, 2028, 2029, 2030]
    assert summary["national"] == list(result.national)
    assert summary["peak"] == result.peak
    assert summary["regions"]["79"]["cumulative"][-1] == 113
    assert summary["regions"]["79"]["share"][-1] == "1"
    assert len(summary["checks"]) == len(result.checks)
    assert all(c["met"] for c in summary["checks"])
    assert summary["missed"] == 0
    assert from_json(to_json(result), RolloutPlan) == result


def _problems(data: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidProblemError) as info:
        structure(data, RolloutProblem)
    return [(p.path, p.message) for p in info.value.problems]


def _data(**region: object) -> dict[str, object]:
    return {
        "regions": [{"id": "A", "total": 10, **region}],
        "milestones": [{"year": 2026, "share": "50%"}],
        "start": 2026,
        "end": 2027,
    }


def test_json_year_keys_become_years_and_anything_else_is_reported():
    read = structure(_data(capacity_by_year={"2026": 3}, quota_by_year={"2027": 1}), RolloutProblem)
    assert read.regions[0].capacity_by_year == {2026: 3}
    assert read.regions[0].quota_by_year == {2027: 1}
    data = _data(capacity_by_year={"abc": 1, " 2026": 2, "２０２６": 3, "+2026": 4})
    data["national_capacity_by_year"] = {"2026": 5, "2026.0": 6}
    assert _problems(data) == [
        ("regions[0].capacity_by_year[' 2026']", "expected a year, got ' 2026'"),
        ("regions[0].capacity_by_year['+2026']", "expected a year, got '+2026'"),
        ("regions[0].capacity_by_year['abc']", "expected a year, got 'abc'"),
        ("regions[0].capacity_by_year['２０２６']", "expected a year, got '２０２６'"),
        ("national_capacity_by_year['2026.0']", "expected a year, got '2026.0'"),
    ]


def test_a_year_given_twice_is_reported():
    # JSON keys are always text; from Python, 2026 and "2026" would silently collide.
    assert _problems(_data(capacity_by_year={"2026": 1, 2026: 2})) == [
        ("regions[0].capacity_by_year[2026]", "year 2026 given twice"),
    ]


def test_unknown_fields_name_the_closest_known_one():
    data = _data(recognized=3)
    data["milestone"] = []
    data["milestones"] = [{"year": 2026, "share": "50%", "regoin": "A"}]
    assert _problems(data) == [
        ("milestone", "unexpected field(s): milestone (did you mean 'milestones'?)"),
        ("regions[0].recognized", "unexpected field(s): recognized (did you mean 'recognised'?)"),
        ("milestones[0].regoin", "unexpected field(s): regoin (did you mean 'region'?)"),
    ]
    assert _problems(_data(colour="red")) == [("regions[0].colour", "unexpected field(s): colour")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", None, "expected text, got None"),  # B7: read back as "None" before
        ("name", 5, "expected text, got 5"),
        ("name", ["x"], "expected text, got ['x']"),
        ("name", {"vi": "x"}, "expected text, got {'vi': 'x'}"),
        ("total", "10", "expected a whole number, got '10'"),
        ("total", 10.0, "expected a whole number, got 10.0"),
        ("total", True, "expected a whole number, got True"),
        ("id", 7, "expected a non-empty text id, got 7"),
        ("cost", "1e999999999%", "expected a non-negative decimal cost, got '1e999999999%'"),
    ],
)
def test_values_are_read_strictly(field, value, message):
    path = f"regions[0].{field}"
    assert (path, message) in _problems(_data(**{field: value}))


def test_lists_may_be_tuples_and_other_shapes_are_reported():
    data = _data()
    data["regions"] = tuple(data["regions"])  # type: ignore[arg-type]
    assert structure(data, RolloutProblem).regions[0].id == "A"
    data["regions"] = "A"
    assert _problems(data) == [("regions", "expected a list of regions, got 'A'")]


NAMES = [
    "",
    "Hồ Chí Minh",
    unicodedata.normalize("NFD", "Điện Biên"),  # read as NFC, like ids
    "Thành phố Huế \u200b",
    "x" * 300,
]


@pytest.mark.parametrize("name", NAMES)
def test_plans_with_unusual_names_round_trip(name):
    problem = RolloutProblem(
        regions=[Region("A", name, total=4, capacity=2), Region("B", "B", total=2)],
        milestones=[Milestone(2027, 1)],
        start=2026,
        end=2027,
    )
    p = plan(problem)
    assert p.region("A").name == unicodedata.normalize("NFC", name)  # names are NFC
    assert structure(unstructure(p), RolloutPlan) == p
    assert from_json(to_json(p), RolloutPlan) == p


@given(st.text(max_size=20))
def test_plans_round_trip_with_any_text_as_a_name(name):
    problem = RolloutProblem(
        regions=[Region("A", name, total=3)], milestones=[Milestone(2027, 1)], start=2027, end=2027
    )
    p = plan(problem)
    assert structure(unstructure(p), RolloutPlan) == p


def test_shapes_that_are_not_objects_are_reported():
    assert _problems([]) == [("", "expected an object, got []")]
    assert _problems({"regions": ["A"], "milestones": [], "start": 2026, "end": 2026}) == [
        ("regions[0]", "expected an object, got 'A'")
    ]
    assert _problems(_data(capacity_by_year=[2026])) == [
        ("regions[0].capacity_by_year", "expected a mapping year -> count, got [2026]")
    ]


def test_a_merge_rule_with_only_an_unknown_field_is_a_mapping_error():
    with pytest.raises(InvalidMappingError) as info:
        structure({"kind": "all", "colour": "red"}, MergeRule)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("rule.colour", "unexpected field(s): colour")
    ]
    with pytest.raises(InvalidMappingError, match="rule: expected an object, got 'all'"):
        structure("all", MergeRule)
