"""Exact number parsing and arithmetic shared by the converter and the domain types.

Sums and products of decimals are computed in :data:`EXACT`, a context wide enough
that they never round, whatever the thread's own :mod:`decimal` context says:

>>> import decimal
>>> with decimal.localcontext() as ambient:
...     ambient.prec = 4
...     with exact_arithmetic():
...         Decimal("100001") * 95
Decimal('9500095')
"""

from __future__ import annotations

import decimal
import math
from contextlib import AbstractContextManager
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from modelunit.errors import InvalidValueError

__all__ = [
    "EXACT",
    "ceil_share",
    "exact_arithmetic",
    "exact_decimal",
    "exact_fraction",
    "format_share",
]

EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
"""Additions, subtractions and multiplications never round in this context (and would
raise if they did). Never divide in it: a non-terminating quotient has no exact form."""


def exact_arithmetic() -> AbstractContextManager[decimal.Context]:
    """A ``with`` block whose decimal arithmetic is exact (:data:`EXACT`)."""
    return decimal.localcontext(EXACT)


def ceil_share(share: Fraction, total: int) -> int:
    """The whole number of units a share of ``total`` needs, rounded up exactly.

    >>> ceil_share(Fraction(3, 10), 249), ceil_share(Fraction(7, 10), 25)
    (75, 18)
    """
    return -(-share.numerator * total // share.denominator)


def exact_fraction(value: object) -> Fraction:
    """Read an exact share or number: ``"3/10"``, ``"30%"``, ``"0.3"``, ``3``, ``Decimal``.

    Floats are read from their shortest text form (``0.3`` -> ``3/10``), which is
    what the person who wrote them meant; booleans are refused.

    >>> exact_fraction("12.5%"), exact_fraction(0.1), exact_fraction("7/10")
    (Fraction(1, 8), Fraction(1, 10), Fraction(7, 10))
    """
    if isinstance(value, bool):
        raise InvalidValueError(f"expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | Decimal):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"expected a finite number, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            if text.endswith("%"):
                return Fraction(text[:-1].strip()) / 100
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise InvalidValueError(
                f"expected a number, share or percentage, got {value!r}"
            ) from None
    raise InvalidValueError(f"expected a number, got {value!r} ({type(value).__name__})")


def exact_decimal(value: object) -> Decimal:
    """Read an exact decimal: ``"0.05"``, ``"5%"``, ``3``, ``0.1`` (its shortest text).

    >>> exact_decimal("5%"), exact_decimal(0.1)
    (Decimal('0.05'), Decimal('0.1'))
    """
    if isinstance(value, bool):
        raise InvalidValueError(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValueError(f"expected a finite number, got {value!r}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"expected a finite number, got {value!r}")
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        result = Decimal(value.numerator) / Decimal(value.denominator)
        if Fraction(result) != value:
            raise InvalidValueError(f"{value} has no exact decimal form")
        return result
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            pct = text.endswith("%")
            result = Decimal(text[:-1].strip()).scaleb(-2) if pct else Decimal(text)
        except InvalidOperation:
            raise InvalidValueError(f"expected a decimal number, got {value!r}") from None
        if not result.is_finite():
            raise InvalidValueError(f"expected a finite number, got {value!r}")
        return result
    raise InvalidValueError(f"expected a number, got {value!r} ({type(value).__name__})")


def format_share(share: Fraction) -> str:
    """A share as a percentage for messages: ``70%``, ``66.6667%``.

    >>> format_share(Fraction(7, 10)), format_share(Fraction(2, 3))
    ('70%', '66.6667%')
    """
    pct = share * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct):g}%"
