"""Bundled planning scenarios: figures from the bundled geography, assumptions stated."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from modelunit.errors import (
    InvalidArgumentError,
    InvalidProblemError,
    InvalidValueError,
    UnknownRegionError,
)
from modelunit.geography import load_geography
from modelunit.rollout import Milestone, Region, RolloutProblem, plan
from modelunit.scenarios import Scenario, list_scenarios, load_scenario
from modelunit.serialization import structure, unstructure

ROOT = Path(__file__).resolve().parent.parent


def test_national_2027_matches_the_2025_map() -> None:
    s = load_scenario("national-2027-2030")
    geo = load_geography("2025")
    assert {r.id: r.total for r in s.problem.regions} == {p.code: p.wards for p in geo.provinces}
    hcm = s.problem.region("79")
    # 30% of 113 is 33.9: 34 recognised at the baseline; 25% of 113 is 28.25: capacity 29.
    assert (hcm.name, hcm.total, hcm.recognised, hcm.capacity) == ("Hồ Chí Minh", 113, 34, 29)
    assert s.problem.target("79", 2029) == 113
    assert len(s.assumptions) == 4


def test_national_2027_is_feasible_and_meets_every_floor() -> None:
    result = plan(load_scenario("national-2027-2030").problem, "level")
    assert result.feasible
    assert result.missed == ()
    assert sum(result.national) == 687 - sum(r.recognised for r in result.regions)


def test_replay_on_63_provinces_shows_hung_yen_short() -> None:
    s = load_scenario("national-2024-2030-63")
    assert len(s.problem.regions) == 63
    assert sum(r.total for r in s.problem.regions) == 1726
    result = plan(s.problem, "level")
    assert not result.feasible
    assert list(result.at_risk()) == ["33"]


def test_round_trip() -> None:
    s = load_scenario("national-2027-2030")
    assert structure(unstructure(s), Scenario) == s


def test_bare_problem_file_is_a_scenario(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        '{"regions": [{"id": "A", "total": 4}], "milestones": [], "start": 2027, "end": 2028}',
        encoding="utf-8",
    )
    s = load_scenario(path)
    assert (s.id, len(s.problem.regions)) == ("p", 1)


def test_bad_problem_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        '{"regions": [{"id": "A", "total": -4, "recognised": 2}], '
        '"milestones": [{"year": 2040, "share": "2"}], "start": 2027, "end": 2028}',
        encoding="utf-8",
    )
    with pytest.raises(InvalidProblemError) as info:
        load_scenario(path)
    assert str(path) in str(info.value)
    assert len(info.value.problems) >= 3


def test_bundled_files_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_scenarios.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_listed() -> None:
    assert list_scenarios() == ("national-2024-2030-63", "national-2027-2030")


def test_a_bare_problem_file_reports_its_own_paths_and_the_closest_field(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'start = 2026\nend = 2030\n[[regions]]\nid = "A"\ntotal = 10\nrecognized = 2\n'
        '[[milestones]]\nyear = 2030\nshare = "100%"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidProblemError) as info:
        load_scenario(path)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("regions[0].recognized", "unexpected field(s): recognized (did you mean 'recognised'?)")
    ]
    assert info.value.source == str(path)


def test_a_bare_problem_file_is_a_scenario_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "my-problem.json"
    path.write_text(
        '{"start": 2027, "end": 2028, "regions": [{"id": "A", "total": 2}],'
        ' "milestones": [{"year": 2028, "share": 1}]}',
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert (scenario.id, scenario.assumptions, scenario.problem.regions[0].total) == (
        "my-problem",
        (),
        2,
    )


# -- how a scenario is planned, and its what-ifs -------------------------------------------


def _two() -> Scenario:
    return Scenario(
        id="two",
        title="Two provinces",
        problem=RolloutProblem(
            regions=[
                Region(
                    "01", "Hà Nội", total=10, recognised=2, capacity=5, capacity_by_year={2028: 3}
                ),
                Region("79", "Hồ Chí Minh", total=7, capacity=None),
            ],
            milestones=[
                Milestone(2027, "30%"),
                Milestone(2029, 1),
                Milestone(2028, 1, region="79"),
            ],
            start=2027,
            end=2029,
        ),
        assumptions=("Illustrative.",),
    )


def test_a_scenario_plans_by_its_strategy() -> None:
    s = attrs.evolve(_two(), strategy="earliest", stretch=False)
    assert s.plan() == plan(s.problem, "earliest", stretch=False)
    assert _two().plan() == plan(_two().problem, "level")
    with pytest.raises(
        InvalidValueError, match=r"strategy: expected one of .* did you mean 'level'"
    ):
        attrs.evolve(_two(), strategy="levl")
    with pytest.raises(InvalidValueError, match="p_recognised: expected a probability"):
        attrs.evolve(_two(), p_recognised="120%")
    assert attrs.evolve(_two(), p_recognised="90%").p_recognised == Fraction(9, 10)


def test_strategy_and_success_rate_round_trip_and_read_from_files(tmp_path: Path) -> None:
    s = attrs.evolve(_two(), strategy="latest", p_recognised="4/5")
    assert structure(unstructure(s), Scenario) == s
    data = unstructure(s)
    assert (data["strategy"], data["p_recognised"]) == ("latest", "4/5")
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**data, "strategy": "fastest"}), encoding="utf-8")
    with pytest.raises(InvalidProblemError, match="strategy"):
        load_scenario(path)


def test_what_if_capacity_of_one_region_or_all() -> None:
    one = _two().what_if(capacity={"01": 2})
    assert one.problem.region("01").capacity == 2
    assert one.problem.region("01").capacity_by_year == {}  # per-year capacities dropped
    assert one.problem.region("79") == _two().problem.region("79")
    assert one.id == "two | capacity[01]=2"
    assert one.title == "Two provinces; what if: capacity[01]=2"
    assert one.assumptions == (
        "Illustrative.",
        "What if: Hà Nội (01) can bring at most 2 wards a year up to standard (was 5).",
    )
    free = _two().what_if(capacity={"01": None})
    assert free.problem.region("01").capacity is None
    assert free.assumptions[-1].endswith("as many wards as it has a year up to standard (was 5).")
    every = _two().what_if(capacity=3, id="three")
    assert [r.capacity for r in every.problem.regions] == [3, 3]
    assert every.id == "three"


def test_what_if_capacity_scale_rounds_down_and_keeps_unlimited_capacities() -> None:
    s = _two().what_if(capacity_scale="50%")
    hanoi = s.problem.region("01")
    assert (hanoi.capacity, hanoi.capacity_by_year) == (2, {2028: 1})  # 2.5 -> 2, 1.5 -> 1
    assert s.problem.region("79").capacity is None
    assert s.assumptions[-1] == (
        "What if: every region's yearly capacity is 50% of the base scenario's (rounded down)."
    )
    one = _two().what_if(capacity_scale={"01": "4/5"})
    assert one.problem.region("01").capacity == 4
    assert one.id == "two | capacity_scale[01]=4/5"


def test_what_if_baseline_target_year_cap_success_rate_and_strategy() -> None:
    s = _two().what_if(baseline="50%")
    assert [r.recognised for r in s.problem.regions] == [5, 4]  # 3.5 rounds up
    counts = _two().what_if(baseline={"79": 3})
    assert counts.problem.region("79").recognised == 3
    assert (
        counts.assumptions[-1]
        == "What if: Hồ Chí Minh (79) has 3 wards recognised at the baseline (was 0)."
    )
    early = _two().what_if(target_year=2028)
    assert sorted((m.year, m.share, m.region or "") for m in early.problem.milestones) == [
        (2027, Fraction(3, 10), ""),
        (2028, Fraction(1), ""),
        (2028, Fraction(1), "79"),
    ]
    assert (
        early.assumptions[-1]
        == "What if: the last national milestone (100%) falls due in 2028 (was 2029)."
    )
    capped = _two().what_if(national_capacity=4)
    assert capped.problem.national_capacity == 4
    odds = _two().what_if(p_recognised="85%", strategy="earliest")
    assert (odds.p_recognised, odds.strategy) == (Fraction(17, 20), "earliest")
    assert odds.id == "two | p_recognised=17/20, strategy=earliest"
    assert odds.assumptions[-2:] == (
        "What if: a ward taken on is recognised within its year with probability 85%.",
        "What if: planned with the 'earliest' strategy.",
    )


def test_what_if_refuses_bad_changes_with_typed_errors() -> None:
    with pytest.raises(UnknownRegionError, match="unknown region '97'; known: 01, 79"):
        _two().what_if(capacity={"97": 3})
    with pytest.raises(InvalidArgumentError, match=r"capacity\[01\]: expected a whole number"):
        _two().what_if(capacity={"01": -1})
    with pytest.raises(InvalidArgumentError, match="capacity: expected a whole number"):
        _two().what_if(capacity=2.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="capacity_scale: "):
        _two().what_if(capacity_scale="lots")
    with pytest.raises(InvalidArgumentError, match=r"baseline: expected a share in 0\.\.1"):
        _two().what_if(baseline="150%")
    with pytest.raises(InvalidArgumentError, match="p_recognised: "):
        _two().what_if(p_recognised=2)
    with pytest.raises(InvalidArgumentError, match="unknown strategy 'fast'"):
        _two().what_if(strategy="fast")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="needs at least one change"):
        _two().what_if()
    with pytest.raises(InvalidProblemError, match="after the end of the horizon"):
        _two().what_if(target_year=2031)
    bare = attrs.evolve(_two(), problem=attrs.evolve(_two().problem, milestones=()))
    with pytest.raises(InvalidArgumentError, match="no national milestone"):
        bare.what_if(target_year=2028)
