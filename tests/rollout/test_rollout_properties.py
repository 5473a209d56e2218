"""Property tests: every plan is valid, exact for its objective (against HiGHS), and
deterministic; the diagnosis of an infeasible problem is real and its fix works."""

from __future__ import annotations

import math
import random

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelunit.rollout import STRATEGIES, RolloutPlan, RolloutProblem, diagnose, plan
from tests.rollout.rollout_oracle import Model, floors, min_squares, problems

# Example counts come from the Hypothesis profile (tests/conftest.py): 60 by default,
# 1000 with HYPOTHESIS_PROFILE=thorough.
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid(problem: RolloutProblem, p: RolloutPlan, *, stretch: bool = False) -> None:
    need = floors(problem, stretch=False)
    for r in problem.regions:
        rp = p.region(r.id)
        assert len(rp.new) == len(problem.years)
        run = r.recognised
        for t, year in enumerate(problem.years):
            assert rp.new[t] >= 0
            cap = r.capacity_in(year)
            if cap is not None:
                assert rp.new[t] <= cap, (r.id, year)
            run += rp.new[t]
            assert rp.cumulative[t] == run
            assert run <= r.total
            if p.feasible:
                assert run >= need[r.id][t], (r.id, year)
    for t, year in enumerate(problem.years):
        assert p.national[t] == sum(rp.new[t] for rp in p.regions)
        cap = problem.national_cap_in(year)
        if cap is not None:
            assert p.national[t] <= cap
    for c in p.checks:
        region = problem.region(c.region)
        coverage = (
            region.recognised
            if c.year < problem.start
            else p.region(c.region).cumulative[c.year - problem.start]
        )
        assert c.coverage == coverage
        assert c.met == (coverage >= c.target)
        if p.feasible and not c.past:
            assert c.met


@FAST
@given(problems())
def test_every_strategy_gives_a_valid_plan_and_feasibility_matches_milp(problem):
    expected = Model(problem).feasible()
    for strategy in STRATEGIES:
        p = plan(problem, strategy)
        assert p.feasible == expected
        assert p.diagnosis.feasible == expected or not p.feasible
        assert_valid(problem, p)


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_plans_are_deterministic_and_independent_of_input_order(problem, rnd):
    regions = list(problem.regions)
    milestones = list(problem.milestones)
    rnd.shuffle(regions)
    rnd.shuffle(milestones)
    shuffled = attrs.evolve(problem, regions=regions, milestones=milestones)
    for strategy in STRATEGIES:
        a = plan(problem, strategy)
        b = plan(shuffled, strategy)
        assert a.regions == b.regions
        assert a.national == b.national
        assert a.checks == b.checks
        assert plan(problem, strategy) == a


@FAST
@given(problems())
def test_level_peak_is_the_milp_optimum(problem):
    model = Model(problem)
    if not model.feasible():
        return
    p = plan(problem, "level", stretch=False)
    assert p.peak == model.min_peak()
    proportional = plan(problem, "proportional", stretch=False)
    assert proportional.national == p.national


@FAST
@given(problems(max_regions=4, max_years=4))
def test_level_spread_is_the_milp_optimum(problem):
    """Second objective of "level": among plans with the least peak, the least sum of
    squared yearly loads (each region's work as even as possible)."""
    model = Model(problem)
    if not model.feasible():
        return
    p = plan(problem, "level", stretch=False)
    squares = sum(v * v for r in p.regions for v in r.new)
    assert squares == min_squares(model, p.peak)


@FAST
@given(problems())
def test_earliest_and_latest_national_coverage_are_the_milp_extremes(problem):
    model = Model(problem)
    if not model.feasible():
        return
    early = plan(problem, "earliest", stretch=False)
    late = plan(problem, "latest", stretch=False)
    run_e = run_l = 0
    for t in range(len(problem.years)):
        run_e += early.national[t]
        run_l += late.national[t]
        assert run_e == model.national_by(t, sense=-1)
        assert run_l == model.national_by(t, sense=+1)


@FAST
@given(problems(coupled=False))
def test_without_national_cap_earliest_dominates_and_latest_is_dominated_per_region(problem):
    model = Model(problem)
    if not model.feasible():
        return
    early = plan(problem, "earliest", stretch=False)
    late = plan(problem, "latest", stretch=False)
    others = [plan(problem, s, stretch=False) for s in ("level", "proportional")]
    for i, r in enumerate(sorted(problem.regions, key=lambda r: r.id)):
        for t in range(len(problem.years)):
            hi = early.region(r.id).cumulative[t]
            lo = late.region(r.id).cumulative[t]
            for other in others:
                assert lo <= other.region(r.id).cumulative[t] <= hi
            assert hi - r.recognised == model.region_by(i, t, sense=-1)
            assert lo - r.recognised == model.region_by(i, t, sense=+1)


def _stretch_goals(problem: RolloutProblem) -> list[tuple[str, int, int]]:
    need = floors(problem)
    goals = set()
    for r in problem.regions:
        for m in problem.milestones:
            if m.stretch is None or m.region not in (None, r.id) or m.year < problem.start:
                continue
            t = m.year - problem.start
            target = math.ceil(m.stretch * r.total)
            if target > need[r.id][t]:
                goals.add((r.id, t, target))
    return sorted(goals)


@FAST
@given(problems())
def test_stretch_goals_met_are_as_many_as_capacity_allows(problem):
    model = Model(problem)
    if not model.feasible():
        return
    goals = _stretch_goals(problem)
    best = model.max_stretch(goals)
    for strategy in STRATEGIES:
        p = plan(problem, strategy)
        met = sum(1 for rid, t, target in goals if p.region(rid).cumulative[t] >= target)
        if problem.national_cap is None:
            assert met == best
        else:
            assert met <= best
        # Never at the expense of a floor.
        assert_valid(problem, p)


def _apply_fix(problem: RolloutProblem, diagnosis) -> RolloutProblem:
    regions = {r.id: r for r in problem.regions}
    ncap = dict(problem.national_cap_by_year)
    for inc in diagnosis.extra_capacity:
        if inc.region is None:
            ncap[inc.year] = (
                problem.national_cap_in(inc.year)
                + inc.units
                + (
                    ncap.get(inc.year, problem.national_cap_in(inc.year))
                    - problem.national_cap_in(inc.year)
                )
            )
        else:
            r = regions[inc.region]
            by_year = dict(r.capacity_by_year)
            by_year[inc.year] = r.capacity_in(inc.year) + inc.units
            regions[inc.region] = attrs.evolve(r, capacity_by_year=by_year)
    return attrs.evolve(problem, regions=list(regions.values()), national_cap_by_year=ncap)


@FAST
@given(problems())
def test_diagnosis_names_real_shortfalls_and_its_fix_makes_the_problem_feasible(problem):
    model = Model(problem)
    diagnosis = diagnose(problem)
    assert diagnosis.feasible == model.feasible()
    regions = sorted(problem.regions, key=lambda r: r.id)
    for s in diagnosis.shortfalls:
        assert s.needed > s.reachable
        if s.region is None or s.past:
            continue
        # ``reachable`` is truly the most that region can reach by then on its own.
        region = problem.region(s.region)
        relaxed = attrs.evolve(
            problem,
            milestones=[],
            regions=[attrs.evolve(r, minimum=0, minimum_by_year={}) for r in regions],
            national_cap=None,
            national_cap_by_year={},
        )
        i = [r.id for r in regions].index(s.region)
        t = s.year - problem.start
        assert region.recognised + Model(relaxed).region_by(i, t, sense=-1) == s.reachable
    if not diagnosis.feasible:
        assert diagnosis.extra_capacity
        fixed = _apply_fix(problem, diagnosis)
        assert Model(fixed).feasible()
        assert plan(fixed).feasible


def test_a_random_700_region_problem_plans_validly():
    rnd = random.Random(7)
    from modelunit.rollout import Milestone, Region

    regions = [
        Region(
            f"P{i:03d}",
            total=(t := rnd.randint(1, 40)),
            recognised=rnd.randint(0, t // 4),
            capacity=rnd.randint(3, 12),
        )
        for i in range(700)
    ]
    problem = RolloutProblem(
        regions=regions,
        milestones=[Milestone(2027, "30%", stretch="50%"), Milestone(2030, 1)],
        start=2026,
        end=2030,
    )
    for strategy in STRATEGIES:
        p = plan(problem, strategy)
        assert_valid(problem, p)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_regions=8, max_years=6))
def test_larger_problems_against_milp(problem):
    model = Model(problem)
    feasible = model.feasible()
    diagnosis = diagnose(problem)
    assert diagnosis.feasible == feasible
    if not feasible:
        assert Model(_apply_fix(problem, diagnosis)).feasible()
        return
    assert plan(problem, "level", stretch=False).peak == model.min_peak()
    early = plan(problem, "earliest", stretch=False)
    late = plan(problem, "latest", stretch=False)
    for t in range(len(problem.years)):
        assert sum(early.national[: t + 1]) == model.national_by(t, sense=-1)
        assert sum(late.national[: t + 1]) == model.national_by(t, sense=+1)
    for strategy in STRATEGIES:
        assert_valid(problem, plan(problem, strategy))
