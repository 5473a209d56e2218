"""Excel workbooks: typed cells, the sheet named, rows and column letters in messages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

import modelunit
from modelunit.errors import InvalidEvidenceError
from modelunit.readers import read_excel

openpyxl = pytest.importorskip("openpyxl", reason="the excel extra (openpyxl) is not installed")


def workbook(tmp_path: Path, rows: list[list[object]], sheet: str = "Phường") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.create_sheet("Khác")
    path = tmp_path / "tinh.xlsx"
    book.save(path)
    return path


WIDE = [
    ["Mã phường", "Năm", "Ngày báo cáo", "Số vụ", "Tội phạm nghiêm trọng", "Hài lòng"],
    ["phuong-an-hoa", 2023, datetime(2024, 1, 12, 9, 30), 18, 0, 0.93],
    ["phuong-an-hoa", "2022", datetime(2023, 1, 15), 24, None, None],
]
MAPPING = {
    "columns": {"unit": "Mã phường", "period": "Năm", "recorded_at": "Ngày báo cáo"},
    "indicators": {
        "social_order_crimes": "Số vụ",
        "serious_crimes": "Tội phạm nghiêm trọng",
        "resident_satisfaction": "Hài lòng",
    },
}


def test_a_provinces_wide_sheet_goes_to_verdicts(tmp_path: Path) -> None:
    catalog = modelunit.load_catalog("tutorial")
    path = workbook(tmp_path, WIDE)
    ledger = read_excel(path, "wide", catalog=catalog, **MAPPING)  # type: ignore[arg-type]
    values = {(r.indicator, str(r.period)): r.value for r in ledger.records}
    assert values == {
        ("social_order_crimes", "2023"): 18,
        ("serious_crimes", "2023"): 0,
        ("resident_satisfaction", "2023"): Decimal("0.93"),  # the float's shortest text
        ("social_order_crimes", "2022"): 24,
    }
    result = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023")
    assert result.summary() == "3/3 met: model unit"


def test_bad_cells_name_the_file_sheet_row_and_column(tmp_path: Path) -> None:
    rows = [*WIDE, ["phuong-b", 2023, "hôm qua", "nhiều", -1, 1.5]]
    path = workbook(tmp_path, rows)
    with pytest.raises(InvalidEvidenceError) as info:
        read_excel(path, "wide", catalog=modelunit.load_catalog("tutorial"), **MAPPING)  # type: ignore[arg-type]
    assert info.value.source == f"{path}, sheet 'Phường'"
    catalog_problems = [
        ("row 4, column D 'Số vụ'", "expected a whole number >= 0, got 'nhiều'"),
        ("row 4, column E 'Tội phạm nghiêm trọng'", "a count cannot be negative, got -1"),
        (
            "row 4, column F 'Hài lòng'",
            "a share must be between 0 and 1 (0% to 100%), got Decimal('1.5')",
        ),
    ]
    # Every problem at once: the date's and the catalog's.
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "row 4, column C 'Ngày báo cáo'",
            "expected a date-time such as 2024-03-31T17:00:00+07:00, got 'hôm qua'",
        ),
        *catalog_problems,
    ]
    fixed = [*WIDE, ["phuong-b", 2023, datetime(2024, 1, 1), "nhiều", -1, 1.5]]
    with pytest.raises(InvalidEvidenceError) as info:
        read_excel(
            workbook(tmp_path, fixed), "wide", catalog=modelunit.load_catalog("tutorial"), **MAPPING
        )  # type: ignore[arg-type]
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("row 4, column D 'Số vụ'", "expected a whole number >= 0, got 'nhiều'"),
        ("row 4, column E 'Tội phạm nghiêm trọng'", "a count cannot be negative, got -1"),
        (
            "row 4, column F 'Hài lòng'",
            "a share must be between 0 and 1 (0% to 100%), got Decimal('1.5')",
        ),
    ]


def test_an_id_must_be_text_as_in_a_json_file(tmp_path: Path) -> None:
    rows = [
        ["id", "unit", "indicator", "period", "value", "recorded_at"],
        [17, "w", "crimes", 2023, 3, datetime(2024, 1, 1)],
    ]
    with pytest.raises(InvalidEvidenceError) as info:
        read_excel(workbook(tmp_path, rows))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("row 2, column A 'id'", "expected text, got 17 (put it in quotes)")
    ]


def test_sheets_are_chosen_by_name_and_cells_outside_the_header_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path, WIDE)
    with pytest.raises(
        InvalidEvidenceError, match="no sheet named 'Xã'; the sheets are 'Phường', 'Khác'"
    ):
        read_excel(path, sheet="Xã")
    with pytest.raises(InvalidEvidenceError, match="the sheet is empty"):
        read_excel(path, sheet="Khác")
    rows = [row[:] for row in WIDE]
    rows[1] = [*rows[1], None, "stray"]
    with pytest.raises(InvalidEvidenceError, match="cells right of the last column"):
        read_excel(workbook(tmp_path, rows), "wide", **MAPPING)  # type: ignore[arg-type]
    not_a_book = tmp_path / "fake.xlsx"
    not_a_book.write_text("hello")
    with pytest.raises(InvalidEvidenceError, match=r"not an \.xlsx workbook"):
        read_excel(not_a_book)
