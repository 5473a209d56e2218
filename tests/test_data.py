"""The one reader of data files: bundled names, the user's paths, and errors that name
the file (and the line and column where the text is malformed)."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from modelunit import _data
from modelunit.errors import (
    InvalidCatalogError,
    InvalidInputError,
    UnknownCatalogError,
    UnknownScenarioError,
)

TUTORIAL = {"id": "tutorial"}


def test_bundled_names_are_sorted_without_suffixes() -> None:
    names = _data.bundled_names("catalogs")
    assert "tutorial" in names
    assert "cap-kieu-mau-2021" in names
    assert list(names) == sorted(names)
    assert not any(n.endswith(_data.SUFFIXES) for n in names)
    assert _data.bundled_names("no-such-folder") == ()


def test_a_bundled_name_is_read_and_named_by_its_file() -> None:
    data, shown = _data.read_source("tutorial", "catalogs")
    assert shown == "catalogs/tutorial.toml"
    assert data["id"] == "tutorial"
    assert _data.read_bundled("catalogs", "tutorial") == (data, shown)


def test_every_bundled_file_parses() -> None:
    for folder in ("catalogs", "examples", "geography", "scenarios", "targets"):
        names = _data.bundled_names(folder)
        assert names, folder
        for name in names:
            data, shown = _data.read_bundled(folder, name)
            assert isinstance(data, dict | list), shown
            assert shown.startswith(f"{folder}/{name}.")


def test_an_unknown_name_lists_the_bundled_names() -> None:
    with pytest.raises(UnknownCatalogError) as info:
        _data.read_source("tutorail", "catalogs")
    assert info.value.available == _data.bundled_names("catalogs")
    assert str(info.value) == (
        "no catalog named 'tutorail' and no such file; bundled catalogs: "
        + ", ".join(_data.bundled_names("catalogs"))
    )
    assert isinstance(info.value, KeyError)


def test_the_unknown_name_error_can_be_chosen() -> None:
    with pytest.raises(UnknownScenarioError, match="bundled scenarios: "):
        _data.read_source("nope", "scenarios", unknown=UnknownScenarioError)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("set.toml", 'id = "tutorial"\n'),
        ("set.json", '{"id": "tutorial"}'),
        ("SET.TOML", 'id = "tutorial"\n'),
    ],
)
def test_a_path_is_read_by_its_suffix(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _data.read_source(path, "catalogs") == (TUTORIAL, str(path))
    assert _data.read_source(str(path), "catalogs") == (TUTORIAL, str(path))


def test_an_existing_path_without_a_suffix_is_a_file_not_a_name(tmp_path: Path) -> None:
    path = tmp_path / "tutorial"
    path.write_text('id = "mine"\n', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="unsupported file type ''"):
        _data.read_source(str(path), "catalogs")


def _problem(exc: pytest.ExceptionInfo[InvalidInputError]) -> tuple[str | None, str, str]:
    (problem,) = exc.value.problems
    return exc.value.source, problem.path, problem.message


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.toml"
    with pytest.raises(InvalidInputError) as info:
        _data.read_source(path, "catalogs")
    assert _problem(info) == (str(path), "", "cannot read file: No such file or directory")
    assert str(info.value).startswith(f"1 problem in {path}:")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.toml"
    path.write_bytes('title = "Phường Điện Biên"'.encode("utf-16"))
    with pytest.raises(InvalidInputError) as info:
        _data.read_source(path, "catalogs")
    source, where, message = _problem(info)
    assert (source, where) == (str(path), "")
    assert message.startswith("not UTF-8 text: 'utf-8' codec can't decode byte 0xff")


def test_invalid_toml_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('id = "x"\nversion = \n', encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        _data.read_source(path, "catalogs")
    assert _problem(info) == (
        str(path),
        "",
        "invalid TOML: Invalid value (at line 2, column 11)",
    )


def test_invalid_json_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x",\n  "version": }', encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        _data.read_source(path, "catalogs")
    assert _problem(info) == (str(path), "line 2 column 14", "invalid JSON: Expecting value")
    assert f"{path}:\n  - line 2 column 14: invalid JSON" in str(info.value)


def test_an_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        _data.read_source(path, "catalogs")
    assert _problem(info) == (str(path), "", "unsupported file type '.yaml'; use .toml or .json")


def test_the_error_class_can_be_chosen(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("id = \n", encoding="utf-8")
    with pytest.raises(InvalidCatalogError):
        _data.read_source(path, "catalogs", what=InvalidCatalogError)
    with pytest.raises(InvalidCatalogError):
        _data.read_file(tmp_path / "gone.json", what=InvalidCatalogError)


def test_parse_bytes_alone() -> None:
    assert _data.parse_bytes(b'{"a": [1, 2]}', "x", ".json") == {"a": [1, 2]}
    assert _data.parse_bytes('a = "Điện Biên"'.encode(), "x", ".toml") == {"a": "Điện Biên"}
    with pytest.raises(InvalidInputError, match="1 problem in x:"):
        _data.parse_bytes(b"a = 1", "x", ".ini")


@pytest.mark.parametrize(
    ("name", "shown", "message"),
    [
        ("\ud800.json", "\\ud800.json", "not a file name the system accepts"),
        ("a\x00.json", "a\x00.json", "embedded null byte"),
    ],
)
def test_a_name_no_file_can_have_is_a_typed_error(name: str, shown: str, message: str) -> None:
    # Found by the fuzz suite: UnicodeEncodeError and ValueError escaped from read_bytes;
    # the name is shown with an escape where it cannot be printed.
    with pytest.raises(InvalidCatalogError, match=message) as info:
        _data.read_file(name, what=InvalidCatalogError)
    assert info.value.source == shown
    str(info.value).encode("utf-8")


def test_a_catalog_at_the_rule_depth_limit_reads_back_from_its_json(tmp_path: Path) -> None:
    # Found while building the fuzz suite: a valid catalog whose rule nests 32 'all'
    # combinators (the limit) is written to 66 levels of JSON, and refused when read.
    import modelunit
    from modelunit.limits import MAX_RULE_DEPTH
    from modelunit.rules import AllOf, Rule
    from modelunit.serialization import to_json

    catalog = modelunit.load_catalog("tutorial")
    rule: Rule = catalog.criteria[0].rule
    for _ in range(MAX_RULE_DEPTH - 1):
        rule = AllOf((rule,))
    first = attrs.evolve(catalog.criteria[0], rule=rule)
    deep = attrs.evolve(catalog, criteria=(first, *catalog.criteria[1:]))
    assert deep.criteria[0].rule == rule  # a valid catalog, at the limit
    path = tmp_path / "deep.json"
    path.write_text(to_json(deep), encoding="utf-8")
    assert modelunit.load_catalog(path) == deep


def test_a_name_too_long_for_the_file_system_is_a_typed_error() -> None:
    # Found by the fuzz suite: Path.exists() raised OSError (ENAMETOOLONG) for a long
    # name without a suffix ("modelunit diff tutorial xxxx..." exited 3).
    with pytest.raises(UnknownCatalogError):
        _data.read_source("x" * 5_000, "catalogs")
    with pytest.raises(InvalidCatalogError, match="cannot read file"):
        _data.read_source("x" * 5_000 + ".toml", "catalogs", what=InvalidCatalogError)


def test_a_top_level_schema_key_is_for_editors_and_dropped(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text('{"$schema": "./catalog.schema.json", "id": "x"}', encoding="utf-8")
    assert _data.read_file(path) == {"id": "x"}
    toml = tmp_path / "set.toml"
    toml.write_text('"$schema" = "https://example.org/s.json"\nid = "x"\n', encoding="utf-8")
    assert _data.read_file(toml) == {"id": "x"}
    # Only at the top: inside a table it is data, for the loader to refuse.
    assert _data.parse_bytes(b'{"a": {"$schema": "s"}}', "f", ".json") == {"a": {"$schema": "s"}}


def test_a_schema_key_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text('{"$schema": 7, "id": "x"}', encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        _data.read_file(path)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("$schema", "expected the path or URL of a JSON Schema (text)")
    ]


def test_a_catalog_with_a_schema_key_loads(tmp_path: Path) -> None:
    from modelunit.catalogs import load_catalog

    data, _ = _data.read_bundled("catalogs", "tutorial")
    path = tmp_path / "set.json"
    text = json.dumps({"$schema": "./catalog.schema.json", **data}, default=str)  # dates
    path.write_text(text, encoding="utf-8")
    assert load_catalog(path) == load_catalog("tutorial")
