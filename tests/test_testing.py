"""The strategies shipped in modelunit.testing: valid output, argument checks, shrinking."""

from __future__ import annotations

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import modelunit
from modelunit.criteria import CriteriaSet
from modelunit.rollout import RolloutProblem, diagnose, plan
from modelunit.testing import (
    criteria_sets,
    evidence_records,
    indicators,
    ledgers,
    milestones,
    periods,
    regions,
    rollout_problems,
    rules,
    unit_registries,
)


@given(criteria_sets())
def test_criteria_sets_are_valid_and_assessable(catalog: CriteriaSet) -> None:
    assert catalog.problems() == []
    result = modelunit.assess(
        catalog, modelunit.EvidenceLedger(), unit=modelunit.Unit("u"), period="2023"
    )
    assert result.counts.total == len(catalog.criteria)


@given(rollout_problems())
def test_rollout_problems_are_valid(problem: RolloutProblem) -> None:
    assert isinstance(problem, RolloutProblem)
    assert problem.start == 2027


@given(rollout_problems(feasible=True))
def test_feasible_problems_are_feasible(problem: RolloutProblem) -> None:
    assert diagnose(problem).feasible
    result = plan(problem)
    assert result.feasible
    assert result.missed == ()


@given(rollout_problems(feasible=False))
def test_infeasible_problems_are_infeasible(problem: RolloutProblem) -> None:
    result = plan(problem)
    assert not result.feasible or result.missed != ()


@given(rollout_problems(national_cap=False, max_regions=2))
def test_national_cap_can_be_switched_off(problem: RolloutProblem) -> None:
    assert problem.national_cap is None
    assert len(problem.regions) <= 2


@pytest.mark.parametrize(
    "strategy",
    [
        lambda: periods(min_year=2030, max_year=2020),
        lambda: periods(kinds=("decade",)),
        lambda: indicators(types=("colour",)),
        lambda: rules([], max_depth=1),
        lambda: rules(list(_inds()), max_depth=-1),
        lambda: criteria_sets(min_criteria=3, max_criteria=2),
        lambda: criteria_sets(max_indicators=0),
        lambda: unit_registries(min_units=2, max_units=1),
        lambda: evidence_records(_catalog(), units=()),
        lambda: rollout_problems(min_regions=0, max_regions=-1),
        lambda: rollout_problems(max_years=0),
        lambda: regions(start=2030, end=2027),
        lambda: milestones(max_size=-1),
    ],
)
def test_bad_arguments_raise_invalid_argument(strategy: object) -> None:
    @settings(max_examples=1, database=None)
    @given(st.data())
    def draw_one(data: st.DataObject) -> None:
        data.draw(strategy())  # type: ignore[operator]

    with pytest.raises(InvalidArgument):
        draw_one()


def _inds() -> tuple[object, ...]:
    return modelunit.load_catalog("tutorial").indicators


def _catalog() -> CriteriaSet:
    return modelunit.load_catalog("tutorial")


def test_examples_shrink_to_the_simplest() -> None:
    problem = find(rollout_problems(), lambda p: True)
    assert [(r.id, r.total) for r in problem.regions] == [("R00", 0)]
    assert problem.milestones == ()
    catalog = find(criteria_sets(), lambda c: True)
    assert len(catalog.criteria) == 1
    assert str(find(periods(), lambda p: True)) == "2015"


@given(st.data())
def test_ledgers_fit_their_catalog(data: st.DataObject) -> None:
    catalog = data.draw(criteria_sets(max_criteria=3))
    ledger = data.draw(ledgers(catalog, units=["a", "b"]))
    assert {r.unit for r in ledger} <= {"a", "b"}
    modelunit.build_index(catalog, ledger)  # every value fits its indicator


def test_rules_refuse_a_negative_depth() -> None:
    from tests.helpers import INDICATORS

    with pytest.raises(InvalidArgument, match="max_depth must be >= 0, got -1"):
        rules(INDICATORS, max_depth=-1)


@settings(max_examples=30)
@given(st.data())
def test_rules_of_depth_zero_are_leaves_of_what_the_indicators_allow(data: st.DataObject) -> None:
    from modelunit.indicators import Indicator
    from modelunit.rules import Absent, Flag, Present

    booleans = [Indicator("b", "boolean", "last")]
    rule = data.draw(rules(booleans, max_depth=0))
    # Only booleans: no comparison, change, ratio, level or reference can be made.
    assert isinstance(rule, Flag | Absent | Present)
    assert rule.indicator == "b"


def test_rules_without_sub_units_never_draw_them() -> None:
    from hypothesis.errors import NoSuchExample

    from modelunit.rules import SubUnits, iter_rules
    from tests.helpers import INDICATORS

    with pytest.raises(NoSuchExample):
        find(
            rules(INDICATORS, max_depth=2, criteria=("C1",)),
            lambda r: any(isinstance(n, SubUnits) for _, n in iter_rules(r)),
            settings=settings(max_examples=200, database=None),
        )


def test_a_kind_the_scope_cannot_make_is_none() -> None:
    from modelunit.rules import AllOf, CriterionRef, SubUnits
    from modelunit.testing._assessment import _kind_strategy, _Scope
    from tests.helpers import INDICATORS

    scope = _Scope(list(INDICATORS), (), None)
    assert _kind_strategy(CriterionRef, scope, None, None) is None
    assert _kind_strategy(AllOf, scope, None, None) is None
    assert _kind_strategy(SubUnits, scope, rules(INDICATORS, max_depth=0), None) is None
    refs = _Scope(list(INDICATORS), ("C1",), None)
    assert _kind_strategy(CriterionRef, refs, None, None) is not None
