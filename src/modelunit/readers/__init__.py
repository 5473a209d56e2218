"""Evidence from where it lives: CSV files, Excel workbooks, SQL databases, pandas
DataFrames and JSON Lines streams, read into an
:class:`~modelunit.evidence.EvidenceLedger`.

Every reader takes a table in the **long** layout (one row per record) or the **wide**
layout (one row per unit and period, one column per indicator), with a mapping from the
record's fields to the table's own headers (Vietnamese ones included), and reads every
cell with the same strict checks as the JSON evidence loader. Problems name the file,
sheet, row and column; all of them are reported at once, and nothing is returned when
there is one.

>>> import tempfile
>>> from pathlib import Path
>>> from modelunit.readers import read_csv
>>> path = Path(tempfile.mkdtemp()) / "wards.csv"
>>> _ = path.write_text(
...     "Mã phường,Kỳ,Ngày nhập,social_order_crimes,serious_crimes\\n"
...     "phuong-an-hoa,2023,2024-01-12,18,0\\n",
...     encoding="utf-8",
... )
>>> ledger = read_csv(path, layout="wide",
...                   columns={"unit": "Mã phường", "period": "Kỳ", "recorded_at": "Ngày nhập"})
>>> [(r.id, r.value) for r in ledger.records]
[('phuong-an-hoa/2023/serious_crimes', 0), ('phuong-an-hoa/2023/social_order_crimes', 18)]

Each format's page: :mod:`modelunit.readers.csv_files`, :mod:`~modelunit.readers.excel`,
:mod:`~modelunit.readers.sql`, :mod:`~modelunit.readers.dataframes`,
:mod:`~modelunit.readers.json_lines`; the layouts in ``docs/evidence-formats.md``.
"""

from __future__ import annotations

from modelunit.readers._table import LAYOUTS, Layout, LayoutKind
from modelunit.readers.csv_files import read_csv
from modelunit.readers.dataframes import read_dataframe
from modelunit.readers.excel import read_excel
from modelunit.readers.json_lines import read_jsonl
from modelunit.readers.sql import read_sql

__all__ = [
    "LAYOUTS",
    "Layout",
    "LayoutKind",
    "read_csv",
    "read_dataframe",
    "read_excel",
    "read_jsonl",
    "read_sql",
]


def __dir__() -> list[str]:
    return __all__
