"""Evidence records from plain data (JSON objects) straight into columns.

The JSON loader structures a record field by field through the converter
(:mod:`modelunit.serialization`). For the usual file, every record a table of the
documented fields with values of the documented types, this module reads the same
records column by column with the same hooks, each distinct value once, and builds
:class:`~modelunit.evidence.EvidenceColumns` without an object per record. Anything
unusual (a field missing or unknown, a value of another type, a value a hook refuses)
makes it give up, and the caller structures the records one by one: errors, and their
messages, are always the converter's own.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Final

from modelunit._checks import as_id
from modelunit._numbers import exact_decimal
from modelunit.errors import InvalidInputError, InvalidValueError
from modelunit.evidence import FIELDS, EvidenceColumns, moment
from modelunit.indicators import Value
from modelunit.limits import MAX_TEXT
from modelunit.periods import Period
from modelunit.serialization import converter

__all__ = ["columns_from_data"]

REQUIRED: Final = ("id", "unit", "indicator", "period", "value", "recorded_at")
OPTIONAL: Final[dict[str, object]] = {"source": "", "reference": "", "supersedes": None, "note": ""}

_str = converter.get_structure_hook(str)
_period = converter.get_structure_hook(Period)
_datetime = converter.get_structure_hook(datetime)
_value = converter.get_structure_hook(Value)


class _GiveUp(Exception):  # noqa: N818 - a signal: use the exact path
    """The records are not all in the usual form."""


def _read_id(v: object) -> str:
    return as_id(_str(v, str))  # type: ignore[no-any-return]


def _read_text(v: object) -> str:
    return _str(v, str)  # type: ignore[no-any-return]


def _read_optional_id(v: object) -> str | None:
    return None if v is None else _read_id(v)


def _read_period(v: object) -> Period:
    return _period(v, Period)  # type: ignore[no-any-return]


def _read_moment(v: object) -> datetime:
    return moment(_datetime(v, datetime))


def _read_value(v: object) -> Value:
    found: Value = _value(v, Value)
    if type(found) is not bool and not isinstance(found, int | str):
        exact_decimal(found)  # finite and within the limits, as a record requires
    return found


# Per field: the types of JSON values its hook accepts here, and the hook. A value of
# another type gives up (the exact path reports it).
_FIELDS: Final[dict[str, tuple[frozenset[type], Callable[[Any], Any]]]] = {
    "id": (frozenset({str}), _read_id),
    "unit": (frozenset({str}), _read_id),
    "indicator": (frozenset({str}), _read_id),
    "period": (frozenset({str, int}), _read_period),
    "value": (frozenset({bool, int, float, str}), _read_value),
    "recorded_at": (frozenset({str}), _read_moment),
    "source": (frozenset({str}), _read_text),
    "reference": (frozenset({str}), _read_text),
    "supersedes": (frozenset({str, type(None)}), _read_optional_id),
    "note": (frozenset({str}), _read_text),
}


def columns_from_data(records: object) -> EvidenceColumns | None:
    """The records (a list of JSON objects) as columns, or None unless every record
    is in the usual form (then structure them one by one for the exact errors)."""
    if type(records) is not list:
        return None
    if not records:
        return EvidenceColumns(**{name: [] for name in FIELDS})
    if set(map(type, records)) != {dict}:
        return None
    n = len(records)
    columns: dict[str, list[Any]] = {}
    keys = n * len(REQUIRED)
    try:
        for name in REQUIRED:
            columns[name] = list(map(operator.itemgetter(name), records))
    except KeyError:
        return None
    read = set(FIELDS)
    # Every record has the required fields; if that is all the keys there are, no record
    # has an optional one (nor one the format does not have): one pass tells.
    fields = sum(map(len, records))
    only_required = fields == keys
    for name, default in OPTIONAL.items():
        present = (
            0 if only_required else sum(map(operator.contains, records, itertools.repeat(name)))
        )
        keys += present
        if present:
            columns[name] = list(map(operator.methodcaller("get", name, default), records))
        else:  # the default in every record: what its hook reads it as, nothing to read
            columns[name] = [default] * n
            read.discard(name)
    if fields != keys:  # a field the format does not have
        return None
    try:
        for name in FIELDS:
            if name in read:
                columns[name] = _read_column(name, columns[name])
    except _GiveUp:
        return None
    return EvidenceColumns(**columns)


def _read_column(name: str, values: Sequence[Any]) -> list[Any]:
    allowed, hook = _FIELDS[name]
    kinds = set(map(type, values))
    if not kinds <= allowed:
        raise _GiveUp
    if name == "id" and kinds == {str} and _plain_ids(values):
        return list(values)
    if len(kinds) == 1:
        return _distinct(hook, values)
    types = list(map(type, values))
    # Values of several types: each type read apart (1, 1.0 and True are equal keys),
    # then merged back in order, in C: every position pulls from its type's results.
    results = {}
    for kind in kinds:
        mine = list(itertools.compress(values, map(operator.is_, types, itertools.repeat(kind))))
        results[kind] = iter(_distinct(hook, mine))
    return list(map(next, map(results.__getitem__, types)))


def _distinct(hook: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """``hook`` of every value (of one type), each distinct one read once."""
    found: dict[Any, Any] = {}
    for value in set(values):
        try:
            found[value] = hook(value)
        except (InvalidValueError, InvalidInputError):
            raise _GiveUp from None
    return list(map(found.__getitem__, values))


def _plain_ids(values: Sequence[Any]) -> bool:
    """ASCII text within the length limit: already what ``as_id`` makes of it."""
    return all(map(str.isascii, values)) and max(map(len, values)) <= MAX_TEXT
