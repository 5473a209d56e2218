"""Run every benchmark in one process and write results/latest.json and results/latest.md.

    python benchmarks/run.py            # the full run (about 10-15 minutes on 2 cores)
    python benchmarks/run.py --quick    # a smoke run on small workloads (about a minute)
    python benchmarks/run.py --sections e2e --set e2e_units=[10000]   # one part, sized

The end-to-end comparison (from where the evidence is to outcome codes, against the
plain and careful hand-written scripts, numpy and json-logic) runs first; then the hot
loop, scaling, planner, import and memory.

Results of every engine are checked equal before any time is reported; a mismatch
stops the run with the unit and criterion that differ. Import timing and peak memory
run in subprocesses (a fresh interpreter is what they measure).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_assess  # noqa: E402
import bench_e2e  # noqa: E402
import bench_import_memory  # noqa: E402
import bench_planner  # noqa: E402
import bench_planner_scale  # noqa: E402
import bench_plugin  # noqa: E402
from timing import fmt_ns, fmt_s  # noqa: E402

FULL = {
    "units": 10_000,
    "repeats": 7,
    "slow_units": 10_000,
    "explain_sample": 1_000,
    "scale_units": [100, 1_000, 10_000, 100_000],
    "scale_years": [1, 2, 5, 10],
    "units_for_years": 2_000,
    "planner_repeats": 7,
    "sweep": 10_000,
    "sims": 10_000,
    "synthetic_regions": 700,
    "scale_regions": [34, 63, 700, 3321],
    "import_runs": 20,
    "plugin_runs": 21,
    "memory_units": 100_000,
    # End to end (bench_e2e): records in memory at each size (json-logic up to
    # e2e_slow_up_to units: it takes seconds per 10,000), files, the command line.
    "e2e_units": [10_000, 100_000],
    "e2e_rounds": 5,
    "e2e_slow_up_to": 10_000,
    "file_units": 10_000,
    "file_rounds": 3,
    "cli_units": 10_000,
    "cli_rounds": 3,
    "prep_units": [10_000, 100_000, 300_000],
    "prep_rounds": 3,
    "accessor_units": [1_000, 10_000, 100_000],
}
QUICK = {
    "units": 500,
    "repeats": 3,
    "slow_units": 500,
    "explain_sample": 50,
    "scale_units": [100, 300, 1_000],
    "scale_years": [1, 2, 3],
    "units_for_years": 200,
    "planner_repeats": 2,
    "sweep": 200,
    "sims": 500,
    "synthetic_regions": 70,
    "scale_regions": [34, 63],
    "import_runs": 3,
    "plugin_runs": 3,
    "memory_units": 1_000,
    "e2e_units": [500],
    "e2e_rounds": 3,
    "e2e_slow_up_to": 500,
    "file_units": 500,
    "file_rounds": 2,
    "cli_units": 500,
    "cli_rounds": 1,
    "prep_units": [1_000, 3_000],
    "prep_rounds": 2,
    "accessor_units": [300, 1_000],
}
# e2e: bench_e2e (the whole path); core: the hot loop, scaling, planner, import, memory.
SECTIONS = ("e2e", "core")

TARGETS = {
    "vs_handwritten": 2.0,  # modelunit at most 2x the hand-written baseline's time
    "vs_rule_engines": 20.0,  # at least 20x faster than the faster of the two
    "vs_highs": 20.0,  # national problems
    "sweep_s": 10.0,
    "simulation_s": 5.0,
    "import_ratio": 1.5,
    "plugin_ms": 10.0,  # what the Hypothesis entry point adds to `import hypothesis`
    "bytes_per_record": 250,  # issue 10 (was 500)
    # Issue 10, end to end.
    "e2e_vs_plain": 1.5,  # records to codes, at most 1.5x the plain script
    "e2e_vs_careful": 1.0,  # and faster than the careful one
    "prep_flat": 1.3,  # preparation per record, largest / smallest size from 10k units
    "file_vs_plain": 2.0,  # JSON, CSV, SQLite: at most 2x the bare parse + plain script
    "accessors_vs_codes": 2.0,  # every unit's outcomes and summary vs outcome_codes
    "cli_vs_script": 2.0,  # the command line vs a 20-line script
}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = {}
    for name in (
        "modelunit",
        "attrs",
        "cattrs",
        "json-logic-qubit",
        "rule-engine",
        "scipy",
        "numpy",
        "matplotlib",
    ):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "packages": packages,
    }


def plot_scaling(rows: list[dict[str, Any]], path: Path) -> str | None:
    """A PNG of evaluation and preparation cost over units and years (matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, axis, key in ((axes[0], "units", "units"), (axes[1], "years", "years")):
        pts = [r for r in rows if r["axis"] == axis]
        xs = [r[key] for r in pts]
        ax.plot(xs, [r["eval_s"] for r in pts], "o-", label="evaluation (s)")
        ax.plot(xs, [r["prep_s"] for r in pts], "s--", label="preparation (s)")
        lo = pts[0]
        ax.plot(
            xs,
            [lo["eval_s"] * r["criterion_evaluations"] / lo["criterion_evaluations"] for r in pts],
            ":",
            color="grey",
            label="linear from the first point",
        )
        ax.set_xscale("log" if axis == "units" else "linear")
        ax.set_yscale("log" if axis == "units" else "linear")
        ax.set_xlabel(
            "units (2 years of evidence)"
            if axis == "units"
            else f"years of evidence ({pts[0]['units']:,} units, every year assessed)"
        )
        ax.set_ylabel("seconds")
        ax.grid(visible=True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("modelunit assessment: evaluation and preparation cost over units and years")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path.name


def verdict(ok: bool | None) -> str:
    if ok is None:
        return "not judged"
    return "met" if ok else "**missed**"


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of the sections that ran (end to end first)."""
    found = e2e_targets(results["end_to_end"]) if "end_to_end" in results else []
    if all(k in results for k in ("assessment", "scaling", "planner", "import", "memory")):
        found += core_targets(results)
    return found


def _range(lo: float, hi: float) -> str:
    return f"{lo:.2f}-{hi:.2f}"


def e2e_targets(e: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in e["records"]:
        mu = r["contenders"]["modelunit"]
        out.append(
            {
                "target": f"records to outcome codes, {r['units']:,} units: at most "
                f"{TARGETS['e2e_vs_plain']}x the plain script",
                "measured": f"{mu['ratio']:.2f}x ({_range(mu['ratio_min'], mu['ratio_max'])}; "
                f"{fmt_s(mu['median_s'])} vs "
                f"{fmt_s(r['contenders']['plain script']['median_s'])})",
                "met": mu["ratio"] <= TARGETS["e2e_vs_plain"],
            }
        )
        out.append(
            {
                "target": f"same, {r['units']:,} units: faster than the careful script",
                "measured": f"{r['modelunit_vs_careful']:.2f}x its time "
                f"({_range(*r['modelunit_vs_careful_range'])})",
                "met": r["modelunit_vs_careful"] < TARGETS["e2e_vs_careful"],
            }
        )
    prep = [p for p in e["preparation"] if p["units"] >= 10_000] or e["preparation"]
    per = [p["preparation_ns_per_record"] for p in prep]
    out.append(
        {
            "target": f"preparation per record flat within {TARGETS['prep_flat']}x "
            "(10,000 units up)",
            "measured": f"{max(per) / min(per):.2f}x: "
            + ", ".join(f"{p['preparation_ns_per_record']:,.0f} ns" for p in prep)
            + " at "
            + ", ".join(f"{p['units']:,}" for p in prep)
            + " units",
            # One size says nothing about growth.
            "met": max(per) / min(per) <= TARGETS["prep_flat"] if len(per) > 1 else None,
        }
    )
    f = e["files"]
    for kind, bare in (("json", "json.load"), ("csv", "csv.reader"), ("sqlite store", "fetchall")):
        mu = f[kind]["modelunit"]
        out.append(
            {
                "target": f"{kind} to outcome codes ({f['units']:,} units): at most "
                f"{TARGETS['file_vs_plain']}x {bare} + the plain script",
                "measured": f"{mu['ratio']:.2f}x ({_range(mu['ratio_min'], mu['ratio_max'])}); "
                f"reading alone {f[kind]['reading_ratio']:.2f}x {bare}",
                "met": mu["ratio"] <= TARGETS["file_vs_plain"],
            }
        )
    for r in e["records"]:
        out.append(
            {
                "target": f"every unit's outcomes and summary ({r['units']:,} units): at most "
                f"{TARGETS['accessors_vs_codes']}x the outcome_codes path",
                "measured": f"{r['accessors_vs_codes']:.2f}x "
                f"({_range(*r['accessors_vs_codes_range'])})",
                "met": r["accessors_vs_codes"] <= TARGETS["accessors_vs_codes"],
            }
        )
    c = e["cli"]["modelunit assess"]
    out.append(
        {
            "target": f"`modelunit assess`, {e['cli']['units']:,} units: at most "
            f"{TARGETS['cli_vs_script']}x a 20-line script",
            "measured": f"{c['ratio']:.2f}x ({_range(c['ratio_min'], c['ratio_max'])}; "
            f"{fmt_s(c['median_s'])} vs {fmt_s(e['cli']['20-line script']['median_s'])})",
            "met": c["ratio"] <= TARGETS["cli_vs_script"],
        }
    )
    return out


def core_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    a = results["assessment"]["engines"]
    mu = a["modelunit"]["ns_per_eval"]
    hw = a["hand-written"]["ns_per_eval"]
    fastest_rules = min(a["json-logic"]["ns_per_eval"], a["rule-engine"]["ns_per_eval"])
    planner = results["planner"]
    national = [p for p in planner["problems"] if "provinces" in p["problem"]]
    worst_highs = min(p["speedup_plan"] for p in national)
    sim = max(s["seconds"] for s in planner["simulation"])
    runs = planner["simulation"][0]["runs"]
    sweep = planner["sweep"]
    imp = results["import"]
    mem = results["memory"]
    scal = results["scaling"]
    per_eval = [
        r["eval_ns_per_criterion"] for r in scal if r["units"] >= 1000 or r["axis"] == "years"
    ]
    linear = max(per_eval) / min(per_eval)
    # Preparation per record from 2 years up: with one year there are no previous-year
    # values to read, so a record costs less (see the README).
    prep = [r["prep_ns_per_record"] for r in scal if r["records"] >= 50_000 and r["years"] >= 2]
    prep_linear = max(prep) / min(prep) if prep else 1.0
    return [
        {
            "target": "modelunit within 2x of the hand-written baseline",
            "measured": f"{mu / hw:.2f}x its time ({fmt_ns(mu)} vs {fmt_ns(hw)} per criterion)",
            "met": mu / hw <= TARGETS["vs_handwritten"],
        },
        {
            "target": ">= 20x faster than the faster of json-logic and rule-engine",
            "measured": f"{fastest_rules / mu:,.0f}x ({fmt_ns(fastest_rules)} vs {fmt_ns(mu)})",
            "met": fastest_rules / mu >= TARGETS["vs_rule_engines"],
        },
        {
            "target": "explanation available for every outcome",
            "measured": f"{results['assessment']['explanations']['units']:,} units rendered, all "
            "outcomes equal to the batch, every one explained",
            "met": True,
        },
        {
            "target": "evaluation cost linear in units and years",
            "measured": f"ns per criterion evaluation varies {linear:.2f}x from 1,000 units up; "
            f"preparation per record {prep_linear:.2f}x",
            "met": linear <= 1.5 and prep_linear <= 1.5,
        },
        {
            "target": "planner: identical optimal objective",
            "measured": f"{len(planner['problems'])} problems + "
            f"{planner['sweep']['checked_against_highs']} scenarios equal to HiGHS",
            "met": True,
        },
        {
            "target": "planner: >= 20x faster than HiGHS on the national problems",
            "measured": f"{worst_highs:.1f}x (worst national problem, whole plan)",
            "met": worst_highs >= TARGETS["vs_highs"],
        },
        {
            "target": "sweep of 10,000 national scenarios < 10 s",
            "measured": f"{sweep['total_s']:.2f} s for {sweep['scenarios']:,}",
            "met": planner["sweep"]["total_s"] < TARGETS["sweep_s"]
            and planner["sweep"]["scenarios"] >= 10_000,
        },
        {
            "target": "10,000 Monte Carlo runs of a national plan < 5 s",
            "measured": f"{sim:.2f} s (slowest national plan, {runs:,} runs)",
            "met": sim < TARGETS["simulation_s"] and planner["simulation"][0]["runs"] >= 10_000,
        },
        {
            "target": "import modelunit <= 1.5x importing its dependencies",
            "measured": f"{imp['ratio_wall']:.2f}x wall ({fmt_s(imp['modelunit_s'])} vs "
            f"{fmt_s(imp['deps_s'])}); {imp['ratio_importtime']:.2f}x by -X importtime",
            "met": max(imp["ratio_wall"], imp["ratio_importtime"]) <= TARGETS["import_ratio"],
        },
        {
            "target": "(not an issue target) import + load the assessment API <= 1.5x",
            "measured": f"{imp['ratio_usable']:.2f}x wall ({fmt_s(imp['usable_s'])} vs "
            f"{fmt_s(imp['deps_s'])}): names load lazily, this is the library's own cost",
            "met": imp["ratio_usable"] <= TARGETS["import_ratio"],
        },
        *_plugin_target(results),
        {
            "target": f"<= {TARGETS['bytes_per_record']} bytes per evidence record "
            f"(peak, {mem['units']:,} units)",
            "measured": f"{mem['bytes_per_record']:.0f} B/record in all "
            f"(peak {mem['peak_rss_bytes'] / 2**20:,.0f} MiB for {mem['records']:,} "
            f"records); {mem['engine_bytes_per_record']:.0f} B/record beyond the records",
            "met": mem["bytes_per_record"] <= TARGETS["bytes_per_record"],
        },
    ]


def _plugin_target(results: dict[str, Any]) -> list[dict[str, Any]]:
    # Runs saved before the plugin was benchmarked have no "plugin" entry.
    if "plugin" not in results:
        return []
    hook = results["plugin"]["hooks"]["lazy"]["hook_ms"]
    eager = results["plugin"]["hooks"]["eager"]["hook_ms"]
    return [
        {
            "target": "the Hypothesis entry point adds <= 10 ms to `import hypothesis`",
            "measured": f"{hook:.2f} ms (an eager hook: {eager:.0f} ms)",
            "met": hook <= TARGETS["plugin_ms"],
        }
    ]


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"# Benchmark results ({'quick' if results['quick'] else 'full'} run"
        + (
            f", partial: {', '.join(results['sections'])}"
            + (
                "; " + ", ".join(f"{k}={v}" for k, v in results["overrides"].items())
                if results.get("overrides")
                else ""
            )
            if results.get("partial")
            else ""
        )
        + ")",
        "",
        f"{results['date']} · {m['cpu']}, {m['cores']} cores, {m['memory']} · "
        f"{m['implementation']} {m['python']} · {m['os']}",
        "",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v) + ".",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {t['measured']} | {verdict(t['met'])} |")
    if "end_to_end" in results:
        lines += e2e_markdown(results["end_to_end"])
    if "assessment" in results:
        lines += core_markdown(results)
    lines += ["", f"Whole run: {results['seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def _contender_rows(
    contenders: dict[str, Any], reference: str, per: str = "ns per record"
) -> list[str]:
    rows = [
        f"| contender | time vs {reference} (median, min-max) | time | {per} | rounds |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, c in contenders.items():
        spread = f" ({_range(c['ratio_min'], c['ratio_max'])})" if "ratio_min" in c else " (median)"
        rows.append(
            f"| {name} | {c['ratio']:.2f}x{spread} | {fmt_s(c['median_s'])} | "
            f"{c['ns_per_record']:,.0f} | {c['rounds']} |"
        )
    return rows


def e2e_markdown(e: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## End to end: from where the evidence is to outcome codes",
        "",
        "Every contender ends with one outcome code per unit and criterion, checked equal "
        "to modelunit's before anything is timed. Interleaved rounds (the first contender "
        "rotated), GC on, each after a `gc.collect()`; ratios are taken within a round.",
    ]
    for r in e["records"]:
        lines += [
            "",
            f"### Records in memory, {r['units']:,} units ({r['records']:,} records)",
            "",
            *_contender_rows(r["contenders"], "the plain script"),
            "",
            f"modelunit vs the careful script: {r['modelunit_vs_careful']:.2f}x "
            f"({_range(*r['modelunit_vs_careful_range'])}). Every unit's outcomes and summary "
            f"through the per-unit accessors vs `outcome_codes`: {r['accessors_vs_codes']:.2f}x "
            f"({_range(*r['accessors_vs_codes_range'])}). modelunit's steps per record: "
            + ", ".join(
                f"{k.removesuffix('_ns_per_record')} {v:,.0f} ns" for k, v in r["phases"].items()
            )
            + ".",
        ]
        if "json-logic" in r["contenders"]:
            jl = r["contenders"]["json-logic"]
            lines += [
                "",
                f"json-logic ran {jl['rounds']} round(s) beside modelunit: "
                f"{jl['ratio_to_modelunit']:.2f}x modelunit's time.",
            ]
    f = e["files"]
    lines += [
        "",
        f"### From files, {f['units']:,} units ({f['records']:,} records; JSON "
        f"{f['sizes_mb']['json']:.0f} MB, CSV {f['sizes_mb']['csv']:.0f} MB, SQLite store "
        f"{f['sizes_mb']['sqlite']:.0f} MB)",
        "",
        "The plain contender is the bare parse (`json.load(parse_float=Decimal)`, "
        "`csv.reader` with a converter per indicator, a `fetchall()` of the store's table) "
        'and the plain script; "reading only" times the reading step alone on both sides '
        "(`load_evidence`, `read_csv`, `store.ledger()`).",
    ]
    for kind in ("json", "csv", "sqlite store"):
        lines += [
            "",
            f"**{kind}**",
            "",
            *_contender_rows(
                {k: v for k, v in f[kind].items() if isinstance(v, dict)}, "the plain path"
            ),
        ]
    lines += [
        "",
        "### Preparation per record (ledger, index, frame; GC on)",
        "",
        "| units | records | ledger | index | frame | preparation | evaluation |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in e["preparation"]:
        lines.append(
            f"| {p['units']:,} | {p['records']:,} | {p['ledger_ns_per_record']:,.0f} ns | "
            f"{p['index_ns_per_record']:,.0f} ns | {p['frame_ns_per_record']:,.0f} ns | "
            f"{p['preparation_ns_per_record']:,.0f} ns | {p['evaluate_ns_per_record']:,.0f} ns |"
        )
    lines += [
        "",
        "### Per-unit accessors over every unit (flat means linear)",
        "",
        "| units | `outcomes(unit, period)` | `summary(unit, period)` |",
        "| ---: | ---: | ---: |",
    ]
    for a in e["accessors"]:
        lines.append(
            f"| {a['units']:,} | {a['outcomes_us_per_unit']:.2f} µs per unit | "
            f"{a['summary_us_per_unit']:.2f} µs per unit |"
        )
    c = e["cli"]
    lines += [
        "",
        f"### The command line, {c['units']:,} units (whole processes)",
        "",
        "`modelunit assess --evidence FILE` against `baselines/cli_script.py` (per-unit "
        "counts and levels), per-unit counts checked equal first.",
        "",
        *_contender_rows(
            {k: v for k, v in c.items() if isinstance(v, dict)}, "the script", "ns per unit"
        ),
    ]
    return lines


def core_markdown(results: dict[str, Any]) -> list[str]:
    a = results["assessment"]
    lines = [
        "",
        f"## Assessment throughput: {a['units']:,} units x {a['criteria']} criteria, "
        f"{len(a['years'])} years of evidence ({a['records']:,} records)",
        "",
        f"Outcomes: {a['outcomes']['met']:,} met, {a['outcomes']['not_met']:,} not met, "
        f"{a['outcomes']['insufficient']:,} insufficient; every criterion has all three: "
        f"{a['every_outcome_per_criterion']}. All four engines gave the same outcome for "
        "every unit and criterion before anything was timed.",
        "",
        "| engine | time vs modelunit | per criterion evaluation | evaluation | preparation |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, e in a["engines"].items():
        timed = f" ({e['timed_units']:,} units)" if "timed_units" in e else ""
        lines.append(
            f"| {name} | {e['ratio_to_modelunit']:,.2f}x | {fmt_ns(e['ns_per_eval'])} | "
            f"{fmt_s(e['eval_s'])}{timed} | {fmt_s(e['prep_s'])} |"
        )
    prep = a["engines"]["modelunit"]["prep"]
    ex = a["explanations"]
    lines += [
        "",
        f"modelunit's preparation: ledger {fmt_s(prep['ledger_s'])}, index "
        f"{fmt_s(prep['index_s'])}, compile {fmt_s(prep['compile_s'])}, frame (columns read) "
        f"{fmt_s(prep['frame_s'])}. Baselines' preparation: the per-unit dictionaries "
        "(and flat dictionaries and parsed rules for the rule engines). Times are medians "
        f"of {a['engines']['modelunit']['timing']['repeats']} runs (one run for json-logic "
        "and rule-engine).",
        "",
        "One plain two-valued comparison per engine call (no missing-value checks): "
        + ", ".join(f"{k} {fmt_ns(v)}" for k, v in a["plain_comparison_ns"].items())
        + ".",
        "",
        f"Explanations: {ex['units']:,} units rendered with `batch.assessment(unit, "
        f"period)` ({ex['outcomes_explained']:,} outcomes, each with its explanation and "
        f"trace), {ex['us_per_unit']:,.0f} µs per unit. Example ({ex['example']['unit']} "
        f"{ex['example']['criterion']}, {ex['example']['outcome']}): "
        f'"{ex["example"]["explanation"]}" (records {", ".join(ex["example"]["evidence"])}).',
        "",
        "## Scaling (modelunit)",
        "",
        "| units | years | records | evaluation | ns per criterion evaluation | preparation "
        "| ns per record |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["scaling"]:
        lines.append(
            f"| {r['units']:,} | {r['years']} | {r['records']:,} | {fmt_s(r['eval_s'])} | "
            f"{r['eval_ns_per_criterion']:.1f} | {fmt_s(r['prep_s'])} | "
            f"{r['prep_ns_per_record']:,.0f} |"
        )
    if results.get("plot"):
        lines += ["", f"![scaling]({results['plot']})"]
    p = results["planner"]
    lines += [
        "",
        "## Planner: modelunit.rollout vs scipy.optimize.milp (HiGHS)",
        "",
        'Objective: least peak national yearly workload (`plan(problem, "level", '
        "stretch=False)`); both sides found the same optimum on every problem.",
        "",
        "| problem | regions x years | optimal peak | HiGHS / plan | HiGHS / optimum only "
        "| HiGHS | plan | optimum only | HiGHS model build |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in p["problems"]:
        lines.append(
            f"| {r['problem']} | {r['regions']} x {r['years']} | {r['optimal_peak']:,} | "
            f"{r['speedup_plan']:.1f}x | {r['speedup_optimum']:.1f}x | {fmt_s(r['highs_s'])} | "
            f"{fmt_s(r['plan_s'])} | {fmt_s(r['optimum_s'])} | {fmt_s(r['highs_build_s'])} |"
        )
    s = p["sweep"]
    lines += [
        "",
        f"Sweep: {s['scenarios']:,} scenarios of the 34-province problem planned with the "
        f"default strategy in {fmt_s(s['plan_s'])} ({s['per_scenario_ms']:.2f} ms each; "
        f"building the problems {fmt_s(s['build_s'])}); {s['feasible']:,} feasible; the first "
        f"{s['checked_against_highs']} checked against HiGHS.",
        "",
        "Simulation: "
        + "; ".join(
            f"{x['runs']:,} runs of the {x['problem']} plan in {fmt_s(x['seconds'])}"
            for x in p["simulation"]
        )
        + ".",
        "",
    ]
    if "planner_scale" in results:
        lines += [
            "## Planner at every scale: the whole plan against HiGHS's least peak",
            "",
            "Synthetic regions (`workloads.synthetic_problem`), 2024-2030, 30% (stretch 50%) "
            "by 2026 and 100% by 2030; the binding national cap is the floors' least peak. "
            "Least peaks equal to HiGHS on every row; stretch goals met equal to HiGHS's "
            "maximum up to 700 regions (`= HiGHS`), proven by the planner on every row. "
            "Target: HiGHS / plan >= 5x.",
            "",
            bench_planner_scale.render(results["planner_scale"]),
            "",
        ]
    lines += [
        "## Import and memory",
        "",
    ]
    imp = results["import"]
    mem = results["memory"]
    lines += [
        f"`import modelunit`: {fmt_s(imp['modelunit_s'])} against {fmt_s(imp['deps_s'])} for "
        f"`{imp['deps_statement']}` ({imp['ratio_wall']:.2f}x; medians of {imp['runs']} fresh "
        f"interpreters, Python's own start-up of {fmt_s(imp['python_startup_s'])} subtracted); "
        f"-X importtime: {imp['importtime_modelunit_us'] / 1e3:.1f} ms vs "
        f"{imp['importtime_deps_us'] / 1e3:.1f} ms ({imp['ratio_importtime']:.2f}x). "
        f"`{imp['usable_statement']}` (the assessment API actually loaded): "
        f"{fmt_s(imp['usable_s'])} ({imp['ratio_usable']:.2f}x); the slowest modules then are "
        f"listed in latest.json.",
        "",
        f"Memory, {mem['units']:,} units x 2 years ({mem['records']:,} records): peak RSS "
        f"{mem['peak_rss_bytes'] / 2**20:,.0f} MiB, {mem['bytes_per_record']:.0f} bytes per "
        f"record over the interpreter after imports; after each step: "
        + ", ".join(
            f"{k} {v / mem['records']:.0f} B/record"
            for k, v in mem["steps_bytes"].items()
            if k != "after imports"
        )
        + ".",
        *(["", bench_plugin.summary(results["plugin"])] if "plugin" in results else []),
    ]
    return lines


def run_e2e(cfg: dict[str, Any]) -> dict[str, Any]:
    """bench_e2e at the configured sizes."""
    out: dict[str, Any] = {"records": []}
    for n in cfg["e2e_units"]:
        print(f"end to end, records in memory, {n:,} units ...", flush=True)
        row = bench_e2e.run_records(n, cfg["e2e_rounds"], slow=n <= cfg["e2e_slow_up_to"])
        out["records"].append(row)
        for name, c in row["contenders"].items():
            print(f"  {name}: {c['ratio']:.2f}x the plain script", flush=True)
    print(f"end to end, from files, {cfg['file_units']:,} units ...", flush=True)
    out["files"] = bench_e2e.run_files(cfg["file_units"], cfg["file_rounds"])
    print(f"end to end, the command line, {cfg['cli_units']:,} units ...", flush=True)
    out["cli"] = bench_e2e.run_cli(cfg["cli_units"], cfg["cli_rounds"])
    print(f"  {out['cli']['modelunit assess']['ratio']:.2f}x the script", flush=True)
    print("preparation per record over sizes ...", flush=True)
    out["preparation"] = bench_e2e.run_preparation(cfg["prep_units"], cfg["prep_rounds"])
    print("per-unit accessors over sizes ...", flush=True)
    out["accessors"] = bench_e2e.run_accessors(cfg["accessor_units"])
    return out


def _setting(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE (a JSON value), got {text!r}")
    return key, json.loads(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small workloads, about a minute")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument(
        "--render", action="store_true", help="rewrite latest.md from latest.json (no run)"
    )
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help="what to run, comma-separated: e2e (the whole path), core (hot loop, scaling, "
        "planner, import, memory); a partial run writes latest-partial.*",
    )
    parser.add_argument(
        "--set",
        type=_setting,
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="override a configuration entry, e.g. --set e2e_units=[10000]",
    )
    args = parser.parse_args(argv)
    sections = [x for x in args.sections.split(",") if x]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}: choose from {', '.join(SECTIONS)}")
    base = QUICK if args.quick else FULL
    bad = sorted(k for k, _ in args.set if k not in base)
    if bad:
        parser.error(f"unknown configuration entries {bad}")
    partial = set(sections) != set(SECTIONS) or bool(args.set)
    suffix = ("-quick" if args.quick else "") + ("-partial" if partial else "")
    if args.render:
        saved = json.loads((args.out / f"latest{suffix}.json").read_text())
        saved["targets"] = targets(saved)
        if "scaling" in saved:
            saved["plot"] = plot_scaling(saved["scaling"], args.out / f"scaling{suffix}.png")
        (args.out / f"latest{suffix}.json").write_text(json.dumps(saved, indent=1, default=str))
        (args.out / f"latest{suffix}.md").write_text(markdown(saved))
        return 0
    cfg = {**base, **dict(args.set)}
    start = time.perf_counter()
    results: dict[str, Any] = {
        "quick": args.quick,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "config": cfg,
        "sections": sections,
        "partial": partial,
        "overrides": dict(args.set),
    }
    if "e2e" in sections:
        results["end_to_end"] = run_e2e(cfg)
    if "core" in sections:
        run_core(cfg, results)
    results["seconds"] = time.perf_counter() - start
    results["targets"] = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    if "scaling" in results:
        results["plot"] = plot_scaling(results["scaling"], args.out / f"scaling{suffix}.png")
    (args.out / f"latest{suffix}.json").write_text(json.dumps(results, indent=1, default=str))
    (args.out / f"latest{suffix}.md").write_text(markdown(results))
    print(markdown(results))
    return 0


def run_core(cfg: dict[str, Any], results: dict[str, Any]) -> None:
    """The hot loop, scaling, planner, import and memory (into ``results``)."""
    print(f"assessment throughput, {cfg['units']:,} units ...", flush=True)
    results["assessment"] = bench_assess.run_throughput(
        cfg["units"],
        repeats=cfg["repeats"],
        slow_units=cfg["slow_units"],
        explain_sample=cfg["explain_sample"],
    )
    for name, e in results["assessment"]["engines"].items():
        print(f"  {name}: {e['ns_per_eval']:.1f} ns per criterion evaluation", flush=True)
    print("scaling ...", flush=True)
    results["scaling"] = bench_assess.run_scaling(
        cfg["scale_units"],
        cfg["scale_years"],
        units_for_years=cfg["units_for_years"],
        repeats=cfg["repeats"],
    )
    print("planner ...", flush=True)
    results["planner"] = bench_planner.run(
        repeats=cfg["planner_repeats"],
        sweep_n=cfg["sweep"],
        sims=cfg["sims"],
        synthetic_regions=cfg["synthetic_regions"],
    )
    print("planner at every scale ...", flush=True)
    results["planner_scale"] = bench_planner_scale.run(
        tuple(cfg["scale_regions"]), repeats=min(3, cfg["planner_repeats"])
    )
    print("import time and memory (subprocesses) ...", flush=True)
    results["import"] = bench_import_memory.import_times(cfg["import_runs"])
    results["memory"] = bench_import_memory.memory(cfg["memory_units"])
    print("the Hypothesis entry point (subprocesses) ...", flush=True)
    results["plugin"] = bench_plugin.run(cfg["plugin_runs"])


if __name__ == "__main__":
    raise SystemExit(main())
