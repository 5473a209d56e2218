"""rollout/problem.py: validation lists every problem at once; targets are exact."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from modelunit.errors import InvalidProblemError, UnknownRegionError
from modelunit.rollout import Milestone, Region, RolloutProblem, exact_target


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
        ("regions[3].cost", "expected a non-negative decimal cost, got 'free'"),
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


@pytest.mark.parametrize("share", ["30%", "3/10", "0.3", 0.3, Fraction(3, 10), Decimal("0.3")])
def test_exact_target_reads_every_share_a_milestone_accepts(share):
    assert exact_target(share, 249) == 75
    assert Milestone(2025, share).share == Fraction(3, 10)


def test_an_unknown_region_names_the_closest_ids() -> None:
    problem = RolloutProblem(
        regions=[Region("HCM", total=3), Region("HY", total=2)], milestones=[], start=2025, end=2025
    )
    with pytest.raises(UnknownRegionError, match="did you mean 'HCM'") as info:
        problem.region("HMC")
    assert isinstance(info.value, KeyError)
    assert info.value.name == "HMC"
    with pytest.raises(UnknownRegionError, match="unknown region 'X'; known: HCM, HY"):
        problem.target("X", 2025)
