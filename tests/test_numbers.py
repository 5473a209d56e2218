"""Exact numbers: reading fractions and decimals, the share ceiling, share text, and
exact decimal arithmetic whatever the thread's decimal context."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest

from modelunit._numbers import (
    EXACT,
    ceil_share,
    exact_arithmetic,
    exact_decimal,
    exact_fraction,
    format_share,
)
from modelunit.errors import InvalidValueError, ModelUnitError

D = Decimal
F = Fraction

# -- exact_fraction --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F(7, 10), F(7, 10)),
        (3, F(3)),
        (-2, F(-2)),
        (D("0.125"), F(1, 8)),
        (0.1, F(1, 10)),
        (0.3, F(3, 10)),
        ("3/10", F(3, 10)),
        ("-1/4", F(-1, 4)),
        ("30%", F(3, 10)),
        ("12.5%", F(1, 8)),
        (" 12.5 % ", F(1, 8)),
        ("0.3", F(3, 10)),
        ("1e-3", F(1, 1000)),
        (" 1_000 ", F(1000)),
    ],
)
def test_exact_fraction_reads_every_accepted_form(value: object, expected: Fraction) -> None:
    assert exact_fraction(value) == expected
    assert type(exact_fraction(value)) is Fraction


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a number, got True"),
        (False, "expected a number, got False"),
        (float("nan"), "expected a finite number, got nan"),
        (float("inf"), "expected a finite number, got inf"),
        (float("-inf"), "expected a finite number, got -inf"),
        ("nan", "expected a finite number, got 'nan'"),
        ("inf", "expected a finite number, got 'inf'"),
        ("abc", "expected a number, share or percentage, got 'abc'"),
        ("", "expected a number, share or percentage, got ''"),
        ("%", "expected a number, share or percentage, got '%'"),
        ("1/0", "expected a number, share or percentage, got '1/0'"),
        ("0x10", "expected a number, share or percentage, got '0x10'"),
        (None, "expected a number, got None (NoneType)"),
        ([], "expected a number, got [] (list)"),
    ],
)
def test_exact_fraction_refuses_the_rest(value: object, message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        exact_fraction(value)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ModelUnitError)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")], ids=str)
def test_exact_fraction_refuses_decimal_nan_and_infinity(value: Decimal) -> None:
    with pytest.raises(InvalidValueError):
        exact_fraction(value)


# -- exact_decimal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.05"), D("0.05")),
        (3, D(3)),
        (0.1, D("0.1")),
        (F(1, 8), D("0.125")),
        (F(-5, 4), D("-1.25")),
        ("0.05", D("0.05")),
        ("5%", D("0.05")),
        ("5 %", D("0.05")),
        (" 1_000.5 ", D("1000.5")),
        ("1e3", D("1e3")),
    ],
)
def test_exact_decimal_reads_every_accepted_form(value: object, expected: Decimal) -> None:
    got = exact_decimal(value)
    assert got == expected
    assert type(got) is Decimal


def test_exact_decimal_keeps_the_digits_written() -> None:
    assert str(exact_decimal("0.050")) == "0.050"
    assert str(exact_decimal(D("1.10"))) == "1.10"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a number, got True"),
        (D("NaN"), "expected a finite number, got Decimal('NaN')"),
        (D("-Infinity"), "expected a finite number, got Decimal('-Infinity')"),
        (float("nan"), "expected a finite number, got nan"),
        (float("inf"), "expected a finite number, got inf"),
        ("nan", "expected a finite number, got 'nan'"),
        ("Infinity", "expected a finite number, got 'Infinity'"),
        ("abc", "expected a decimal number, got 'abc'"),
        ("3/10", "expected a decimal number, got '3/10'"),
        (F(1, 3), "1/3 has no exact decimal form"),
        (None, "expected a number, got None (NoneType)"),
    ],
)
def test_exact_decimal_refuses_the_rest(value: object, message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        exact_decimal(value)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(F(1, 8), D("0.125")), ("12.345%", D("0.12345")), (F(123456789), D(123456789))],
    ids=str,
)
def test_exact_decimal_is_exact_under_a_low_ambient_precision(
    value: object, expected: Decimal
) -> None:
    with decimal.localcontext(prec=2):
        got = exact_decimal(value)
    assert got == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F(10**30 + 1), D(10**30 + 1)),
        ("1234567890123456789012345678901%", D("12345678901234567890123456789.01")),
    ],
    ids=["fraction", "percentage"],
)
def test_exact_decimal_is_exact_beyond_the_default_precision(
    value: object, expected: Decimal
) -> None:
    assert exact_decimal(value) == expected


# -- ceil_share and format_share -------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "total", "needed"),
    [
        (F(3, 10), 249, 75),  # 74.7
        (F(7, 10), 25, 18),  # 17.5
        (F(7, 10), 10, 7),  # exactly 7: not rounded up to 8
        (F(2, 3), 3, 2),
        (F(1, 3), 1, 1),
        (F(0), 10, 0),
        (F(1), 10, 10),
        (F(2, 3), 0, 0),
    ],
)
def test_ceil_share_rounds_up_exactly(share: Fraction, total: int, needed: int) -> None:
    assert ceil_share(share, total) == needed


def test_ceil_share_is_exact_where_floats_are_not() -> None:
    # 7% of 100 in floats is 7.000000000000001, whose ceiling would be 8.
    assert 0.07 * 100 > 7
    assert ceil_share(exact_fraction(0.07), 100) == 7


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (F(7, 10), "70%"),
        (F(1), "100%"),
        (F(0), "0%"),
        (F(1, 8), "12.5%"),
        (F(2, 3), "66.6667%"),
        (F(3, 2), "150%"),
    ],
)
def test_format_share(share: Fraction, text: str) -> None:
    assert format_share(share) == text


# -- exact_arithmetic ------------------------------------------------------------------------


def test_exact_arithmetic_is_exact_at_an_ambient_precision_of_2() -> None:
    with decimal.localcontext(prec=2) as ambient:
        assert D("100001") * 95 == D("9.5E+6")  # the ambient context rounds
        with exact_arithmetic():
            product = D("100001") * 95
            total = D("1e30") + D("1e-30") - D("0.5")
        assert decimal.getcontext() is ambient
        assert ambient.prec == 2
    assert product == D(9500095)
    assert total == D("999999999999999999999999999999.500000000000000000000000000001")


def test_exact_arithmetic_leaves_the_ambient_context_unchanged_even_on_error() -> None:
    with decimal.localcontext(prec=2) as ambient:
        before = (ambient.prec, ambient.rounding, dict(ambient.traps))
        with pytest.raises(decimal.InvalidOperation), exact_arithmetic():
            D("Infinity") - D("Infinity")
        assert decimal.getcontext() is ambient
        assert (ambient.prec, ambient.rounding, dict(ambient.traps)) == before
        assert D(1) / D(3) == D("0.33")


def test_the_exact_context_would_raise_rather_than_round() -> None:
    assert EXACT.prec == decimal.MAX_PREC
    assert EXACT.traps[decimal.Inexact]
    assert EXACT.traps[decimal.Overflow]
    with exact_arithmetic() as ctx:
        assert ctx.prec == decimal.MAX_PREC
        assert ctx is not EXACT  # a copy: the shared constant cannot be changed by a block
