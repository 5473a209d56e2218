"""Hypothesis strategies for your own tests: valid catalogs, evidence, periods and plans.

Requires the ``testing`` extra (``pip install '.[testing]'`` from a checkout), which
installs Hypothesis; without it, importing this module raises
:class:`~modelunit.errors.MissingExtraError` saying so. Every strategy builds objects
that pass modelunit's own validation, so a property test can start from "any valid
criteria set" and "any evidence for it":

>>> from hypothesis import given, settings
>>> import modelunit
>>> from modelunit.testing import criteria_sets, ledgers
>>> @settings(max_examples=5, deadline=None)
... @given(data=criteria_sets().flatmap(lambda c: ledgers(c).map(lambda l: (c, l))))
... def test_every_criterion_gets_an_outcome(data):
...     catalog, ledger = data
...     result = modelunit.assess(catalog, ledger, unit=modelunit.Unit("unit-0"), period="2023")
...     assert result.counts.total == len(catalog.criteria)
>>> test_every_criterion_gets_an_outcome()

When modelunit is installed, ``st.from_type`` builds every public type (criteria sets,
evidence, ledgers, registries, rules, assessments, planning problems and plans...),
registered through Hypothesis' entry point, so ``st.builds`` of your own classes with
such fields works too.

Planning problems for :mod:`modelunit.rollout` come from :func:`rollout_problems`
(with ``feasible=True`` when a test needs plans that meet every floor):

>>> from modelunit.rollout import plan
>>> from modelunit.testing import rollout_problems
>>> @settings(max_examples=5, deadline=None)
... @given(rollout_problems(feasible=True))
... def test_plans_meet_their_floors(problem):
...     assert plan(problem).missed == ()
>>> test_plans_meet_their_floors()

Strategies follow Hypothesis' house style (the ``hypothesis.extra.*`` layout: this
module re-exports, :mod:`modelunit.testing._assessment` and
:mod:`modelunit.testing._rollout` implement): every name says what one draw is
(``regions()`` draws a region, ``milestone_lists()`` a list of milestones), arguments
are keyword-only (but for the value a strategy is about, such as ``ledgers(catalog)``)
and checked when the strategy is built (a bad one raises
:class:`~hypothesis.errors.InvalidArgument`, and so does a strategy given where a value
is expected), every strategy is a ``SearchStrategy[T]``, and examples shrink towards
small catalogs with few criteria and simple rules.

``milestones()`` and ``evidence_records()`` are deprecated aliases of
:func:`milestone_lists` and :func:`evidence_lists` (they draw lists; their names
suggested one value).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from modelunit.errors import MissingExtraError

try:
    import hypothesis  # noqa: F401 - only to say clearly what is missing
except ModuleNotFoundError as exc:  # pragma: no cover - tested in a venv without it
    raise MissingExtraError(
        "modelunit.testing needs Hypothesis: install the 'testing' extra "
        "(pip install 'modelunit[testing]', or pip install '.[testing]' from a checkout)"
    ) from exc

from hypothesis import strategies as st

from modelunit.criteria import CriteriaSet
from modelunit.evidence import Evidence
from modelunit.rollout.problem import Milestone
from modelunit.testing._assessment import (
    ASSESSED_YEAR,
    BASELINE_YEAR,
    criteria_sets,
    evidence_lists,
    indicators,
    ledgers,
    periods,
    reporting_years,
    rules,
    unit_registries,
    values,
)
from modelunit.testing._rollout import milestone_lists, regions, rollout_problems

__all__ = [
    "criteria_sets",
    "evidence_lists",
    "evidence_records",
    "indicators",
    "ledgers",
    "milestone_lists",
    "milestones",
    "periods",
    "regions",
    "reporting_years",
    "rollout_problems",
    "rules",
    "unit_registries",
    "values",
]


def __dir__() -> list[str]:
    return __all__


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"modelunit.testing.{old}() is deprecated: use {new}(), which draws the same lists",
        DeprecationWarning,
        stacklevel=3,
    )


def evidence_records(
    catalog: CriteriaSet,
    *,
    units: Sequence[str] = ("unit-0",),
    years: Sequence[int] = (BASELINE_YEAR, ASSESSED_YEAR - 1, ASSESSED_YEAR),
    corrections: bool = True,
) -> st.SearchStrategy[list[Evidence]]:
    """Deprecated alias of :func:`evidence_lists` (each draw is a list of records)."""
    _deprecated("evidence_records", "evidence_lists")
    return evidence_lists(catalog, units=units, years=years, corrections=corrections)


def milestones(
    *,
    start: int = 2027,
    end: int = 2030,
    region_ids: Sequence[str] = (),
    max_size: int = 4,
) -> st.SearchStrategy[list[Milestone]]:
    """Deprecated alias of :func:`milestone_lists` (each draw is a list of milestones)."""
    _deprecated("milestones", "milestone_lists")
    return milestone_lists(start=start, end=end, region_ids=region_ids, max_size=max_size)
