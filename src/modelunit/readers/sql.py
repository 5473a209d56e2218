"""Evidence from a SQL database: any DB-API 2.0 connection and a query (the standard
library's :mod:`sqlite3`; psycopg 3 for PostgreSQL, the ``postgres`` extra).

The query's columns are the table's: name them with ``AS`` or map them with
``columns``. Values keep the types the driver gives (``NUMERIC`` as exact decimals
with psycopg; an aware ``timestamptz`` converted to UTC). The query is run with the
parameters given, never with text pasted into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidEvidenceError, Problem
from modelunit.evidence import EvidenceLedger
from modelunit.readers._options import layout_of
from modelunit.readers._table import Layout, LayoutKind, read_table

__all__ = ["read_sql"]


def __dir__() -> list[str]:
    return __all__


def read_sql(
    connection: Any,
    query: str,
    parameters: Sequence[object] | Mapping[str, object] = (),
    layout: Layout | LayoutKind = "long",
    *,
    columns: Mapping[str, str] | None = None,
    indicators: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    defaults: Mapping[str, object] | None = None,
    catalog: CriteriaSet | None = None,
) -> EvidenceLedger:
    """The evidence in the rows ``query`` returns on ``connection`` (a DB-API
    connection), run with ``parameters`` (placeholders in the driver's style: ``?`` for
    sqlite3, ``%s`` for psycopg).

    The other arguments are those of :func:`~modelunit.readers.read_csv`. Raises
    :class:`~modelunit.errors.InvalidEvidenceError` naming the row of the result and
    the column of every problem, or saying why the query failed.
    """
    shape = layout_of(layout, columns, indicators, ignore, defaults)
    source = "the query's result"
    cursor = connection.cursor()
    try:
        cursor.execute(query, parameters)
        if cursor.description is None:
            raise InvalidEvidenceError(
                [Problem("", "the query returns no rows (it is not a SELECT)")], source=source
            )
        header = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except InvalidEvidenceError:
        raise
    except Exception as exc:  # the driver's own error (DB-API: module.Error)
        raise InvalidEvidenceError(
            [Problem("", f"the query failed: {type(exc).__name__}: {exc}".strip())], source=source
        ) from exc
    finally:
        cursor.close()
    return read_table(
        header,
        rows,
        shape,
        source=source,
        catalog=catalog,
        row_label=lambda i: f"row {i + 1}",
    )
