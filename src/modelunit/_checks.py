"""Small checks shared by the domain types and the converter: closed-set fields,
text, and ids.

Ids are compared in Unicode NFC, so the composed and decomposed spellings of
"Điện Biên" are one id, whether they come from a file or from Python code:

>>> import unicodedata
>>> decomposed = unicodedata.normalize("NFD", "Điện Biên")
>>> decomposed == "Điện Biên", as_id(decomposed) == "Điện Biên"
(False, True)
"""

from __future__ import annotations

import reprlib
import sys
import unicodedata
from collections.abc import Collection
from typing import Any

import attrs

from modelunit.errors import InvalidValueError, closest
from modelunit.limits import MAX_TEXT

__all__ = ["as_id", "as_ids", "one_of", "read_text", "shown"]


class _Shown(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = self.maxother = 80
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = self.maxfrozenset = 6

    def repr_int(self, x: int, level: int) -> str:
        if abs(x) >= 10**40:  # writing it out is slow, and past 4,300 digits refused
            return f"<a number of about {x.bit_length() * 0.30103:.0f} digits>"
        return repr(x)


_SHOWN = _Shown()


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut short: a value read from a file can be a table
    nested 3,000 deep, a text of a million characters or an integer of 5,000 digits.

    >>> shown({"a": {"b": {"c": {"d": 1}}}}), shown("x" * 100)[-8:], shown(10**100)
    ("{'a': {'b': {'c': {...}}}}", "xxxx...'", '<a number of about 100 digits>')
    """
    return _SHOWN.repr(value)


def one_of(allowed: Collection[str]) -> Any:
    """An attrs validator: the value is one of ``allowed`` (an
    :class:`~modelunit.errors.InvalidValueError` naming the closest otherwise)."""
    choices = tuple(allowed)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, str) and value in choices:
            return
        near = closest(value, choices)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise InvalidValueError(
            f"{attribute.name}: expected one of {', '.join(choices)}, got {shown(value)}{hint}"
        )

    return check


def read_text(value: object) -> str:
    """``value`` if it is text (``str``, valid Unicode, at most
    :data:`~modelunit.limits.MAX_TEXT` characters), in NFC; never a ``str()`` of
    something else."""
    if type(value) is not str:
        if isinstance(value, bool | int | float):
            raise InvalidValueError(f"expected text, got {shown(value)} (put it in quotes)")
        raise InvalidValueError(f"expected text, got {shown(value)} ({type(value).__name__})")
    if len(value) > MAX_TEXT:
        raise InvalidValueError(f"text of {len(value):,} characters; at most {MAX_TEXT:,}")
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValueError(
            f"text {shown(value)} is not valid Unicode (a lone surrogate)"
        ) from None
    return unicodedata.normalize("NFC", value)


def as_id(value: Any) -> Any:
    """An id as the domain types keep it: text in NFC, interned (a ledger repeats the
    same unit and indicator ids many times). Anything else is left for validation."""
    if type(value) is str:
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        return sys.intern(value)
    return value


def as_ids(value: Any) -> Any:
    """A tuple of ids (:func:`as_id` each); a bare string is refused, not split into
    its characters."""
    if isinstance(value, str):
        raise InvalidValueError(f"expected a list of ids, got the text {shown(value)}")
    if isinstance(value, list | tuple):
        return tuple(as_id(v) for v in value)
    return value
