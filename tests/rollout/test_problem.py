"""rollout/problem.py: validation lists every problem at once; targets are exact."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest

from modelunit.errors import InvalidProblemError, UnknownRegionError
from modelunit.rollout import Milestone, Region, RolloutProblem, exact_target, plan
from modelunit.rollout import problem as problem_module
from modelunit.rollout.problem import MAX_TOTAL_UNITS, MAX_UNITS


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
            national_capacity=-1,
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
        ("national_capacity", "-1 is negative"),
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


# -- limits (issue 9, B1) ----------------------------------------------------------------


def _one(region: Region | None = None, **changes: object) -> RolloutProblem:
    fields: dict[str, object] = {
        "regions": [region or Region("A", total=10)],
        "milestones": [Milestone(2026, "50%"), Milestone(2027, 1)],
        "start": 2026,
        "end": 2027,
    }
    fields.update(changes)
    return RolloutProblem(**fields)  # type: ignore[arg-type]


def _refusal(build) -> list[tuple[str, str]]:
    with pytest.raises(InvalidProblemError) as info:
        build()
    return [(p.path, p.message) for p in info.value.problems]


def test_a_region_of_2_62_units_is_refused_before_planning():
    # It validated, then plan(..., "level") never returned: a region total above the
    # old "no cap" sentinel (1 << 60) left the distribution searching forever.
    assert _refusal(lambda: _one(Region("A", total=2**62))) == [
        (
            "regions[0].total",
            "4611686018427387904 is more than the limit of 1,000,000,000 units per region "
            "(MAX_UNITS)",
        )
    ]


@pytest.mark.parametrize(
    ("region", "path"),
    [
        (Region("A", total=MAX_UNITS + 1), "regions[0].total"),
        (Region("A", total=5, recognised=MAX_UNITS + 1), "regions[0].recognised"),
        (Region("A", total=5, capacity=MAX_UNITS + 1), "regions[0].capacity"),
        (Region("A", total=5, quota=MAX_UNITS + 1), "regions[0].quota"),
        (
            Region("A", total=5, capacity_by_year={2026: 10**10}),
            "regions[0].capacity_by_year[2026]",
        ),
        (Region("A", total=5, quota_by_year={2027: 10**10}), "regions[0].quota_by_year[2027]"),
    ],
)
def test_every_region_count_is_limited(region, path):
    [(where, message)] = [p for p in _refusal(lambda: _one(region)) if "MAX_UNITS" in p[1]]
    assert where == path
    assert message.endswith("is more than the limit of 1,000,000,000 units per region (MAX_UNITS)")


def test_national_capacitys_and_all_units_together_are_limited():
    too_big = MAX_TOTAL_UNITS + 1
    limit = f"is more than the limit of {MAX_TOTAL_UNITS:,} units in all (MAX_TOTAL_UNITS)"
    refused = _refusal(
        lambda: _one(national_capacity=too_big, national_capacity_by_year={2027: too_big})
    )
    assert refused == [
        ("national_capacity", f"{too_big} {limit}"),
        ("national_capacity_by_year[2027]", f"{too_big} {limit}"),
    ]
    regions = [Region(f"R{i}", total=MAX_UNITS) for i in range(1001)]
    assert _refusal(lambda: _one(regions=regions, milestones=[])) == [
        (
            "regions",
            "1,001,000,000,000 units in all regions; at most 1,000,000,000,000 (MAX_TOTAL_UNITS)",
        )
    ]


def test_regions_years_and_milestone_checks_are_limited(monkeypatch):
    many = [Region(f"R{i:04d}", total=1) for i in range(1025)]
    assert _refusal(lambda: RolloutProblem(regions=many, milestones=[], start=2020, end=2031)) == [
        (
            "regions",
            "1,025 regions over 12 years are too many for the exact oracle: regions x "
            "2**years = 4,198,400, at most 4,194,304 (MAX_ORACLE_SIZE); plan fewer regions "
            "or years",
        )
    ]
    RolloutProblem(regions=many[:1024], milestones=[], start=2020, end=2031)  # at the limit
    # The counts limits are module constants, read at validation: lower them to test.
    monkeypatch.setattr(problem_module, "MAX_REGIONS", 2)
    monkeypatch.setattr(problem_module, "MAX_MILESTONE_CHECKS", 5)
    three = [Region(f"R{i}", total=1) for i in range(3)]
    milestones = [Milestone(2026, "10%"), Milestone(2027, 1), Milestone(2027, 1, region="R1")]
    assert _refusal(lambda: _one(regions=three, milestones=milestones)) == [
        ("regions", "3 regions; at most 2 (MAX_REGIONS)"),
        (
            "milestones",
            "7 milestone checks (each region against every milestone that applies to it); "
            "at most 5 (MAX_MILESTONE_CHECKS)",
        ),
    ]


def test_years_are_calendar_years_and_the_horizon_says_why_it_is_short():
    assert _refusal(lambda: _one(start=0, end=10_000, milestones=[Milestone(0, 1)])) == [
        ("start", "year 0 is outside 1..9999 (MAX_YEAR)"),
        ("end", "year 10000 is outside 1..9999 (MAX_YEAR)"),
        ("milestones[0].year", "year 0 is outside 1..9999 (MAX_YEAR)"),
    ]
    [(path, message)] = _refusal(lambda: _one(start=2020, end=2032, milestones=[]))
    assert path == "end"
    assert message == (
        "13 years planned; at most 12 (MAX_HORIZON_YEARS: the exact coupled oracle "
        "enumerates the 2**years subsets of the planned years)"
    )


@pytest.mark.parametrize("strategy", ["earliest", "latest", "level", "proportional"])
@pytest.mark.parametrize("method", ["largest_remainder", "webster", "dhondt"])
def test_a_region_at_the_limit_plans(strategy, method):
    problem = _one(
        Region("A", total=MAX_UNITS, recognised=1, capacity=MAX_UNITS // 3 + 1),
        milestones=[Milestone(2026, "30%"), Milestone(2028, 1)],
        end=2028,
    )
    p = plan(problem, strategy, method=method)
    assert p.feasible
    assert sum(p.region("A").new) == MAX_UNITS - 1


def test_regions_at_the_limit_plan_under_a_national_capacity():
    # A must finish in the first year, B spreads: the level plan moves B's work out of
    # the first year, in batches (one unit at a time took hours at these counts).
    big = MAX_UNITS
    problem = RolloutProblem(
        regions=[Region("A", total=big), Region("B", total=big), Region("C", total=big // 7)],
        milestones=[Milestone(2026, 1, region="A"), Milestone(2029, 1)],
        start=2026,
        end=2029,
        national_capacity=big + big // 7,
    )
    for strategy in ("level", "proportional"):
        p = plan(problem, strategy, method="webster")
        assert p.feasible
        assert p.region("A").new[0] == big
        assert all(v <= big + big // 7 for v in p.national)
    level = plan(problem, "level")
    assert level.peak == big  # the least peak: A's year
    # A fills 2026 (the peak), so B and C each spread as evenly as can be over the rest.
    assert level.region("A").new == (big, 0, 0, 0)
    assert level.region("B").new == (0, 333_333_333, 333_333_333, 333_333_334)
    assert level.region("C").new == (0, 47_619_047, 47_619_047, 47_619_048)


# -- strict values (issue 9, 3.1 and B7) -----------------------------------------------


def test_regions_and_milestones_must_be_lists():
    assert _refusal(lambda: _one(regions=5, milestones="m")) == [
        ("regions", "expected a list of regions, got 5"),
        ("milestones", "expected a list of milestones, got 'm'"),
    ]
    assert _refusal(lambda: _one(regions=[{"id": "A"}])) == [
        ("regions[0]", "expected a Region, got {'id': 'A'}")
    ]


def test_every_field_is_checked_for_its_type_all_at_once():
    bad: dict[str, object] = {
        "regions": [
            Region(5, None, total=True, recognised=1.0, capacity="3", quota=None, cost=-1),  # type: ignore[arg-type]
            Region("", ["x"], total=2, capacity_by_year=[1], quota_by_year={"abc": 1, 2026: False}),  # type: ignore[arg-type]
        ],
        "milestones": [
            Milestone("2026", True),  # type: ignore[arg-type]
            Milestone(2026.0, "abc", stretch=Decimal("NaN"), region=["A"]),  # type: ignore[arg-type]
            Milestone(2027, Decimal("Infinity"), region=7),  # type: ignore[arg-type]
        ],
        "start": True,
        "end": "2027",
        "national_capacity": 1.5,
        "national_capacity_by_year": {2026: None},
    }
    assert _refusal(lambda: RolloutProblem(**bad)) == [  # type: ignore[arg-type]
        ("start", "expected the first planned year (a whole number), got True"),
        ("end", "expected the last planned year (a whole number), got '2027'"),
        ("regions[0].id", "expected a non-empty text id, got 5"),
        ("regions[0].name", "expected text, got None"),
        ("regions[0].total", "expected a whole number, got True"),
        ("regions[0].recognised", "expected a whole number, got 1.0"),
        ("regions[0].capacity", "expected a whole number, got '3'"),
        ("regions[0].quota", "expected a whole number, got None"),
        ("regions[0].cost", "-1 is negative"),
        ("regions[1].id", "expected a non-empty text id, got ''"),
        ("regions[1].name", "expected text, got ['x']"),
        ("regions[1].capacity_by_year", "expected a mapping year -> count, got [1]"),
        ("regions[1].quota_by_year[2026]", "expected a whole number, got False"),
        ("regions[1].quota_by_year['abc']", "expected a year, got 'abc'"),
        ("milestones[0].year", "expected a year (a whole number), got '2026'"),
        ("milestones[0].share", "expected a share such as '30%' or '3/10', got True"),
        ("milestones[1].year", "expected a year (a whole number), got 2026.0"),
        ("milestones[1].share", "expected a share such as '30%' or '3/10', got 'abc'"),
        ("milestones[1].stretch", "expected a share such as '30%' or '3/10', got Decimal('NaN')"),
        ("milestones[1].region", "expected a region id (text) or none (national), got ['A']"),
        (
            "milestones[2].share",
            "expected a share such as '30%' or '3/10', got Decimal('Infinity')",
        ),
        ("milestones[2].region", "expected a region id (text) or none (national), got 7"),
        ("national_capacity", "expected a whole number, got 1.5"),
        ("national_capacity_by_year[2026]", "expected a whole number, got None"),
    ]


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("free", "expected a non-negative decimal cost, got 'free'"),
        ("1e999999999%", "expected a non-negative decimal cost, got '1e999999999%'"),
        (Decimal("Infinity"), "expected a non-negative decimal cost, got Decimal('Infinity')"),
        (Decimal("1e19"), "Decimal('1E+19') is more than the limit of 10**18 per unit (MAX_COST)"),
        (
            Decimal("1e-19"),
            "Decimal('1E-19') has more than 18 decimal places (MAX_COST_DECIMALS)",
        ),
    ],
)
def test_costs_are_non_negative_decimals_within_limits(cost, message):
    assert _refusal(lambda: _one(Region("A", total=3, cost=cost))) == [("regions[0].cost", message)]
    assert _one(Region("A", total=3, cost="1.5")).regions[0].cost == Decimal("1.5")


def test_huge_and_deep_values_are_reported_not_crashed_on():
    # repr() of an integer of more than 4,300 digits raises, and so does a deep list.
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    problems = _refusal(lambda: _one(Region("A", total=10**5000, name=deep)))  # type: ignore[arg-type]
    assert problems == [
        ("regions[0].name", "expected text, got a list"),
        (
            "regions[0].total",
            "an integer of 16610 bits is more than the limit of 1,000,000,000 units per "
            "region (MAX_UNITS)",
        ),
    ]
    [(_, message)] = _refusal(lambda: _one(Region("A", total=3, name="x" * 10_000, capacity=[1])))  # type: ignore[arg-type]
    assert message == "expected a whole number, got [1]"
    [(_, long_name)] = _refusal(lambda: _one(Region("A", total="x" * 10_000)))  # type: ignore[arg-type]
    assert len(long_name) < 120
    huge_share = Milestone(2026, Fraction(3**200, 2**300))  # about 2**17: outside 0..1
    assert _refusal(lambda: _one(milestones=[huge_share])) == [
        ("milestones[0].share", "a fraction of 301-bit denominator is outside 0..1")
    ]


# -- ids in Unicode NFC (issue 9, 3.2) ---------------------------------------------------

NFC = unicodedata.normalize("NFC", "Điện Biên")
NFD = unicodedata.normalize("NFD", "Điện Biên")


def test_both_spellings_of_a_vietnamese_id_are_one_id():
    assert NFC != NFD
    problem = _one(
        Region(NFD, "Điện Biên (NFD name kept as written)", total=10),
        milestones=[Milestone(2027, 1, region=NFD)],
    )
    assert problem.regions[0].id == NFC
    assert problem.milestones[0].region == NFC
    assert problem.region(NFD) is problem.region(NFC)
    assert problem.target(NFD, 2027) == 10
    assert problem.regions[0].name == "Điện Biên (NFD name kept as written)"
    p = plan(problem)
    assert p.region(NFD) is p.region(NFC)
    assert p.region(NFC).region == NFC


def test_ids_that_differ_only_by_normalisation_are_a_duplicate():
    assert _refusal(lambda: _one(regions=[Region(NFC, total=1), Region(NFD, total=2)])) == [
        (
            "regions[1].id",
            f"duplicate region id {NFC!r} (also regions[0]; the same after Unicode NFC "
            "normalisation)",
        )
    ]
    # A plain ASCII duplicate keeps the plain message (it has one spelling).
    assert _refusal(lambda: _one(regions=[Region("A", total=1), Region("A", total=2)])) == [
        ("regions[1].id", "duplicate region id 'A' (also regions[0])")
    ]


# --- issue 12, fault 4 ----------------------------------------------------------------


def test_exact_target_takes_the_spellings_a_milestone_takes():
    assert exact_target("30%", 249) == 75  # raised AttributeError before
    assert [exact_target(s, 249) for s in ("3/10", Decimal("0.3"), 0.3, Fraction(3, 10))] == [
        75
    ] * 4


def test_the_quota_is_cumulative_and_target_counts_it():
    # `quota` is a yearly quota counted cumulatively: 2 a year asks for 6 by 2027.
    problem = RolloutProblem(
        regions=[Region("A", total=10, recognised=1, quota=2, quota_by_year={2026: 0})],
        milestones=[Milestone(2027, "30%")],
        start=2025,
        end=2027,
    )
    assert [problem.target("A", y) for y in (2025, 2026, 2027)] == [3, 3, 5]
    p = plan(problem, "latest")
    assert p.region("A").cumulative == (3, 3, 5)


def test_budgets_are_units_paid_for_next_to_the_capacities():
    region = Region("A", total=10, cost=Decimal("2.5"), budget=Decimal(10), capacity=6)
    assert region.budget_limit_in(2025) == 4
    free = Region("B", total=10, cost=Decimal(0), budget=Decimal(1))
    assert free.budget_limit_in(2025) is None
    with pytest.raises(InvalidProblemError) as info:
        RolloutProblem(
            regions=[
                Region("A", total=3, budget=Decimal(5)),
                Region("B", total=3, cost=Decimal(1), budget_by_year={2030: Decimal(-1)}),
            ],
            milestones=[],
            start=2025,
            end=2026,
            national_budget=Decimal(9),
        )
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "regions[0].budget",
            "a budget needs a unit cost (cost) to say how many units it pays for",
        ),
        ("regions[1].budget_by_year[2030]", "year 2030 is outside the horizon 2025-2026"),
        ("regions[1].budget_by_year[2030]", "-1 is negative"),
        (
            "national_budget",
            "a national budget needs every region to have the same unit cost (found 1 "
            "different costs and regions without one): the exact planner turns it into a "
            "national capacity of budget // cost units a year",
        ),
    ]
