"""Evidence from JSON Lines: one record per line, each a JSON object with the fields of
a record of a JSON evidence file (a stream of records, appended to as they come).

Blank lines are skipped; each line is read with the JSON loader's checks, and messages
name the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from modelunit import _data
from modelunit._evidence_records import columns_from_data
from modelunit.catalogs import EvidenceFile
from modelunit.errors import InvalidEvidenceError, Problem
from modelunit.evidence import EvidenceColumns, EvidenceLedger
from modelunit.serialization import structure

__all__ = ["read_jsonl"]


def __dir__() -> list[str]:
    return __all__


_RECORD = re.compile(r"^evidence\[(\d+)\]\.?")


def read_jsonl(source: str | Path) -> EvidenceLedger:
    """The evidence records of a JSON Lines file (UTF-8). Raises
    :class:`~modelunit.errors.InvalidEvidenceError` naming the line and field of every
    problem."""
    name = str(source)
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        raise InvalidEvidenceError(
            [Problem("", f"cannot read file: {exc.strerror}")], source=name
        ) from exc
    records: list[Any] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(_data.parse_bytes(line, name, ".json", what=InvalidEvidenceError))
            lines.append(number)
        except InvalidEvidenceError as exc:
            problems += [_at_line(p, number, name) for p in exc.problems]
    if problems:
        raise InvalidEvidenceError(problems, source=name)
    columns = columns_from_data(records)
    if columns is None:  # something unusual: the converter reads record by record
        try:
            loaded = structure({"evidence": records}, EvidenceFile, source=name)
        except InvalidEvidenceError as exc:
            raise InvalidEvidenceError(
                [_relocated(p, lines, name) for p in exc.problems], source=name
            ) from None
        columns = EvidenceColumns.from_records(loaded.evidence)
    try:
        return EvidenceLedger.from_columns(columns)
    except InvalidEvidenceError as exc:
        at = {rid: lines[i] for i, rid in enumerate(columns.id)}
        raise InvalidEvidenceError(
            [
                Problem(
                    f"line {at.get(p.record or '', 0)}, {p.path.rpartition('.')[2]}",
                    p.message,
                    p.record,
                    name,
                )
                for p in exc.problems
            ],
            source=name,
        ) from None


def _at_line(problem: Problem, number: int, name: str) -> Problem:
    where = f"line {number}" + (f", {problem.path}" if problem.path else "")
    return Problem(where, problem.message, problem.record, name)


def _relocated(problem: Problem, lines: list[int], name: str) -> Problem:
    found = _RECORD.match(problem.path)
    if found is None:
        return Problem(problem.path, problem.message, problem.record, name)
    rest = problem.path[found.end() :]
    where = f"line {lines[int(found[1])]}" + (f", {rest}" if rest else "")
    return Problem(where, problem.message, problem.record, name)
