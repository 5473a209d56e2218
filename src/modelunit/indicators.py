"""Indicators: the measured quantities a criteria set's rules are written over.

A criteria set declares each indicator it uses with a value type and with how
values for sub-periods combine into a longer period (quarterly crime counts sum
to a year; a staffing level takes the last value).

>>> from modelunit.indicators import Indicator
>>> crimes = Indicator("social_order_crimes", "count", "sum")
>>> crimes.coerce(12)
12
>>> ranking = Indicator("emulation_ranking", "category", "last",
...                     categories=("not_completed", "completed", "good", "excellent"))
>>> ranking.rank("good") > ranking.rank("completed")
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Literal, get_args

import attrs

from modelunit._checks import one_of
from modelunit._i18n import Titled
from modelunit._numbers import exact_decimal, finite_problem
from modelunit.errors import InvalidValueError
from modelunit.limits import MAX_DIGITS

__all__ = [
    "AGGREGATIONS",
    "AGGREGATIONS_BY_TYPE",
    "VALUE_TYPES",
    "Aggregation",
    "Indicator",
    "Value",
    "ValueType",
]


def __dir__() -> list[str]:
    return __all__


ValueType = Literal["count", "quantity", "share", "boolean", "category"]
"""``count``: a whole number >= 0 (cases, hotspots, officers).
``quantity``: any exact decimal (budget, area), optionally bounded.
``share``: an exact decimal from 0 to 1 (``"92%"`` is accepted and becomes 0.92).
``boolean``: true or false (a plan adopted, a headquarters to standard).
``category``: one of an ordered list of levels, lowest first (an emulation ranking)."""

Aggregation = Literal["sum", "last", "max", "min", "any", "all"]
"""How values recorded for sub-periods combine into the assessed period.

``sum``, ``max``, ``min``, ``any`` and ``all`` need the sub-periods to cover the
whole period without overlap; otherwise the value is unknown (insufficient
evidence), never a partial total. ``last`` takes the sub-period that ends when
the period ends."""

VALUE_TYPES: Final[tuple[ValueType, ...]] = get_args(ValueType)
AGGREGATIONS: Final[tuple[Aggregation, ...]] = get_args(Aggregation)
AGGREGATIONS_BY_TYPE: Final[Mapping[ValueType, tuple[Aggregation, ...]]] = {
    "count": ("sum", "last", "max", "min"),
    "quantity": ("sum", "last", "max", "min"),
    "share": ("last", "max", "min"),
    "boolean": ("last", "any", "all"),
    "category": ("last", "max", "min"),
}
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")

Value = bool | int | Decimal | str
"""A recorded value: bool (boolean), int (count), Decimal (quantity, share), str (category)."""


def _check_key(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _KEY.match(value):
        raise InvalidValueError(
            f"{attribute.name} must be an identifier (letters, digits, _ . -), got {value!r}"
        )


@attrs.frozen
class Indicator(Titled):
    """A declared indicator: key, value type, aggregation and labels."""

    key: str = attrs.field(validator=_check_key)
    type: ValueType = attrs.field(validator=one_of(VALUE_TYPES))
    aggregation: Aggregation = attrs.field(validator=one_of(AGGREGATIONS))
    title_vi: str = ""
    title_en: str = ""
    unit: str = ""
    description: str = ""
    categories: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) pairs for everything inconsistent in this declaration."""
        found: list[tuple[str, str]] = []
        if self.aggregation not in AGGREGATIONS_BY_TYPE[self.type]:
            allowed = ", ".join(AGGREGATIONS_BY_TYPE[self.type])
            found.append(
                (
                    "aggregation",
                    f"aggregation {self.aggregation!r} does not fit a {self.type} "
                    f"indicator (expected one of {allowed})",
                )
            )
        if self.type == "category":
            if not self.categories:
                found.append(("categories", "a category indicator needs its ordered categories"))
            if len(set(self.categories)) != len(self.categories):
                found.append(("categories", "categories repeat"))
            for cat in self.categories:
                if _looks_numeric(cat):
                    found.append(
                        ("categories", f"category {cat!r} looks like a number; use a name")
                    )
        elif self.categories:
            found.append(("categories", f"only category indicators have categories ({self.type})"))
        finite = True
        for bound in ("minimum", "maximum"):
            value = getattr(self, bound)
            if value is not None and self.type != "quantity":
                found.append((bound, f"only quantity indicators take a {bound} ({self.type})"))
            problem = finite_problem(value)
            if problem is not None:
                found.append((bound, problem))
                finite = False
        if (
            finite
            and self.minimum is not None
            and self.maximum is not None
            and self.minimum > self.maximum
        ):
            found.append(("maximum", f"maximum {self.maximum} is below minimum {self.minimum}"))
        return found

    def rank(self, category: str) -> int:
        """Position of ``category`` in the ordered list (0 is lowest)."""
        return self.categories.index(category)

    def coerce(self, value: object) -> Value:
        """Check and normalise a recorded value for this indicator.

        Counts are whole numbers (an integral decimal or numeric text such as ``"12"``
        is accepted; a percentage is not); quantities and shares exact decimals
        (``"92%"`` is 0.92); booleans ``true``/``false`` only; categories one of the
        declared names. Raises :class:`~modelunit.errors.InvalidValueError` (a
        ``ValueError``) saying what was expected.
        """
        kind = self.type
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            hint = " (without quotes)" if value in ("true", "false", "True", "False") else ""
            raise InvalidValueError(f"expected true or false{hint}, got {value!r}")
        if isinstance(value, bool):
            raise InvalidValueError(f"expected a {kind}, got {value!r}")
        if kind == "count":
            return _count(value)
        if kind in ("quantity", "share"):
            if not isinstance(value, int | Decimal | str | float):
                raise InvalidValueError(f"expected a number, got {value!r}")
            dec = exact_decimal(value)
            if kind == "share" and not (0 <= dec <= 1):
                raise InvalidValueError(
                    f"a share must be between 0 and 1 (0% to 100%), got {value!r}"
                )
            if self.minimum is not None and dec < self.minimum:
                raise InvalidValueError(f"{value!r} is below the minimum {self.minimum}")
            if self.maximum is not None and dec > self.maximum:
                raise InvalidValueError(f"{value!r} is above the maximum {self.maximum}")
            return dec
        # category
        if not isinstance(value, str) or value not in self.categories:
            listed = ", ".join(self.categories)
            raise InvalidValueError(f"expected one of {listed}, got {value!r}")
        return value


def _count(value: object) -> int:
    """A count: a whole number >= 0, from an int, an integral decimal or numeric text."""
    if isinstance(value, str) and value.strip().endswith("%"):
        raise InvalidValueError(f"expected a whole number >= 0, got the percentage {value!r}")
    if isinstance(value, Decimal | str | float):
        try:
            dec = exact_decimal(value)
        except InvalidValueError:
            raise InvalidValueError(f"expected a whole number >= 0, got {value!r}") from None
        if dec != dec.to_integral_value():
            raise InvalidValueError(f"expected a whole number >= 0, got {value!r}")
        value = int(dec)
    if not isinstance(value, int):
        raise InvalidValueError(f"expected a whole number >= 0, got {value!r}")
    if value < 0:
        raise InvalidValueError(f"a count cannot be negative, got {value}")
    if value >= 10**MAX_DIGITS:
        raise InvalidValueError(f"a count of more than {MAX_DIGITS} digits: too large")
    return value


def _looks_numeric(text: str) -> bool:
    try:
        exact_decimal(text)
    except InvalidValueError:
        return False
    return True
