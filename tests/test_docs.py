"""The documentation's file formats: every complete example on a format page loads with
the real loader and validates against its schema, and every field of a schema is
documented on its page. (The pages' ``>>>`` examples run as doctests of their own.)"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import modelunit
from modelunit.catalogs import open_evidence
from modelunit.geography import load_mapping_rows
from modelunit.scenarios import load_scenario
from modelunit.schema import SCHEMA_KINDS, schema
from tests.helpers import as_json

DOCS = Path(__file__).resolve().parent.parent / "docs"
FORMATS = DOCS / "formats"

# Format page -> the kind of file its examples are, and the loader that reads them.
PAGES: dict[str, tuple[str, Callable[[Path], object]]] = {
    "catalog.md": ("catalog", modelunit.load_catalog),
    "evidence.md": ("evidence", open_evidence),
    "units.md": ("units", modelunit.load_units),
    "problem.md": ("problem", load_scenario),
    "scenario.md": ("scenario", load_scenario),
    "mapping.md": ("mapping", load_mapping_rows),
}

# Pages whose fields are documented on the page they link to for a part.
SEE_ALSO = {"evidence.md": ("units.md",), "scenario.md": ("problem.md",)}

_BLOCK = re.compile(
    r"^```\{code-block\} (toml|json)\n:caption: (\S+)\n\n(.*?)^```$", re.MULTILINE | re.DOTALL
)


def examples(page: str) -> list[tuple[str, str]]:
    """(file name, text) of every complete example on a format page."""
    text = (FORMATS / page).read_text(encoding="utf-8")
    return [(name, body) for _, name, body in _BLOCK.findall(text)]


def test_every_kind_has_a_page_and_every_page_a_toml_or_json_example() -> None:
    assert sorted(kind for kind, _ in PAGES.values()) == sorted(SCHEMA_KINDS)
    for page in PAGES:
        assert examples(page), page


CASES = [(page, name, body) for page in PAGES for name, body in examples(page)]


@pytest.mark.parametrize(("page", "name", "body"), CASES, ids=[c[1] for c in CASES])
def test_each_example_loads_with_the_real_loader(
    page: str, name: str, body: str, tmp_path: Path
) -> None:
    kind, load = PAGES[page]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    (tmp_path / f"{kind}.schema.json").write_text(json.dumps(schema(kind)), encoding="utf-8")  # type: ignore[arg-type]
    assert load(path)


@pytest.mark.parametrize(("page", "name", "body"), CASES, ids=[c[1] for c in CASES])
def test_each_example_validates_against_its_schema(page: str, name: str, body: str) -> None:
    kind, _ = PAGES[page]
    data = as_json(tomllib.loads(body)) if name.endswith(".toml") else json.loads(body)
    validator = jsonschema.Draft7Validator(schema(kind))  # type: ignore[arg-type]
    assert [e.message for e in validator.iter_errors(data)] == []


def test_the_toml_examples_name_their_schema_for_taplo() -> None:
    for page, name, body in CASES:
        if name.endswith(".toml"):
            kind, _ = PAGES[page]
            assert body.startswith(f"#:schema ./{kind}.schema.json\n"), name


@pytest.mark.parametrize("page", list(PAGES))
def test_every_field_of_the_schema_is_documented_on_its_page(page: str) -> None:
    kind, _ = PAGES[page]
    pages = (page, *SEE_ALSO.get(page, ()))
    text = "".join((FORMATS / p).read_text(encoding="utf-8") for p in pages)
    s = schema(kind)  # type: ignore[arg-type]
    objects = [s, *s["definitions"].values()]
    fields = {name for o in objects for name in o.get("properties", {})} - {"$schema", "kind"}
    missing = sorted(f for f in fields if f"`{f}`" not in text)
    assert missing == []


def test_the_catalog_page_lists_every_rule_and_condition_kind() -> None:
    from modelunit.policy import CONDITION_TYPES
    from modelunit.rules import RULE_TYPES

    text = (FORMATS / "catalog.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE))
    assert {r.kind for r in RULE_TYPES} | {c.kind for c in CONDITION_TYPES} <= rows


# -- the site's configuration --------------------------------------------------------


def _conf() -> Any:
    spec = importlib.util.spec_from_file_location("docs_conf", DOCS / "conf.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebooks_page_lists_the_notebooks_that_exist() -> None:
    conf = _conf()
    source = ["# Notebooks\n\n<!-- notebooks -->\n"]
    conf._list_notebooks(None, "notebooks", source)
    names = sorted(p.stem for p in DOCS.glob("*.ipynb"))
    for name in names:
        assert f"\n{name}\n" in source[0] or f"\n{name}```" in source[0]
    if not names:
        assert "There are no notebooks" in source[0]
    other = ["<!-- notebooks -->"]
    conf._list_notebooks(None, "tutorial", other)
    assert other == ["<!-- notebooks -->"]


def test_every_page_is_in_the_site() -> None:
    # Sphinx warns (an error with -W) about a page in no toctree; catch it in the suite.
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([\w/-]+)$", index, re.MULTILINE))
    for sub in ("formats", "api"):
        text = (DOCS / sub / "index.md").read_text(encoding="utf-8")
        listed |= {f"{sub}/{n}" for n in re.findall(r"^([\w-]+)$", text, re.MULTILINE)}
    pages = {
        str(p.relative_to(DOCS).with_suffix(""))
        for p in DOCS.rglob("*.md")
        if not p.relative_to(DOCS).parts[0].startswith(("_build", "jupyter_execute"))
    }
    assert sorted(pages - listed - {"index"}) == []
