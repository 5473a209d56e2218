"""Argument checks for the strategies, run when a strategy is built (Hypothesis' style:
a bad argument is an :class:`~hypothesis.errors.InvalidArgument` that names it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

__all__ = [
    "check_bool",
    "check_int",
    "check_optional_bool",
    "check_range",
    "check_sequence",
    "check_text",
    "check_value",
]

T = TypeVar("T")


def _not_a_strategy(name: str, value: object, what: str) -> None:
    if isinstance(value, st.SearchStrategy):
        raise InvalidArgument(
            f"{name} must be {what}, got a strategy ({value!r}); draw the value first, "
            f"e.g. criteria_sets().flatmap(lambda catalog: ledgers(catalog))"
        )


def check_value(name: str, value: object, kind: type[T], what: str) -> T:
    """``value`` is an instance of ``kind`` (``what`` says it in words)."""
    _not_a_strategy(name, value, what)
    if not isinstance(value, kind):
        raise InvalidArgument(f"{name} must be {what}, got {value!r}")
    return value


def check_int(name: str, value: object, *, low: int | None = None) -> int:
    """A whole number (not a bool), at least ``low``."""
    _not_a_strategy(name, value, "a whole number")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be a whole number, got {value!r}")
    if low is not None and value < low:
        raise InvalidArgument(f"{name} must be >= {low}, got {value}")
    return value


def check_range(name: str, low: object, high: object, *, floor: int = 0) -> tuple[int, int]:
    """``floor <= min_<name> <= max_<name>``."""
    lo = check_int(f"min_{name}", low, low=floor)
    hi = check_int(f"max_{name}", high, low=floor)
    if hi < lo:
        raise InvalidArgument(f"expected min_{name} <= max_{name}, got {lo} and {hi}")
    return lo, hi


def check_bool(name: str, value: object) -> bool:
    _not_a_strategy(name, value, "True or False")
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True or False, got {value!r}")
    return value


def check_optional_bool(name: str, value: object) -> bool | None:
    return None if value is None else check_bool(name, value)


def check_text(name: str, value: object) -> str:
    return check_value(name, value, str, "a string")


def check_sequence(
    name: str, value: object, kind: type[T], what: str, *, non_empty: bool = False
) -> tuple[T, ...]:
    """A list or tuple of ``kind`` (a string is not a sequence of strings here)."""
    _not_a_strategy(name, value, f"a sequence of {what}")
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | set | frozenset):
        raise InvalidArgument(f"{name} must be a sequence of {what}, got {value!r}")
    items: Iterable[Any] = value
    out = tuple(items)
    for item in out:
        _not_a_strategy(f"each of {name}", item, what)
        if not isinstance(item, kind) or (kind is int and isinstance(item, bool)):
            raise InvalidArgument(f"{name} must hold only {what}, got {item!r}")
    if non_empty and not out:
        raise InvalidArgument(f"{name} must not be empty")
    return out
