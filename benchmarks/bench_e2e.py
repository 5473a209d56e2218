"""The whole path, end to end: from where the evidence is to outcome codes for all units.

Every contender starts from the same place and ends with one outcome code per unit and
criterion, checked equal to modelunit's before anything is timed:

- **records in memory** (a list of ``Evidence``): modelunit's documented batch API
  (``EvidenceLedger(records)``, ``assess_batch``, ``outcome_codes``); the same followed
  by every unit's ``outcomes()`` and ``summary()`` through the public API; the plain
  hand-written script (one grouping pass, 22 checks per unit, no checks of the data);
  the careful one (unique ids, corrections applied, values type checked, conflicts
  insufficient); numpy (the plain grouping, vectorised checks); json-logic (the plain
  grouping, the catalog translated to json-logic);
- **a JSON evidence file**: ``load_evidence`` and the batch, against ``json.load``
  (``parse_float=Decimal``) and the plain script;
- **a CSV file** (long layout): ``read_csv`` and the batch, against ``csv.reader`` and the
  plain script (each value converted by its indicator's type);
- **a SQLite store**: ``open_store(...).ledger()`` and the batch, against a
  ``fetchall()`` of the same table and the plain script;
- **the command line**: ``modelunit assess`` over an evidence file, against a 20-line
  script printing each unit's counts and level (whole processes).

Contenders run interleaved (A, B, C..., the first one rotated each round), each after a
``gc.collect()``, with the garbage collector on, as a user runs them; results are freed
outside the timing. Ratios are taken within a round and reported as the median (and
range) over the rounds.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import modelunit
import workloads
from baselines import careful, jsonlogic, numpy_codes, plain
from modelunit._batch import CompiledCatalog, needed_columns
from modelunit.assessment import BatchAssessment, assess_batch
from modelunit.evidence import Evidence
from modelunit.periods import Period
from modelunit.readers import read_csv
from modelunit.store import open_store

HERE = Path(__file__).resolve().parent
YEAR, PREVIOUS = "2023", "2022"


class MismatchError(AssertionError):
    """A contender's outcomes differ from modelunit's: nothing is timed."""


def interleaved(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each contender per round, run in rotating order."""
    names = list(fns)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            gc.collect()
            start = time.perf_counter()
            result = fns[name]()
            times[name].append(time.perf_counter() - start)
            del result  # freed outside the timing
    return times


def summary(times: dict[str, list[float]], reference: str, records: int) -> dict[str, Any]:
    """Median seconds, ns per record, and per-round ratios to ``reference``."""
    base = times[reference]
    out: dict[str, Any] = {}
    for name, ts in times.items():
        ratios = [t / b for t, b in zip(ts, base, strict=True)]
        out[name] = {
            "median_s": statistics.median(ts),
            "ns_per_record": statistics.median(ts) / records * 1e9,
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
            "rounds": len(ts),
        }
    return out


def check_equal(name: str, expected: dict[str, bytes], got: dict[str, bytes]) -> None:
    for cid, want in expected.items():
        if got.get(cid) != want:
            have = got.get(cid, b"")
            i = next((k for k in range(len(want)) if k >= len(have) or have[k] != want[k]), 0)
            raise MismatchError(f"{name} disagrees with modelunit on {cid} at unit {i}")
    if set(got) != set(expected):
        raise MismatchError(f"{name}: criteria {sorted(got)} instead of {sorted(expected)}")


# -- the contenders, records in memory ---------------------------------------------------------


def modelunit_codes(batch: BatchAssessment) -> dict[str, bytes]:
    return {c.id: batch.outcome_codes(YEAR, c.id) for c in batch.catalog.criteria}


def mu_records(catalog: Any, records: Sequence[Evidence]) -> dict[str, bytes]:
    """The documented batch API, from records to codes."""
    ledger = modelunit.EvidenceLedger(records)
    return modelunit_codes(assess_batch(catalog, ledger, periods=[YEAR]))


def mu_accessors(catalog: Any, records: Sequence[Evidence]) -> dict[str, bytes]:
    """The same, then every unit's outcomes and summary through the per-unit accessors."""
    batch = assess_batch(catalog, modelunit.EvidenceLedger(records), periods=[YEAR])
    codes: dict[str, bytearray] = {c.id: bytearray() for c in catalog.criteria}
    level = batch.summary
    for uid in batch.unit_ids:
        for cid, outcome in batch.outcomes(uid, YEAR).items():
            codes[cid].append(_CODE[outcome])
        level(uid, YEAR)
    return {cid: bytes(v) for cid, v in codes.items()}


_CODE = {
    modelunit.Outcome.NOT_MET: 0,
    modelunit.Outcome.INSUFFICIENT: 1,
    modelunit.Outcome.MET: 2,
    modelunit.Outcome.NOT_APPLICABLE: 3,
}


def plain_records(records: Sequence[Evidence]) -> dict[str, bytes]:
    cur, prev = plain.group(records, Period.parse(YEAR), Period.parse(PREVIOUS))
    return plain.codes(plain.assess(cur, prev)[1])


def careful_records(fits: Any, records: Sequence[Evidence]) -> dict[str, bytes]:
    cur, prev = careful.group(records, fits, Period.parse(YEAR), Period.parse(PREVIOUS))
    return plain.codes(plain.assess(cur, prev)[1])


def numpy_records(catalog: Any, records: Sequence[Evidence]) -> dict[str, bytes]:
    cur, prev = plain.group(records, Period.parse(YEAR), Period.parse(PREVIOUS))
    units = sorted(cur.keys() | prev.keys())
    return numpy_codes.codes(
        numpy_codes.columns(units, cur, catalog), numpy_codes.columns(units, prev, catalog)
    )


def jsonlogic_records(catalog: Any, rules: Any, records: Sequence[Evidence]) -> dict[str, bytes]:
    cur, prev = plain.group(records, Period.parse(YEAR), Period.parse(PREVIOUS))
    units = sorted(cur.keys() | prev.keys())
    keys = [i.key for i in catalog.indicators]
    empty: dict[str, Any] = {}
    flat = []
    for u in units:
        c, p = cur.get(u, empty), prev.get(u, empty)
        row = {k: c.get(k) for k in keys}
        row.update({f"prev__{k}": p.get(k) for k in keys})
        flat.append(row)
    return jsonlogic.codes(rules, jsonlogic.assess_all(rules, flat))


def run_records(n_units: int, rounds: int, *, slow: bool = True) -> dict[str, Any]:
    """Records in memory to outcome codes for ``n_units`` units, two years of evidence."""
    catalog = workloads.load_catalog()
    records = workloads.make_records(n_units)
    fits = careful.checks(catalog)
    fns: dict[str, Callable[[], dict[str, bytes]]] = {
        "modelunit": lambda: mu_records(catalog, records),
        "modelunit, every unit's outcomes and summary": lambda: mu_accessors(catalog, records),
        "plain script": lambda: plain_records(records),
        "careful script": lambda: careful_records(fits, records),
        "numpy": lambda: numpy_records(catalog, records),
    }
    if slow:
        rules = jsonlogic.compile_catalog(catalog)
        fns["json-logic"] = lambda: jsonlogic_records(catalog, rules, records)
    expected = fns["modelunit"]()
    for name, fn in fns.items():
        if name != "modelunit":
            check_equal(name, expected, fn())
    timed = dict(fns)
    slow_rounds = {}
    if slow:  # json-logic is timed over fewer rounds: it takes seconds per run
        jl = timed.pop("json-logic")
        slow_rounds = interleaved(
            {"json-logic": jl, "modelunit": timed["modelunit"]}, max(1, rounds // 3)
        )
    times = interleaved(timed, rounds)
    out = summary(times, "plain script", len(records))
    if slow_rounds:
        jl_summary = summary(slow_rounds, "modelunit", len(records))["json-logic"]
        plain_s = out["plain script"]["median_s"]
        jl_summary["ratio_to_modelunit"] = jl_summary.pop("ratio")
        jl_summary["ratio"] = jl_summary["median_s"] / plain_s
        jl_summary.pop("ratio_min")
        jl_summary.pop("ratio_max")
        out["json-logic"] = jl_summary
    vs_careful = [a / b for a, b in zip(times["modelunit"], times["careful script"], strict=True)]
    vs_codes = [
        a / b
        for a, b in zip(
            times["modelunit, every unit's outcomes and summary"], times["modelunit"], strict=True
        )
    ]
    return {
        "units": n_units,
        "records": len(records),
        "contenders": out,
        "modelunit_vs_careful": statistics.median(vs_careful),
        "modelunit_vs_careful_range": [min(vs_careful), max(vs_careful)],
        "accessors_vs_codes": statistics.median(vs_codes),
        "accessors_vs_codes_range": [min(vs_codes), max(vs_codes)],
        "phases": phases(catalog, records, rounds),
    }


def phases(catalog: Any, records: Sequence[Evidence], rounds: int) -> dict[str, float]:
    """modelunit's time per record in each step (median over ``rounds``), GC on."""
    found: dict[str, list[float]] = {"ledger": [], "index": [], "frame": [], "evaluate": []}
    compiled = CompiledCatalog(catalog)
    period = Period.parse(YEAR)
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        ledger = modelunit.EvidenceLedger(records)
        t1 = time.perf_counter()
        index = modelunit.build_index(catalog, ledger)
        t2 = time.perf_counter()
        ids = sorted(index.units())
        frame = compiled.frame_of_ids(index, ids, ["ward"] * len(ids), None)
        frame.prefetch(needed_columns(catalog, period))
        t3 = time.perf_counter()
        compiled.evaluate(frame, period)
        t4 = time.perf_counter()
        for key, t in zip(found, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            found[key].append(t)
        del ledger, index, frame
    n = len(records)
    out = {f"{k}_ns_per_record": statistics.median(v) / n * 1e9 for k, v in found.items()}
    out["preparation_ns_per_record"] = sum(
        out[f"{k}_ns_per_record"] for k in ("ledger", "index", "frame")
    )
    return out


def run_preparation(unit_counts: Sequence[int], rounds: int) -> list[dict[str, Any]]:
    """modelunit's preparation per record (ledger, index, frame) over sizes."""
    catalog = workloads.load_catalog()
    out = []
    for n in unit_counts:
        records = workloads.make_records(n)
        row = {"units": n, "records": len(records), **phases(catalog, records, rounds)}
        out.append(row)
        print(
            f"  preparation, {n:>7,} units: {row['preparation_ns_per_record']:.0f} ns/record",
            flush=True,
        )
        del records
        gc.collect()
    return out


def run_accessors(unit_counts: Sequence[int]) -> list[dict[str, Any]]:
    """µs per unit for outcomes() and summary() over every unit: flat means linear."""
    catalog = workloads.load_catalog()
    out = []
    for n in unit_counts:
        records = workloads.make_records(n)
        batch = assess_batch(catalog, modelunit.EvidenceLedger(records), periods=[YEAR])
        ids = batch.unit_ids
        gc.collect()
        t0 = time.perf_counter()
        for uid in ids:
            batch.outcomes(uid, YEAR)
        t1 = time.perf_counter()
        for uid in ids:
            batch.summary(uid, YEAR)
        t2 = time.perf_counter()
        out.append(
            {
                "units": n,
                "outcomes_us_per_unit": (t1 - t0) / n * 1e6,
                "summary_us_per_unit": (t2 - t1) / n * 1e6,
            }
        )
        del batch, records
    return out


# -- files ----------------------------------------------------------------------------------


def _json_value(value: object) -> object:
    # Shares as JSON numbers, as a user's export writes them (read back exactly by both).
    return float(value) if isinstance(value, Decimal) else value


def json_records(records: Sequence[Evidence]) -> list[dict[str, object]]:
    """The records as a JSON evidence file holds them (the required fields)."""
    return [
        {
            "id": r.id,
            "unit": r.unit,
            "indicator": r.indicator,
            "period": str(r.period),
            "value": _json_value(r.value),
            "recorded_at": r.recorded_at.isoformat(),
        }
        for r in records
    ]


def write_json(records: Sequence[Evidence], path: Path) -> None:
    path.write_text(json.dumps({"evidence": json_records(records)}), encoding="utf-8")


def _text(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def write_csv(records: Sequence[Evidence], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("id", "unit", "indicator", "period", "value", "recorded_at"))
        for r in records:
            out.writerow(
                (
                    r.id,
                    r.unit,
                    r.indicator,
                    str(r.period),
                    _text(r.value),
                    r.recorded_at.isoformat(),
                )
            )


class _Row:
    """A record as the plain script sees one read from a file (attribute access)."""

    __slots__ = ("indicator", "period", "unit", "value")


def plain_json(path: Path) -> dict[str, bytes]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle, parse_float=Decimal)
    cur: dict[str, dict[str, Any]] = {}
    prev: dict[str, dict[str, Any]] = {}
    by = {YEAR: cur, PREVIOUS: prev}
    for r in data["evidence"]:
        d = by.get(r["period"])
        if d is not None:
            u = d.get(r["unit"])
            if u is None:
                u = d[r["unit"]] = {}
            u[r["indicator"]] = r["value"]
    return plain.codes(plain.assess(cur, prev)[1])


def _converters(catalog: Any) -> dict[str, Callable[[str], object]]:
    out: dict[str, Callable[[str], object]] = {}
    for ind in catalog.indicators:
        if ind.type == "count":
            out[ind.key] = int
        elif ind.type in ("share", "quantity"):
            out[ind.key] = Decimal
        elif ind.type == "boolean":
            out[ind.key] = "true".__eq__
        else:
            out[ind.key] = str
    return out


def plain_csv(convert: dict[str, Callable[[str], object]], path: Path) -> dict[str, bytes]:
    cur: dict[str, dict[str, Any]] = {}
    prev: dict[str, dict[str, Any]] = {}
    by = {YEAR: cur, PREVIOUS: prev}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for _, unit, indicator, period, value, _ in rows:
            d = by.get(period)
            if d is not None:
                u = d.get(unit)
                if u is None:
                    u = d[unit] = {}
                u[indicator] = convert[indicator](value)
    return plain.codes(plain.assess(cur, prev)[1])


_DECODE = {"bool": "true".__eq__, "int": int, "decimal": Decimal, "text": str}


def plain_sqlite(path: Path) -> dict[str, bytes]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT unit, indicator, period, kind, value FROM modelunit_evidence"
    ).fetchall()
    conn.close()
    cur: dict[str, dict[str, Any]] = {}
    prev: dict[str, dict[str, Any]] = {}
    by = {YEAR: cur, PREVIOUS: prev}
    decode = _DECODE
    for unit, indicator, period, kind, value in rows:
        d = by.get(period)
        if d is not None:
            u = d.get(unit)
            if u is None:
                u = d[unit] = {}
            u[indicator] = decode[kind](value)
    return plain.codes(plain.assess(cur, prev)[1])


def _json_load(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


def _csv_rows(path: Path) -> object:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _fetchall(path: Path) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT unit, indicator, period, kind, value FROM modelunit_evidence"
        ).fetchall()
    finally:
        conn.close()


def _store_ledger(path: Path) -> object:
    with open_store(path) as store:
        return store.ledger()


def mu_json(catalog: Any, path: Path) -> dict[str, bytes]:
    return modelunit_codes(assess_batch(catalog, modelunit.load_evidence(path), periods=[YEAR]))


def mu_csv(catalog: Any, path: Path) -> dict[str, bytes]:
    return modelunit_codes(assess_batch(catalog, read_csv(path), periods=[YEAR]))


def mu_store(catalog: Any, path: Path) -> dict[str, bytes]:
    with open_store(path) as store:
        ledger = store.ledger()
    return modelunit_codes(assess_batch(catalog, ledger, periods=[YEAR]))


def run_files(n_units: int, rounds: int) -> dict[str, Any]:
    """From a JSON file, a CSV file and a SQLite store to outcome codes."""
    catalog = workloads.load_catalog()
    records = workloads.make_records(n_units)
    folder = Path(tempfile.mkdtemp(prefix="modelunit-bench-"))
    json_path, csv_path, db_path = folder / "e.json", folder / "e.csv", folder / "e.db"
    write_json(records, json_path)
    write_csv(records, csv_path)
    with open_store(db_path) as store:
        store.append(records)
    convert = _converters(catalog)
    expected = mu_records(catalog, records)
    out: dict[str, Any] = {
        "units": n_units,
        "records": len(records),
        "sizes_mb": {
            "json": json_path.stat().st_size / 1e6,
            "csv": csv_path.stat().st_size / 1e6,
            "sqlite": db_path.stat().st_size / 1e6,
        },
    }
    del records
    # Per file kind: the whole path both ways, then the reading step alone both ways
    # (modelunit's reader against the bare parse the plain script starts with).
    for kind, ours, theirs, read_ours, read_theirs in (
        (
            "json",
            lambda: mu_json(catalog, json_path),
            lambda: plain_json(json_path),
            lambda: modelunit.load_evidence(json_path),
            lambda: _json_load(json_path),
        ),
        (
            "csv",
            lambda: mu_csv(catalog, csv_path),
            lambda: plain_csv(convert, csv_path),
            lambda: read_csv(csv_path),
            lambda: _csv_rows(csv_path),
        ),
        (
            "sqlite store",
            lambda: mu_store(catalog, db_path),
            lambda: plain_sqlite(db_path),
            lambda: _store_ledger(db_path),
            lambda: _fetchall(db_path),
        ),
    ):
        check_equal(f"modelunit from {kind}", expected, ours())
        check_equal(f"plain from {kind}", expected, theirs())
        times = interleaved(
            {
                "modelunit": ours,
                "plain": theirs,
                "modelunit, reading only": read_ours,
                "plain, reading only": read_theirs,
            },
            rounds,
        )
        out[kind] = summary(times, "plain", out["records"])
        reading = [
            a / b
            for a, b in zip(
                times["modelunit, reading only"], times["plain, reading only"], strict=True
            )
        ]
        out[kind]["reading_ratio"] = statistics.median(reading)
        out[kind]["reading_ratio_range"] = [min(reading), max(reading)]
        print(
            f"  {kind}: {out[kind]['modelunit']['ratio']:.2f}x the plain script; reading "
            f"{out[kind]['modelunit, reading only']['ns_per_record'] / 1e3:.2f} µs/record, "
            f"{out[kind]['reading_ratio']:.2f}x the bare parse",
            flush=True,
        )
    for p in (json_path, csv_path, db_path):
        p.unlink()
    return out


# -- the command line ---------------------------------------------------------------------------

SCRIPT = HERE / "baselines" / "cli_script.py"


def write_cli_file(n_units: int, path: Path) -> None:
    records = workloads.make_records(n_units)
    data = {
        "units": [{"id": u, "kind": "ward"} for u in workloads.unit_ids(n_units)],
        "evidence": json_records(records),
    }
    path.write_text(json.dumps(data), encoding="utf-8")


def run_cli(n_units: int, rounds: int) -> dict[str, Any]:
    """Whole processes over an evidence file of ``n_units`` units."""
    folder = Path(tempfile.mkdtemp(prefix="modelunit-cli-"))
    path = folder / "evidence.json"
    write_cli_file(n_units, path)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    cli = [
        sys.executable,
        "-m",
        "modelunit",
        "assess",
        "--catalog",
        workloads.CATALOG_ID,
        "--evidence",
        str(path),
        "--period",
        YEAR,
    ]
    script = [sys.executable, str(SCRIPT), str(path)]

    def run(command: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(command, check=True, capture_output=True, env=env)

    check_cli(
        subprocess.run(cli, check=False, capture_output=True, env=env, text=True).stdout,
        subprocess.run(script, check=True, capture_output=True, env=env, text=True).stdout,
        n_units,
    )
    times = interleaved({"modelunit assess": run(cli), "20-line script": run(script)}, rounds)
    path.unlink()
    return {"units": n_units, **summary(times, "20-line script", n_units)}


# The command line's table for many units: "W000002   16    4    2    0  not yet met".
_CLI_ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\D")
_SCRIPT_LINE = re.compile(r"^(\S+): (\d+)/22 met, (\d+) not met, (\d+) pending")


def check_cli(cli_out: str, script_out: str, n_units: int) -> None:
    """The command line and the script report the same counts for every unit."""
    theirs = {}
    for line in script_out.splitlines():
        m = _SCRIPT_LINE.match(line)
        if m:
            theirs[m[1]] = (int(m[2]), int(m[3]), int(m[4]))
    ours = {}
    for line in cli_out.splitlines():
        m = _CLI_ROW.match(line)
        if m:
            ours[m[1]] = (int(m[2]), int(m[3]), int(m[4]))
    if len(theirs) != n_units or ours != theirs:
        wrong = sorted(u for u in theirs.keys() | ours.keys() if ours.get(u) != theirs.get(u))
        raise MismatchError(
            f"modelunit assess and the 20-line script disagree on {len(wrong)} units "
            f"(first: {wrong[:3]}); {len(ours)} vs {len(theirs)} units read"
        )
