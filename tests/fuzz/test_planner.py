"""Fuzz the planner: ``plan(problem, strategy)`` on loaded problems for every strategy,
``MergeRule`` and ``rebase_recognised``.

Problems are read (``structure(..., Scenario)``, as ``load_scenario`` does) from
corruptions of the bundled scenarios and of their bare problems; whatever loads is
planned with each strategy, a drawn apportionment method and stretch setting, strictly
or not, and the plan must round-trip and render. Merge rules get any kind and any
threshold; ``rebase_recognised`` gets rows of the bundled ward mapping, changed, and
recognised old units that are and are not in it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.geography import ward_mapping_rows
from modelunit.rollout import (
    METHODS,
    STRATEGIES,
    MappingRow,
    MergeRule,
    Rebase,
    RolloutPlan,
    plan,
    rebase_recognised,
)
from modelunit.scenarios import Scenario
from modelunit.serialization import structure
from tests.fuzz.checks import attempt, fuzz_settings, round_trips
from tests.fuzz.inputs import (
    NFD_NAME,
    TEXT_OPS,
    bundled_in,
    json_values,
    one_of_these,
    pick,
    sources,
    texts,
)

SCENARIOS = bundled_in("scenarios")


@pytest.mark.parametrize("strategy", STRATEGIES)
@fuzz_settings(deadline_ms=10_000, share=0.5)
@given(
    data=st.data(),
    method=one_of_these([*METHODS, "dhondt", ""]),
    stretch=st.booleans(),
    strict=st.booleans(),
)
def test_plan(strategy: str, data: st.DataObject, method: str, stretch: bool, strict: bool) -> None:
    source = data.draw(sources(SCENARIOS), label="scenario")
    scenario = attempt(structure, source.plain, Scenario, source="s.json", file="s.json")
    if not isinstance(scenario, Scenario):
        return
    result = attempt(
        plan, scenario.problem, strategy, method=method, stretch=stretch, strict=strict
    )
    if isinstance(result, RolloutPlan):
        round_trips(result)
        result.to_table()
        result.diagnosis.explain()
        result.at_risk()


@fuzz_settings(deadline_ms=1_000)
@given(strategy=pick(one_of_these(STRATEGIES), texts()), method=texts())
def test_plan_arguments(strategy: str, method: str) -> None:
    from modelunit.scenarios import load_scenario

    problem = load_scenario("national-2027-2030").problem
    result = attempt(plan, problem, strategy, method=method)  # type: ignore[arg-type]
    if isinstance(result, RolloutPlan):
        assert result.strategy == strategy


@fuzz_settings(deadline_ms=1_000)
@given(
    kind=pick(one_of_these(["all", "any", "share"]), texts()),
    threshold=pick(st.none(), json_values(max_size=1), st.fractions()),
)
def test_merge_rule(kind: str, threshold: object) -> None:
    rule = attempt(MergeRule, kind, threshold)  # type: ignore[arg-type]
    if isinstance(rule, MergeRule):
        round_trips(rule)


ROWS = ward_mapping_rows()
_ID_OPS = one_of_these(["", "nfd", "upper", "spaces", "typo", "surrogate", "empty"])


@st.composite
def mapping_rows(draw: st.DrawFn) -> list[MappingRow]:
    """A slice of the bundled mapping's rows, some ids changed."""
    start = draw(st.integers(min_value=0, max_value=len(ROWS) - 1))
    rows = list(ROWS[start : start + draw(st.integers(min_value=0, max_value=60))])
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        if not rows:
            break
        i = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        field = draw(one_of_these(["old_unit", "new_unit", "old_region", "new_region"]))
        op = draw(_ID_OPS)
        old = rows[i]
        value = getattr(old, field)
        changed = TEXT_OPS[op](value) if op else draw(texts())
        rows[i] = MappingRow(**{**vars_of(old), field: changed})
    return rows


def vars_of(row: MappingRow) -> dict[str, str]:
    return {
        "old_unit": row.old_unit,
        "new_unit": row.new_unit,
        "old_region": row.old_region,
        "new_region": row.new_region,
    }


@fuzz_settings(deadline_ms=5_000)
@given(
    rows=mapping_rows(),
    recognised=st.lists(
        pick(one_of_these([r.old_unit for r in ROWS]), texts(), st.just(NFD_NAME)),
        max_size=20,
    ),
    rule=one_of_these([MergeRule("all"), MergeRule("any"), MergeRule("share", "1/2")]),
)
def test_rebase_recognised(rows: list[MappingRow], recognised: list[str], rule: MergeRule) -> None:
    result = attempt(rebase_recognised, rows, recognised, rule)
    if isinstance(result, Rebase):
        assert sum(result.totals.values()) == len({r.new_unit for r in rows})
        assert all(result.recognised.get(k, 0) <= n for k, n in result.totals.items())
        round_trips(result)
