"""Assessment throughput: modelunit's compiled batch evaluator against three baselines.

Every engine starts from its own prepared state, built from the same evidence
records: modelunit from its evidence index and a frame whose columns are read in
advance; the baselines from per-unit dictionaries (``{indicator: value}`` per year
for the hand-written function, one flat dictionary per unit for json-logic and
rule-engine). Preparation is timed separately. Every engine's outcome for every
unit and criterion is checked equal to modelunit's *before* any time is reported;
a mismatch stops the run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import modelunit
import workloads
from baselines import handwritten, jsonlogic, ruleengine
from modelunit._batch import CompiledCatalog, Frame, needed_columns
from modelunit.assessment import BatchAssessment, assess_batch
from modelunit.criteria import CriteriaSet
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from timing import once, repeat

CODE = {Outcome.NOT_MET: 0, Outcome.INSUFFICIENT: 1, Outcome.MET: 2, Outcome.NOT_APPLICABLE: 3}


class MismatchError(AssertionError):
    """Two engines disagree: no time is reported."""


def prepare_modelunit(
    catalog: CriteriaSet,
    records: Sequence[Any],
    units: Sequence[modelunit.Unit],
    periods: Sequence[Period],
) -> tuple[CompiledCatalog, modelunit.assessment.EvidenceIndex, Frame, dict[str, float]]:
    """Ledger, index, compiled rules and a frame with every needed column read."""
    ledger, t_ledger = once(lambda: modelunit.EvidenceLedger(tuple(records)), pause_gc=False)
    index, t_index = once(lambda: modelunit.build_index(catalog, ledger), pause_gc=False)
    compiled, t_compile = once(lambda: CompiledCatalog(catalog))

    def build_frame() -> Frame:
        frame = compiled.frame(index, units, registry=None)
        for period in periods:
            frame.prefetch(needed_columns(catalog, period))
        return frame

    frame, t_frame = once(build_frame, pause_gc=False)
    times = {"ledger_s": t_ledger, "index_s": t_index, "compile_s": t_compile, "frame_s": t_frame}
    times["total_s"] = sum(times.values())
    return compiled, index, frame, times


def modelunit_codes(batch: BatchAssessment, catalog: CriteriaSet, period: str) -> dict[str, bytes]:
    return {c.id: batch.outcome_codes(period, c.id) for c in catalog.criteria}


def check_equal(
    name: str, expected: dict[str, bytes], got: dict[str, bytes], units: Sequence[str]
) -> None:
    """Fail loudly on the first difference, naming the unit and criterion."""
    if expected.keys() != got.keys():
        raise MismatchError(f"{name}: criteria differ: {sorted(expected)} vs {sorted(got)}")
    for cid, want in expected.items():
        have = got[cid]
        if want != have:
            i = next(k for k in range(len(want)) if k >= len(have) or want[k] != have[k])
            found = have[i] if i < len(have) else None
            raise MismatchError(
                f"{name} disagrees with modelunit on {cid} for unit {units[i]}: "
                f"{found} instead of {want[i]} (0 not met, 1 insufficient, 2 met)"
            )


def check_explanations(
    batch: BatchAssessment, catalog: CriteriaSet, period: str, sample: Sequence[str]
) -> dict[str, Any]:
    """Render explained assessments for ``sample`` and check them against the batch."""

    def render() -> list[Any]:
        return [batch.assessment(uid, period) for uid in sample]

    assessments, seconds = once(render, pause_gc=False)
    explained = with_values = 0
    for uid, a in zip(sample, assessments, strict=True):
        got = {r.criterion: r.outcome for r in a.results}
        want = batch.outcomes(uid, period)
        if got != want:
            raise MismatchError(f"explained assessment of {uid} differs from the batch outcomes")
        for r in a.results:
            if not r.explanation:
                raise MismatchError(f"{uid} {r.criterion}: empty explanation")
            explained += 1
            if r.trace is not None and (r.trace.values or r.trace.children):
                with_values += 1
    first = assessments[0]
    example = next(r for r in first.results if r.criterion == "C11")
    return {
        "units": len(sample),
        "outcomes_explained": explained,
        "outcomes_with_trace": with_values,
        "seconds": seconds,
        "us_per_unit": seconds / len(sample) * 1e6,
        "example": {
            "unit": first.unit,
            "criterion": example.criterion,
            "outcome": example.outcome.label_en,
            "explanation": example.explanation,
            "evidence": list(example.evidence),
        },
    }


def run_throughput(
    n_units: int, *, repeats: int, slow_units: int, explain_sample: int, seed: int = workloads.SEED
) -> dict[str, Any]:
    """The head-to-head comparison on ``n_units`` units, two years of evidence.

    json-logic and rule-engine are checked on every unit; they are timed over the
    first ``slow_units`` units (their cost per unit is flat; see the scaling table).
    """
    catalog = workloads.load_catalog()
    years = workloads.DEFAULT_YEARS
    year = years[-1]
    period = Period.parse(str(year))
    records, t_gen = once(lambda: workloads.make_records(n_units, years, seed), pause_gc=False)
    ids = workloads.unit_ids(n_units)
    units = workloads.make_units(n_units)
    n_eval = n_units * len(catalog.criteria)

    # -- preparation (timed separately) ------------------------------------------------
    compiled, index, frame, mu_prep = prepare_modelunit(catalog, records, units, [period])
    dicts, t_dicts = once(lambda: workloads.unit_dicts(records, ids, catalog), pause_gc=False)
    flat, t_flat = once(lambda: workloads.flat_dicts(dicts, year), pause_gc=False)
    jl_rules, t_jl = once(lambda: jsonlogic.compile_catalog(catalog))
    re_rules, t_re = once(lambda: ruleengine.compile_catalog(catalog))
    cur, prev = dicts.by_year[year], dicts.by_year[year - 1]

    # -- results first: every engine must agree with modelunit on every unit -----------
    batch = assess_batch(compiled, index, periods=[str(year)], frame=frame)
    expected = modelunit_codes(batch, catalog, str(year))
    hw_results = handwritten.assess_all(cur, prev)
    check_equal("hand-written", expected, handwritten.codes(hw_results), ids)
    jl_results, jl_all_s = once(lambda: jsonlogic.assess_all(jl_rules, flat))
    check_equal("json-logic", expected, jsonlogic.codes(jl_rules, jl_results), ids)
    re_results, re_all_s = once(lambda: ruleengine.assess_all(re_rules, flat))
    check_equal("rule-engine", expected, ruleengine.codes(re_rules, re_results), ids)
    del hw_results, jl_results, re_results
    outcome_counts = {
        name: sum(codes.count(code) for codes in expected.values())
        for name, code in (("met", 2), ("not_met", 0), ("insufficient", 1))
    }
    per_criterion_all_outcomes = all(
        all(codes.count(c) for c in (0, 1, 2)) for codes in expected.values()
    )

    # -- timing -------------------------------------------------------------------------
    mu_t = repeat(lambda: assess_batch(compiled, index, periods=[str(year)], frame=frame), repeats)
    raw_t = repeat(lambda: compiled.evaluate(frame, period), repeats)
    hw_t = repeat(lambda: handwritten.assess_all(cur, prev), repeats)
    k = min(slow_units, n_units)
    jl_t = repeat(lambda: jsonlogic.assess_all(jl_rules, flat[:k]), 1)
    re_t = repeat(lambda: ruleengine.assess_all(re_rules, flat[:k]), 1)

    def ns(t: dict[str, float], evaluations: int) -> float:
        return t["median_s"] / evaluations * 1e9

    engines = {
        "modelunit": {
            "ns_per_eval": ns(mu_t, n_eval),
            "eval_s": mu_t["median_s"],
            "timing": mu_t,
            "prep_s": mu_prep["total_s"],
            "prep": mu_prep,
            "what": "assess_batch(compiled, index, periods=[year], frame=frame)",
        },
        "modelunit (raw evaluate)": {
            "ns_per_eval": ns(raw_t, n_eval),
            "eval_s": raw_t["median_s"],
            "timing": raw_t,
            "prep_s": mu_prep["total_s"],
            "what": "CompiledCatalog.evaluate(frame, period): lanes only",
        },
        "hand-written": {
            "ns_per_eval": ns(hw_t, n_eval),
            "eval_s": hw_t["median_s"],
            "timing": hw_t,
            "prep_s": t_dicts,
            "what": "one Python function per unit, one branch per criterion",
        },
        "json-logic": {
            "ns_per_eval": ns(jl_t, k * len(catalog.criteria)),
            "eval_s": jl_t["median_s"],
            "timing": jl_t,
            "timed_units": k,
            "all_units_s": jl_all_s,
            "prep_s": t_dicts + t_flat + t_jl,
            "what": "json_logic.jsonLogic(rule, row) per unit per criterion",
        },
        "rule-engine": {
            "ns_per_eval": ns(re_t, k * len(catalog.criteria)),
            "eval_s": re_t["median_s"],
            "timing": re_t,
            "timed_units": k,
            "all_units_s": re_all_s,
            "prep_s": t_dicts + t_flat + t_re,
            "what": "rule_engine.Rule(text).evaluate(row) per unit per criterion",
        },
    }
    base = engines["modelunit"]["ns_per_eval"]
    for e in engines.values():
        e["ratio_to_modelunit"] = e["ns_per_eval"] / base

    rng = random.Random(seed)
    sample = sorted({ids[0], ids[-1], *rng.sample(ids, min(explain_sample, n_units))})
    explanations = check_explanations(batch, catalog, str(year), sample)

    # Plain two-valued comparisons: what one engine call costs on this machine, without
    # the missing-value checks the three outcomes need (context for the figures above).
    plain = plain_comparisons(flat[: min(2000, n_units)])
    return {
        "units": n_units,
        "years": list(years),
        "criteria": len(catalog.criteria),
        "records": len(records),
        "criterion_evaluations": n_eval,
        "generate_s": t_gen,
        "outcomes": outcome_counts,
        "every_outcome_per_criterion": per_criterion_all_outcomes,
        "equal": True,
        "engines": engines,
        "explanations": explanations,
        "plain_comparison_ns": plain,
    }


def plain_comparisons(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """ns for one two-valued ``security_movement_models >= 1`` per engine, rows with a value."""
    import rule_engine
    from json_logic import jsonLogic

    present = [r for r in rows if r["security_movement_models"] is not None]
    logic = {">=": [{"var": "security_movement_models"}, 1]}
    rule = rule_engine.Rule("security_movement_models >= 1")

    def python() -> list[bool]:
        return [r["security_movement_models"] >= 1 for r in present]

    out = {}
    for name, fn in (
        ("python", python),
        ("json-logic", lambda: [jsonLogic(logic, r) for r in present]),
        ("rule-engine", lambda: [rule.evaluate(r) for r in present]),
    ):
        t = repeat(fn, 3)
        out[name] = t["median_s"] / len(present) * 1e9
    return out


def run_scaling(
    unit_counts: Sequence[int],
    year_counts: Sequence[int],
    *,
    units_for_years: int,
    repeats: int,
    seed: int = workloads.SEED,
) -> list[dict[str, Any]]:
    """modelunit's cost over units (two years) and over years of evidence (every year
    assessed): preparation per record and evaluation per criterion evaluation."""
    catalog = workloads.load_catalog()
    points = [(n, 2, "units") for n in unit_counts]
    points += [(units_for_years, y, "years") for y in year_counts]
    out = []
    for n_units, n_years, axis in points:
        row = _scaling_point(catalog, n_units, n_years, repeats, seed)
        row["axis"] = axis
        out.append(row)
        print(
            f"  scaling {axis}: {n_units:>7} units x {n_years:>2} years: "
            f"eval {row['eval_ns_per_criterion']:.1f} ns/criterion, "
            f"prep {row['prep_ns_per_record']:.0f} ns/record",
            flush=True,
        )
    return out


def _scaling_point(
    catalog: CriteriaSet, n_units: int, n_years: int, repeats: int, seed: int
) -> dict[str, Any]:
    years = tuple(range(2024 - n_years, 2024))
    periods = [Period.parse(str(y)) for y in years]
    records = workloads.make_records(n_units, years, seed)
    units = workloads.make_units(n_units)
    compiled, index, frame, prep = prepare_modelunit(catalog, records, units, periods)
    year_ids = [str(y) for y in years]
    t = repeat(lambda: assess_batch(compiled, index, periods=year_ids, frame=frame), repeats)
    evaluations = n_units * len(catalog.criteria) * n_years
    return {
        "units": n_units,
        "years": n_years,
        "records": len(records),
        "criterion_evaluations": evaluations,
        "eval_s": t["median_s"],
        "eval_ns_per_criterion": t["median_s"] / evaluations * 1e9,
        "prep_s": prep["total_s"],
        "prep": prep,
        "prep_ns_per_record": prep["total_s"] / len(records) * 1e9,
    }
