"""Planner: modelunit.rollout against scipy.optimize.milp (HiGHS) on the same problems.

The objective compared is the least peak national yearly workload (the first
objective of the ``"level"`` strategy); both sides must find the same optimum, on
every problem, before any time is reported. modelunit is timed for the whole
``plan(problem, "level")`` (compiling the problem included) and, separately,
for its exact optimum alone; HiGHS for ``milp()`` on arrays built in advance (the
build is reported separately).
"""

from __future__ import annotations

import cProfile
import io
import pstats
from collections.abc import Callable
from typing import Any

import workloads
from baselines import milp
from modelunit.rollout import RolloutProblem, plan, simulate
from modelunit.rollout._compile import compile_problem
from modelunit.rollout._floors import min_peak
from timing import once, repeat


class OptimumMismatchError(AssertionError):
    """modelunit and HiGHS disagree on an optimum: no time is reported."""


def profile(fn: Callable[[], object], top: int = 8) -> list[dict[str, Any]]:
    """The functions where ``fn`` spends its own time (cProfile, by total time)."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{file.split('/src/')[-1]}:{line}({name})",
                "calls": calls,
                "tottime_s": tottime,
                "cumtime_s": cumtime,
                "share": tottime / total if total else 0.0,
            }
        )
    rows.sort(key=lambda r: -r["tottime_s"])
    return rows[:top]


def _optimum(problem: RolloutProblem) -> int:
    comp = compile_problem(problem)
    return min_peak(comp, comp.floors)


def compare(name: str, problem: RolloutProblem, *, repeats: int) -> dict[str, Any]:
    """One problem, both solvers: optimum checked equal, then timed."""
    model, t_build = once(lambda: milp.peak_model(problem))
    highs_peak = milp.min_peak(model)
    result = plan(problem, "level", stretch=False)
    ours = result.peak if result.feasible else None
    optimum = _optimum(problem) if result.feasible else None
    if highs_peak != ours or optimum != ours:
        raise OptimumMismatchError(
            f"{name}: modelunit peak {ours} (optimum {optimum}), HiGHS {highs_peak}"
        )
    t_highs = repeat(model.solve, repeats)
    t_plan = repeat(lambda: plan(problem, "level", stretch=False), repeats)
    t_opt = repeat(lambda: _optimum(problem), repeats)
    return {
        "problem": name,
        "regions": len(problem.regions),
        "years": len(problem.years),
        "units": sum(r.total for r in problem.regions),
        "national_capacity": problem.national_capacity,
        "optimal_peak": ours,
        "equal": True,
        "highs_s": t_highs["median_s"],
        "highs_build_s": t_build,
        "plan_s": t_plan["median_s"],
        "optimum_s": t_opt["median_s"],
        "speedup_plan": t_highs["median_s"] / t_plan["median_s"],
        "speedup_optimum": t_highs["median_s"] / t_opt["median_s"],
    }


def sweep(base: RolloutProblem, n: int, *, check: int) -> dict[str, Any]:
    """``n`` what-if scenarios of ``base`` planned with the default strategy (level, with
    stretch goals); the first ``check`` optima (without stretch) checked against HiGHS."""
    scenarios, t_build = once(lambda: list(workloads.scenario_problems(base, n)), pause_gc=False)
    for k, problem in enumerate(scenarios[:check]):
        ours = plan(problem, "level", stretch=False)
        theirs = milp.min_peak(milp.peak_model(problem))
        if (ours.peak if ours.feasible else None) != theirs:
            raise OptimumMismatchError(f"scenario {k}: modelunit {ours.peak}, HiGHS {theirs}")
    plans, t_plan = once(lambda: [plan(p) for p in scenarios], pause_gc=False)
    return {
        "scenarios": n,
        "checked_against_highs": min(check, n),
        "build_s": t_build,
        "plan_s": t_plan,
        "total_s": t_build + t_plan,
        "feasible": sum(p.feasible for p in plans),
        "per_scenario_ms": t_plan / n * 1e3,
    }


def run(*, repeats: int, sweep_n: int, sims: int, synthetic_regions: int) -> dict[str, Any]:
    problems: list[tuple[str, RolloutProblem]] = [
        (case.name, workloads.national_problem(case)) for case in workloads.NATIONAL_CASES
    ]
    problems += [
        (
            f"synthetic {synthetic_regions} regions, 2024-2030, {kind}",
            workloads.synthetic_problem(synthetic_regions, coupled=coupled),
        )
        for kind, coupled in (("independent", False), ("national capacity", True))
    ]
    rows = []
    for name, problem in problems:
        rows.append(compare(name, problem, repeats=repeats))
        print(
            f"  planner {name}: HiGHS {rows[-1]['highs_s'] * 1e3:.2f} ms, "
            f"plan {rows[-1]['plan_s'] * 1e3:.2f} ms",
            flush=True,
        )
    national = problems[0][1]
    sweep_result = sweep(national, sweep_n, check=min(50, sweep_n))
    print(f"  planner sweep: {sweep_result['total_s']:.2f} s", flush=True)
    sim_plan = plan(problems[1][1])
    sim, t_sim = once(lambda: simulate(sim_plan, "80%", runs=sims, seed=1), pause_gc=False)
    sim34, t_sim34 = once(
        lambda: simulate(plan(national), "80%", runs=sims, seed=1), pause_gc=False
    )
    profiles = {
        "plan level, 63 provinces": profile(
            lambda: [plan(problems[1][1], "level") for _ in range(10)]
        ),
        "simulate, 63 provinces": profile(lambda: simulate(sim_plan, "80%", runs=min(sims, 2000))),
    }
    return {
        "problems": rows,
        "sweep": sweep_result,
        "simulation": [
            {
                "problem": problems[0][0],
                "runs": sims,
                "seconds": t_sim34,
                "milestones": len(sim34.odds),
            },
            {
                "problem": problems[1][0],
                "runs": sims,
                "seconds": t_sim,
                "milestones": len(sim.odds),
                "at_risk": len(sim.at_risk()),
            },
        ],
        "assumptions": [
            {
                "problem": case.name,
                "map": case.edition,
                "recognised_at_start": case.recognised,
                "capacity_per_year": case.capacity + " of the wards (at least 2)",
                "milestones": f"{case.floor} (stretch {case.stretch}) by {case.floor_year}; "
                f"100% by {case.end}",
            }
            for case in workloads.NATIONAL_CASES
        ],
        "profiles": profiles,
    }
