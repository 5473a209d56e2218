"""Verdicts out: a batch's outcomes written back where the data came from, to a CSV file
or a SQL table.

Rows are those of :meth:`~modelunit.assessment.BatchAssessment.to_records`, one per
unit, period and criterion, in the columns :data:`~modelunit.assessment.RECORD_KEYS`.
The compared values and the evidence ids are written as JSON text (decimals as
strings, so they stay exact): ``[["social_order_crimes", "2023", 18]]`` and
``["ev-2023-soc"]``.

>>> import modelunit, sqlite3
>>> from modelunit.assessment import assess_batch
>>> from modelunit.verdicts import write_sql
>>> batch = assess_batch(modelunit.load_catalog("tutorial"), modelunit.load_evidence("tutorial"),
...                      periods=["2023"])
>>> connection = sqlite3.connect(":memory:")
>>> write_sql(batch, connection, "verdicts")
3
>>> connection.execute("SELECT unit, criterion, outcome, evidence FROM verdicts").fetchall()[1]
('phuong-an-hoa', 'T2', 'met', '["ev-2023-soc", "ev-2022-soc"]')
"""

from __future__ import annotations

import csv
import importlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from modelunit.assessment import RECORD_KEYS, BatchAssessment
from modelunit.errors import InvalidArgumentError

__all__ = ["row_text", "write_csv", "write_sql"]


def __dir__() -> list[str]:
    return __all__


_Rows = BatchAssessment | Iterable[Mapping[str, Any]]


def _rows(source: _Rows) -> Iterator[Mapping[str, Any]]:
    return source.to_records() if isinstance(source, BatchAssessment) else iter(source)


def _json_value(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def row_text(row: Mapping[str, Any]) -> tuple[str, ...]:
    """One record of :meth:`~modelunit.assessment.BatchAssessment.to_records` as the
    texts written for it, in the order of :data:`~modelunit.assessment.RECORD_KEYS`."""
    values = [[k, p, _json_value(v)] for k, p, v in row["values"]]
    return (
        row["unit"],
        row["period"],
        row["criterion"],
        row["outcome"],
        json.dumps(values, ensure_ascii=False),
        json.dumps(list(row["evidence"]), ensure_ascii=False),
    )


def write_csv(source: _Rows, path: str | Path) -> int:
    """Write the verdicts of a batch (or rows of its records) to a CSV file (UTF-8, a
    header row of :data:`~modelunit.assessment.RECORD_KEYS`); the number of rows."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(RECORD_KEYS)
        for row in _rows(source):
            out.writerow(row_text(row))
            count += 1
    return count


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def write_sql(source: _Rows, connection: Any, table: str = "modelunit_verdicts") -> int:
    """Write the verdicts to ``table`` (made if it does not exist) over a DB-API
    connection, in one transaction; the number of rows. The table's name must be a
    plain identifier (it is checked, never pasted unchecked); values go in as
    parameters."""
    if not _NAME.match(table):
        raise InvalidArgumentError(
            f"table name {table!r}: use letters, digits and _ only (starting with a letter)"
        )
    marks = _placeholders(connection, len(RECORD_KEYS))
    columns = ", ".join(f'"{k}"' for k in RECORD_KEYS)
    cursor = connection.cursor()
    try:
        cursor.execute(
            f'CREATE TABLE IF NOT EXISTS "{table}" ('
            + ", ".join(f'"{k}" TEXT NOT NULL' for k in RECORD_KEYS)
            + ")"
        )
        rows = [row_text(r) for r in _rows(source)]
        cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        cursor.close()
    return len(rows)


def _placeholders(connection: Any, n: int) -> str:
    """``?, ?, ...`` or ``%s, %s, ...``: the driver's own placeholder style."""
    module = importlib.import_module(type(connection).__module__.split(".")[0])
    style = getattr(module, "paramstyle", "qmark")
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(style)
    if mark is None:
        raise InvalidArgumentError(f"the driver's placeholder style {style!r} is not supported")
    return ", ".join([mark] * n)
