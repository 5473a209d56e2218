"""The one place where modelunit objects become JSON-compatible data and back.

A single configured :class:`cattrs.Converter`, :data:`converter`, owns every
(un)structuring hook. Exact numbers stay exact: a :class:`~fractions.Fraction`
becomes the string ``"3/10"``, a :class:`~decimal.Decimal` the string ``"0.05"``,
dates and datetimes ISO strings, periods their canonical text.

>>> from fractions import Fraction
>>> from modelunit.serialization import structure, unstructure
>>> unstructure(Fraction(3, 10))
'3/10'
>>> structure("30%", Fraction)
Fraction(3, 10)

Every public modelunit type round-trips: ``structure(unstructure(x), type(x)) == x``.
Structuring bad data raises an :class:`~modelunit.errors.InvalidInputError`
subclass that lists every problem with its field path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn
from dateutil.parser import isoparse

from modelunit import _data
from modelunit._cattrs_errors import error_class_for, problems_from
from modelunit._checks import read_text, shown
from modelunit._numbers import exact_decimal, exact_fraction
from modelunit.errors import InvalidInputError, InvalidValueError, Problem
from modelunit.limits import MAX_DIGITS
from modelunit.periods import Period

__all__ = [
    "converter",
    "from_json",
    "make_converter",
    "structure",
    "to_json",
    "unstructure",
]


def __dir__() -> list[str]:
    return __all__


T = TypeVar("T")


def _unstructure_fraction(value: Fraction) -> str:
    return str(value)


def _unstructure_decimal(value: Decimal) -> str:
    return str(value)


# -- strict readers of plain values: only the documented forms, never str()/bool()/int() --


def _structure_str(value: object, _: type) -> str:
    return read_text(value)


_TRUTHY_TEXT = frozenset({"true", "false", "yes", "no", "1", "0", "t", "f"})


def _structure_bool(value: object, _: type) -> bool:
    if type(value) is bool:
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUTHY_TEXT:
        raise InvalidValueError(f"expected true or false (without quotes), got {shown(value)}")
    raise InvalidValueError(f"expected true or false, got {shown(value)}")


def _structure_int(value: object, _: type) -> int:
    if type(value) is int:
        if abs(value) >= 10**MAX_DIGITS:
            raise InvalidValueError(f"a whole number of more than {MAX_DIGITS} digits: too large")
        return value
    if isinstance(value, float) and value.is_integer():
        raise InvalidValueError(
            f"expected a whole number, got {shown(value)} (write it without '.0')"
        )
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        raise InvalidValueError(f"expected a whole number (without quotes), got {shown(value)}")
    raise InvalidValueError(f"expected a whole number, got {shown(value)}")


def _is_sequence(t: Any) -> bool:
    origin = get_origin(t)
    if origin is list:
        return True
    args = get_args(t)
    return origin is tuple and len(args) == 2 and args[1] is Ellipsis


def _sequence_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """``tuple[X, ...]`` and ``list[X]`` from a JSON array or TOML array only: a string
    is never split into its characters, a table never read as its keys. Every bad item
    is reported, each at its index."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        item_type = get_args(t)[0]
        item_hook = conv.get_structure_hook(item_type)
        build = list if get_origin(t) is list else tuple

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple):
                what = "text" if isinstance(value, str) else type(value).__name__
                raise InvalidValueError(f"expected a list, got {what} {shown(value)}")
            items: list[Any] = []
            failed: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    items.append(item_hook(item, item_type))
                except Exception as exc:
                    exc.__notes__ = [
                        *getattr(exc, "__notes__", []),
                        IterableValidationNote(f"Structuring {t} @ index {i}", i, item_type),
                    ]
                    failed.append(exc)
            if failed:
                raise IterableValidationError(f"While structuring {t}", failed, t)
            return build(items)

        return structure

    return factory


def _attrs_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Every attrs class from a table (a JSON object, a TOML table) only: anything else
    is a clear error rather than an AttributeError from inside cattrs."""

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        plain = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                what = "text" if isinstance(value, str) else type(value).__name__
                raise InvalidValueError(
                    f"expected a table (an object) of fields, got {what} {shown(value)}"
                )
            return plain(value, cls)

        return structure

    return factory


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidValueError(f"expected a date such as 2024-03-31, got {shown(value)}")


def _structure_datetime(value: object, _: type) -> datetime:
    # A date alone is the end of that day, as modelunit.evidence.moment reads it, so a
    # record reads the same from a file, a spreadsheet, a database or Python.
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.max)
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = isoparse(text)
        except (ValueError, OverflowError):
            pass
        else:
            return datetime.combine(parsed.date(), time.max) if len(text) <= 10 else parsed
    raise InvalidValueError(
        f"expected a date-time such as 2024-03-31T17:00:00+07:00, got {shown(value)}"
    )


def _structure_period(value: object, _: type) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, str | int) and not isinstance(value, bool):
        return Period.parse(value)
    raise InvalidValueError(f"expected a period such as '2023' or '2023-Q4', got {shown(value)}")


def make_converter() -> cattrs.Converter:
    """A new converter configured for every modelunit type.

    Most code should use the shared :data:`converter`; make your own only to
    customise it without affecting the library.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook_factory(_is_sequence, _sequence_hook(conv))
    conv.register_structure_hook_factory(attrs.has, _attrs_hook(conv))
    conv.register_unstructure_hook(Fraction, _unstructure_fraction)
    conv.register_structure_hook(Fraction, lambda v, _: exact_fraction(v))
    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_structure_hook(Decimal, lambda v, _: exact_decimal(v))
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(Period, str)
    conv.register_structure_hook(Period, _structure_period)
    # JSON has no sets: sets become sorted lists (deterministic text).
    conv.register_unstructure_hook_factory(_is_set_type, lambda _t: _sorted_list(conv))
    conv.register_unstructure_hook(frozenset, _sorted_list(conv))
    conv.register_unstructure_hook(set, _sorted_list(conv))
    for configure in _configurers():
        configure(conv)
    return conv


def _is_set_type(t: Any) -> bool:
    return get_origin(t) in (set, frozenset) or t in (set, frozenset)


def _sorted_list(conv: cattrs.Converter) -> Callable[[Any], list[Any]]:
    def unstructure(value: Any) -> list[Any]:
        return sorted((conv.unstructure(v) for v in value), key=repr)

    return unstructure


def _configurers() -> list[Callable[[cattrs.Converter], None]]:
    from modelunit._serialization_hooks import configure_core  # noqa: PLC0415 - see below

    # The core's hooks are imported when a converter is made (which this module does
    # once, at import): the domain modules they import load then, but never import
    # this module. The planner's hooks load only when a planner type is first met.
    return [configure_core, _configure_rollout_lazily]


def _configure_rollout_lazily(conv: cattrs.Converter) -> None:
    """Register the planner's hooks the first time a planner type is (un)structured.

    Importing the planner costs about as much as the rest of the library; code
    that only assesses never pays for it. Until then every planner type is
    routed here; afterwards they dispatch normally, to the planner's own hooks
    or cattrs' defaults.
    """
    configured = False

    def pending(t: Any) -> bool:
        return not configured and getattr(t, "__module__", "").startswith("modelunit.rollout.")

    def configure_once() -> None:
        nonlocal configured
        if not configured:
            from modelunit.rollout._serialization_hooks import configure  # noqa: PLC0415

            configure(conv)
            configured = True

    def structure_factory(t: Any) -> Callable[[Any, Any], Any]:
        configure_once()
        hook: Callable[[Any, Any], Any] = conv.get_structure_hook(t)
        return hook

    def unstructure_factory(t: Any) -> Callable[[Any], Any]:
        configure_once()
        hook: Callable[[Any], Any] = conv.get_unstructure_hook(t)
        return hook

    conv.register_structure_hook_factory(pending, structure_factory)
    conv.register_unstructure_hook_factory(pending, unstructure_factory)


converter: Final[cattrs.Converter] = make_converter()
"""The shared converter. Treat it as read-only."""


def unstructure(obj: object) -> Any:
    """Turn any modelunit object into JSON-compatible data (dicts, lists, str, int...)."""
    return converter.unstructure(obj)


def structure(data: object, cls: type[T], *, source: str | None = None) -> T:
    """Build a ``cls`` from JSON-compatible data, or raise with every problem listed.

    ``source`` names where the data came from (a file name) for the error message. The
    data is read as a file's would be: nested deeper than
    :data:`~modelunit.limits.MAX_DOCUMENT_DEPTH`, it is refused before any work, so
    what ``structure`` accepts, :func:`from_json` reads back from :func:`to_json`.
    """
    problem = _data.too_deep(data)
    if problem is not None:
        raise _error_for(cls)([_with_source(problem, source)], source=source)
    return structure_parsed(data, cls, source=source)


def structure_parsed(data: object, cls: type[T], *, source: str | None = None) -> T:
    """:func:`structure` for data parsed from a file by ``modelunit._data``, whose depth
    the parser has checked already (the loaders' path: no second walk of the data)."""
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        raise _error_for(cls)(problems_from(exc, "", source), source=source) from exc
    except InvalidInputError as exc:
        problems = [_with_source(p, source) for p in exc.problems]
        raise _error_for(cls)(problems, source=source) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise _error_for(cls)([Problem("", str(exc), source=source)], source=source) from exc


def _error_for(cls: Any) -> type[InvalidInputError]:
    converter.get_structure_hook(cls)  # configures the planner's types on first use
    return error_class_for(cls)


def _with_source(problem: Problem, source: str | None) -> Problem:
    if problem.source is None and source is not None:
        return Problem(problem.path, problem.message, problem.record, source)
    return problem


def to_json(obj: object, *, indent: int | None = 2) -> str:
    """Serialise any modelunit object to JSON text (UTF-8 characters kept as is)."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes, cls: type[T], *, source: str | None = None) -> T:
    """Parse JSON text into a ``cls``; errors name ``source`` and every field path.

    ``text`` is read as a file's JSON is (a key twice in one object, say, is an error),
    and bytes may be UTF-8, UTF-16 or UTF-32, as :func:`json.loads` reads them.
    """
    what = _error_for(cls)
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode(json.detect_encoding(text))
        except UnicodeDecodeError as exc:
            raise what([Problem("", f"not UTF-8, -16 or -32 text: {exc}")], source=source) from None
    return structure_parsed(_data.parse_text(text, source, ".json", what=what), cls, source=source)
