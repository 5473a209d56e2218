"""The problem model: validation lists every problem at once; targets are exact."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from modelunit.errors import InfeasiblePlanError, InvalidProblemError
from modelunit.rollout import (
    Milestone,
    Region,
    RolloutPlan,
    RolloutProblem,
    apportion,
    diagnose,
    exact_target,
    plan,
)
from modelunit.serialization import from_json, structure, to_json, unstructure


def test_thirty_percent_of_249_wards_is_75():
    assert exact_target(Fraction(3, 10), 249) == 75
    p = RolloutProblem(
        regions=[Region("HCM", total=249)],
        milestones=[Milestone(2025, "30%")],
        start=2025,
        end=2025,
    )
    assert p.target("HCM", 2025) == 75


@pytest.mark.parametrize(
    ("share", "total", "expected"),
    [
        ("7%", 100, 7),  # 0.07 * 100 == 7.000000000000001
        ("14%", 100, 14),  # 0.14 * 100 == 14.000000000000002
        ("0.57", 100, 57),  # 0.57 * 100 == 56.99999999999999 (fine up, wrong down)
        ("1/3", 3, 1),
        ("1/3", 4, 2),
        ("50%", 21, 11),
        ("0", 7, 0),
        ("1", 7, 7),
    ],
)
def test_exact_rounding_where_floats_go_wrong(share, total, expected):
    m = Milestone(2025, share)
    assert exact_target(m.share, total) == expected
    assert math.ceil(m.share * total) == expected


def test_float_products_really_do_round_the_wrong_way():
    # The cases above are meaningful: naive float code gets them wrong.
    assert math.ceil(0.07 * 100) == 8
    assert math.ceil(0.14 * 100) == 15


def test_every_problem_is_listed_at_once_with_paths_and_values():
    with pytest.raises(InvalidProblemError) as info:
        RolloutProblem(
            regions=[
                Region("A", total=-3),
                Region("B", total=5, recognised=7, capacity=2.5),  # type: ignore[arg-type]
                Region("B", total=5, capacity_by_year={2040: 1}),
                Region("C", total=5, cost="free"),  # type: ignore[arg-type]
            ],
            milestones=[
                Milestone(2031, "30%"),
                Milestone(2026, "150%"),
                Milestone(2027, "50%", stretch="30%"),
                Milestone(2027, "30%", region="Z"),
                Milestone(2028, "30%"),
                Milestone(2028, "40%"),
                Milestone(2029, "lots"),
            ],
            start=2026,
            end=2030,
            national_cap=-1,
        )
    paths = [(p.path, p.message) for p in info.value.problems]
    assert paths == [
        ("regions[0].total", "-3 is negative"),
        ("regions[1].recognised", "7 recognised is more than the 5 units in total"),
        ("regions[1].capacity", "expected a whole number, got 2.5"),
        ("regions[2].id", "duplicate region id 'B' (also regions[1])"),
        ("regions[2].capacity_by_year[2040]", "year 2040 is outside the horizon 2026-2030"),
        ("regions[3].cost", "expected a non-negative cost, got 'free'"),
        ("milestones[0].year", "2031 is after the end of the horizon (2030)"),
        ("milestones[1].share", "3/2 is outside 0..1"),
        ("milestones[2].stretch", "stretch 3/10 is below the floor 1/2: contradictory"),
        ("milestones[3].region", "unknown region id 'Z'"),
        (
            "milestones[5].share",
            "2/5 contradicts milestones[4] (3/10) for the same national scope and year 2028",
        ),
        ("milestones[6].share", "expected a share such as '30%' or '3/10', got 'lots'"),
        ("national_cap", "-1 is negative"),
    ]
    assert info.value.problems[1].record == "B"
    assert isinstance(info.value, ValueError)


def test_horizon_errors():
    with pytest.raises(InvalidProblemError, match="end 2025 is before start 2027"):
        RolloutProblem(regions=[], milestones=[], start=2027, end=2025)
    with pytest.raises(InvalidProblemError, match="13 years planned; at most 12"):
        RolloutProblem(regions=[], milestones=[], start=2020, end=2032)


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
        ("regions[1].wards", "unknown field 'wards'"),
        ("regions[0].recognised", "4 recognised is more than the 3 units in total"),
        ("regions[1].total", "expected a whole number, got 2.5"),
    ]


def _national() -> RolloutProblem:
    return RolloutProblem(
        regions=[
            Region(
                "HCM", "Hồ Chí Minh", total=249, recognised=30, capacity=60, cost=Decimal("1.5")
            ),
            Region("HY", "Hưng Yên", total=20, recognised=2, capacity=8, minimum=1),
            Region("PY", "Phú Yên", total=21, recognised=0, capacity_by_year={2025: 7}),
        ],
        milestones=[
            Milestone(2024, "10%"),
            Milestone(2025, "30%", stretch="50%"),
            Milestone(2025, "50%", region="HY"),
            Milestone(2028, "100%", region="HY"),
            Milestone(2029, "100%", region="HCM"),
            Milestone(2030, 1),
        ],
        start=2025,
        end=2030,
        national_cap=80,
        national_cap_by_year={2025: 70},
    )


@pytest.mark.parametrize("strategy", ["earliest", "latest", "level", "proportional"])
def test_plans_round_trip_through_the_converter_and_json(strategy):
    p = plan(_national(), strategy, method="webster")
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


def test_infeasible_plan_round_trips_and_strict_raises():
    problem = RolloutProblem(
        regions=[Region("A", total=40, capacity=4)],
        milestones=[Milestone(2025, "30%"), Milestone(2022, "10%")],
        start=2024,
        end=2025,
    )
    p = plan(problem)
    assert not p.feasible
    assert structure(unstructure(p), RolloutPlan) == p
    with pytest.raises(InfeasiblePlanError) as info:
        plan(problem, strict=True)
    assert info.value.diagnosis == p.diagnosis
    assert p.diagnosis.explain().splitlines() == [
        "infeasible:",
        "  - A: needed 4 by 2022 (before the horizon), 0 recognised at the baseline: "
        "short by 4; reachable in 2024",
        "  - A: needs 12 by 2025, at most 8 reachable: short by 4; not reachable by 2025",
        "  - add capacity: A +4 in 2025",
    ]
    assert p.at_risk() == {
        "A": (
            "A 2022: 0/40 (needs 4): MISSED by 4 (before the horizon, at the baseline)",
            "A 2025: 8/40 (needs 12): MISSED by 4",
            "A: needed 4 by 2022 (before the horizon), 0 recognised at the baseline: "
            "short by 4; reachable in 2024",
            "A: needs 12 by 2025, at most 8 reachable: short by 4; not reachable by 2025",
        )
    }


def test_national_example_exact_values():
    problem = _national()
    p = plan(problem, "level")
    assert p.feasible
    assert p.years == (2025, 2026, 2027, 2028, 2029, 2030)
    # HCM needs 219 more by 2029 at 60 a year; HY 18 by 2028 with 9 of them by 2025.
    assert p.region("HCM").cumulative[4] == 249
    assert p.region("HY").cumulative[0] >= 10
    assert p.peak == max(p.national)
    assert p.cost == tuple(Decimal("1.5") * v for v in p.region("HCM").new)
    early = plan(problem, "earliest")
    assert early.national[0] == 70  # national cap in 2025
    assert plan(problem, "latest").region("HCM").new[-1] == 0


def test_national_cap_shortfall_is_diagnosed():
    problem = RolloutProblem(
        regions=[Region("A", total=10), Region("B", total=10)],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
        national_cap=8,
    )
    d = diagnose(problem)
    assert not d.feasible
    assert [s.message() for s in d.shortfalls] == [
        "national: needs 20 by 2026, at most 16 reachable: short by 4"
    ]
    assert [(c.region, c.year, c.units) for c in d.extra_capacity] == [(None, 2026, 4)]


def test_unknown_strategy_or_method_is_refused():
    problem = _national()
    with pytest.raises(ValueError, match="unknown strategy 'fastest'"):
        plan(problem, "fastest")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown apportionment method 'borda'"):
        plan(problem, "proportional", method="borda")  # type: ignore[arg-type]


def test_edge_cases_empty_and_zero_ward_regions():
    empty = RolloutProblem(regions=[], milestones=[Milestone(2030, 1)], start=2030, end=2030)
    p = plan(empty)
    assert p.feasible
    assert p.national == (0,)
    zero = RolloutProblem(
        regions=[Region("Z", total=0), Region("A", total=3, capacity=3)],
        milestones=[Milestone(2026, 1)],
        start=2026,
        end=2026,
    )
    for strategy in ("earliest", "latest", "level", "proportional"):
        q = plan(zero, strategy)
        assert q.feasible
        assert q.region("Z").new == (0,)
        assert q.region("Z").share == (Fraction(1),)
        assert q.region("A").new == (3,)
    assert "Z" in plan(zero).to_table()


@pytest.mark.parametrize("method", ["largest_remainder", "webster", "dhondt"])
def test_proportional_shares_each_year_by_remaining_work(method):
    problem = RolloutProblem(
        regions=[Region("A", total=30), Region("B", total=10)],
        milestones=[Milestone(2028, 1)],
        start=2026,
        end=2028,
    )
    level = plan(problem, "level")
    assert level.national == (13, 13, 14)
    p = plan(problem, "proportional", method=method)
    assert p.national == level.national
    remaining = [30, 10]
    for t in range(3):
        expected = apportion(p.national[t], remaining, method)
        assert [p.region("A").new[t], p.region("B").new[t]] == expected
        remaining = [w - e for w, e in zip(remaining, expected, strict=True)]
    assert p.method == method


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


def test_plan_repr_is_short():
    p = plan(_national())
    assert repr(p) == "RolloutPlan(strategy='level', method=None, stretch=True, feasible=True)"


def test_at_risk_lists_floors_met_without_spare_capacity():
    problem = RolloutProblem(
        regions=[
            Region("T", total=10, recognised=0, capacity=5),
            Region("L", total=10, recognised=0, capacity=9),
            Region("U", total=10, recognised=0),
        ],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
    )
    p = plan(problem)
    assert p.at_risk(slack=0) == {"T": ("T 2026: needs 10, capacity reaches 10: 0 to spare",)}
    assert p.at_risk() == {}
    assert set(p.at_risk(slack=8)) == {"L", "T"}  # "U" has no capacity limit
