"""JSON Lines: one record per line, the JSON loader's checks, problems by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelunit.errors import InvalidEvidenceError
from modelunit.readers import read_jsonl

GOOD = {
    "id": "a",
    "unit": "w",
    "indicator": "crimes",
    "period": "2023",
    "value": 3,
    "recorded_at": "2024-01-01",
}


def lines(tmp_path: Path, *records: object) -> Path:
    path = tmp_path / "stream.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
        + "\n",
        encoding="utf-8",
    )
    return path


def test_records_read_as_from_a_json_file(tmp_path: Path) -> None:
    fix = dict(GOOD, id="b", value=2, recorded_at="2024-02-01", supersedes="a", note="sửa")
    ledger = read_jsonl(lines(tmp_path, GOOD, "", fix))
    assert [(r.id, r.value, r.note) for r in ledger.current()] == [("b", 2, "sửa")]


def test_every_problem_is_named_by_line(tmp_path: Path) -> None:
    path = lines(
        tmp_path,
        GOOD,
        "{not json",
        dict(GOOD, id=5, sorce="x"),
        dict(GOOD, id="a"),
    )
    with pytest.raises(InvalidEvidenceError) as info:
        read_jsonl(path)
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "line 2, line 1 column 2",
            "invalid JSON: Expecting property name enclosed in double quotes",
        ),
    ]
    path = lines(tmp_path, GOOD, dict(GOOD, id=5, sorce="x"), dict(GOOD, value=[1]))
    with pytest.raises(InvalidEvidenceError) as info:
        read_jsonl(path)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("line 2, id", "expected text, got 5 (put it in quotes)"),
        ("line 2", "unexpected field(s): sorce (did you mean 'source'?)"),
        ("line 3, value", "expected a boolean, number or category name, got [1]"),
    ]
    with pytest.raises(InvalidEvidenceError) as info:
        read_jsonl(lines(tmp_path, GOOD, dict(GOOD, value=4)))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("line 2, id", "duplicate evidence id 'a'"),
    ]
