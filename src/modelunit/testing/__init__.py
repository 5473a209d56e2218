"""Hypothesis strategies for your own tests: valid catalogs, evidence and periods.

Requires the ``testing`` extra (``pip install '.[testing]'`` from a checkout), which
installs Hypothesis. Every strategy builds objects that pass modelunit's own
validation, so a property test can start from "any valid criteria set" and
"any evidence for it":

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

When this package is installed, Hypothesis also knows how to build
:class:`~modelunit.periods.Period`, :class:`~modelunit.periods.ReportingYear`,
:class:`~modelunit.criteria.CriteriaSet` and :class:`~modelunit.indicators.Indicator`
through ``st.from_type`` (registered by the ``hypothesis`` entry point).

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
:mod:`modelunit.testing._rollout` implement): plural names, keyword-only arguments,
and examples that shrink towards small catalogs with few criteria and simple rules.
"""

from __future__ import annotations

from modelunit.testing._assessment import (
    criteria_sets,
    evidence_records,
    indicators,
    ledgers,
    periods,
    reporting_years,
    rules,
    unit_registries,
    values,
)
from modelunit.testing._rollout import milestones, regions, rollout_problems

__all__ = [
    "criteria_sets",
    "evidence_records",
    "indicators",
    "ledgers",
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
