"""Evidence from Excel workbooks (``.xlsx``, read with openpyxl: the ``excel`` extra).

Cells keep their types: a number is a number (a whole number an ``int``, a decimal read
exactly from its shortest text), a TRUE/FALSE cell a boolean, a date cell a date; a text
cell is read as a JSON string is (``"92%"`` is 0.92, other text a category name).
Formulas are read by the value Excel last saved for them. Messages name the sheet, its
row number and the column's letter and header.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidEvidenceError, MissingExtraError, Problem
from modelunit.evidence import EvidenceLedger
from modelunit.readers._options import layout_of
from modelunit.readers._table import Layout, LayoutKind, empty, read_table

__all__ = ["read_excel"]


def __dir__() -> list[str]:
    return __all__


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - an optional extra
    except ImportError:
        raise MissingExtraError(
            "reading Excel workbooks needs openpyxl: pip install 'modelunit[excel]'"
        ) from None
    return openpyxl


def read_excel(
    source: str | Path,
    layout: Layout | LayoutKind = "long",
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    indicators: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    defaults: Mapping[str, object] | None = None,
    catalog: CriteriaSet | None = None,
) -> EvidenceLedger:
    """The evidence in one sheet of an ``.xlsx`` workbook (the first sheet unless
    ``sheet`` names one). The sheet's first row is the header; empty rows are skipped.

    The other arguments are those of :func:`~modelunit.readers.read_csv`. Raises
    :class:`~modelunit.errors.InvalidEvidenceError` naming the file, sheet, row and
    column of every problem.
    """
    openpyxl = _openpyxl()
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    shape = layout_of(layout, columns, indicators, ignore, defaults)
    name = str(source)
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except OSError as exc:
        raise InvalidEvidenceError(
            [Problem("", f"cannot read file: {exc.strerror}")], source=name
        ) from exc
    except Exception as exc:  # openpyxl's errors for a file that is not a workbook
        raise InvalidEvidenceError(
            [Problem("", f"not an .xlsx workbook: {exc}")], source=name
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            listed = ", ".join(repr(s) for s in book.sheetnames)
            raise InvalidEvidenceError(
                [Problem("", f"no sheet named {sheet!r}; the sheets are {listed}")], source=name
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        where = f"{name}, sheet {ws.title!r}"
        numbered = [
            (i, list(row))
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
            if not all(empty(c) for c in row)
        ]
    finally:
        book.close()
    if not numbered:
        raise InvalidEvidenceError([Problem("", "the sheet is empty: no header")], source=where)
    (_, header), body = numbered[0], numbered[1:]
    # Columns past the last header cell are outside the table: they must be empty.
    width = max((j + 1 for j, h in enumerate(header) if not empty(h)), default=0)
    header = header[:width]
    problems = []
    rows: list[list[object]] = []
    numbers: list[int] = []
    for number, cells in body:
        row = cells + [None] * (width - len(cells))
        if any(not empty(c) for c in row[width:]):
            problems.append(
                Problem(
                    f"row {number}", "cells right of the last column with a header", source=where
                )
            )
            continue
        rows.append(row[:width])
        numbers.append(number)
    if problems:
        raise InvalidEvidenceError(problems, source=where)
    return read_table(
        header,
        rows,
        shape,
        source=where,
        catalog=catalog,
        row_label=lambda i: f"row {numbers[i]}",
        column_label=lambda j, h: f"column {get_column_letter(j + 1)} {h!r}",
    )
