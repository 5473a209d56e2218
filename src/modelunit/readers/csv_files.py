"""Evidence from CSV files (the standard library's :mod:`csv`).

Every cell of a CSV file is text, read as the JSON value it spells: ``true`` and
``false`` are booleans, a whole number is a number, and any other text is read as a
JSON string is (``0.92`` and ``92%`` are exact decimals, other text a category name).
Rows and columns in messages are the file's (the header is row 1).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidEvidenceError, Problem
from modelunit.evidence import EvidenceLedger
from modelunit.readers._options import layout_of
from modelunit.readers._table import Layout, LayoutKind, read_table

__all__ = ["read_csv"]


def __dir__() -> list[str]:
    return __all__


def read_csv(
    source: str | Path,
    layout: Layout | LayoutKind = "long",
    *,
    columns: Mapping[str, str] | None = None,
    indicators: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    defaults: Mapping[str, object] | None = None,
    catalog: CriteriaSet | None = None,
    delimiter: str = ",",
) -> EvidenceLedger:
    """The evidence in a CSV file (UTF-8, with or without a byte-order mark).

    ``layout``, ``columns``, ``indicators``, ``ignore`` and ``defaults``: see
    :class:`~modelunit.readers.Layout`. With ``catalog``, indicators and values are
    also checked against its declarations at their cells. Raises
    :class:`~modelunit.errors.InvalidEvidenceError` naming the file, row and column of
    every problem.
    """
    shape = layout_of(layout, columns, indicators, ignore, defaults)
    name = str(source)
    try:
        with Path(source).open(encoding="utf-8-sig", newline="") as handle:
            # Rows as tuples: a tuple of text is untracked by the garbage collector the
            # first time a collection sees it, so a million rows cost no collector passes
            # over them (lists would be traversed again in every collection of their
            # generation).
            rows = list(map(tuple, csv.reader(handle, delimiter=delimiter, strict=True)))
    except OSError as exc:
        raise InvalidEvidenceError(
            [Problem("", f"cannot read file: {exc.strerror}")], source=name
        ) from exc
    except UnicodeDecodeError as exc:
        raise InvalidEvidenceError([Problem("", f"not UTF-8 text: {exc}")], source=name) from exc
    except csv.Error as exc:
        raise InvalidEvidenceError([Problem("", f"not valid CSV: {exc}")], source=name) from exc
    if not rows:
        raise InvalidEvidenceError([Problem("", "the file is empty: no header")], source=name)
    header = rows[0]
    # Lines of nothing but separators are not records (a spreadsheet's trailing rows).
    body = list(filter(any, itertools.islice(rows, 1, None)))
    return read_table(
        header,
        body,
        shape,
        source=name,
        catalog=catalog,
        text_cells=True,
        row_label=_row_label(rows, blank=len(body) != len(rows) - 1),
    )


def _row_label(rows: list[tuple[str, ...]], *, blank: bool) -> Callable[[int], str]:
    """Row ``i`` of the records as the file's row number (the header is row 1), worked
    out only when a message needs one."""
    if not blank:
        return lambda i: f"row {i + 2}"
    numbers: list[int] = []

    def label(i: int) -> str:
        if not numbers:
            numbers.extend(k + 1 for k, row in enumerate(rows) if k and any(row))
        return f"row {numbers[i]}"

    return label
