"""What modelunit's Hypothesis entry point adds to ``import hypothesis``.

Hypothesis runs every ``hypothesis`` entry point while it is imported, in every test run
of every project that has modelunit installed. Each figure comes from fresh
interpreters (``python bench_plugin.py child NAME``), alternated, medians reported:

- **the hook** (what the issue bounds at 10 ms): with ``HYPOTHESIS_NO_PLUGINS=1``,
  ``import hypothesis``; then modelunit's entry point is loaded and called, timed: the
  import of ``modelunit`` and ``modelunit._hypothesis_plugin`` and the registration.
  Two named hooks side by side: ``lazy`` (the shipped one, which imports no modelunit
  module and registers each type when its module is imported) and ``eager`` (a hook that
  imports every module with public types and registers them at once, as the hook did
  before; it reads the module list before the clock starts, so it is if anything
  favoured). Before any time is reported, both must register the same types once the
  modules are imported.
- **end to end**: ``python -c "import hypothesis"`` with plugins and with
  ``HYPOTHESIS_NO_PLUGINS=1``. The difference also holds Hypothesis's own scan of the
  installed distributions' entry points (``importlib.metadata``), which every Hypothesis
  user pays whether or not modelunit is installed; it is reported for context.

    python benchmarks/bench_plugin.py [RUNS]
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HOOKS = ("lazy", "eager")


def _modelunit_entry_point() -> importlib.metadata.EntryPoint:
    found = [
        e
        for e in importlib.metadata.entry_points(group="hypothesis")
        if e.value.startswith("modelunit.")
    ]
    if len(found) != 1:
        raise SystemExit(f"expected one modelunit entry point, found {found}")
    return found[0]


def child(hook: str) -> dict[str, Any]:
    """In a fresh interpreter: the hook's cost and the types it registers."""
    os.environ["HYPOTHESIS_NO_PLUGINS"] = "1"  # Hypothesis runs no hook on its own
    start = time.perf_counter()
    import hypothesis  # noqa: F401
    from hypothesis import strategies as st
    from hypothesis.strategies._internal.types import _global_type_lookup

    hypothesis_s = time.perf_counter() - start
    start = time.perf_counter()
    entry = _modelunit_entry_point()
    scan_s = time.perf_counter() - start
    before = set(sys.modules)
    if hook == "lazy":
        start = time.perf_counter()
        entry.load()()
        hook_s = time.perf_counter() - start
    else:
        from modelunit._hypothesis_plugin import TYPES

        before = set(sys.modules)
        start = time.perf_counter()
        from modelunit.testing._types import strategy_for

        for name, types in TYPES.items():
            module = importlib.import_module(name)
            for type_name in types:
                st.register_type_strategy(getattr(module, type_name), strategy_for)
        hook_s = time.perf_counter() - start
    loaded = sorted(m for m in set(sys.modules) - before if m.startswith("modelunit"))
    # The outcome: once every module with public types is imported, the same types are
    # registered whichever hook ran.
    from modelunit._hypothesis_plugin import TYPES

    for name in TYPES:
        importlib.import_module(name)
    registered = sorted(
        f"{t.__module__}.{t.__qualname__}"
        for t in _global_type_lookup
        if isinstance(t, type) and t.__module__.startswith("modelunit")
    )
    return {
        "hook": hook,
        "hook_s": hook_s,
        "hypothesis_s": hypothesis_s,
        "entry_point_scan_s": scan_s,
        "modelunit_modules_loaded": loaded,
        "registered": registered,
    }


def _child(hook: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_plugin.py"), "child", hook],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def _import_hypothesis(*, plugins: bool) -> float:
    env = dict(os.environ)
    env.pop("HYPOTHESIS_NO_PLUGINS", None)
    if not plugins:
        env["HYPOTHESIS_NO_PLUGINS"] = "1"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import hypothesis"], check=True, env=env)
    return time.perf_counter() - start


def _hypothesis_self_us(*, plugins: bool) -> int:
    """``-X importtime``'s self time of the ``hypothesis`` package: its ``__init__``, where
    the entry points are scanned and run (what the hook imports is listed apart)."""
    env = dict(os.environ)
    env.pop("HYPOTHESIS_NO_PLUGINS", None)
    if not plugins:
        env["HYPOTHESIS_NO_PLUGINS"] = "1"
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import hypothesis"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stderr
    total = 0
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)$", line)
        if m and (m.group(2) == "hypothesis" or m.group(2).startswith("modelunit")):
            total += int(m.group(1))
    return total


def run(runs: int) -> dict[str, Any]:
    rows: dict[str, list[dict[str, Any]]] = {h: [] for h in HOOKS}
    with_plugins: list[float] = []
    without: list[float] = []
    self_with: list[int] = []
    self_without: list[int] = []
    for _ in range(runs):
        for hook in HOOKS:
            rows[hook].append(_child(hook))
        self_with.append(_hypothesis_self_us(plugins=True))
        self_without.append(_hypothesis_self_us(plugins=False))
        with_plugins.append(_import_hypothesis(plugins=True))
        without.append(_import_hypothesis(plugins=False))
    registered = {h: rows[h][0]["registered"] for h in HOOKS}
    if registered["lazy"] != registered["eager"] or not registered["lazy"]:
        missing = set(registered["eager"]) ^ set(registered["lazy"])
        raise SystemExit(f"the hooks register different types: {sorted(missing)}")
    hooks = {
        h: {
            "hook_ms": statistics.median(r["hook_s"] for r in rows[h]) * 1e3,
            "min_ms": min(r["hook_s"] for r in rows[h]) * 1e3,
            "max_ms": max(r["hook_s"] for r in rows[h]) * 1e3,
            "modelunit_modules_loaded": len(rows[h][0]["modelunit_modules_loaded"]),
        }
        for h in HOOKS
    }
    plugins_ms = statistics.median(with_plugins) * 1e3
    bare_ms = statistics.median(without) * 1e3
    return {
        "runs": runs,
        "types_registered": len(registered["lazy"]),
        "hooks": hooks,
        "ratio_eager_to_lazy": hooks["eager"]["hook_ms"] / hooks["lazy"]["hook_ms"],
        "lazy_modules": rows["lazy"][0]["modelunit_modules_loaded"],
        "import_hypothesis_in_process_ms": statistics.median(
            r["hypothesis_s"] for r in rows["lazy"]
        )
        * 1e3,
        "entry_point_scan_ms": statistics.median(r["entry_point_scan_s"] for r in rows["lazy"])
        * 1e3,
        "importtime_with_plugins_ms": statistics.median(self_with) / 1e3,
        "importtime_without_plugins_ms": statistics.median(self_without) / 1e3,
        "import_hypothesis_with_plugins_ms": plugins_ms,
        "import_hypothesis_without_plugins_ms": bare_ms,
        "end_to_end_difference_ms": plugins_ms - bare_ms,
    }


def summary(r: dict[str, Any]) -> str:
    lazy, eager = r["hooks"]["lazy"], r["hooks"]["eager"]
    return (
        f"modelunit's Hypothesis hook: {lazy['hook_ms']:.2f} ms (min {lazy['min_ms']:.2f}, "
        f"max {lazy['max_ms']:.2f}; "
        f"modules loaded: {', '.join(r['lazy_modules'])}) against {eager['hook_ms']:.1f} ms "
        f"for an eager hook ({eager['modelunit_modules_loaded']} modelunit modules), "
        f"{r['ratio_eager_to_lazy']:.0f}x; both register the same {r['types_registered']} "
        f'types. Medians of {r["runs"]} fresh interpreters. `python -c "import hypothesis"`: '
        f"{r['import_hypothesis_with_plugins_ms']:.0f} ms with plugins, "
        f"{r['import_hypothesis_without_plugins_ms']:.0f} ms with HYPOTHESIS_NO_PLUGINS=1 "
        f"(difference {r['end_to_end_difference_ms']:.1f} ms, which includes Hypothesis's own "
        f"entry-point scan, {r['entry_point_scan_ms']:.1f} ms in process; wall times of a "
        f"whole interpreter are noisy on a shared machine). By `-X importtime`, the self time "
        f"of `hypothesis` (where entry points are scanned and run) plus modelunit's modules: "
        f"{r['importtime_with_plugins_ms']:.1f} ms with plugins, "
        f"{r['importtime_without_plugins_ms']:.1f} ms without."
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        print(json.dumps(child(sys.argv[2])))
    else:
        result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
        print(json.dumps(result, indent=1))
        print(summary(result))
