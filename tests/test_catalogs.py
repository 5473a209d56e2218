"""Loading catalogs and evidence from files: names, formats and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import modelunit
from modelunit.errors import InvalidCatalogError, InvalidEvidenceError, UnknownCatalogError
from modelunit.serialization import to_json

TUTORIAL = """
id = "mini"
version = "1"
[[indicators]]
key = "crimes"
type = "count"
aggregation = "sum"
[[criteria]]
id = "C1"
rule = { kind = "compare", indicator = "crimes", op = "<=", value = 3 }
[[policy.levels]]
id = "ok"
condition = { kind = "tally", outcome = "met", min_share = "100%" }
"""


def test_bundled_names_are_listed_and_load() -> None:
    assert "tutorial" in modelunit.list_catalogs()
    assert "tutorial" in modelunit.list_examples()
    assert modelunit.load_catalog("tutorial").id == "tutorial"


def test_unknown_name_lists_what_exists() -> None:
    with pytest.raises(UnknownCatalogError) as info:
        modelunit.load_catalog("nope")
    assert isinstance(info.value, KeyError)
    assert "bundled catalogs:" in str(info.value)
    assert "tutorial" in str(info.value)


def test_toml_and_json_files_give_the_same_set(tmp_path: Path) -> None:
    toml_file = tmp_path / "mini.toml"
    toml_file.write_text(TUTORIAL, encoding="utf-8")
    from_toml = modelunit.load_catalog(toml_file)
    json_file = tmp_path / "mini.json"
    json_file.write_text(to_json(from_toml), encoding="utf-8")
    assert modelunit.load_catalog(str(json_file)) == from_toml


def test_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        TUTORIAL.replace('indicator = "crimes"', 'indicator = "crimez"'), encoding="utf-8"
    )
    with pytest.raises(InvalidCatalogError) as info:
        modelunit.load_catalog(bad)
    assert str(info.value) == (
        f"1 problem in {bad}:\n"
        "  - criteria[0].rule.indicator (record 'C1'): unknown indicator 'crimez'"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("broken.toml", "id = ", "invalid TOML"),
        ("broken.json", "{", "invalid JSON"),
        ("broken.yaml", "id: x", "unsupported file type '.yaml'"),
        ("missing.toml", None, "cannot read file"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, text: str | None, message: str) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidCatalogError, match=message):
        modelunit.load_catalog(path)


def test_evidence_file_with_units(tmp_path: Path) -> None:
    path = tmp_path / "ev.json"
    path.write_text(
        json.dumps(
            {
                "units": [{"id": "w"}, {"id": "a1", "kind": "residential_area", "parent": "w"}],
                "evidence": [
                    {
                        "id": "e1",
                        "unit": "w",
                        "indicator": "crimes",
                        "period": "2023",
                        "value": 2,
                        "recorded_at": "2024-01-05",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert [r.id for r in modelunit.load_evidence(path)] == ["e1"]
    assert [u.id for u in modelunit.load_units(path).children("w")] == ["a1"]


def test_evidence_errors_name_file_record_and_field(tmp_path: Path) -> None:
    path = tmp_path / "ev.json"
    path.write_text(
        json.dumps(
            {
                "evidence": [
                    {
                        "id": "e1",
                        "unit": "w",
                        "indicator": "crimes",
                        "period": "2023-Q5",
                        "value": 2,
                        "recorded_at": "2024-01-05",
                    },
                    {
                        "id": "e2",
                        "unit": "w",
                        "indicator": "crimes",
                        "period": "2023",
                        "value": 2,
                        "recorded_at": "yesterday",
                    },
                    {
                        "id": "e3",
                        "unit": "w",
                        "indicator": "crimes",
                        "period": "2023",
                        "value": 2,
                        "recorded_at": "2024-01-05",
                        "supersedes": "e9",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(InvalidEvidenceError) as info:
        modelunit.load_evidence(path)
    paths = [p.path for p in info.value.problems]
    assert paths == ["evidence[0].period", "evidence[1].recorded_at"]
    assert str(path) in str(info.value)


def test_ledger_problems_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ev.json"
    path.write_text(
        json.dumps(
            {
                "evidence": [
                    {
                        "id": "e3",
                        "unit": "w",
                        "indicator": "crimes",
                        "period": "2023",
                        "value": 2,
                        "recorded_at": "2024-01-05",
                        "supersedes": "e9",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(InvalidEvidenceError) as info:
        modelunit.load_evidence(path)
    assert str(info.value) == (
        f"1 problem in {path}:\n  - records[0].supersedes (record 'e3'): "
        "supersedes unknown record 'e9'"
    )
