"""rollout/_serialization_hooks.py: problems structured with every problem listed; plans
round-trip through the converter and JSON, with a summary of the derived figures."""

from __future__ import annotations

import json

import pytest

from modelunit.errors import InvalidProblemError
from modelunit.rollout import STRATEGIES, RolloutPlan, RolloutProblem, plan
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
