"""Indicators: the value types and aggregations, reading recorded values (``coerce``),
and the consistency of a declaration (``problems``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from modelunit.criteria import Criterion
from modelunit.errors import InvalidValueError, ModelUnitError
from modelunit.indicators import (
    AGGREGATIONS,
    AGGREGATIONS_BY_TYPE,
    VALUE_TYPES,
    Indicator,
)
from modelunit.rules import Compare
from tests.helpers import problems_of

D = Decimal

COUNT = Indicator("n", "count", "sum")
QUANTITY = Indicator("q", "quantity", "sum", minimum=D(0), maximum=D(10))
SHARE = Indicator("s", "share", "last")
BOOLEAN = Indicator("b", "boolean", "last")
CATEGORY = Indicator("c", "category", "last", categories=("low", "high"))


def test_the_tables_cover_every_type_and_aggregation() -> None:
    assert VALUE_TYPES == ("count", "quantity", "share", "boolean", "category")
    assert set(AGGREGATIONS_BY_TYPE) == set(VALUE_TYPES)
    used = {a for aggs in AGGREGATIONS_BY_TYPE.values() for a in aggs}
    assert used == set(AGGREGATIONS)
    assert all("last" in aggs for aggs in AGGREGATIONS_BY_TYPE.values())


# -- coerce ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        (COUNT, 3, 3),
        (COUNT, "3", 3),
        (COUNT, " 12 ", 12),
        (COUNT, "1_000", 1000),
        (COUNT, D("3.0"), 3),
        (COUNT, 3.0, 3),
        (COUNT, 0, 0),
        (QUANTITY, 5, D(5)),
        (QUANTITY, "2.5", D("2.5")),
        (QUANTITY, 0.1, D("0.1")),
        (QUANTITY, D(0), D(0)),
        (QUANTITY, D(10), D(10)),
        (SHARE, "92%", D("0.92")),
        (SHARE, D("0.5"), D("0.5")),
        (SHARE, 1, D(1)),
        (SHARE, 0.25, D("0.25")),
        (SHARE, "0%", D(0)),
        (BOOLEAN, True, True),
        (BOOLEAN, False, False),
        (CATEGORY, "low", "low"),
        (CATEGORY, "high", "high"),
    ],
)
def test_accepted_forms_are_normalised(
    indicator: Indicator, value: object, expected: object
) -> None:
    got = indicator.coerce(value)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("indicator", "value", "message"),
    [
        (COUNT, -1, "a count cannot be negative, got -1"),
        (COUNT, "-2", "a count cannot be negative, got -2"),
        (COUNT, D(-3), "a count cannot be negative, got -3"),
        (COUNT, "3.5", "expected a whole number >= 0, got '3.5'"),
        (COUNT, D("3.5"), "expected a whole number >= 0, got Decimal('3.5')"),
        (COUNT, 2.5, "expected a whole number >= 0, got 2.5"),
        (COUNT, "many", "expected a whole number >= 0, got 'many'"),
        (COUNT, D("NaN"), "expected a whole number >= 0, got Decimal('NaN')"),
        (COUNT, float("inf"), "expected a whole number >= 0, got inf"),
        (COUNT, None, "expected a whole number >= 0, got None"),
        (COUNT, True, "expected a count, got True"),
        (COUNT, False, "expected a count, got False"),
        (QUANTITY, -1, "-1 is below the minimum 0"),
        (QUANTITY, D("10.01"), "Decimal('10.01') is above the maximum 10"),
        (QUANTITY, True, "expected a quantity, got True"),
        (QUANTITY, None, "expected a number, got None"),
        (QUANTITY, "abc", "expected a decimal number, got 'abc'"),
        (QUANTITY, float("nan"), "expected a finite number, got nan"),
        (SHARE, "1.2", "a share must be between 0 and 1 (0% to 100%), got '1.2'"),
        (SHARE, "101%", "a share must be between 0 and 1 (0% to 100%), got '101%'"),
        (SHARE, "-1%", "a share must be between 0 and 1 (0% to 100%), got '-1%'"),
        (SHARE, True, "expected a share, got True"),
        (BOOLEAN, 1, "expected true or false, got 1"),
        (BOOLEAN, "true", "expected true or false (without quotes), got 'true'"),
        (BOOLEAN, None, "expected true or false, got None"),
        (CATEGORY, "mid", "expected one of low, high, got 'mid'"),
        (CATEGORY, "LOW", "expected one of low, high, got 'LOW'"),
        (CATEGORY, 1, "expected one of low, high, got 1"),
    ],
)
def test_refused_values_say_what_was_expected(
    indicator: Indicator, value: object, message: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        indicator.coerce(value)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ModelUnitError)


def test_an_unbounded_quantity_takes_any_exact_decimal() -> None:
    free = Indicator("x", "quantity", "sum")
    assert free.coerce("-1e30") == D("-1e30")
    assert free.coerce(D("123456789.123456789")) == D("123456789.123456789")


def test_a_percentage_is_not_a_count() -> None:
    with pytest.raises(InvalidValueError):
        COUNT.coerce("300%")


def test_rank_orders_categories_lowest_first() -> None:
    assert [CATEGORY.rank(c) for c in ("low", "high")] == [0, 1]


# -- declarations ----------------------------------------------------------------------------


def test_a_consistent_declaration_has_no_problems() -> None:
    for ind in (COUNT, QUANTITY, SHARE, BOOLEAN, CATEGORY):
        assert ind.problems() == []


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (
            Indicator("a", "share", "sum"),
            [
                (
                    "aggregation",
                    "aggregation 'sum' does not fit a share indicator "
                    "(expected one of last, max, min)",
                )
            ],
        ),
        (
            Indicator("a", "boolean", "max"),
            [
                (
                    "aggregation",
                    "aggregation 'max' does not fit a boolean indicator "
                    "(expected one of last, any, all)",
                )
            ],
        ),
        (
            Indicator("a", "category", "last"),
            [("categories", "a category indicator needs its ordered categories")],
        ),
        (
            Indicator("a", "category", "last", categories=("x", "y", "x")),
            [("categories", "categories repeat")],
        ),
        (
            Indicator("a", "category", "last", categories=("x", "1.5")),
            [("categories", "category '1.5' looks like a number; use a name")],
        ),
        (
            Indicator("a", "count", "sum", categories=("x",)),
            [("categories", "only category indicators have categories (count)")],
        ),
        (
            Indicator("a", "count", "sum", minimum=D(0)),
            [("minimum", "only quantity indicators take a minimum (count)")],
        ),
        (
            Indicator("a", "quantity", "sum", minimum=D(5), maximum=D(1)),
            [("maximum", "maximum 1 is below minimum 5")],
        ),
    ],
)
def test_each_problem_of_a_declaration(
    indicator: Indicator, expected: list[tuple[str, str]]
) -> None:
    assert indicator.problems() == expected


def test_every_problem_of_a_declaration_is_reported() -> None:
    ind = Indicator("a", "category", "sum", categories=("1", "1"), minimum=D(1))
    assert [field for field, _ in ind.problems()] == [
        "aggregation",
        "categories",
        "categories",
        "categories",
        "minimum",
    ]


def test_a_misplaced_maximum_is_reported_at_maximum() -> None:
    assert Indicator("a", "share", "last", maximum=D(1)).problems() == [
        ("maximum", "only quantity indicators take a maximum (share)")
    ]


def test_indicator_declarations() -> None:
    found = problems_of(
        indicators=(
            Indicator("a", "share", "sum"),
            Indicator("b", "category", "last"),
            Indicator("a", "count", "sum"),
            Indicator("c", "category", "last", categories=("1", "2")),
        ),
        criteria=(Criterion("C1", Compare("a", ">", D(0))),),
    )
    messages = [m for _, _, m in found]
    assert messages[0] == "duplicate key 'a' (first at indicators[0])"
    assert "aggregation 'sum' does not fit a share indicator" in messages[1]
    assert messages[2] == "a category indicator needs its ordered categories"
    assert messages[3] == "category '1' looks like a number; use a name"


@pytest.mark.parametrize("key", ["1x", "a b", "", "crimes!"])
def test_a_key_must_be_an_identifier(key: str) -> None:
    with pytest.raises(InvalidValueError, match="key must be an identifier"):
        Indicator(key, "count", "sum")


def test_keys_may_hold_dots_and_dashes() -> None:
    assert Indicator("security.crimes-2", "count", "sum").key == "security.crimes-2"


@pytest.mark.parametrize(("type_", "aggregation"), [("integer", "sum"), ("count", "average")])
def test_an_unknown_type_or_aggregation_is_an_invalid_value(type_: str, aggregation: str) -> None:
    with pytest.raises(InvalidValueError):
        Indicator("a", type_, aggregation)  # type: ignore[arg-type]
