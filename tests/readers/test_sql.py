"""SQL: a DB-API connection and a parameterised query, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from decimal import Decimal

import pytest

import modelunit
from modelunit.errors import InvalidEvidenceError
from modelunit.readers import read_sql

POSTGRES = os.environ.get("MODELUNIT_TEST_POSTGRES")
NO_POSTGRES = "MODELUNIT_TEST_POSTGRES is not set (a DSN; see scripts/postgres_for_tests.sh)"

ROWS = [
    ("e1", "w", "social_order_crimes", "2023", "18", "2024-01-12T00:00:00"),
    ("e2", "w", "serious_crimes", "2023", "0", "2024-01-12T00:00:00"),
    ("e3", "w", "resident_satisfaction", "2023", "0.95", "2024-01-12T00:00:00"),
    ("e4", "v", "serious_crimes", "2023", "0", "2024-01-12T00:00:00"),
]


def test_a_query_on_sqlite_reads_typed_values() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE bao_cao (ma TEXT, phuong TEXT, chi_tieu TEXT, ky TEXT, gia_tri, ngay TEXT)"
    )
    conn.executemany(
        "INSERT INTO bao_cao VALUES (?, ?, ?, ?, ?, ?)",
        [(*r[:4], int(r[4]) if r[4].isdigit() else float(r[4]), r[5]) for r in ROWS],
    )
    ledger = read_sql(
        conn,
        "SELECT ma AS id, phuong AS unit, chi_tieu AS indicator, ky AS period, gia_tri AS value,"
        " ngay AS recorded_at FROM bao_cao WHERE phuong = ?",
        ["w"],
    )
    assert [(r.id, r.value) for r in ledger.records] == [
        ("e1", 18),
        ("e2", 0),
        ("e3", Decimal("0.95")),
    ]


def test_a_failing_query_and_bad_rows_are_typed_errors() -> None:
    conn = sqlite3.connect(":memory:")
    with pytest.raises(
        InvalidEvidenceError, match="the query failed: OperationalError: no such table"
    ):
        read_sql(conn, "SELECT * FROM nowhere")
    with pytest.raises(InvalidEvidenceError, match="not a SELECT"):
        read_sql(conn, "CREATE TABLE t (x)")
    conn.execute("CREATE TABLE ev (id, unit, indicator, period, value, recorded_at)")
    conn.execute("INSERT INTO ev VALUES ('a', 'w', 'crimes', 2023.5, x'00', '2024-01-01')")
    with pytest.raises(InvalidEvidenceError) as info:
        read_sql(conn, "SELECT * FROM ev")
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("row 1, column 'period'", "expected a period such as '2023' or '2023-Q4', got 2023.5"),
        ("row 1, column 'value'", "expected a boolean, number or category name, got b'\\x00'"),
    ]


@pytest.mark.skipif(POSTGRES is None, reason=NO_POSTGRES)
def test_a_query_on_postgres_keeps_numeric_exact_and_times_in_utc() -> None:
    import psycopg

    with psycopg.connect(POSTGRES) as conn:  # type: ignore[arg-type]
        conn.execute("DROP TABLE IF EXISTS reader_test")
        conn.execute(
            "CREATE TABLE reader_test (id TEXT, unit TEXT, indicator TEXT, period TEXT,"
            " value NUMERIC, recorded_at TIMESTAMPTZ)"
        )
        conn.cursor().executemany(
            "INSERT INTO reader_test VALUES (%s, %s, %s, %s, %s, %s)",
            [(*r[:4], Decimal(r[4]), r[5] + "+07:00") for r in ROWS],
        )
        ledger = read_sql(conn, "SELECT * FROM reader_test WHERE unit = %s ORDER BY id", ["w"])
        conn.rollback()
    values = {r.id: r.value for r in ledger.records}
    assert values == {"e1": Decimal(18), "e2": Decimal(0), "e3": Decimal("0.95")}
    assert {r.recorded_at.isoformat() for r in ledger.records} == {"2024-01-11T17:00:00"}
    catalog = modelunit.load_catalog("tutorial")
    assert (
        modelunit.assess(catalog, ledger, unit="w", period="2023").result("T1").outcome.value
        == "met"
    )
