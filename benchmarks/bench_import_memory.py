"""Import time and peak memory, each measured in fresh subprocesses.

Import: ``python -c "import modelunit"`` against ``python -c "import attrs, cattrs,
dateutil.parser"`` (the run-time dependencies alone), alternated, each minus a bare
``python -c pass``; and the same from ``python -X importtime`` (cumulative
microseconds of the top-level imports).

Memory: a child process (``python benchmarks/bench_import_memory.py memory N``)
generates N units x 2 years of evidence, builds the ledger, the index and the frame,
evaluates, and reports its resident set size after each step and its peak
(``ru_maxrss``), against the size after imports.
"""

from __future__ import annotations

import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEPS = "import attrs, cattrs, dateutil.parser"
TARGET = "import modelunit"
# ``import modelunit`` loads names lazily (PEP 562); this also loads what an
# assessment needs, so the cost of the library itself is reported too.
USABLE = "import modelunit; modelunit.assess; modelunit.load_catalog"


def _wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def _importtime(code: str) -> int:
    """Cumulative µs of the top-level imports ``code`` makes (``-X importtime``)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    total = 0
    for line in out.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if m and not m.group(2).startswith(" "):
            total += int(m.group(1))
    return total


def import_times(runs: int) -> dict[str, Any]:
    bare: list[float] = []
    deps: list[float] = []
    ours: list[float] = []
    usable: list[float] = []
    for _ in range(runs):
        bare.append(_wall("pass"))
        deps.append(_wall(DEPS))
        ours.append(_wall(TARGET))
        usable.append(_wall(USABLE))
    b = statistics.median(bare)
    d = statistics.median(deps) - b
    o = statistics.median(ours) - b
    u = statistics.median(usable) - b
    it_deps = statistics.median(_importtime(DEPS) for _ in range(max(3, runs // 3)))
    it_ours = statistics.median(_importtime(TARGET) for _ in range(max(3, runs // 3)))
    # What ``import modelunit`` pulls in besides its dependencies, largest first.
    detail = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", USABLE],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    modules = []
    for line in detail.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)$", line)
        if m:
            modules.append({"module": m.group(4), "self_us": int(m.group(1))})
    modules.sort(key=lambda r: -r["self_us"])
    return {
        "runs": runs,
        "python_startup_s": b,
        "deps_s": d,
        "modelunit_s": o,
        "ratio_wall": o / d,
        "usable_statement": USABLE,
        "usable_s": u,
        "ratio_usable": u / d,
        "importtime_deps_us": it_deps,
        "importtime_modelunit_us": it_ours,
        "ratio_importtime": it_ours / it_deps,
        "deps_statement": DEPS,
        "slowest_modules": modules[:12],
    }


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def memory_child(n_units: int) -> dict[str, Any]:
    """Run in a fresh process: the 2-year assessment of ``n_units`` units, with RSS."""
    import modelunit
    import workloads
    from modelunit._batch import CompiledCatalog, needed_columns
    from modelunit.assessment import assess_batch
    from modelunit.periods import Period

    catalog = workloads.load_catalog()
    period = Period.parse("2023")
    steps: dict[str, int] = {"after imports": _rss()}
    records = workloads.make_records(n_units)
    steps["records"] = _rss()
    ledger = modelunit.EvidenceLedger(tuple(records))
    steps["ledger"] = _rss()
    index = modelunit.build_index(catalog, ledger)
    steps["index"] = _rss()
    compiled = CompiledCatalog(catalog)
    frame = compiled.frame(index, workloads.make_units(n_units), registry=None)
    frame.prefetch(needed_columns(catalog, period))
    steps["frame"] = _rss()
    batch = assess_batch(compiled, index, periods=["2023"], frame=frame)
    steps["evaluated"] = _rss()
    assert batch.outcome_codes("2023", "C01")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    base = steps["after imports"]
    return {
        "units": n_units,
        "records": len(records),
        "peak_rss_bytes": peak,
        "base_rss_bytes": base,
        "bytes_per_record": (peak - base) / len(records),
        "engine_bytes_per_record": (peak - steps["records"]) / len(records),
        "steps_bytes": {k: v - base for k, v in steps.items()},
    }


def memory(n_units: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_import_memory.py"), "memory", str(n_units)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "memory":
        print(json.dumps(memory_child(int(sys.argv[2]))))
    else:
        print(json.dumps(import_times(int(sys.argv[1]) if len(sys.argv) > 1 else 10), indent=1))
