"""Evidence from a pandas DataFrame (the ``pandas`` extra).

Columns are read as Python values (``int``, ``float``, ``bool``, ``Timestamp``, text);
a missing value (``NaN``, ``None``, ``NaT``, ``pd.NA``) is an empty cell. Rows in
messages are named by the frame's index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidArgumentError, MissingExtraError
from modelunit.evidence import EvidenceLedger
from modelunit.readers._options import layout_of
from modelunit.readers._table import Layout, LayoutKind, read_table

__all__ = ["read_dataframe"]


def __dir__() -> list[str]:
    return __all__


def read_dataframe(
    frame: Any,
    layout: Layout | LayoutKind = "long",
    *,
    columns: Mapping[str, str] | None = None,
    indicators: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    defaults: Mapping[str, object] | None = None,
    catalog: CriteriaSet | None = None,
    name: str = "the DataFrame",
) -> EvidenceLedger:
    """The evidence in ``frame``, a :class:`pandas.DataFrame` in the long or wide layout.

    The other arguments are those of :func:`~modelunit.readers.read_csv`; ``name`` is
    what messages call the frame. Raises
    :class:`~modelunit.errors.InvalidEvidenceError` naming the row (by index label) and
    column of every problem.
    """
    try:
        import pandas as pd  # noqa: PLC0415 - an optional extra
    except ImportError:
        raise MissingExtraError(
            "reading DataFrames needs pandas: pip install 'modelunit[pandas]'"
        ) from None
    if not isinstance(frame, pd.DataFrame):
        raise InvalidArgumentError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    shape = layout_of(layout, columns, indicators, ignore, defaults)
    header = list(frame.columns)
    cells = []
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        values = series.tolist()  # numpy scalars become Python ones
        missing = series.isna().tolist()
        if any(missing):
            values = [None if m else v for v, m in zip(values, missing, strict=True)]
        cells.append(values)
    labels = frame.index.tolist()
    return read_table(
        header,
        columns=cells,
        layout=shape,
        source=name,
        catalog=catalog,
        row_label=lambda i: f"row {labels[i]!r}",
    )
