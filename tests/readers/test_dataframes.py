"""pandas DataFrames: numpy values as Python ones, missing values as empty cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from modelunit.errors import InvalidArgumentError, InvalidEvidenceError
from modelunit.readers import read_dataframe

pd = pytest.importorskip("pandas", reason="the pandas extra is not installed")


def test_a_wide_frame_with_missing_values() -> None:
    frame = pd.DataFrame(
        {
            "unit": ["w", "v"],
            "period": ["2023", "2023"],
            "recorded_at": pd.to_datetime(["2024-01-12", "2024-01-13"]),
            "crimes": [3, None],  # a float column with NaN
            "satisfaction": [0.9, 0.95],
            "hq_ok": [True, False],
        }
    )
    ledger = read_dataframe(frame, "wide")
    assert sorted((r.id, r.value) for r in ledger.records) == [
        ("v/2023/hq_ok", False),
        ("v/2023/satisfaction", Decimal("0.95")),
        ("w/2023/crimes", Decimal("3.0")),
        ("w/2023/hq_ok", True),
        ("w/2023/satisfaction", Decimal("0.9")),
    ]


def test_problems_name_rows_by_the_frames_index() -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "unit": ["w", None],
            "indicator": ["crimes", "crimes"],
            "period": ["2023", "2023"],
            "value": [1, 2],
            "recorded_at": ["2024-01-01", "2024-01-01"],
        },
        index=["phường 1", "phường 2"],
    )
    with pytest.raises(InvalidEvidenceError) as info:
        read_dataframe(frame, name="báo cáo")
    assert info.value.source == "báo cáo"
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("row 'phường 2', column 'unit'", "required field missing")
    ]
    with pytest.raises(InvalidArgumentError, match="expected a pandas DataFrame"):
        read_dataframe([1, 2])
