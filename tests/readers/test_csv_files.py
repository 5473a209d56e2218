"""CSV files, long and wide: the JSON loader's checks, located by row and column; every
problem at once; a mapping for the table's own (Vietnamese) headers."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import modelunit
from modelunit.errors import InvalidArgumentError, InvalidEvidenceError
from modelunit.evidence import Evidence, EvidenceLedger
from modelunit.readers import Layout, read_csv
from modelunit.serialization import unstructure
from modelunit.testing import criteria_sets, evidence_lists

HEADER = "id,unit,indicator,period,value,recorded_at,source,supersedes"


def write(tmp_path: Path, text: str, name: str = "evidence.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, *args: object, **kw: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidEvidenceError) as info:
        read_csv(path, *args, **kw)  # type: ignore[arg-type]
    assert info.value.source == str(path)
    return [(p.path, p.message) for p in info.value.problems]


def test_a_long_table_reads_every_field_exactly(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "e1,phường-an-hòa,social_order_crimes,2023,18,2024-01-12,báo cáo năm,\n"
        "e2,phường-an-hòa,resident_satisfaction,2023-Q4,92%,2024-01-12T09:00+07:00,,\n"
        "e3,phường-an-hòa,headquarters_to_standard,2023,true,2024-01-12,,\n"
        "e4,phường-an-hòa,party_committee_ranking,2023,good,2024-01-12,,\n"
        "e5,phường-an-hòa,social_order_crimes,2023,17,2024-02-01,sửa,e1\n",
    )
    ledger = read_csv(path)
    got = {r.id: r for r in ledger.records}
    assert got["e1"].value == 18
    assert type(got["e1"].value) is int
    assert got["e1"].unit == "phường-an-hòa"
    assert got["e1"].source == "báo cáo năm"
    assert got["e2"].value == Decimal("0.92")
    assert str(got["e2"].period) == "2023-Q4"
    assert got["e2"].recorded_at.isoformat() == "2024-01-12T02:00:00"
    assert got["e3"].value is True
    assert got["e4"].value == "good"
    assert got["e5"].supersedes == "e1"
    assert sorted(r.id for r in ledger.current()) == ["e2", "e3", "e4", "e5"]


def test_vietnamese_headers_are_mapped_to_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Mã,Đơn vị,Chỉ tiêu,Kỳ,Giá trị,Ngày ghi,Ghi chú nội bộ\n"
        "e1,w,social_order_crimes,2023,18,2024-01-12,bỏ qua\n",
    )
    columns = {
        "id": "Mã",
        "unit": "Đơn vị",
        "indicator": "Chỉ tiêu",
        "period": "Kỳ",
        "value": "Giá trị",
        "recorded_at": "Ngày ghi",
    }
    ledger = read_csv(path, columns=columns, ignore=["Ghi chú nội bộ"])
    assert [(r.id, r.unit, r.value) for r in ledger.records] == [("e1", "w", 18)]
    same = read_csv(path, Layout("long", columns=columns, ignore=("Ghi chú nội bộ",)))
    assert same == ledger


def test_a_wide_table_is_one_record_per_filled_cell(tmp_path: Path) -> None:
    catalog = modelunit.load_catalog("tutorial")
    path = write(
        tmp_path,
        "Phường,Năm,Số vụ phạm pháp,Tội phạm nghiêm trọng,Hài lòng\n"
        "phuong-an-hoa,2023,18,0,93%\n"
        "phuong-an-hoa,2022,24,,\n",
    )
    ledger = read_csv(
        path,
        "wide",
        columns={"unit": "Phường", "period": "Năm"},
        indicators={
            "social_order_crimes": "Số vụ phạm pháp",
            "serious_crimes": "Tội phạm nghiêm trọng",
            "resident_satisfaction": "Hài lòng",
        },
        defaults={"recorded_at": "2024-01-12", "source": "báo cáo tỉnh"},
        catalog=catalog,
    )
    assert sorted((r.id, r.value) for r in ledger.records) == [
        ("phuong-an-hoa/2022/social_order_crimes", 24),
        ("phuong-an-hoa/2023/resident_satisfaction", Decimal("0.93")),
        ("phuong-an-hoa/2023/serious_crimes", 0),
        ("phuong-an-hoa/2023/social_order_crimes", 18),
    ]
    assert {r.source for r in ledger.records} == {"báo cáo tỉnh"}
    result = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023")
    assert result.summary() == "3/3 met: model unit"


def test_a_wide_table_with_row_ids_names_records_after_them(tmp_path: Path) -> None:
    path = write(tmp_path, "id,unit,period,recorded_at,crimes\nr7,w,2023,2024-01-01,3\n")
    assert [r.id for r in read_csv(path, "wide").records] == ["r7/crimes"]


# -- bad input ----------------------------------------------------------------------------


def test_header_problems_are_all_named(tmp_path: Path) -> None:
    path = write(tmp_path, "id,unit,indicatr,period,value,recorded_at,value,extra\n")
    assert problems(path) == [
        ("header", "the column 'value' appears twice"),
        ("header", "missing column 'indicator' (indicator) (did you mean 'indicatr'?)"),
        (
            "header",
            "unexpected column 'indicatr' (did you mean 'indicator'?); "
            "list it in ignore to skip it",
        ),
        ("header", "unexpected column 'extra'; list it in ignore to skip it"),
    ]


def test_every_bad_cell_is_reported_at_its_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "e1,w,crimes,2023,5,2024-01-10,,\n"
        "e1,w,crimes,20x3,,yesterday,,\n"
        "e3,,crimes,2023,5,2024-01-10,,zz\n"
        "e4,w,crimes,2023,5,2024-01-10\n",
    )
    assert problems(path) == [
        ("row 3, column 'id'", "duplicate evidence id 'e1'"),
        (
            "row 3, column 'period'",
            "cannot read period '20x3': expected YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or "
            "YYYY-MM-DD/YYYY-MM-DD",
        ),
        ("row 3, column 'value'", "required field missing"),
        (
            "row 3, column 'recorded_at'",
            "expected a date-time such as 2024-03-31T17:00:00+07:00, got 'yesterday'",
        ),
        ("row 4, column 'unit'", "required field missing"),
        ("row 4, column 'supersedes'", "supersedes unknown record 'zz'"),
        ("row 5", "6 cells, the header has 8"),
    ]


def test_ledger_problems_are_located_at_the_records_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\ne1,w,crimes,2023,5,2024-02-01,,\ne2,v,crimes,2023,4,2024-01-01,,e1\n",
    )
    assert problems(path) == [
        (
            "row 3, column 'supersedes'",
            "a correction must be for the same unit, indicator and period as 'e1' "
            "(w, crimes, 2023)",
        ),
        (
            "row 3, column 'supersedes'",
            "corrects 'e1', which was recorded later (2024-02-01T23:59:59.999999)",
        ),
    ]


def test_values_are_checked_against_a_catalog_at_their_cells(tmp_path: Path) -> None:
    catalog = modelunit.load_catalog("tutorial")
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "e1,w,social_order_crimes,2023,many,2024-01-10,,\n"
        "e2,w,resident_satisfaction,2023,120%,2024-01-10,,\n"
        "e3,w,serious_crimez,2023,1,2024-01-10,,\n",
    )
    assert problems(path, catalog=catalog) == [
        ("row 2, column 'value'", "expected a whole number >= 0, got 'many'"),
        (
            "row 3, column 'value'",
            "a share must be between 0 and 1 (0% to 100%), got Decimal('1.20')",
        ),
        (
            "row 4, column 'indicator'",
            "unknown indicator 'serious_crimez' (not declared by tutorial); "
            "did you mean 'serious_crimes'?",
        ),
    ]


def test_catalog_problems_are_reported_with_the_other_cells_problems(tmp_path: Path) -> None:
    # Every problem at once: a bad date and a duplicate id do not hide a value of the
    # wrong type or an undeclared indicator (cells that could not be read are not
    # checked again).
    catalog = modelunit.load_catalog("tutorial")
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "e1,w,social_order_crimes,2023,many,2024-01-10,,\n"
        "e1,w,serious_crimez,2023,1,2024-01-10,,\n"
        "e3,w,serious_crimes,2023,1,2024-13-10,,\n"
        "e4,w,serious_crimes,20x3,1,2024-01-10,,\n",
    )
    assert problems(path, catalog=catalog) == [
        ("row 2, column 'value'", "expected a whole number >= 0, got 'many'"),
        ("row 3, column 'id'", "duplicate evidence id 'e1'"),
        (
            "row 3, column 'indicator'",
            "unknown indicator 'serious_crimez' (not declared by tutorial); "
            "did you mean 'serious_crimes'?",
        ),
        (
            "row 4, column 'recorded_at'",
            "expected a date-time such as 2024-03-31T17:00:00+07:00, got '2024-13-10'",
        ),
        (
            "row 5, column 'period'",
            "cannot read period '20x3': expected YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or "
            "YYYY-MM-DD/YYYY-MM-DD",
        ),
    ]


@pytest.mark.parametrize(
    ("cell", "json_value"),
    [
        ("1e999", "1e999"),
        ("NaN", "NaN"),
        ("12.5.3", "12.5.3"),
        ("1" * 70, int("1" * 70)),  # a whole number in a cell is a JSON number
        ("true", True),
        ("0.10", "0.10"),
    ],
)
def test_a_cell_is_read_as_the_json_value_it_spells(
    tmp_path: Path, cell: str, json_value: object
) -> None:
    """A CSV cell is read as the JSON value it spells: a whole number or true/false as
    the JSON literal, any other text as the JSON string."""
    csv_path = write(tmp_path, f"{HEADER}\ne1,w,crimes,2023,{cell},2024-01-10,,\n")
    json_path = tmp_path / "same.json"
    record = {
        "id": "e1",
        "unit": "w",
        "indicator": "crimes",
        "period": "2023",
        "value": json_value,
        "recorded_at": "2024-01-10",
    }
    json_path.write_text(json.dumps({"evidence": [record]}))
    try:
        from_json: object = modelunit.load_evidence(json_path).records[0].value
    except InvalidEvidenceError as exc:
        from_json = [p.message for p in exc.problems]
    try:
        from_csv: object = read_csv(csv_path).records[0].value
    except InvalidEvidenceError as exc:
        from_csv = [p.message for p in exc.problems]
    assert from_csv == from_json


def test_an_empty_or_unreadable_file_is_an_error(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "")) == [("", "the file is empty: no header")]
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("id,unit\né".encode("latin-1"))
    assert problems(bad)[0][1].startswith("not UTF-8 text")
    assert problems(tmp_path / "missing.csv")[0][1].startswith("cannot read file")


def test_layout_arguments_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n")
    with pytest.raises(InvalidArgumentError, match="'unti' is not a field of a long table"):
        read_csv(path, columns={"unti": "Đơn vị"})
    with pytest.raises(InvalidArgumentError, match="indicators name columns of a wide table"):
        read_csv(path, indicators={"crimes": "x"})
    with pytest.raises(InvalidArgumentError, match="in the Layout"):
        read_csv(path, Layout(), ignore=["x"])


# -- the same records as from JSON ---------------------------------------------------------


def _csv_text(records: list[Evidence]) -> str:
    fields = ("id", "unit", "indicator", "period", "value", "recorded_at", "source", "supersedes")
    rows = [fields]
    for data in unstructure(records):
        value = data["value"]
        text = "true" if value is True else "false" if value is False else str(value)
        rows.append(tuple(text if f == "value" else str(data.get(f, "")) for f in fields))
    out = []
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    out.append(buffer.getvalue())
    return "".join(out)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(criteria_sets(max_criteria=3).flatmap(lambda c: evidence_lists(c, units=["u", "v"])))
def test_generated_records_read_back_from_csv_equal(
    tmp_path: Path, records: list[Evidence]
) -> None:
    path = write(tmp_path, _csv_text(records), "generated.csv")
    assert read_csv(path) == EvidenceLedger(tuple(records))


def test_rows_are_named_by_their_line_in_the_file_past_blank_lines(tmp_path: Path) -> None:
    # Lines of nothing but separators are skipped, and the rows after them keep the
    # file's numbering (the header is row 1).
    path = write(
        tmp_path,
        f"{HEADER}\ne1,w,crimes,2023,5,2024-01-10,,\n,,,,,,,\n\ne2,w,crimes,2023,x5,soon,,\n",
    )
    assert problems(path) == [
        (
            "row 5, column 'recorded_at'",
            "expected a date-time such as 2024-03-31T17:00:00+07:00, got 'soon'",
        ),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty: no header"),
        (b"id,unit\n\xff\xfe,w\n", "not UTF-8 text"),
        (b'id,unit\n"e1,w\n', "not valid CSV"),
    ],
)
def test_a_file_that_is_not_csv_text_is_one_problem(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "evidence.csv"
    path.write_bytes(content)
    found = problems(path)
    assert len(found) == 1
    assert found[0][1].startswith(message)


def test_a_file_that_cannot_be_read_is_one_problem(tmp_path: Path) -> None:
    assert problems(tmp_path / "missing.csv") == [
        ("", "cannot read file: No such file or directory")
    ]


def test_a_date_alone_is_the_end_of_that_day_on_every_path(tmp_path: Path) -> None:
    # Found when the readers landed: "2024-03-01" read from a file was midnight, and
    # the end of that day in Evidence(...) and as_of; a record made that day was then
    # visible as of noon from a file and not from Python.
    from datetime import datetime, time

    from modelunit.serialization import structure

    end = datetime.combine(datetime(2024, 3, 1), time.max)
    fields = {"id": "e1", "unit": "w", "indicator": "x", "period": "2023", "value": 1}
    made = Evidence(**fields, recorded_at="2024-03-01", source="s")  # type: ignore[arg-type]
    read = structure({**fields, "recorded_at": "2024-03-01", "source": "s"}, Evidence)
    evidence = {"units": [{"id": "w"}], "evidence": [{**fields, "recorded_at": "2024-03-01"}]}
    (tmp_path / "e.json").write_text(json.dumps(evidence), encoding="utf-8")
    loaded = modelunit.load_evidence(tmp_path / "e.json")
    csv_path = write(tmp_path, f"{HEADER}\ne1,w,x,2023,1,2024-03-01,s,\n")
    from_csv = read_csv(csv_path)
    assert {made.recorded_at, read.recorded_at} == {end}
    assert [r.recorded_at for r in loaded.current()] == [end]
    assert [r.recorded_at for r in from_csv.current()] == [end]
