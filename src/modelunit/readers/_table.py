"""Rows of a table (a CSV file, a sheet, a query's result, a DataFrame) to a ledger.

Every reader hands its header and rows here. Each cell is read by the same hooks as a
field of a record in a JSON evidence file (:mod:`modelunit.serialization`), so a table
and a JSON file accept and refuse exactly the same values, with the same messages;
problems are located by row and column instead of a field path, all of them are
reported at once, and nothing is returned when there is one. A column of repeated
values (units, indicators, periods, recording times, small counts) is read once per
distinct value; ids are checked at C speed.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from modelunit._checks import as_id
from modelunit._numbers import exact_decimal
from modelunit.criteria import CriteriaSet
from modelunit.errors import (
    InvalidArgumentError,
    InvalidEvidenceError,
    InvalidInputError,
    InvalidValueError,
    Problem,
    closest,
)
from modelunit.evidence import FIELDS, EvidenceColumns, EvidenceLedger, moment
from modelunit.indicators import Value
from modelunit.limits import MAX_TEXT
from modelunit.periods import Period
from modelunit.serialization import converter

__all__ = ["LAYOUTS", "Layout", "LayoutKind", "read_table"]

LayoutKind = Literal["long", "wide"]
"""``long``: one row per record. ``wide``: one row per unit and period, one column per
indicator (an empty cell is a value not reported)."""

LAYOUTS: Final[tuple[LayoutKind, ...]] = ("long", "wide")
REQUIRED: Final = ("id", "unit", "indicator", "period", "value", "recorded_at")
"""Fields every record has (as in a JSON evidence file); the others default to empty."""
WIDE_FIELDS: Final = ("id", "unit", "period", "recorded_at", "source", "reference", "note")
"""Fields a wide table may give a column (``id``: a row id, see :class:`Layout`)."""


def _mapping(value: Mapping[str, str] | None) -> dict[str, str]:
    return {} if value is None else dict(value)


@attrs.frozen
class Layout:
    """How a table holds evidence: its layout and which column holds what.

    ``columns`` maps a record field (``unit``, ``period``, ``value``...) to the header of
    the column holding it, for tables with headers of their own (``{"unit": "Mã
    phường"}``); a field without an entry is read from the column named like it.
    ``indicators`` (wide layout) maps an indicator key to its column's header; without
    it, every column that holds no field and is not in ``ignore`` is an indicator named
    by its header. ``defaults`` gives a field's value for every record, for a table
    without that column (``{"recorded_at": "2024-01-15", "source": "báo cáo năm"}``).

    In the wide layout a record's id is ``<row id>/<indicator>`` when the table has an
    ``id`` column, else ``<unit>/<period>/<indicator>``; corrections (``supersedes``)
    need the long layout.
    """

    kind: LayoutKind = "long"
    columns: dict[str, str] = attrs.field(factory=dict, converter=_mapping)
    indicators: dict[str, str] = attrs.field(factory=dict, converter=_mapping)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    defaults: dict[str, object] = attrs.field(factory=dict, converter=dict)

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.kind not in LAYOUTS:
            problems.append(f"layout kind {self.kind!r}: expected long or wide")
        allowed = FIELDS if self.kind == "long" else WIDE_FIELDS
        for name in (*self.columns, *self.defaults):
            if name not in allowed:
                near = closest(name, allowed, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                problems.append(f"{name!r} is not a field of a {self.kind} table{hint}")
        if self.indicators and self.kind == "long":
            problems.append("indicators name columns of a wide table only")
        if problems:
            raise InvalidArgumentError("; ".join(problems))

    def header_of(self, field: str) -> str:
        return self.columns.get(field, field)


# -- reading one cell as the JSON loader reads one field ----------------------------------

_str_hook = converter.get_structure_hook(str)
_period_hook = converter.get_structure_hook(Period)
_datetime_hook = converter.get_structure_hook(datetime)
_value_hook = converter.get_structure_hook(Value)
_INTEGER = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
_LITERALS: Final[dict[str, bool]] = {"true": True, "false": False}


class _Missing(Exception):  # noqa: N818 - a signal, not an error
    """An empty cell where a field is required (as a missing key in a JSON file)."""


def empty(cell: object) -> bool:
    """Whether a cell holds nothing: None, blank text, a NaN (pandas' missing float)."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and math.isnan(cell)


def text_literal(cell: object) -> object:
    """A text cell (CSV) read as the JSON value it spells: ``true``/``false``, a whole
    number, else the text itself (which the value reader reads as a decimal, a
    percentage or a category name, as it reads a JSON string)."""
    if isinstance(cell, str):
        found = _LITERALS.get(cell.strip())
        if found is not None:
            return found
        if _INTEGER.match(cell.strip()):
            return int(cell)
    return cell


def _id(cell: object) -> str:
    return as_id(_str_hook(cell, str))  # type: ignore[no-any-return]


def _optional_text(cell: object) -> str:
    return "" if empty(cell) else _str_hook(cell, str)


def _supersedes(cell: object) -> str | None:
    return None if empty(cell) else _id(cell)


def _period(cell: object) -> Period:
    return _period_hook(cell, Period)  # type: ignore[no-any-return]


def _moment(cell: object) -> datetime:
    return moment(_datetime_hook(cell, datetime))


def _value(cell: object) -> Value:
    found: Value = _value_hook(cell, Value)
    if isinstance(found, Decimal):
        exact_decimal(found)  # finite and within the limits, as a record requires
    return found


_READERS: Final[dict[str, Callable[[object], Any]]] = {
    "id": _id,
    "unit": _id,
    "indicator": _id,
    "period": _period,
    "value": _value,
    "recorded_at": _moment,
    "source": _optional_text,
    "reference": _optional_text,
    "supersedes": _supersedes,
    "note": _optional_text,
}


# -- the table ------------------------------------------------------------------------------


class _Reading:
    """One table being read: its columns, where each cell is, the problems found."""

    def __init__(
        self,
        header: Sequence[object],
        rows: Sequence[Sequence[object]],
        *,
        columns: Sequence[Sequence[object]] | None = None,
        source: str | None,
        row_label: Callable[[int], str],
        column_label: Callable[[int, str], str],
        text_cells: bool,
    ) -> None:
        self.source = source
        self.row_label = row_label
        self.column_label = column_label
        self.text_cells = text_cells
        self.problems: list[tuple[int, int, Problem]] = []  # (row, column, problem)
        self.header = [_str_hook(h, str).strip() if isinstance(h, str) else h for h in header]
        width = len(header)
        self.rows: Sequence[int]  # positions (in rows) of the rows read
        if columns is not None:
            self.rows = range(len(columns[0]) if columns else 0)
            self.columns: list[Sequence[object]] = list(columns)
            return
        kept = rows
        self.rows = range(len(rows))
        if set(map(len, rows)) - {width}:  # rows of another width are not read
            good = [i for i, row in enumerate(rows) if len(row) == width]
            for i, row in enumerate(rows):
                if len(row) != width:
                    self.fail(i, -1, f"{len(row)} cells, the header has {width}")
            self.rows = good
            kept = [rows[i] for i in good]
        # Column by column, each a C-level pass over the rows.
        self.columns = [list(map(operator.itemgetter(j), kept)) for j in range(width)]

    def where(self, row: int, column: int) -> str:
        place = self.row_label(row)
        if column >= 0:
            place += f", {self.column_label(column, str(self.header[column]))}"
        return place

    def fail(self, row: int, column: int, message: str, record: str | None = None) -> None:
        problem = Problem(self.where(row, column), message, record=record, source=self.source)
        self.problems.append((row, column, problem))

    def read(self, column: int, field: str, *, required: bool) -> list[Any]:
        """Every cell of ``column`` read as ``field`` (None where a problem was found)."""
        cells = self.columns[column]
        if field == "id" and self.text_cells:
            fast = _fast_ids(cells)
            if fast is not None:
                return fast
        reader = _READERS[field]
        if field == "value" and self.text_cells:
            reader = _compose(reader, text_literal)
        if required:
            reader = _compose(reader, _required)
        elif field == "value":
            reader = _compose(reader, _blank_is_none)
        if self.text_cells:
            return self._read_distinct(cells, reader, column)
        return self._read_each(cells, reader, column)

    def _read_distinct(
        self, cells: Sequence[object], reader: Callable[[object], Any], column: int
    ) -> list[Any]:
        # Text cells: each distinct text is read once, then looked up at C speed.
        found: dict[object, Any] = {}
        bad: dict[object, str] = {}
        for cell in set(cells):
            try:
                found[cell] = reader(cell)
            except _BlankCell:
                found[cell] = None
            except _Missing:
                bad[cell] = "required field missing"
            except (InvalidValueError, InvalidInputError) as exc:
                bad[cell] = _message(exc)
        if bad:
            for i, cell in enumerate(cells):
                if cell in bad:
                    self.fail(self.rows[i], column, bad[cell])
                    found.setdefault(cell, None)
        return list(map(found.__getitem__, cells))

    def _read_each(
        self, cells: Sequence[object], reader: Callable[[object], Any], column: int
    ) -> list[Any]:
        # Typed cells (1, 1.0 and True are equal keys): one by one, text ones cached.
        out: list[Any] = []
        texts: dict[str, Any] = {}
        for i, cell in enumerate(cells):
            try:
                if type(cell) is str:
                    value = texts.get(cell, _NOTHING)
                    if value is _NOTHING:
                        value = texts[cell] = reader(cell)
                else:
                    value = reader(cell)
            except _BlankCell:
                value = None
            except _Missing:
                self.fail(self.rows[i], column, "required field missing")
                value = None
            except (InvalidValueError, InvalidInputError) as exc:
                self.fail(self.rows[i], column, _message(exc))
                value = None
            out.append(value)
        return out


_NOTHING: Final = object()


def _message(exc: Exception) -> str:
    """What the JSON loader says of a bad field: a value error's text, or the messages
    of a located error (a period that cannot be read)."""
    if isinstance(exc, InvalidInputError):
        return "; ".join(p.message for p in exc.problems)
    return str(exc)


def _blank_is_none(cell: object) -> object:
    if empty(cell):
        raise _BlankCell
    return cell


class _BlankCell(Exception):  # noqa: N818 - a signal, not an error
    """An empty cell in a wide table: no value reported (read as None)."""


def _required(cell: object) -> object:
    if empty(cell):
        raise _Missing
    return cell


def _compose(
    outer: Callable[[object], Any], inner: Callable[[object], object]
) -> Callable[[object], Any]:
    return lambda cell: outer(inner(cell))


def _fast_ids(cells: Sequence[object]) -> list[str] | None:
    """The cells as ids if every one is plain, non-blank ASCII text within the length
    limit (checked in C-level passes); None sends the column to the cell-by-cell path."""
    if (
        cells
        and set(map(type, cells)) == {str}
        and all(map(str.isascii, cells))  # type: ignore[arg-type]
        and max(map(len, cells)) <= MAX_TEXT  # type: ignore[arg-type]
        and not any(map(str.isspace, cells))  # type: ignore[arg-type]
        and "" not in cells
        and all(map(operator.eq, cells, map(str.strip, cells)))  # type: ignore[arg-type]
    ):
        return list(cells)  # type: ignore[arg-type]
    return None


def read_table(
    header: Sequence[object],
    rows: Sequence[Sequence[object]] = (),
    layout: Layout = Layout(),
    *,
    columns: Sequence[Sequence[object]] | None = None,
    source: str | None = None,
    catalog: CriteriaSet | None = None,
    text_cells: bool = False,
    row_label: Callable[[int], str] = lambda i: f"row {i + 2}",
    column_label: Callable[[int, str], str] = lambda i, h: f"column {h!r}",
) -> EvidenceLedger:
    """The ledger of the records in a table: ``header`` and ``rows`` of cells.

    ``columns``: the cells given column by column instead of as ``rows``.
    ``text_cells``: every cell is text (CSV), read as the JSON value it spells
    (:func:`text_literal`). ``catalog``: also check indicators and values against its
    declarations, so that a bad value is reported at its cell. ``row_label`` and
    ``column_label`` say where a cell is (row ``i`` of ``rows``, column ``j`` with
    header ``h``). Raises :class:`~modelunit.errors.InvalidEvidenceError` listing every
    problem, each at its row and column.
    """
    reading = _Reading(
        header,
        rows,
        columns=columns,
        source=source,
        row_label=row_label,
        column_label=column_label,
        text_cells=text_cells,
    )
    problems = _header_problems(reading, layout, catalog)
    if problems:
        raise InvalidEvidenceError(problems, source=source)
    origin: _Origin = None
    if layout.kind == "long":
        records = _long(reading, layout)
    else:
        records, origin = _wide(reading, layout)
    _check_ids(reading, records, origin)
    if catalog is not None:  # also past other problems: every problem at once
        _check_against(reading, records, origin, catalog)
    if reading.problems:
        raise InvalidEvidenceError(_ordered(reading.problems), source=source)
    return _ledger(reading, records, origin)


def _ordered(found: Iterable[tuple[int, int, Problem]]) -> list[Problem]:
    return [p for _, _, p in sorted(found, key=lambda x: (x[0], x[1]))]


def _position(reading: _Reading) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(reading.header):
        if isinstance(name, str):
            found.setdefault(name, i)
    return found


def _header_problems(
    reading: _Reading, layout: Layout, catalog: CriteriaSet | None
) -> list[Problem]:
    """Columns missing, unexpected or named twice (the header's problems stop the reading:
    its cells cannot be told apart without them)."""
    header = reading.header
    problems: list[Problem] = []

    def fail(message: str) -> None:
        problems.append(Problem("header", message, source=reading.source))

    seen: set[object] = set()
    for name in header:
        if not isinstance(name, str) or not name:
            fail(f"a column without a name ({name!r})")
        elif name in seen:
            fail(f"the column {name!r} appears twice")
        seen.add(name)
    names = [h for h in header if isinstance(h, str)]
    fields = FIELDS if layout.kind == "long" else WIDE_FIELDS
    required = REQUIRED if layout.kind == "long" else ("unit", "period", "recorded_at")
    used: set[str] = set(layout.ignore)
    for field in fields:
        wanted = layout.header_of(field)
        if wanted in seen:
            used.add(wanted)
            continue
        if field in layout.defaults:
            continue
        if field in required or field in layout.columns:
            near = closest(wanted, [n for n in names if n not in used], n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            fail(f"missing column {wanted!r} ({field}){hint}")
    declared = catalog.indicator_map if catalog is not None else None
    if layout.kind == "wide":
        if layout.indicators:
            for key, wanted in layout.indicators.items():
                if wanted not in seen:
                    near = closest(wanted, [n for n in names if n not in used], n=1)
                    hint = f" (did you mean {near[0]!r}?)" if near else ""
                    fail(f"missing column {wanted!r} (indicator {key}){hint}")
                used.add(wanted)
            keys: Iterable[str] = layout.indicators
        else:
            keys = [n for n in names if n not in used]
            used.update(keys)
        if declared is not None:
            for key in keys:
                if key not in declared:
                    near = closest(key, declared, n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else ""
                    fail(f"unknown indicator {key!r} (not declared by {catalog.id}){hint}")  # type: ignore[union-attr]
    for name in names:
        if name not in used:
            near = closest(name, [layout.header_of(f) for f in fields], n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            fail(f"unexpected column {name!r}{hint}; list it in ignore to skip it")
    return problems


def _field_column(
    reading: _Reading, layout: Layout, field: str, n: int, *, required: bool
) -> list[Any]:
    """The values of ``field`` for every row: from its column, or its default."""
    position = _position(reading).get(layout.header_of(field))
    if position is not None:
        return reading.read(position, field, required=required)
    if field in layout.defaults:
        try:
            value = _READERS[field](layout.defaults[field])
        except (InvalidValueError, InvalidInputError) as exc:
            raise InvalidArgumentError(f"default {field}: {_message(exc)}") from None
        return [value] * n
    return [None if field == "supersedes" else ""] * n


def _long(reading: _Reading, layout: Layout) -> EvidenceColumns:
    n = len(reading.rows)
    return EvidenceColumns(
        **{
            field: _field_column(reading, layout, field, n, required=field in REQUIRED)
            for field in FIELDS
        }
    )


_Origin = list[tuple[int, int]] | None
"""Where each record of a wide table came from: (row, column of its value)."""


def _wide(reading: _Reading, layout: Layout) -> tuple[EvidenceColumns, _Origin]:
    n = len(reading.rows)
    position = _position(reading)
    fields = {
        f: _field_column(reading, layout, f, n, required=f in ("unit", "period", "recorded_at"))
        for f in WIDE_FIELDS
    }
    has_id = layout.header_of("id") in position
    keys = layout.indicators or {
        h: h for h in reading.header if isinstance(h, str) and h not in _fixed(layout)
    }
    out: dict[str, list[Any]] = {name: [] for name in FIELDS}
    origin: list[tuple[int, int]] = []
    for key, wanted in keys.items():
        column = position[wanted]
        cells = reading.columns[column]
        present = [not empty(c) for c in cells]
        values = reading.read(column, "value", required=False)
        pick = list(itertools.compress(range(n), present))
        indicator = as_id(key)
        for name in ("unit", "period", "recorded_at", "source", "reference", "note"):
            out[name] += [fields[name][i] for i in pick]
        out["indicator"] += [indicator] * len(pick)
        out["value"] += [values[i] for i in pick]
        out["supersedes"] += [None] * len(pick)
        suffix = f"/{indicator}"
        if has_id:
            out["id"] += [_join(fields["id"][i], suffix) for i in pick]
        else:
            out["id"] += [_join(fields["unit"][i], f"/{fields['period'][i]}{suffix}") for i in pick]
        origin += [(i, column) for i in pick]
    return EvidenceColumns(**out), origin


def _join(head: object, tail: str) -> str | None:
    return None if head is None else as_id(f"{head}{tail}")


def _fixed(layout: Layout) -> set[str]:
    return {layout.header_of(f) for f in WIDE_FIELDS} | set(layout.ignore)


def _origin(reading: _Reading, origin: _Origin, i: int) -> tuple[int, int]:
    """(row, column) of record ``i``: its row, and the value's column in a wide table."""
    if origin is not None:
        row, column = origin[i]
        return reading.rows[row], column
    return reading.rows[i], -1


def _check_ids(reading: _Reading, records: EvidenceColumns, origin: _Origin) -> None:
    """Ids given twice and corrections of records the table does not have, found with
    the problems of the cells (the ledger's other checks need readable records)."""
    ids: Sequence[str | None] = records.id  # None: an id that could not be read
    known = set(ids)
    position = _position(reading)
    if len(known) != len(ids):
        seen: set[str] = set()
        for i, rid in enumerate(ids):
            if rid is None:  # reported at its cell
                continue
            if rid in seen:
                row, column = _origin(reading, origin, i)
                column = position.get("id", column) if origin is None else column
                reading.fail(row, column, f"duplicate evidence id {rid!r}", record=rid)
            seen.add(rid)
    if set(records.supersedes) <= {None}:
        return
    where = position.get("supersedes", -1)
    for i, (rid, old) in enumerate(zip(ids, records.supersedes, strict=True)):
        if old is not None and (old not in known or old == rid):
            row, _ = _origin(reading, origin, i)
            reading.fail(row, where, f"supersedes unknown record {old!r}", record=rid)


def _check_against(
    reading: _Reading, columns: EvidenceColumns, origin: _Origin, catalog: CriteriaSet
) -> None:
    """Indicators declared by ``catalog`` and values of their types, at their cells."""
    declared = catalog.indicator_map
    position = _position(reading)
    ind_column = position.get("indicator", -1)
    checked: dict[tuple[str, type, object], str | None] = {}
    keys: Sequence[str | None] = columns.indicator  # None: a cell that could not be read
    for i, (key, value) in enumerate(zip(keys, columns.value, strict=True)):
        if key is None or value is None:  # a cell that could not be read: reported
            continue
        row, column = _origin(reading, origin, i)
        ind = declared.get(key)
        if ind is None:
            near = closest(key, declared, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            message = f"unknown indicator {key!r} (not declared by {catalog.id}){hint}"
            reading.fail(row, ind_column, message, record=columns.id[i])
            continue
        token = (key, type(value), value if not isinstance(value, Decimal) else str(value))
        if token not in checked:
            try:
                ind.coerce(value)
                checked[token] = None
            except InvalidValueError as exc:
                checked[token] = str(exc)
        found = checked[token]
        if found is not None:
            where = column if column >= 0 else position.get("value", -1)
            reading.fail(row, where, found, record=columns.id[i])


def _ledger(reading: _Reading, columns: EvidenceColumns, origin: _Origin) -> EvidenceLedger:
    """The ledger of the records, its own problems (a duplicate id, a correction of a
    record that does not exist...) located at the rows of the records they name."""
    try:
        return EvidenceLedger.from_columns(columns)
    except InvalidEvidenceError as exc:
        rows_of: dict[str, list[int]] = {}
        for i, rid in enumerate(columns.id):
            rows_of.setdefault(rid, []).append(i)
        position = _position(reading)
        found: list[tuple[int, int, Problem]] = []
        for problem in exc.problems:
            field = problem.path.rpartition(".")[2]
            where = rows_of.get(problem.record or "", [])
            which = where[-1] if field == "id" and len(where) > 1 else where[0] if where else 0
            row, column = _origin(reading, origin, which)
            if column < 0:
                column = position.get(field, -1)
            found.append(
                (
                    row,
                    column,
                    Problem(
                        reading.where(row, column),
                        problem.message,
                        record=problem.record,
                        source=reading.source,
                    ),
                )
            )
        raise InvalidEvidenceError(_ordered(found), source=reading.source) from None
