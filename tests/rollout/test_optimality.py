"""The planner against the MILP oracle (HiGHS): every plan is valid, feasibility and
each strategy's optimum are the oracle's, stretch goals are as many as capacity allows,
and the diagnosis of an infeasible problem is real and its fix works."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from modelunit.rollout import STRATEGIES, RolloutProblem, diagnose, plan
from tests.rollout.milp_oracle import FAST, Model, assert_valid, floors, min_squares, problems


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
def test_without_national_capacity_earliest_dominates_and_latest_is_dominated_per_region(problem):
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
        # Exact, with or without a national capacity (the small problems drawn are proven).
        assert p.stretch_proven
        assert met == best
        # Never at the expense of a floor.
        assert_valid(problem, p)


@FAST
@given(problems(coupled=True, max_regions=6, max_years=3))
def test_stretch_goals_coupled_by_a_national_capacity_are_the_milp_maximum(problem):
    """With a binding national capacity the provinces compete for the same capacity: the
    number of stretch goals met is still the MILP's maximum, for every strategy."""
    model = Model(problem)
    if not model.feasible():
        return
    goals = _stretch_goals(problem)
    best = model.max_stretch(goals)
    for strategy in STRATEGIES:
        p = plan(problem, strategy)
        met = sum(1 for rid, t, target in goals if p.region(rid).cumulative[t] >= target)
        assert (met, p.stretch_proven) == (best, True)


def _apply_fix(problem: RolloutProblem, diagnosis) -> RolloutProblem:
    regions = {r.id: r for r in problem.regions}
    ncap = dict(problem.national_capacity_by_year)
    for inc in diagnosis.extra_capacity:
        if inc.region is None:
            ncap[inc.year] = (
                problem.national_capacity_in(inc.year)
                + inc.units
                + (
                    ncap.get(inc.year, problem.national_capacity_in(inc.year))
                    - problem.national_capacity_in(inc.year)
                )
            )
        else:
            r = regions[inc.region]
            by_year = dict(r.capacity_by_year)
            by_year[inc.year] = r.capacity_in(inc.year) + inc.units
            regions[inc.region] = attrs.evolve(r, capacity_by_year=by_year)
    nbudget = dict(problem.national_budget_by_year)
    for b in diagnosis.extra_budget:
        if b.region is None:
            nbudget[b.year] = problem.national_budget_in(b.year) + b.amount
        else:
            r = regions[b.region]
            money = dict(r.budget_by_year)
            money[b.year] = r.budget_in(b.year) + b.amount
            regions[b.region] = attrs.evolve(r, budget_by_year=money)
    return attrs.evolve(
        problem,
        regions=list(regions.values()),
        national_capacity_by_year=ncap,
        national_budget_by_year=nbudget,
    )


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
            regions=[attrs.evolve(r, quota=0, quota_by_year={}) for r in regions],
            national_capacity=None,
            national_capacity_by_year={},
            national_budget=None,
            national_budget_by_year={},
        )
        i = [r.id for r in regions].index(s.region)
        t = s.year - problem.start
        assert region.recognised + Model(relaxed).region_by(i, t, sense=-1) == s.reachable
    if not diagnosis.feasible:
        assert diagnosis.extra_capacity or diagnosis.extra_budget
        fixed = _apply_fix(problem, diagnosis)
        assert Model(fixed).feasible()
        assert plan(fixed).feasible


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
