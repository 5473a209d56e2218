"""Planner at every scale: the whole ``plan(problem, "level")`` against HiGHS solving
only the least peak, at 34, 63, 700 and 3,321 regions (the last: the communes of the
2025 map), with stretch goals on, without a national capacity and with a binding one.

Workloads (``workloads.synthetic_problem``, seeded): a 30% floor with a 50% stretch two
years in, 100% by 2030, 2024-2030. The binding national capacity is the least peak of the
floors alone (computed by modelunit, checked by HiGHS): the plan then has no slack
year and the stretch goals compete for the capacity the floors leave.

Outcomes are checked equal before any time is reported: the least peak (modelunit's
exact optimum against HiGHS, on every problem), and the number of stretch goals met
(against HiGHS maximising it, up to ``check_stretch_upto`` regions; above that the
plan's own proof, ``stretch_proven``, is reported). The ratio is HiGHS's time for the
least peak over the time of the whole plan (compiling, floors, stretch goals, least
peak, spread): the issue's target is at least 5x.

Run alone: ``python benchmarks/bench_planner_scale.py [--sizes 34 63 700 3321]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import workloads
from baselines import milp
from modelunit.rollout import RolloutProblem, plan
from modelunit.rollout._compile import compile_problem
from modelunit.rollout._floors import min_peak
from timing import once, repeat

SIZES = (34, 63, 700, 3321)


class OutcomeMismatchError(AssertionError):
    """modelunit and HiGHS disagree: no time is reported."""


def _least_peak(problem: RolloutProblem) -> int:
    comp = compile_problem(problem)
    return min_peak(comp, comp.floors)


def problems(n: int) -> list[tuple[str, RolloutProblem]]:
    free = workloads.synthetic_problem(n, coupled=False)
    peak = _least_peak(free)
    capped = RolloutProblem(
        regions=free.regions,
        milestones=free.milestones,
        start=free.start,
        end=free.end,
        national_capacity=peak,
    )
    return [("no national capacity", free), (f"binding national capacity {peak:,}", capped)]


def measure(n: int, *, repeats: int, check_stretch_upto: int) -> list[dict[str, Any]]:
    rows = []
    for kind, problem in problems(n):
        model, t_build = once(lambda p=problem: milp.peak_model(p))
        highs_peak = milp.min_peak(model)
        ours = _least_peak(problem)
        if highs_peak != ours:
            raise OutcomeMismatchError(f"{n} {kind}: least peak {ours}, HiGHS {highs_peak}")
        result = plan(problem, "level")
        # The goals the floors alone do not meet, and how many the plan meets.
        wanted = milp.stretch_goals(problem)
        goals = len(wanted)
        met = sum(1 for rid, t, aim in wanted if result.region(rid).cumulative[t] >= aim)
        highs_stretch = None
        if n <= check_stretch_upto:
            highs_stretch = milp.max_stretch(problem)
            if highs_stretch != met:
                raise OutcomeMismatchError(
                    f"{n} {kind}: {met} stretch goals met, HiGHS {highs_stretch}"
                )
        reps = repeats if n < 3000 else max(1, repeats // 3)
        t_highs = repeat(model.solve, reps)["median_s"]
        t_plan = repeat(lambda p=problem: plan(p, "level"), reps)["median_s"]
        t_nostretch = repeat(lambda p=problem: plan(p, "level", stretch=False), reps)["median_s"]
        rows.append(
            {
                "regions": n,
                "years": len(problem.years),
                "case": kind,
                "feasible": result.feasible,
                "least_peak": ours,
                "stretch_goals": goals,
                "stretch_met": met,
                "stretch_proven": result.stretch_proven,
                "stretch_checked_by_highs": highs_stretch is not None,
                "highs_s": t_highs,
                "highs_build_s": t_build,
                "plan_s": t_plan,
                "plan_no_stretch_s": t_nostretch,
                "ratio": t_highs / t_plan,
                "ratio_no_stretch": t_highs / t_nostretch,
                "target_met": t_highs / t_plan >= 5,
            }
        )
        print(
            f"  {n:>5} regions, {kind}: HiGHS {t_highs * 1e3:,.0f} ms, plan "
            f"{t_plan * 1e3:,.0f} ms ({t_highs / t_plan:.2f}x); stretch {met}/{goals}"
            f"{' proven' if result.stretch_proven else ' NOT proven'}"
            f"{', = HiGHS' if highs_stretch is not None else ''}",
            flush=True,
        )
    return rows


def run(
    sizes: tuple[int, ...] = SIZES, *, repeats: int = 3, check_stretch_upto: int = 700
) -> dict[str, Any]:
    rows = []
    for n in sizes:
        rows.extend(measure(n, repeats=repeats, check_stretch_upto=check_stretch_upto))
    return {"rows": rows, "all_targets_met": all(r["target_met"] for r in rows)}


def render(result: dict[str, Any]) -> str:
    lines = [
        "| regions | case | least peak | stretch met / goals | proven | HiGHS (least peak) "
        "| plan (level, stretch) | HiGHS / plan | plan without stretch | HiGHS / that | >= 5x |",
        "| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in result["rows"]:
        proof = "yes" if r["stretch_proven"] else "no"
        if r["stretch_checked_by_highs"]:
            proof += ", = HiGHS"
        lines.append(
            f"| {r['regions']:,} | {r['case']} | {r['least_peak']:,} | "
            f"{r['stretch_met']:,} / {r['stretch_goals']:,} | {proof} | "
            f"{r['highs_s'] * 1e3:,.0f} ms | {r['plan_s'] * 1e3:,.0f} ms | {r['ratio']:.2f}x | "
            f"{r['plan_no_stretch_s'] * 1e3:,.0f} ms | {r['ratio_no_stretch']:.2f}x | "
            f"{'met' if r['target_met'] else 'MISSED'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    result = run(tuple(args.sizes), repeats=args.repeats)
    print(render(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    sys.exit(0)


if __name__ == "__main__":
    main()
