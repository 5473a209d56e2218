"""Verdicts out, to CSV and SQL: the rows of to_records(), exact, in one transaction."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest

import modelunit
from modelunit.assessment import RECORD_KEYS, assess_batch
from modelunit.errors import InvalidArgumentError
from modelunit.verdicts import row_text, write_csv, write_sql

POSTGRES = os.environ.get("MODELUNIT_TEST_POSTGRES")


def batch() -> modelunit.assessment.BatchAssessment:
    return assess_batch(
        modelunit.load_catalog("cap-kieu-mau-2021"),
        modelunit.load_evidence("dien-bien-2023"),
        periods=["2023"],
    )


def test_csv_has_a_row_per_unit_period_and_criterion(tmp_path: Path) -> None:
    path = tmp_path / "verdicts.csv"
    assert write_csv(batch(), path) == 22
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == RECORD_KEYS
    assert [tuple(r) for r in rows[1:]] == [row_text(r) for r in batch().to_records()]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["criterion"] == "C01"
    values = json.loads(first["values"])
    assert [v[:2] for v in values] == [["headquarters_to_standard", "2023"]]


def test_decimals_stay_exact_text() -> None:
    row = {
        "unit": "w",
        "period": "2023",
        "criterion": "C1",
        "outcome": "met",
        "values": (("satisfaction", "2023", modelunit.evidence.Decimal("0.950")),),
        "evidence": ("e1",),
    }
    assert row_text(row)[4:] == ('[["satisfaction", "2023", "0.950"]]', '["e1"]')


def test_sql_rows_are_written_in_one_transaction() -> None:
    conn = sqlite3.connect(":memory:")
    assert write_sql(batch(), conn, "ket_qua") == 22
    got = conn.execute("SELECT unit, criterion, outcome FROM ket_qua ORDER BY criterion").fetchall()
    assert got[0] == ("dien-bien", "C01", batch().outcome("dien-bien", "2023", "C01").value)
    with pytest.raises(InvalidArgumentError, match="use letters, digits and _ only"):
        write_sql(batch(), conn, "ket_qua; DROP TABLE x")
    bad = [*batch().to_records(), {"unit": "w"}]  # a broken row: nothing of this batch stays
    with pytest.raises(KeyError):
        write_sql(bad, conn, "ket_qua")
    assert conn.execute("SELECT count(*) FROM ket_qua").fetchone() == (22,)


@pytest.mark.skipif(POSTGRES is None, reason="MODELUNIT_TEST_POSTGRES is not set")
def test_sql_on_postgres() -> None:
    import psycopg

    with psycopg.connect(POSTGRES) as conn:  # type: ignore[arg-type]
        conn.execute("DROP TABLE IF EXISTS verdicts_test")
        conn.commit()
        assert write_sql(batch(), conn, "verdicts_test") == 22
        assert conn.execute("SELECT count(*) FROM verdicts_test").fetchone() == (22,)
        conn.execute("DROP TABLE verdicts_test")
        conn.commit()
