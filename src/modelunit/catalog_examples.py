"""Examples a catalog carries: a unit's evidence, and the outcomes and level expected.

Like the tests of a policy (``opa test``), examples live in the catalog they check and
run with it (:func:`modelunit.catalog_tests.run_examples`, ``modelunit test CATALOG``).
In TOML:

.. code-block:: toml

    [[examples]]
    id = "all-met"
    period = "2023"
    level = "model"                                 # the level expected
    expect = { T1 = "met", T2 = "met", T3 = "met" }  # outcomes expected (any criteria)
    values = { serious_crimes = 0, social_order_crimes = 18, resident_satisfaction = "95%" }
    evidence = [{ indicator = "social_order_crimes", period = "2022", value = 24 }]

``values`` are the unit's values for the example's period; ``evidence`` adds records for
other periods or sub-units (``unit`` names a sub-unit; by default the example's unit);
``sub_units`` registers the unit's sub-units, each with its own ``values``. The unit is of
``unit_kind`` (by default the set's first unit kind). ``settled`` (optional) is whether
the level is expected to be settled. Only the outcomes listed in ``expect`` are checked;
coverage counts every outcome the examples produce.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, get_args

import attrs

from modelunit._checks import as_id
from modelunit.indicators import Value
from modelunit.periods import Period, ReportingYear

__all__ = [
    "EXPECTED_OUTCOMES",
    "CatalogExample",
    "ExampleRecord",
    "ExampleSubUnit",
    "ExpectedOutcome",
]


def __dir__() -> list[str]:
    return __all__


ExpectedOutcome = Literal["met", "not_met", "insufficient", "not_applicable"]
"""An outcome an example expects of a criterion (the values of
:class:`~modelunit.outcomes.Outcome`)."""

EXPECTED_OUTCOMES: Final[tuple[ExpectedOutcome, ...]] = get_args(ExpectedOutcome)

#: The unit an example assesses, unless it names its own.
EXAMPLE_UNIT: Final = "example"


def _frozen_map(value: object) -> object:
    # A read-only view: examples are values, like everything else in a catalog. Anything
    # that is not a mapping is left for validation to report.
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value


def _period_or_none(value: object) -> object:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return Period.parse(value)
    return value


@attrs.frozen
class ExampleRecord:
    """One more evidence record of an example: ``indicator`` over ``period`` (by default
    the example's) for ``unit`` (by default the example's unit) was ``value``."""

    indicator: str = attrs.field(converter=as_id)
    value: Value
    period: Period | None = attrs.field(default=None, converter=_period_or_none)
    unit: str = attrs.field(default="", converter=as_id)


@attrs.frozen
class ExampleSubUnit:
    """A sub-unit of the example's unit (a residential area), with its values for the
    example's period."""

    id: str = attrs.field(converter=as_id)
    kind: str = attrs.field(converter=as_id)
    values: Mapping[str, Value] = attrs.field(factory=dict, converter=_frozen_map, hash=False)


@attrs.frozen
class CatalogExample:
    """A unit's evidence and what the catalog must make of it (see the module).

    A bare year (``period = "2024"``) is the set's reporting year, as in an assessment
    (:meth:`assessed_period`); the periods of ``evidence`` stay calendar ones, as in an
    evidence file.
    """

    id: str = attrs.field(converter=as_id)
    period: Period = attrs.field(converter=_period_or_none)
    level: str | None = None
    settled: bool | None = None
    expect: Mapping[str, ExpectedOutcome] = attrs.field(
        factory=dict, converter=_frozen_map, hash=False
    )
    values: Mapping[str, Value] = attrs.field(factory=dict, converter=_frozen_map, hash=False)
    evidence: tuple[ExampleRecord, ...] = ()
    sub_units: tuple[ExampleSubUnit, ...] = ()
    unit: str = attrs.field(default=EXAMPLE_UNIT, converter=as_id)
    unit_kind: str = attrs.field(default="", converter=as_id)
    title_en: str = ""
    title_vi: str = ""
    description: str = ""

    def assessed_period(self, reporting_year: ReportingYear) -> Period:
        """The period assessed: :attr:`period`, a bare year read in ``reporting_year``."""
        if self.period.kind == "year":
            return reporting_year.year(self.period.end.year)
        return self.period
