"""The notebooks of docs/ run unchanged in a fresh kernel and show tables and pictures,
not reprs; they are kept without outputs (the docs site executes them)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
NOTEBOOKS = sorted(DOCS.glob("*.ipynb"))
# A cell that shows only text longer than this is a repr, not a table.
LONGEST_TEXT = 400


@functools.cache
def _run(path: Path) -> Any:
    """The notebook executed in a fresh kernel (once per test session)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(path, as_version=4)
    # Which interpreter ran it: the kernel must be this environment's.
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"))
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(DOCS)}},
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's own paths, no warning
        client.execute()
    return notebook


def test_there_are_the_two_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == ["national-rollout.ipynb", "province-wards.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_kept_without_outputs(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_run_and_show_tables_and_pictures(path: Path) -> None:
    notebook = _run(path)
    *cells, probe = [c for c in notebook.cells if c.cell_type == "code"]
    # The kernel runs in this environment (paths compared as paths: CI starts the suite
    # as .ci-wheel-tests/../.ci-wheel/bin/python, the kernel reports it normalised).
    assert os.path.normpath(probe.outputs[0]["text"].strip()) == os.path.normpath(sys.executable)
    tables = pictures = 0
    for cell in cells:
        shown = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
        for output in shown:
            data = output["data"]
            tables += "text/html" in data
            pictures += "image/png" in data
            if "text/html" not in data and "image/png" not in data:
                assert len(data.get("text/plain", "")) <= LONGEST_TEXT, cell.source
        assert not any(o.output_type == "error" for o in cell.outputs)
    assert tables >= 5
    assert pictures >= 2


def test_the_what_if_is_answered_in_one_cell() -> None:
    notebook = _run(DOCS / "national-rollout.ipynb")
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and '{"79": 20}' in c.source]
    (html,) = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    assert "HCM at 20 a year" in html
    assert "Hồ Chí Minh" in html
    assert "26 → 20" in html  # fewer wards a year
    assert "infeasible" in html  # and the 2029 target is missed
