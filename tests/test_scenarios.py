"""Bundled planning scenarios: figures from the bundled geography, assumptions stated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from modelunit.errors import InvalidProblemError
from modelunit.geography import load_geography
from modelunit.rollout import plan
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
