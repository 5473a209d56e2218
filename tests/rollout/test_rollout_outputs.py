"""Plan JSON carries the derived figures; the bundled 2025 mapping feeds re-basing."""

from __future__ import annotations

import json
from fractions import Fraction

from modelunit.geography import recognised_on_2025_map, ward_mapping_rows
from modelunit.rollout import MergeRule, RolloutPlan, plan
from modelunit.scenarios import load_scenario
from modelunit.serialization import from_json, to_json


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


def test_ward_rows_cover_every_old_ward_that_stayed_a_ward() -> None:
    rows = ward_mapping_rows()
    # 1,726 old wards: all but 2 became (part of) at least one new ward; every one of
    # the 687 new wards has an old ward among its parts; splits give extra rows.
    assert len(rows) == 1981
    assert len({r.old_unit for r in rows}) == 1724
    assert len({r.new_unit for r in rows}) == 687
    assert len({r.old_region for r in rows}) == 63
    assert len({r.new_region for r in rows}) == 34


def test_merge_rule_decides_merged_wards() -> None:
    strict = recognised_on_2025_map(["00019"], MergeRule("all"))
    lenient = recognised_on_2025_map(["00019"], MergeRule("any"))
    assert strict["01"] == (51, 0)
    assert lenient["01"] == (51, 4)
    assert sum(t for t, _ in strict.values()) == 687


def test_milestones_from_targets_refuse_conflicts_and_registrations() -> None:
    import pytest

    from modelunit.errors import InvalidProblemError
    from modelunit.rollout import milestones_from_targets
    from modelunit.targets import load_targets

    hcmc = [t for t in load_targets() if t.province_code == "79" and t.year == 2025]
    with pytest.raises(InvalidProblemError) as info:
        milestones_from_targets(hcmc)
    messages = [p.message for p in info.value.problems]
    assert any("conflicts with" in m for m in messages)
    chosen = [t for t in hcmc if t.id == "hcmc-2023-plan-2025"]
    assert [(m.year, m.share, m.region) for m in milestones_from_targets(chosen)] == [
        (2025, Fraction(3, 10), "79")
    ]
    registrations = [t for t in load_targets() if t.kind == "registered"]
    with pytest.raises(InvalidProblemError, match="registration"):
        milestones_from_targets(registrations)
