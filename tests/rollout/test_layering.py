"""The planner's layer: no module under modelunit.rollout loads the data layer, the
bundled geography, the converter or the assessment engine, and none does file I/O.

Each module is imported alone in a fresh interpreter (``sys.modules`` then shows
everything it pulls in). The whole-graph check, assessment side included, is in
tests/test_architecture.py.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import modelunit.rollout

FORBIDDEN = (
    "modelunit._data",
    "modelunit.assessment",
    "modelunit.catalogs",
    "modelunit.criteria",
    "modelunit.evidence",
    "modelunit.geography",
    "modelunit.results",
    "modelunit.rules",
    "modelunit.serialization",
)

ROOT = Path(modelunit.rollout.__file__).parent
MODULES = ["modelunit.rollout"] + [
    f"modelunit.rollout.{m.name}" for m in pkgutil.iter_modules([str(ROOT)])
]


def test_every_module_is_checked() -> None:
    assert {m.rsplit(".", 1)[-1] for m in MODULES[1:]} == {p.stem for p in ROOT.glob("*.py")} - {
        "__init__"
    }


@pytest.mark.parametrize("module", MODULES)
def test_a_planner_module_loads_nothing_outside_its_layer(module: str) -> None:
    code = f"import sys, {module}\nprint('\\n'.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"{module} loads {result.stdout.split()}"


# Modules and names through which Python code reads or writes files.
_IO_MODULES = {"io", "os", "pathlib", "shutil", "tempfile", "importlib.resources", "glob"}
_IO_CALLS = {"open"}


@pytest.mark.parametrize("path", sorted(ROOT.glob("*.py")), ids=lambda p: p.name)
def test_no_planner_module_does_file_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in _IO_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module in _IO_MODULES:
            found.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _IO_CALLS
        ):
            found.append(f"{node.func.id}()")
    assert found == []


@pytest.mark.parametrize("module", MODULES)
def test_dir_lists_the_public_names(module: str) -> None:
    loaded = importlib.import_module(module)
    assert sorted(dir(loaded)) == sorted(loaded.__all__)
    assert all(hasattr(loaded, name) for name in loaded.__all__)
