"""rollout/__init__.py: the package's names load lazily from their owners; old names
are deprecated aliases that load their new home only when used."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import pytest

from modelunit import geography, rollout
from modelunit.rollout.rebase import MappingRow


def _loaded_after(code: str) -> set[str]:
    """The modelunit modules a fresh interpreter has loaded after running ``code``."""
    listing = "print(sorted(m for m in sys.modules if m.startswith('modelunit')))"
    script = f"{code}\nimport sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(ast.literal_eval(out))


def test_importing_the_problem_loads_only_the_problem() -> None:
    assert _loaded_after("import modelunit.rollout.problem") == {
        "modelunit",
        "modelunit._numbers",
        "modelunit._version",
        "modelunit.errors",
        "modelunit.limits",
        "modelunit.rollout",
        "modelunit.rollout._deprecated",  # the renamed fields' old names (no imports)
        "modelunit.rollout.problem",
    }


def test_importing_the_package_loads_no_submodule() -> None:
    assert _loaded_after("import modelunit.rollout") == {
        "modelunit",
        "modelunit._version",
        "modelunit.rollout",
    }


def test_every_name_resolves_to_its_owner_and_dir_lists_them() -> None:
    assert dir(rollout) == sorted(rollout.__all__)
    for name in rollout.__all__:
        owner = importlib.import_module(f"modelunit.rollout.{rollout._LAZY[name]}")
        assert getattr(rollout, name) is getattr(owner, name)
    assert set(rollout._LAZY) == set(rollout.__all__)


def test_plan_is_the_function_even_after_its_submodule_loads() -> None:
    """``plan`` names a submodule and a function; the package exports the function."""
    code = (
        "import modelunit.rollout.simulation\n"  # loads modelunit.rollout.plan first
        "from modelunit.rollout import plan\n"
        "import modelunit.rollout\n"
        "assert callable(plan) and plan is modelunit.rollout.plan, plan\n"
        "assert plan.__module__ == 'modelunit.rollout.plan'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert rollout.plan.__module__ == "modelunit.rollout.plan"


def test_submodules_load_on_attribute_access_and_unknown_names_are_attribute_errors() -> None:
    assert rollout.strategies is importlib.import_module("modelunit.rollout.strategies")
    with pytest.raises(AttributeError, match="has no attribute 'plans'"):
        rollout.plans  # noqa: B018


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("UnitMapping", MappingRow),
        ("ward_mapping_rows", geography.ward_mapping_rows),
        ("recognised_on_2025_map", geography.recognised_on_2025_map),
    ],
)
def test_old_names_are_deprecated_aliases(old: str, new: object) -> None:
    with pytest.warns(DeprecationWarning, match=rf"^modelunit\.rollout\.{old} is deprecated"):
        assert getattr(rollout, old) is new
    assert old not in rollout.__all__
    assert old not in dir(rollout)


def test_an_old_name_warns_at_the_line_that_uses_it() -> None:
    with pytest.warns(DeprecationWarning, match=r"use modelunit\.rollout\.rebase\.MappingRow") as w:
        from modelunit.rollout import UnitMapping  # noqa: F401
    assert w[0].filename == __file__


def test_the_aliases_do_not_load_the_geography_until_used() -> None:
    loaded = _loaded_after("from modelunit.rollout import MergeRule, plan")
    assert "modelunit.geography" not in loaded
    code = (
        "import warnings\nwarnings.simplefilter('ignore')\n"
        "from modelunit.rollout import ward_mapping_rows"
    )
    assert "modelunit.geography" in _loaded_after(code)
