"""rollout/_compile.py: the integer form of a problem, targets exact and computed once."""

from __future__ import annotations

from modelunit.rollout import Milestone, Region, RolloutProblem
from modelunit.rollout._compile import IntegerProblem, compile_problem


def _problem(**changes: object) -> RolloutProblem:
    fields: dict[str, object] = {
        "regions": [
            Region("HCM", total=249, recognised=20, capacity=70),
            Region("A", total=10, recognised=10),
            Region("B", total=21, capacity_by_year={2026: 3}, quota=2),
        ],
        "milestones": [
            Milestone(2024, "10%"),
            Milestone(2025, "30%", stretch="50%"),
            Milestone(2027, 1),
            Milestone(2026, "50%", region="B"),
        ],
        "start": 2025,
        "end": 2027,
    }
    fields.update(changes)
    return RolloutProblem(**fields)  # type: ignore[arg-type]


def test_regions_are_sorted_by_id_with_their_counts() -> None:
    comp = compile_problem(_problem())
    assert isinstance(comp, IntegerProblem)
    assert comp.ids == ["A", "B", "HCM"]
    assert comp.years == [2025, 2026, 2027]
    assert comp.n_years == 3
    assert (comp.rec, comp.total, comp.rem) == ([10, 0, 20], [10, 21, 249], [0, 21, 229])


def test_floors_are_cumulative_new_work_rounded_up_exactly() -> None:
    comp = compile_problem(_problem())
    # HCM: 30% of 249 is 75 (74.7 rounded up), 20 already recognised; all by 2027.
    assert comp.floors[2] == [0, 55, 55, 229]
    # B: quotas of 2 a year counted cumulatively, 30% (7) by 2025, its own 50% (11) by
    # 2026, everything by 2027.
    assert comp.floors[1] == [0, 7, 11, 21]
    assert comp.floors[0] == [0, 0, 0, 0]


def test_caps_are_clipped_to_the_units_left_and_no_national_capacity_exceeds_all_work() -> None:
    comp = compile_problem(_problem())
    assert comp.caps[2] == [0, 70, 70, 70]
    assert comp.caps[1] == [0, 21, 3, 21]  # no capacity: everything left; 2026: 3
    assert comp.caps[0] == [0, 0, 0, 0]
    # No national capacity: one more than all the work there is (0 + 21 + 229 units left).
    assert comp.unbounded == 251
    assert comp.ncap == [251] * 4
    assert not comp.coupled
    capped = compile_problem(_problem(national_capacity=90, national_capacity_by_year={2026: 40}))
    assert capped.ncap[1:] == [90, 40, 90]
    assert capped.coupled
    # A cap above all the work is lowered to the bound (it cannot bind either way),
    # but still makes the problem coupled, as any explicit cap does.
    roomy = compile_problem(_problem(national_capacity=10**6, national_capacity_by_year={2026: 40}))
    assert roomy.ncap[1:] == [251, 40, 251]
    assert roomy.coupled


def test_stretch_goals_above_the_floor_and_past_misses() -> None:
    comp = compile_problem(_problem())
    # (year index, region index, work): 50% by 2025 is 125 for HCM (105 new), 11 for B.
    assert comp.stretch == [(1, 1, 11), (1, 2, 105)]
    # 10% by 2024 (before the horizon): HCM has 20 >= 25? no: missed; B needed 3, has 0.
    assert comp.past == [[], [(2024, 3)], [(2024, 25)]]
    assert comp.past_missed


def test_an_integer_problem_built_directly_computes_its_bound_and_coupling() -> None:
    comp = IntegerProblem(
        ids=["A", "B"],
        years=[2026, 2027],
        rec=[0, 2],
        total=[5, 4],
        caps=[[0, 5, 5], [0, 2, 2]],
        floors=[[0, 0, 5], [0, 0, 2]],
        ncap=[None, None, 3],
        stretch=[],
        past=[[], []],
    )
    assert comp.rem == [5, 2]
    assert comp.unbounded == 8
    assert comp.ncap == [8, 8, 3]
    assert comp.coupled
    assert not attrs_free_coupled([None, None, None])


def attrs_free_coupled(ncap: list[int | None]) -> bool:
    return IntegerProblem(
        ids=[],
        years=[2026, 2027],
        rec=[],
        total=[],
        caps=[],
        floors=[],
        ncap=ncap,
        stretch=[],
        past=[],
    ).coupled
