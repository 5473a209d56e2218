"""Sphinx configuration: the site built from ``docs/`` (MyST Markdown, notebooks, and an
API reference from the docstrings).

Build it, warnings as errors, from a checkout::

    python -m pip install -e '.[docs]'
    python -m sphinx -W --keep-going -n -b html docs docs/_build/html

The examples on the pages are run by the test suite (``python -m pytest`` runs every
``docs/*.md`` as a doctest), not by Sphinx. This file imports nothing from Sphinx, so
the test suite can import it too.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent

# -- project --------------------------------------------------------------------------

project = "modelunit"
author = "modelunit developers"
copyright = "2026, modelunit developers"
release = metadata.version("modelunit")
version = release

# -- sources --------------------------------------------------------------------------

extensions = [
    "myst_nb",  # MyST Markdown pages and Jupyter notebooks (it loads myst_parser)
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "jupyter_execute", ".ipynb_checkpoints", "**/.ipynb_checkpoints"]

myst_enable_extensions = ["colon_fence", "deflist", "smartquotes"]
myst_heading_anchors = 3  # [link](page.md#a-heading) works as on GitHub

# -- notebooks (myst-nb) -------------------------------------------------------------
# Executed on every build, so that a notebook that no longer runs fails the build, and
# what the site shows is what the code does today. MODELUNIT_DOCS_EXECUTE=off renders
# the outputs stored in the notebooks instead (a quick local build).

nb_execution_mode = os.environ.get("MODELUNIT_DOCS_EXECUTE", "force")
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_execution_show_tb = True
nb_merge_streams = True

# -- API reference (autodoc) ---------------------------------------------------------

autodoc_default_options = {"members": True, "undoc-members": True, "member-order": "bysource"}
autodoc_typehints = "signature"
autodoc_typehints_format = "short"

# Nitpicky (-n) resolves every cross-reference in the API pages. The standard library
# and the dependencies have no inventory here (the build runs offline, without
# intersphinx), so references into them are not checked.
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(?:attrs?|cattrs?|dateutil|decimal|fractions|datetime|collections\.abc|typing"
        r"|typing_extensions|pathlib|importlib(?:\.\w+)*|types|enum|hypothesis(?:\.\w+)*"
        r"|contextlib|argparse|json|sqlite3|os|io|re|concurrent(?:\.\w+)*|matplotlib(?:\.\w+)*"
        r"|pandas)\..*",
    ),
    (r"py:mod", r"tomllib|json|decimal"),
    # Private modules and type variables are not in the reference.
    (r"py:.*", r"(?:modelunit\.)?(?:\w+\.)*_\w+(?:\.\w+)*|modelunit\.serialization\.T"),
    (
        r"py:.*",
        r"(?:Decimal|Fraction|date|datetime|timedelta|Path|Traversable|Any|Final"
        r"|Literal|Callable|Iterable|Iterator|Mapping|Sequence|Collection|Set"
        r"|AbstractContextManager|SearchStrategy|Converter|TextIO|Context|DrawFn"
        r"|ClassVar|TypeVar|T|Self|EllipsisType|NoneType|ModuleType|Axes|DataFrame|Lang)",
    ),
]

# Names re-exported by a package (``modelunit.assess``, ``modelunit.rollout.plan``) are
# documented in the module that owns them; a reference to the package's name resolves
# to that module's entry, as ``import`` does.


def _owner(target: str) -> str | None:
    import importlib  # noqa: PLC0415 - only when a reference is missing

    package, _, name = target.rpartition(".")
    if package not in ("modelunit", "modelunit.rollout"):
        return None
    owner = getattr(importlib.import_module(package), "_LAZY", {}).get(name)
    return f"{package}.{owner}.{name}" if owner else None


def _resolve_reexports(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    target = _owner(node.get("reftarget", ""))
    if target is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
    )


# -- HTML ---------------------------------------------------------------------------

html_theme = "furo"
html_title = f"modelunit {release}"
html_show_sourcelink = False
html_theme_options: dict[str, Any] = {"top_of_page_buttons": []}


# -- the notebooks' index -------------------------------------------------------------


def _notebooks() -> list[str]:
    """Every notebook in ``docs/`` (their names are the other pages' business)."""
    return sorted(p.stem for p in DOCS.glob("*.ipynb"))


def _list_notebooks(app: Any, docname: str, source: list[str]) -> None:
    """Fill the toctree of ``notebooks.md`` with the notebooks that exist, so that a new
    notebook is on the site (and run by the build) as soon as it is in ``docs/``."""
    if docname != "notebooks":
        return
    found = _notebooks()
    listing = "\n".join(found) if found else ""
    toctree = f"```{{toctree}}\n:maxdepth: 1\n\n{listing}\n```\n"
    if not found:
        toctree = "There are no notebooks in this version of the documentation.\n"
    source[0] = source[0].replace("<!-- notebooks -->", toctree)


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", _list_notebooks)
    app.connect("missing-reference", _resolve_reexports)
    return {"parallel_read_safe": True}
