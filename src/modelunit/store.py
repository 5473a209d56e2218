"""An evidence store: the append-only ledger kept in a database, SQLite or PostgreSQL.

For users without a database of their own, a single SQLite file is the store (the
standard library's :mod:`sqlite3`, nothing to install); for a central, multi-user
deployment the same interface runs on PostgreSQL (psycopg 3, the ``postgres`` extra).

>>> import tempfile
>>> from pathlib import Path
>>> from modelunit import Evidence
>>> from modelunit.store import open_store
>>> path = Path(tempfile.mkdtemp()) / "evidence.db"
>>> with open_store(path) as store:
...     store.append([Evidence("e1", "phuong-an-hoa", "serious_crimes", "2023", 1,
...                            recorded_at="2024-01-12")])
...     fix = store.correct("e1", 0, id="e2", recorded_at="2024-02-01", note="recount")
...     now, then = store.ledger(), store.ledger(as_of="2024-01-31")
1
>>> [r.id for r in now.current()], [r.id for r in then.current()], len(now)
(['e2'], ['e1'], 2)

What it keeps:

- **Every version.** Records are never changed or deleted: a correction is a new record
  that supersedes the old one (:meth:`EvidenceStore.correct`), and
  :meth:`EvidenceStore.ledger` replays the store ``as_of`` any moment.
- **Whole batches or nothing.** :meth:`EvidenceStore.append` checks a batch against
  itself and the store (ids unique, corrections of records that exist, for the same
  unit, indicator and period, not earlier, superseded once), reports every problem at
  once and writes nothing if there is one; a batch is written in one transaction, so a
  crash mid-write loses nothing already stored and a half-written batch is never
  visible.
- **Safe concurrent readers and writers.** Writers take turns (SQLite: ``BEGIN
  IMMEDIATE`` in write-ahead-log mode, waiting up to ``timeout`` seconds for another
  writer; PostgreSQL: a table lock in share-row-exclusive mode), readers never wait and
  see whole batches only.
- **A versioned schema.** The store records its schema version; a store written by a
  newer modelunit is refused with :class:`~modelunit.errors.InvalidStoreError` rather
  than misread, and so is a database that is not a modelunit store.

The store feeds :func:`~modelunit.assessment.assess_batch` directly:
:meth:`EvidenceStore.ledger` reads the records column by column into a ledger
(:class:`~modelunit.evidence.EvidenceColumns`), without an object per record.
"""

from __future__ import annotations

import abc
import contextlib
import itertools
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from modelunit._checks import as_id
from modelunit.errors import (
    InvalidArgumentError,
    InvalidEvidenceError,
    InvalidStoreError,
    MissingExtraError,
    Problem,
)
from modelunit.evidence import (
    FIELDS,
    Evidence,
    EvidenceColumns,
    EvidenceLedger,
    moment,
)
from modelunit.indicators import Value
from modelunit.periods import Period

__all__ = ["SCHEMA_VERSION", "EvidenceStore", "open_store"]


def __dir__() -> list[str]:
    return __all__


SCHEMA_VERSION: Final = 1
"""The version of the store's tables this modelunit writes and reads."""

_TABLE = "modelunit_evidence"
_META = "modelunit_meta"
# The stored columns, in this order everywhere: the record's fields, the value as a kind
# and a text, and the batch that wrote it.
_COLUMNS: Final = (
    "id",
    "unit",
    "indicator",
    "period",
    "kind",
    "value",
    "recorded_at",
    "source",
    "reference",
    "supersedes",
    "note",
    "batch",
)
_KINDS: Final = ("bool", "int", "decimal", "text")
# Optional columns, and how many rows fill each (portable SQL: COUNT skips NULLs).
_FILLED: Final = {
    "source": "count(nullif(source, ''))",
    "reference": "count(nullif(reference, ''))",
    "supersedes": "count(supersedes)",
    "note": "count(nullif(note, ''))",
}
_SCHEMA_LOCK: Final = 0x6D6F64656C  # an advisory lock key of our own ("model")


def _ddl(serial: str) -> list[str]:
    return [
        f"CREATE TABLE {_META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"""CREATE TABLE {_TABLE} (
            seq {serial},
            id TEXT NOT NULL UNIQUE,
            unit TEXT NOT NULL,
            indicator TEXT NOT NULL,
            period TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('bool', 'int', 'decimal', 'text')),
            value TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            source TEXT NOT NULL,
            reference TEXT NOT NULL,
            supersedes TEXT UNIQUE REFERENCES {_TABLE} (id),
            note TEXT NOT NULL,
            batch INTEGER NOT NULL
        )""",
        f"CREATE INDEX {_TABLE}_recorded ON {_TABLE} (recorded_at)",
    ]


# -- values as stored ------------------------------------------------------------------------


def _encode(value: Value) -> tuple[str, str]:
    """A value as (kind, text): exact, and read back to the same value (an ``int`` of
    any size, a ``Decimal`` with its exponent)."""
    if isinstance(value, bool):
        return "bool", "true" if value else "false"
    if isinstance(value, int):
        return "int", str(value)
    if isinstance(value, Decimal):
        return "decimal", str(value)
    return "text", value


def _instant(when: datetime) -> str:
    # Fixed width, so that text order is time order (and "<=" in SQL is as_of).
    return when.isoformat(timespec="microseconds")


_DECODE: Final[dict[str, Any]] = {
    "bool": {"true": True, "false": False}.__getitem__,
    "int": int,
    "decimal": Decimal,
    "text": str,
}


def _decoded_values(kinds: Sequence[str], texts: Sequence[str]) -> list[Value]:
    # Each distinct text of each kind decoded once: values repeat (counts, flags,
    # levels). The texts of one kind are read apart ("1" is an int or a decimal), then
    # merged back in order, every position pulling from its kind's results.
    present = set(kinds)
    if len(present) == 1:
        return _shared(texts, _DECODE[kinds[0]])
    results = {}
    for kind in present:
        mine = list(itertools.compress(texts, map(kind.__eq__, kinds)))
        results[kind] = iter(_shared(mine, _DECODE[kind]))
    return list(map(next, map(results.__getitem__, kinds)))


def _shared(texts: Sequence[str], read: Any = None) -> list[Any]:
    """Each distinct text read once (and the same object shared by every row)."""
    found = {t: (read(t) if read is not None else as_id(t)) for t in set(texts)}
    return list(map(found.__getitem__, texts))


# -- the backends ----------------------------------------------------------------------------


class _Backend(abc.ABC):
    """What differs between SQLite and PostgreSQL: connecting, placeholders, locking."""

    name = ""
    mark = "?"  # the driver's placeholder
    serial = ""

    def __init__(self, connection: Any, where: str) -> None:
        self.connection = connection
        self.where = where

    @abc.abstractmethod
    def begin_write(self) -> None: ...

    @abc.abstractmethod
    def begin_schema(self) -> None:
        """Begin the transaction that reads (or makes) the tables and schema version."""
        ...

    @abc.abstractmethod
    def begin_read(self) -> None: ...

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    @abc.abstractmethod
    def has_table(self, name: str) -> bool: ...

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self.connection.execute(sql.replace("?", self.mark), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        cursor = self.connection.cursor()
        try:
            cursor.executemany(sql.replace("?", self.mark), rows)
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()

    @abc.abstractmethod
    def integrity_errors(self) -> tuple[type[BaseException], ...]: ...


class _SQLite(_Backend):
    name = "SQLite"
    serial = "INTEGER PRIMARY KEY"

    @classmethod
    def connect(cls, path: Path, timeout: float) -> _SQLite:
        try:
            # Autocommit mode: transactions are begun explicitly (BEGIN IMMEDIATE takes
            # the write lock before anything is read, so two writers never interleave).
            connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise InvalidStoreError(
                [Problem("", f"cannot open the store: {exc}")], source=str(path)
            ) from exc
        backend = cls(connection, str(path))
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
            connection.execute("PRAGMA synchronous = FULL")  # a commit survives a crash
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise InvalidStoreError(
                [Problem("", f"not a SQLite database: {exc}")], source=str(path)
            ) from exc
        if mode is None or mode[0].lower() != "wal":  # pragma: no cover - e.g. :memory:
            connection.execute("PRAGMA journal_mode = DELETE")
        return backend

    def begin_write(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def begin_schema(self) -> None:
        self.begin_write()

    def begin_read(self) -> None:
        self.connection.execute("BEGIN")  # one snapshot for the whole read

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def has_table(self, name: str) -> bool:
        found = self.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return found is not None

    def integrity_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.IntegrityError,)


class _Postgres(_Backend):
    name = "PostgreSQL"
    mark = "%s"
    serial = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"

    @classmethod
    def connect(cls, dsn: str, timeout: float) -> _Postgres:
        try:
            import psycopg  # noqa: PLC0415 - an optional extra
        except ImportError:
            raise MissingExtraError(
                "a PostgreSQL store needs psycopg: pip install 'modelunit[postgres]'"
            ) from None
        shown = _without_password(dsn)
        try:
            connection = psycopg.connect(dsn, connect_timeout=max(1, int(timeout)))
        except psycopg.Error as exc:
            raise InvalidStoreError(
                [Problem("", f"cannot connect: {exc}".strip())], source=shown
            ) from exc
        backend = cls(connection, shown)
        backend.psycopg = psycopg
        return backend

    psycopg: Any = None

    def begin_write(self) -> None:
        # Writers take turns (the checks of a batch see every batch before it);
        # readers are never blocked.
        self.connection.execute(f"LOCK TABLE {_TABLE} IN SHARE ROW EXCLUSIVE MODE")

    def begin_schema(self) -> None:
        # Two processes opening a new database do not both make the tables.
        self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))

    def begin_read(self) -> None:
        self.connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def has_table(self, name: str) -> bool:
        found = self.connection.execute("SELECT to_regclass(%s)", (name,)).fetchone()
        return found is not None and found[0] is not None

    def integrity_errors(self) -> tuple[type[BaseException], ...]:
        return (self.psycopg.IntegrityError,)


def _without_password(dsn: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", re.sub(r"password=\S+", "password=***", dsn))


# -- the store -------------------------------------------------------------------------------


class EvidenceStore:
    """An append-only evidence ledger in a database (see the module's documentation).

    Open one with :func:`open_store` (a path for SQLite, a ``postgresql://`` DSN for
    PostgreSQL); close it with :meth:`close` or use it as a context manager.
    """

    __slots__ = ("_backend",)

    def __init__(self, backend: _Backend) -> None:
        self._backend = backend
        self._prepare()

    # -- opening and the schema ----------------------------------------------------------

    @classmethod
    def sqlite(cls, path: str | Path, *, timeout: float = 30.0) -> EvidenceStore:
        """The store in the SQLite file ``path`` (made if it does not exist). A writer
        waits up to ``timeout`` seconds while another writes."""
        return cls(_SQLite.connect(Path(path), timeout))

    @classmethod
    def postgres(cls, dsn: str, *, timeout: float = 30.0) -> EvidenceStore:
        """The store in the PostgreSQL database of ``dsn`` (its tables made if absent)."""
        return cls(_Postgres.connect(dsn, timeout))

    def _prepare(self) -> None:
        db = self._backend
        try:
            db.begin_schema()
            if not db.has_table(_META):
                if db.has_table(_TABLE):
                    raise self._refuse("its evidence table has no schema version")
                if (
                    isinstance(db, _SQLite)
                    and db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
                ):
                    raise self._refuse("the database holds other tables: not a modelunit store")
                for statement in _ddl(db.serial):
                    db.execute(statement)
                db.execute(
                    f"INSERT INTO {_META} (key, value) VALUES (?, ?)",
                    ("schema_version", str(SCHEMA_VERSION)),
                )
            found = db.execute(
                f"SELECT value FROM {_META} WHERE key = ?", ("schema_version",)
            ).fetchone()
            version = found[0] if found else None
            if version is None or not str(version).isdigit():
                raise self._refuse(f"no readable schema version ({version!r})")
            if int(version) > SCHEMA_VERSION:
                raise self._refuse(
                    f"schema version {version}, newer than this modelunit reads "
                    f"({SCHEMA_VERSION}): upgrade modelunit to use it"
                )
            if int(version) < SCHEMA_VERSION:  # pragma: no cover - no older version yet
                raise self._refuse(f"schema version {version}, older than {SCHEMA_VERSION}")
            db.commit()
        except BaseException:
            db.rollback()
            db.close()
            raise

    def _refuse(self, why: str) -> InvalidStoreError:
        return InvalidStoreError([Problem("", why)], source=self._backend.where)

    @property
    def schema_version(self) -> int:
        """The schema version of the store's tables."""
        return SCHEMA_VERSION

    @property
    def backend(self) -> str:
        """``"SQLite"`` or ``"PostgreSQL"``."""
        return self._backend.name

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[_Backend]:
        db = self._backend
        db.begin_read()
        try:
            yield db
        finally:
            db.rollback()

    def __len__(self) -> int:
        with self._reading() as db:
            return int(db.execute(f"SELECT count(*) FROM {_TABLE}").fetchone()[0])

    def ledger(self, *, as_of: date | datetime | str | None = None) -> EvidenceLedger:
        """The ledger of every record in the store (recorded by ``as_of`` only, when
        given: the store as it stood then). Read in one snapshot, column by column."""
        where = ""
        params: tuple[object, ...] = ()
        if as_of is not None:
            where = " WHERE recorded_at <= ?"
            params = (_instant(moment(as_of)),)
        with self._reading() as db:
            # Optional columns empty in every row are not fetched (a scan in the
            # database, no Python object per cell), in the same snapshot.
            counts = f"SELECT {', '.join(_FILLED.values())} FROM {_TABLE}{where}"
            filled = db.execute(counts, params).fetchone()
            names = [c for c in _COLUMNS[:-1] if c not in _FILLED]
            names += [c for c, n in zip(_FILLED, filled, strict=True) if n]
            sql = f"SELECT {', '.join(names)} FROM {_TABLE}{where}"
            rows = db.execute(sql, params).fetchall()
        return EvidenceLedger.from_columns(_columns_of(rows, names))

    # -- writing -------------------------------------------------------------------------

    def append(self, records: Iterable[Evidence] | EvidenceLedger | EvidenceColumns) -> int:
        """Write a batch of records in one transaction; the number of records written.

        Every problem of the batch (an id given twice or already stored, a correction of
        a record that exists neither in the batch nor in the store, of another unit,
        indicator or period, of a later record, or of a record already corrected) is
        reported at once in an :class:`~modelunit.errors.InvalidEvidenceError`, with the
        record's position in the batch (``records[i]``), and nothing is written.
        """
        batch = _batch_rows(records)
        if not len(batch):
            return 0
        db = self._backend
        db.begin_write()
        try:
            self._check(batch)
            found = db.execute(f"SELECT coalesce(max(batch), 0) + 1 FROM {_TABLE}").fetchone()
            number = int(found[0])
            placeholders = ", ".join("?" for _ in _COLUMNS)
            db.executemany(
                f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                _stored_rows(batch, number),
            )
            db.commit()
        except db.integrity_errors() as exc:  # pragma: no cover - the checks come first
            db.rollback()
            raise InvalidEvidenceError(
                [Problem("", f"the store refused the batch: {exc}")], source=db.where
            ) from exc
        except BaseException:
            db.rollback()
            raise
        return len(batch)

    def correct(
        self,
        record_id: str,
        value: Value,
        *,
        id: str,
        recorded_at: date | datetime | str,
        source: str = "",
        reference: str = "",
        note: str = "",
    ) -> Evidence:
        """Record a correction: a new record ``id`` with ``value`` for the same unit,
        indicator and period as ``record_id``, superseding it. Returns the new record."""
        with self._reading() as db:
            found = db.execute(
                f"SELECT unit, indicator, period FROM {_TABLE} WHERE id = ?", (as_id(record_id),)
            ).fetchone()
        if found is None:
            raise InvalidEvidenceError(
                [Problem("supersedes", f"supersedes unknown record {record_id!r}", record=id)],
                source=db.where,
            )
        fix = Evidence(
            id,
            found[0],
            found[1],
            found[2],
            value,
            recorded_at=recorded_at,
            source=source,
            reference=reference,
            supersedes=record_id,
            note=note,
        )
        self.append([fix])
        return fix

    def _check(self, batch: EvidenceColumns) -> None:
        """Every problem of ``batch`` against itself and the store (inside the write
        transaction, so no other batch can come between the checks and the writing)."""
        db = self._backend
        ids = batch.id
        problems: list[Problem] = []
        position = {rid: i for i, rid in enumerate(ids)}
        for stored in self._existing(ids):
            problems.append(
                Problem(
                    f"records[{position[stored]}].id",
                    f"duplicate evidence id {stored!r} (already in the store)",
                    record=stored,
                )
            )
        # The stored records the batch corrects, and the stored corrections of them: with
        # the batch they make a ledger, whose own checks are those of any ledger.
        targets = {t for t in batch.supersedes if t is not None and t not in position}
        known = {row[0]: row for row in self._rows_where("id", targets)}
        known.update((row[0], row) for row in self._rows_where("supersedes", targets))
        # A stored record's own correction of an older record is known good: kept only
        # where it corrects one of the records here.
        context = _columns_of(
            [(*row[:9], row[9] if row[9] in known else None, row[10]) for row in known.values()]
        )
        combined = EvidenceColumns(
            **{name: getattr(batch, name) + getattr(context, name) for name in FIELDS}
        )
        try:
            EvidenceLedger.from_columns(combined)
        except InvalidEvidenceError as exc:
            problems += [_in_batch(problem, position) for problem in exc.problems]
        if problems:
            raise InvalidEvidenceError(problems, source=db.where)

    def _existing(self, ids: Sequence[str]) -> list[str]:
        found: list[str] = []
        for chunk in _chunks(ids):
            marks = ", ".join("?" for _ in chunk)
            rows = self._backend.execute(
                f"SELECT id FROM {_TABLE} WHERE id IN ({marks})", chunk
            ).fetchall()
            found += [r[0] for r in rows]
        order = {rid: i for i, rid in enumerate(ids)}
        return sorted(found, key=order.__getitem__)

    def _rows_where(self, column: str, values: Iterable[str]) -> list[Sequence[Any]]:
        found: list[Sequence[Any]] = []
        for chunk in _chunks(sorted(values)):
            marks = ", ".join("?" for _ in chunk)
            found += self._backend.execute(
                f"SELECT {', '.join(_COLUMNS[:-1])} FROM {_TABLE} WHERE {column} IN ({marks})",
                chunk,
            ).fetchall()
        return found


def _chunks(values: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _in_batch(problem: Problem, position: dict[str, int]) -> Problem:
    """A ledger problem (``records[i].field`` in canonical order) at the batch position
    of the record it names."""
    field = problem.path.rpartition(".")[2]
    record = problem.record
    where = f"records[{position[record]}].{field}" if record in position else problem.path
    return Problem(where, problem.message, record=record)


def _batch_rows(records: Iterable[Evidence] | EvidenceLedger | EvidenceColumns) -> EvidenceColumns:
    if isinstance(records, EvidenceColumns):
        return records
    if isinstance(records, EvidenceLedger):
        rows = records.rows
        return rows if isinstance(rows, EvidenceColumns) else EvidenceColumns.from_records(rows)
    given: tuple[object, ...] = tuple(records)
    wrong = [i for i, r in enumerate(given) if not isinstance(r, Evidence)]
    if wrong:
        raise InvalidArgumentError(
            f"append takes Evidence records, a ledger or columns; records[{wrong[0]}] is "
            f"{type(given[wrong[0]]).__name__}"
        )
    return EvidenceColumns.from_records(given)  # type: ignore[arg-type]


def _stored_rows(batch: EvidenceColumns, number: int) -> Iterator[tuple[object, ...]]:
    periods = {p: str(p) for p in set(batch.period)}
    instants = {t: _instant(t) for t in set(batch.recorded_at)}
    for rid, unit, indicator, period, value, at, source, ref, sup, note in zip(
        *(getattr(batch, name) for name in FIELDS), strict=True
    ):
        kind, text = _encode(value)
        yield (
            rid,
            unit,
            indicator,
            periods[period],
            kind,
            text,
            instants[at],
            source,
            ref,
            sup,
            note,
            number,
        )


def _columns_of(
    rows: Sequence[Sequence[Any]], names: Sequence[str] = _COLUMNS[:-1]
) -> EvidenceColumns:
    """Stored rows (the record's columns, the value as kind and text) as columns;
    ``names``: the stored columns the rows hold, in order (an optional one left out is
    empty in every row)."""
    if not rows:
        return EvidenceColumns(**{name: [] for name in FIELDS})
    got = dict(zip(names, map(list, zip(*rows, strict=True)), strict=True))
    n = len(rows)
    return EvidenceColumns(
        id=got["id"],
        unit=_shared(got["unit"]),
        indicator=_shared(got["indicator"]),
        period=_shared(got["period"], Period.parse),
        value=_decoded_values(got["kind"], got["value"]),
        recorded_at=_shared(got["recorded_at"], datetime.fromisoformat),
        source=_shared(got["source"], str) if "source" in got else [""] * n,
        reference=_shared(got["reference"], str) if "reference" in got else [""] * n,
        supersedes=got.get("supersedes", [None] * n),
        note=_shared(got["note"], str) if "note" in got else [""] * n,
    )


def open_store(target: str | Path, *, timeout: float = 30.0) -> EvidenceStore:
    """The store at ``target``: a ``postgresql://`` (or ``postgres://``) DSN for
    PostgreSQL, otherwise the path of a SQLite file (made if it does not exist)."""
    text = str(target)
    if isinstance(target, str) and text.startswith(("postgresql://", "postgres://")):
        return EvidenceStore.postgres(text, timeout=timeout)
    return EvidenceStore.sqlite(target, timeout=timeout)
