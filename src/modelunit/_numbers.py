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
from modelunit.limits import MAX_DIGITS, MAX_EXPONENT

__all__ = [
    "EXACT",
    "bounded_int",
    "ceil_share",
    "exact_arithmetic",
    "exact_decimal",
    "exact_fraction",
    "finite_problem",
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


def _too_big(what: object, digits: int, exponent: int) -> InvalidValueError | None:
    if digits > MAX_DIGITS:
        return InvalidValueError(
            f"{what!r} has {digits} significant digits; at most {MAX_DIGITS} are accepted"
        )
    if abs(exponent) > MAX_EXPONENT:
        return InvalidValueError(
            f"{what!r} is too {'large' if exponent > 0 else 'small'}: numbers from "
            f"1e-{MAX_EXPONENT} to 1e{MAX_EXPONENT} (in size) are accepted"
        )
    return None


def _bounded_decimal(result: Decimal, shown: object) -> Decimal:
    """``result`` if finite and within :data:`~modelunit.limits.MAX_DIGITS` and
    :data:`~modelunit.limits.MAX_EXPONENT`; zero is plain zero."""
    if not result.is_finite():
        raise InvalidValueError(f"expected a finite number, got {shown!r}")
    if not result:
        return Decimal(0)  # 0E+1000000 is zero: keep no exponent
    problem = _too_big(shown, len(result.as_tuple().digits), result.adjusted())
    if problem is not None:
        raise problem
    return result


def finite_problem(value: object) -> str | None:
    """Why ``value`` cannot be a figure of a criteria set (None when it can): a decimal
    that is not finite. The readers refuse these already (:func:`exact_decimal`); a set
    built in Python is checked with this, before any figure is compared.

    >>> finite_problem(Decimal("0.5")), finite_problem(Decimal("Infinity"))
    (None, "expected a finite number, got Decimal('Infinity')")
    """
    if isinstance(value, Decimal) and not value.is_finite():
        return f"expected a finite number, got {value!r}"
    return None


def bounded_int(value: int, shown: object = None) -> int:
    """``value`` if it has at most :data:`~modelunit.limits.MAX_DIGITS` digits.

    Comparing with a bound is cheap; converting a huge integer to text is not (and past
    4,300 digits Python refuses, which :func:`json.dumps` then raises)."""
    if abs(value) >= _TEN_TO_MAX_DIGITS:
        raise InvalidValueError(f"a whole number of more than {MAX_DIGITS} digits: too large")
    return value


_TEN_TO_MAX_DIGITS: Final = 10**MAX_DIGITS
# Longest number text worth parsing: digits, sign, point, exponent, percent sign.
_MAX_NUMBER_TEXT: Final = 2 * MAX_DIGITS + 16


def _decimal_text(value: str, expected: str = "a decimal number") -> Decimal:
    """A decimal (or a percentage, exactly /100) from text, within the limits."""
    text = value.strip().replace("_", "")
    if len(text) > _MAX_NUMBER_TEXT:
        raise InvalidValueError(
            f"number text of {len(text)} characters ({text[:20]}...): too long to be a number"
        )
    percent = text.endswith("%")
    try:
        result = Decimal(text[:-1].strip() if percent else text)
    except InvalidOperation:
        raise InvalidValueError(f"expected {expected}, got {value!r}") from None
    if not result.is_finite():  # "nan", "inf" are not numbers a person means
        raise InvalidValueError(f"expected a finite number, got {value!r}")
    result = _bounded_decimal(result, value)
    if percent:
        with exact_arithmetic():
            result = result.scaleb(-2)
    return result


def exact_fraction(value: object) -> Fraction:
    """Read an exact share or number: ``"3/10"``, ``"30%"``, ``"0.3"``, ``3``, ``Decimal``.

    Floats are read from their shortest text form (``0.3`` -> ``3/10``), which is
    what the person who wrote them meant; booleans are refused, and so are numbers
    beyond :data:`~modelunit.limits.MAX_DIGITS` digits or
    :data:`~modelunit.limits.MAX_EXPONENT`.

    >>> exact_fraction("12.5%"), exact_fraction(0.1), exact_fraction("7/10")
    (Fraction(1, 8), Fraction(1, 10), Fraction(7, 10))
    """
    if isinstance(value, bool):
        raise InvalidValueError(f"expected a number, got {value!r}")
    if isinstance(value, Fraction):
        bounded_int(value.numerator, value)
        bounded_int(value.denominator, value)
        return value
    if isinstance(value, int):
        return Fraction(bounded_int(value, value))
    if isinstance(value, Decimal):
        return Fraction(_bounded_decimal(value, value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"expected a finite number, got {value!r}")
        return Fraction(_bounded_decimal(Decimal(repr(value)), value))
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if "/" in text and not text.endswith("%"):
            top, _, bottom = text.partition("/")
            try:
                num, den = int(top.strip()), int(bottom.strip())
            except ValueError:
                num, den = 0, 0
            if den == 0:
                raise InvalidValueError(f"expected a number, share or percentage, got {value!r}")
            return Fraction(bounded_int(num, value), bounded_int(den, value))
        return Fraction(_decimal_text(value, "a number, share or percentage"))
    raise InvalidValueError(f"expected a number, got {value!r} ({type(value).__name__})")


def exact_decimal(value: object) -> Decimal:
    """Read an exact decimal: ``"0.05"``, ``"5%"``, ``3``, ``0.1`` (its shortest text).

    The result does not depend on the thread's decimal context. A ``Fraction`` is
    accepted when it has an exact decimal form (``1/8`` is ``0.125``; ``1/3`` is refused).

    >>> exact_decimal("5%"), exact_decimal(0.1)
    (Decimal('0.05'), Decimal('0.1'))
    """
    if isinstance(value, bool):
        raise InvalidValueError(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        return _bounded_decimal(value, value)
    if isinstance(value, int):
        return Decimal(bounded_int(value, value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"expected a finite number, got {value!r}")
        return _bounded_decimal(Decimal(repr(value)), value)
    if isinstance(value, Fraction):
        return _fraction_to_decimal(exact_fraction(value))
    if isinstance(value, str):
        return _decimal_text(value)
    raise InvalidValueError(f"expected a number, got {value!r} ({type(value).__name__})")


def _fraction_to_decimal(value: Fraction) -> Decimal:
    """The exact decimal of ``value``, when its denominator is a product of 2s and 5s."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        raise InvalidValueError(f"{value} has no exact decimal form")
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator  # exact by construction
    with exact_arithmetic():
        return _bounded_decimal(Decimal(scaled).scaleb(-places), value)


def format_share(share: Fraction) -> str:
    """A share as a percentage for messages: ``70%``, ``66.6667%``.

    >>> format_share(Fraction(7, 10)), format_share(Fraction(2, 3))
    ('70%', '66.6667%')
    """
    pct = share * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct):g}%"
