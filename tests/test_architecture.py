"""Guards that keep the architecture as docs/contributing.md describes it.

- Every member of each closed set is handled everywhere it must be: every rule kind is
  drawn by ``modelunit.testing.rules()``, valid, evaluated alike by both evaluators and
  handled (translated or refused on purpose) by both benchmark translators.
- Imports flow one way, between the layers named below, with no cycle.
- No public code path raises a builtin exception: errors are ``ModelUnitError`` s.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import graphlib
import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample

import modelunit
from modelunit import rules as rules_module
from modelunit.assessment import assess_batch
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.policy import Level, RecognitionPolicy, Tally
from modelunit.rules import (
    RULE_TYPES,
    AllOf,
    AnyOf,
    Flag,
    KOf,
    Not,
    Rule,
    ShareOf,
    SubUnits,
    iter_rules,
)
from modelunit.testing import rules
from tests.helpers import INDICATORS

SRC = Path(modelunit.__file__).parent
ROOT = Path(__file__).resolve().parents[1]


# -- closed sets ---------------------------------------------------------------------------


@functools.cache
def _example(kind: type[Rule]) -> Rule:
    """A generated rule with a node of ``kind`` (criterion refs may name C0)."""
    strategy = rules(INDICATORS, max_depth=2, criteria=("C0",), sub_units=True)
    try:
        return find(
            strategy,
            lambda r: any(isinstance(node, kind) for _, node in iter_rules(r)),
            settings=settings(
                max_examples=5000,
                database=None,
                phases=[Phase.generate],  # the first one found: no shrinking needed
                suppress_health_check=list(HealthCheck),
            ),
        )
    except NoSuchExample:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"modelunit.testing.rules() never draws a {kind.__name__} rule")


KINDS = pytest.mark.parametrize("kind", RULE_TYPES, ids=lambda k: k.kind)


@KINDS
def test_every_rule_kind_is_drawn_valid_and_evaluated_alike(kind: type[Rule]) -> None:
    rule = _example(kind)
    base = Criterion("C0", Flag("hq_ok"))
    catalog = CriteriaSet(
        id="kinds",
        version="1",
        indicators=INDICATORS,
        criteria=(base, Criterion("C1", rule)),
        policy=RecognitionPolicy((Level("all", Tally("met", min_share=1)),)),  # type: ignore[arg-type]
    )
    assert catalog.problems() == []
    units = UnitRegistry((Unit("w"), Unit("w/a", kind="residential_area", parent="w")))
    ledger = EvidenceLedger(())
    single = modelunit.assess(catalog, ledger, unit="w", period="2023", units=units)
    batch = assess_batch(catalog, ledger, units=["w"], periods=["2023"], registry=units)
    assert batch.outcome("w", "2023", "C1") is single.result("C1").outcome


@KINDS
def test_every_rule_kind_is_handled_by_the_benchmark_translators(kind: type[Rule]) -> None:
    jsonlogic = pytest.importorskip("benchmarks.baselines.jsonlogic")
    ruleengine = pytest.importorskip("benchmarks.baselines.ruleengine")
    rule = _example(kind)
    indicators = {i.key: i for i in INDICATORS}
    for translator in (jsonlogic, ruleengine):
        # Refused on purpose (a branch says why) is fine; a forgotten kind hits
        # assert_never, an AssertionError, and fails.
        with contextlib.suppress(NotImplementedError):
            translator.translate(rule, indicators)


def test_rule_types_derive_from_the_union() -> None:
    assert set(RULE_TYPES) == set(rules_module.Rule.__args__)  # type: ignore[attr-defined]
    assert len({k.kind for k in RULE_TYPES}) == len(RULE_TYPES)
    composite = {k for k in RULE_TYPES if k.composite}
    assert composite == {AllOf, AnyOf, Not, KOf, ShareOf, SubUnits}
    assert all(k.branch in ("rule", "rules") for k in composite)


# -- one-way imports -------------------------------------------------------------------------

# Layer of every module (packages by prefix), and the layers each may import at its top.
LAYERS = {
    "base": (
        "errors",
        "limits",
        "_checks",
        "_numbers",
        "_version",
        "_i18n",
        "_texts",
        "outcomes",
        "periods",
    ),
    "values": (
        "indicators",
        "rules",
        "evidence",
        "results",
        "policy",
        "lint",
        "catalog_examples",
        "criteria",
        "versions",
    ),
    "engine": ("lookup", "_explain", "_batch", "assessment", "decide", "catalog_tests"),
    "planner": ("rollout",),
    "data": (
        "_data",
        "_cattrs_errors",
        "_serialization_hooks",
        "_evidence_records",
        "serialization",
        "catalogs",
        "geography",
        "targets",
        "scenarios",
        "schema",
    ),
    "io": ("readers", "store", "verdicts"),
    "notebook": ("frames", "display", "plot", "comparison", "sweep"),
    "top": ("cli", "testing", "_hypothesis_plugin", "__init__", "__main__"),
}
ALLOWED = {
    "base": {"base"},
    "values": {"base", "values"},
    "engine": {"base", "values", "engine"},
    "planner": {"base", "planner"},
    "data": {"base", "values", "planner", "data"},
    "io": {"base", "values", "engine", "data", "io"},
    "notebook": {"base", "values", "engine", "planner", "data", "notebook"},
    "top": set(LAYERS),
}
# Imports made inside a function, on purpose, that point where a top-level one may not.
LAZY_EXCEPTIONS = {
    ("serialization", "rollout"),  # the planner's converter hooks, on first planner type
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" and len(rel.parts) > 1 else rel.parts
        out[".".join(parts)] = path
    return out


# Modules whose role puts them in another layer than their package's.
LAYER_OF = {"rollout._serialization_hooks": "data"}  # the converter's hooks for planner types


def _layer(module: str) -> str:
    if module in LAYER_OF:
        return LAYER_OF[module]
    head = module.split(".", maxsplit=1)[0]
    for layer, members in LAYERS.items():
        if head in members:
            return layer
    raise AssertionError(f"module modelunit.{module} has no layer: add it to LAYERS")


def _imports(path: Path) -> Iterator[tuple[str, bool]]:
    """(imported modelunit module, at top level?) for every import in ``path``."""
    tree = ast.parse(path.read_text("utf-8"))
    lazy_nodes = {
        id(n)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(fn)
    }
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for n in ast.walk(block)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "modelunit":
                names = [a.name for a in node.names]
            elif node.module.startswith("modelunit."):
                names = [node.module.removeprefix("modelunit.")]
        elif isinstance(node, ast.Import):
            names = [
                a.name.removeprefix("modelunit.")
                for a in node.names
                if a.name.startswith("modelunit.")
            ]
        for name in names:
            yield name, id(node) not in lazy_nodes


def test_every_module_has_a_layer_and_imports_only_downwards() -> None:
    wrong = []
    for module, path in _modules().items():
        mine = _layer(module)
        for target, top in _imports(path):
            if target not in _modules():
                continue  # a name re-exported by a package (from modelunit import _data)
            theirs = _layer(target)
            if theirs in ALLOWED[mine]:
                continue
            if not top and (module.split(".")[0], target.split(".")[0]) in LAZY_EXCEPTIONS:
                continue
            if not top and theirs == "notebook":
                continue  # a result's thin _repr_html_/to_pandas/plot, imported on use
            wrong.append(f"{module} ({mine}) imports {target} ({theirs})")
    assert wrong == []


def test_no_import_cycle_at_module_level() -> None:
    modules = _modules()
    graph = {
        m: {t for t, top in _imports(p) if top and t in modules and t != m}
        for m, p in modules.items()
    }
    # A package's __init__ importing its own submodules is how packages work, not a cycle.
    graph = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


_PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("modelunit"))))
"""


def _loaded_by(module: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, module], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize(
    "module", ["modelunit.assessment", "modelunit.criteria", "modelunit.lookup"]
)
def test_the_assessment_path_loads_no_planner_and_no_converter(module: str) -> None:
    loaded = _loaded_by(module)
    forbidden = {
        m
        for m in loaded
        if m.startswith("modelunit.rollout")
        or m in ("modelunit.serialization", "modelunit._data", "modelunit.geography")
    }
    assert forbidden == set()


def test_the_planner_loads_no_assessment_engine_and_reads_no_data() -> None:
    loaded = _loaded_by("modelunit.rollout")
    engine = {f"modelunit.{m}" for m in LAYERS["values"] + LAYERS["engine"] + LAYERS["data"]}
    assert loaded & engine == set()


# -- errors ----------------------------------------------------------------------------------

_BUILTIN_ERRORS = {
    name
    for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, BaseException)
}
# (module, function, exception) raised on purpose: protocols that require the builtin.
_ALLOWED_RAISES = {
    ("__init__", "__getattr__", "AttributeError"),  # PEP 562 module __getattr__
    ("criteria", "__getattr__", "AttributeError"),
    ("rollout", "__getattr__", "AttributeError"),
    ("rules", "_text", "NotImplementedError"),  # the abstract base of the rule classes
}


def _raises() -> Iterator[tuple[str, str, str, int]]:
    for module, path in _modules().items():
        if module == "errors":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if not isinstance(node, ast.Raise) or node.exc is None:
                    continue
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(exc, ast.Name) and exc.id in _BUILTIN_ERRORS:
                    yield module, fn.name, exc.id, node.lineno


def test_no_builtin_exception_is_raised_outside_errors_py() -> None:
    found = [
        f"modelunit/{module}.py:{line} raises {name} in {fn}()"
        for module, fn, name, line in _raises()
        if name != "AssertionError"  # internal invariants, never part of the contract
        and (module.split(".")[0], fn, name) not in _ALLOWED_RAISES
    ]
    assert found == []


def test_the_raise_guard_sees_raises() -> None:
    # The check above must not pass because it looks at nothing.
    assert ("rules", "_text", "NotImplementedError") in {(m, f, e) for m, f, e, _ in _raises()}


def test_decimal_sums_in_points_are_exact_under_a_low_precision() -> None:
    import decimal

    catalog = CriteriaSet(
        id="p",
        version="1",
        indicators=(Indicator("x", "boolean", "last"),),
        criteria=tuple(Criterion(f"C{i}", Flag("x"), points=Decimal("1000.001")) for i in range(3)),
        policy=RecognitionPolicy(()),
    )
    ledger = EvidenceLedger((Evidence("e", "u", "x", "2023", True, recorded_at="2024-01-01"),))
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        result = modelunit.assess(catalog, ledger, unit="u", period="2023")
    assert result.points == Decimal("3000.003")
