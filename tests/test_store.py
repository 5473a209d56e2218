"""The evidence store, on SQLite and PostgreSQL alike: every version kept, corrections,
as-of replay, whole batches or nothing (also when the writer is killed mid-write),
several writers and readers at once, and a versioned schema.

The PostgreSQL cases run when ``MODELUNIT_TEST_POSTGRES`` holds a DSN (CI starts a
throwaway server with ``scripts/postgres_for_tests.sh``); without it they are skipped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import modelunit
from modelunit.assessment import assess_batch
from modelunit.errors import InvalidEvidenceError, InvalidStoreError
from modelunit.evidence import Evidence, EvidenceLedger
from modelunit.store import SCHEMA_VERSION, EvidenceStore, open_store
from modelunit.testing import criteria_sets, evidence_lists

POSTGRES = os.environ.get("MODELUNIT_TEST_POSTGRES")
NO_POSTGRES = "MODELUNIT_TEST_POSTGRES is not set (a DSN; see scripts/postgres_for_tests.sh)"


def _fresh_postgres() -> str:
    import psycopg

    assert POSTGRES is not None
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS modelunit_evidence, modelunit_meta CASCADE")
    return POSTGRES


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.skipif(POSTGRES is None, reason=NO_POSTGRES)),
    ]
)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty store is: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "evidence.db")
    return _fresh_postgres()


@pytest.fixture
def store(target: str) -> Iterator[EvidenceStore]:
    with open_store(target) as opened:
        yield opened


def rec(
    rid: str, value: object, *, at: str = "2024-01-10", unit: str = "w", **kw: object
) -> Evidence:
    return Evidence(
        rid,
        unit,
        kw.pop("indicator", "crimes"),
        kw.pop("period", "2023"),
        value,  # type: ignore[arg-type]
        recorded_at=at,
        **kw,
    )  # type: ignore[arg-type]


# -- keeping every version -------------------------------------------------------------------


def test_every_value_round_trips_exactly(store: EvidenceStore) -> None:
    records = [
        rec("a", 10**40, period="2023-Q4"),
        rec("b", Decimal("0.9250"), indicator="satisfaction", period="2023-06"),
        rec("c", Decimal("1E+3"), indicator="budget", period="2023-01-01/2023-03-10"),
        rec("d", True, indicator="hq_ok", period="2023-H2"),
        rec(
            "e",
            "khá",
            indicator="ranking",
            unit="phường-an-hòa",
            source="báo cáo",
            reference="số 12/BC",
            note="ghi chú",
        ),
        rec("f", False, indicator="hq_ok", at="2024-01-10T08:30:00.123456+07:00"),
    ]
    assert store.append(records) == 6
    assert store.ledger() == EvidenceLedger(tuple(records))
    got = {r.id: r for r in store.ledger().records}
    assert type(got["a"].value) is int
    assert got["a"].value == 10**40
    assert str(got["b"].value) == "0.9250"
    assert str(got["c"].value) == "1E+3"
    assert got["d"].value is True
    assert got["f"].value is False
    assert got["f"].recorded_at == datetime(2024, 1, 10, 1, 30, 0, 123456)
    assert str(got["c"].period) == "2023-01-01/2023-03-10"
    assert len(store) == 6


def test_corrections_are_new_records_and_as_of_replays_the_store(store: EvidenceStore) -> None:
    store.append([rec("a", 31, at="2024-01-10"), rec("s", 2, indicator="serious", at="2024-03-01")])
    fix = store.correct("a", 29, id="b", recorded_at="2024-02-01", note="recount")
    store.correct("b", 30, id="c", recorded_at="2024-03-01")
    assert (fix.unit, fix.indicator, str(fix.period), fix.supersedes) == (
        "w",
        "crimes",
        "2023",
        "a",
    )
    now = store.ledger()
    assert [r.id for r in now.records] == ["a", "b", "c", "s"]
    assert [r.id for r in now.current()] == ["c", "s"]
    assert [r.id for r in now.history("c")] == ["a", "b", "c"]
    for when in ("2024-01-31", "2024-02-01", "2024-02-29", "2023-12-31", None):
        assert store.ledger(as_of=when) == now.as_of(when)
    assert [r.id for r in store.ledger(as_of="2024-02-01").current()] == ["b"]


def test_the_store_feeds_a_batch_assessment(store: EvidenceStore) -> None:
    catalog = modelunit.load_catalog("tutorial")
    ledger = modelunit.load_evidence("tutorial")
    store.append(ledger)
    from_store = assess_batch(catalog, store.ledger(), periods=["2023"])
    from_file = assess_batch(catalog, ledger, periods=["2023"])
    assert list(from_store.to_records()) == list(from_file.to_records())
    assert from_store.assessment("phuong-an-hoa", "2023") == from_file.assessment(
        "phuong-an-hoa", "2023"
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(criteria_sets(max_criteria=3).flatmap(lambda c: evidence_lists(c, units=["u", "v"])))
def test_generated_ledgers_round_trip_through_a_sqlite_store(
    tmp_path: Path, records: list[Evidence]
) -> None:
    path = tmp_path / f"{time.monotonic_ns()}.db"
    with open_store(path) as store:
        half = len(records) // 2
        store.append(records[:half])  # corrections may correct records of the first batch
        store.append(records[half:])
        assert store.ledger() == EvidenceLedger(tuple(records))


# -- bad batches: every problem, nothing written ---------------------------------------------


def test_a_bad_batch_reports_every_problem_and_writes_nothing(store: EvidenceStore) -> None:
    stored = [rec(r, 1, at="2024-02-01T00:00") for r in ("a", "b", "c")]
    store.append(stored)
    store.correct("b", 2, id="b2", recorded_at="2024-02-02")
    before = store.ledger()
    bad = [
        rec("ok", 3),  # fine on its own
        rec("a", 5),  # already stored
        rec("dup", 1),
        rec("dup", 2),  # twice in the batch
        rec("x", 1, supersedes="zz"),  # corrects nothing
        rec("y", 1, at="2024-03-01", supersedes="a", unit="v"),  # another unit
        rec("z", 1, at="2024-01-01", supersedes="c"),  # earlier than what it corrects
        rec("q", 1, at="2024-03-01", supersedes="b"),  # b is already corrected (by b2)
    ]
    with pytest.raises(InvalidEvidenceError) as info:
        store.append(bad)
    found = sorted((p.path, p.message) for p in info.value.problems)
    assert found == [
        ("records[1].id", "duplicate evidence id 'a' (already in the store)"),
        ("records[3].id", "duplicate evidence id 'dup'"),
        ("records[4].supersedes", "supersedes unknown record 'zz'"),
        (
            "records[5].supersedes",
            "a correction must be for the same unit, indicator and period as 'a' (w, crimes, 2023)",
        ),
        ("records[6].supersedes", "corrects 'c', which was recorded later (2024-02-01T00:00:00)"),
        (
            "records[7].supersedes",
            "'b' is already superseded by 'b2'; supersede that record instead",
        ),
    ]
    assert store.ledger() == before
    assert len(store) == 4


def test_correcting_a_record_that_does_not_exist_is_refused(store: EvidenceStore) -> None:
    with pytest.raises(InvalidEvidenceError, match="supersedes unknown record 'nope'"):
        store.correct("nope", 1, id="n", recorded_at="2024-01-01")
    assert len(store) == 0


# -- the schema --------------------------------------------------------------------------------


def test_a_store_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE modelunit_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(InvalidStoreError) as info:
        open_store(path)
    assert str(info.value) == (
        f"1 problem in {path}:\n  - schema version 99, newer than this modelunit reads "
        f"({SCHEMA_VERSION}): upgrade modelunit to use it"
    )


@pytest.mark.skipif(POSTGRES is None, reason=NO_POSTGRES)
def test_a_postgres_store_of_a_newer_schema_is_refused() -> None:
    import psycopg

    dsn = _fresh_postgres()
    open_store(dsn).close()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE modelunit_meta SET value = '7' WHERE key = 'schema_version'")
    with pytest.raises(InvalidStoreError, match="schema version 7, newer than"):
        open_store(dsn)


def test_other_databases_and_files_are_not_stores(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE wards (id TEXT)")
    with pytest.raises(InvalidStoreError, match="holds other tables: not a modelunit store"):
        open_store(other)
    text = tmp_path / "notes.db"
    text.write_text("not a database at all " * 100)
    with pytest.raises(InvalidStoreError, match="not a SQLite database"):
        open_store(text)
    assert open_store(tmp_path / "new.db").schema_version == SCHEMA_VERSION


# -- crashes and concurrency -------------------------------------------------------------------

_KILLED_WRITER = """
import sys, time
from pathlib import Path
import modelunit.store as store
from modelunit.evidence import Evidence

target, marker = sys.argv[1], Path(sys.argv[2])
rows = store._stored_rows

def stalled(batch, number):
    for i, row in enumerate(rows(batch, number)):
        if i == 500:
            marker.write_text("half written")
            time.sleep(600)  # killed here, mid-batch, inside the transaction
        yield row

store._stored_rows = stalled
records = [Evidence(f"big-{i}", f"u{i}", "crimes", "2023", i, recorded_at="2024-01-01")
           for i in range(2000)]
with store.open_store(target) as s:
    s.append(records)
"""


def test_a_writer_killed_mid_batch_loses_nothing_and_leaves_no_half_batch(
    target: str, tmp_path: Path
) -> None:
    with open_store(target) as store:
        store.append([rec("kept", 1)])
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, target, str(marker)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the writer ended before writing half its batch"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    with open_store(target) as store:
        assert [r.id for r in store.ledger().records] == ["kept"]
        store.append([rec("after", 2)])  # the store is usable: no lock was left behind
        assert len(store) == 2


def _writer(target: str, writer: int, batches: int, size: int) -> None:
    with open_store(target, timeout=120) as store:
        for b in range(batches):
            records = [
                Evidence(
                    f"w{writer}-b{b}-{i}",
                    f"u{writer}",
                    "crimes",
                    f"20{10 + b}",
                    i,
                    recorded_at=f"2024-01-{1 + i % 28:02d}",
                )
                for i in range(size)
            ]
            store.append(records)
            # A batch every writer tries: exactly one of them may write it.
            with contextlib.suppress(InvalidEvidenceError):
                store.append(
                    [
                        Evidence(
                            f"shared-{b}",
                            "all",
                            "crimes",
                            f"20{10 + b}",
                            writer,
                            recorded_at="2024-02-01",
                        )
                    ]
                )


def _reader(target: str, size: int, seen: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    counts = []
    with open_store(target, timeout=120) as store:
        for _ in range(20):
            ledger = store.ledger()
            # Whole batches only: every writer's records come in batches of `size`.
            per_batch: dict[str, int] = {}
            for r in ledger.records:
                if not r.id.startswith("shared"):
                    key = r.id.rsplit("-", 1)[0]
                    per_batch[key] = per_batch.get(key, 0) + 1
            counts.append(sorted(set(per_batch.values())))
    seen.put(counts)


def test_several_processes_write_and_read_at_once(target: str) -> None:
    open_store(target).close()  # the schema, made once
    writers, batches, size = 4, 5, 200
    ctx = multiprocessing.get_context("spawn")
    seen = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(target, w, batches, size)) for w in range(writers)]
    procs += [ctx.Process(target=_reader, args=(target, size, seen)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
        assert p.exitcode == 0
    for _ in range(2):
        for sizes in seen.get(timeout=10):
            assert sizes in ([], [size])  # never part of a batch
    with open_store(target) as store:
        ledger = store.ledger()
    ids = [r.id for r in ledger.records]
    assert len(ids) == len(set(ids)) == writers * batches * size + batches
    assert sorted(i for i in ids if i.startswith("shared")) == [
        f"shared-{b}" for b in range(batches)
    ]
