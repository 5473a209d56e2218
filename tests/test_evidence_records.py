"""JSON evidence read column by column: the same ledger as record by record, and the
converter's own errors whenever anything is unusual."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import modelunit
from modelunit._evidence_records import columns_from_data
from modelunit.catalogs import EvidenceFile
from modelunit.errors import InvalidEvidenceError
from modelunit.evidence import Evidence, EvidenceLedger
from modelunit.serialization import structure, unstructure
from modelunit.testing import criteria_sets, evidence_lists

records_data = criteria_sets(max_criteria=3).flatmap(
    lambda c: evidence_lists(c, units=["u", "phường-v"])
)


@given(records_data)
def test_the_usual_records_read_by_columns_equal_those_read_one_by_one(
    records: list[Evidence],
) -> None:
    data = unstructure(records)
    columns = columns_from_data(data)
    assert columns is not None
    assert EvidenceLedger.from_columns(columns) == EvidenceLedger(tuple(records))
    assert columns.rows() == structure({"evidence": data}, EvidenceFile).evidence


BREAKS = [
    ("id", 5),
    ("unit", None),
    ("period", True),
    ("period", "20x3"),
    ("value", [1]),
    ("value", {"n": 1}),
    ("value", float("nan")),
    ("recorded_at", 20240101),
    ("recorded_at", "yesterday"),
    ("supersedes", 7),
    ("note", 3),
    ("sorce", "typo"),
]


@given(records_data.filter(bool), st.sampled_from(BREAKS), st.data())
def test_anything_unusual_gives_up_and_the_converter_says_what(
    records: list[Evidence], brk: tuple[str, Any], data: st.DataObject
) -> None:
    given_data = unstructure(records)
    broken = copy.deepcopy(given_data)
    field, value = brk
    broken[data.draw(st.integers(0, len(broken) - 1))][field] = value
    assert columns_from_data(broken) is None
    with pytest.raises(InvalidEvidenceError):
        structure({"evidence": broken}, EvidenceFile)


def test_a_missing_field_or_a_table_that_is_not_a_record_gives_up() -> None:
    good = unstructure(modelunit.load_evidence("tutorial").records)
    assert columns_from_data(good) is not None
    assert columns_from_data([{k: v for k, v in good[0].items() if k != "unit"}]) is None
    assert columns_from_data([*good, "not a table"]) is None
    assert columns_from_data({"records": good}) is None
    assert columns_from_data([]) is not None


@pytest.mark.parametrize("name", modelunit.list_examples())
def test_every_bundled_example_loads_alike_both_ways(name: str) -> None:
    loaded = modelunit.load_evidence_file(name)
    assert modelunit.load_evidence(name) == loaded.ledger
    assert modelunit.load_units(name) == loaded.registry


def test_a_bad_file_reports_the_converters_problems(tmp_path: Path) -> None:
    records = unstructure(modelunit.load_evidence("tutorial").records)
    records[1]["value"] = [1]
    records[2]["sorce"] = "x"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"evidence": records}))
    with pytest.raises(InvalidEvidenceError) as info:
        modelunit.load_evidence(path)
    assert str(info.value) == (
        f"2 problems in {path}:\n"
        "  - evidence[1].value: expected a boolean, number or category name, got [1]\n"
        "  - evidence[2]: unexpected field(s): sorce (did you mean 'source'?)"
    )


def test_an_optional_field_left_out_everywhere_reads_as_its_default() -> None:
    # columns_from_data does not read a column that holds the default in every record:
    # that is only right while each default is what its field's hook reads it as.
    from modelunit._evidence_records import _FIELDS, OPTIONAL

    for name, default in OPTIONAL.items():
        read = _FIELDS[name][1](default)
        assert (type(read), read) == (type(default), default), name


def test_only_the_required_fields_read_alike_and_one_more_field_anywhere_is_seen() -> None:
    required = ("id", "unit", "indicator", "period", "value", "recorded_at")
    good = [
        {k: v for k, v in r.items() if k in required}
        for r in unstructure(modelunit.load_evidence("tutorial").records)
    ]
    columns = columns_from_data(good)
    assert columns is not None
    assert columns.source == [""] * len(good)
    assert columns.supersedes == [None] * len(good)
    # One optional field in the last record only: read, the others keep the default.
    noted = [*good[:-1], {**good[-1], "note": "checked"}]
    columns = columns_from_data(noted)
    assert columns is not None
    assert columns.note == [""] * (len(good) - 1) + ["checked"]
    # A field the format does not have, in one record: the exact path says what it is.
    assert columns_from_data([*good[:-1], {**good[-1], "sorce": "x"}]) is None
