"""Property tests of a (tiny) ward dashboard built on modelunit, as its team writes them.

The "application" is the two functions below; the tests draw catalogs, evidence, unit
registries, assessments and rollout problems from ``modelunit.testing`` and
``st.from_type``, the way any project with modelunit installed can.
"""

from __future__ import annotations

from collections import Counter

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import modelunit
from modelunit import Assessment, CriteriaSet, EvidenceLedger, Outcome, UnitRegistry
from modelunit.assessment import assess_batch
from modelunit.rollout import RolloutProblem, plan
from modelunit.serialization import from_json, to_json
from modelunit.testing import criteria_sets, ledgers, rollout_problems, unit_registries

FEW = settings(max_examples=15, deadline=None)


# -- the application under test ------------------------------------------------------------------


def dashboard(
    catalog: CriteriaSet, ledger: EvidenceLedger, registry: UnitRegistry
) -> dict[str, int]:
    """How many wards are at each level in 2023. (The registry matters: a ward with no
    evidence at all is known only from it; an unknown id is refused as a typo.)"""
    wards = [u.id for u in registry.units if u.parent is None]
    batch = assess_batch(catalog, ledger, units=wards, periods=["2023"], registry=registry)
    return dict(Counter(batch.summary(u, "2023").level for u in wards))


def report_card(result: Assessment) -> str:
    """One line per criterion, worst first, for a ward's notice board (in Vietnamese)."""
    order = {Outcome.NOT_MET: 0, Outcome.INSUFFICIENT: 1, Outcome.MET: 2, Outcome.NOT_APPLICABLE: 3}
    rows = sorted(result.results, key=lambda r: (order[r.outcome], r.criterion))
    head = f"{result.unit}: {result.summary('vi')}"
    return "\n".join([head, *(f"{r.criterion} {r.outcome.label('vi')}" for r in rows)])


@attrs.frozen
class Notice:
    """What the dashboard stores per ward: the assessment and the plan's region."""

    assessment: Assessment
    region: modelunit.rollout.Region


# With ``from __future__ import annotations`` the field types are strings: resolve them so
# that st.builds(Notice) sees the classes.
attrs.resolve_types(Notice)


# -- its tests -------------------------------------------------------------------------------------


@FEW
@given(st.data())
def test_every_unit_is_counted_once(data: st.DataObject) -> None:
    catalog = data.draw(criteria_sets(max_criteria=4))
    registry = data.draw(unit_registries(max_units=3))
    ledger = data.draw(ledgers(catalog, units=[u.id for u in registry.units]))
    wards = [u for u in registry.units if u.parent is None]
    assert sum(dashboard(catalog, ledger, registry).values()) == len(wards)


@FEW
@given(st.from_type(Assessment))
def test_the_report_card_lists_every_criterion_worst_first(result: Assessment) -> None:
    lines = report_card(result).splitlines()
    assert len(lines) == 1 + len(result.results)
    if result.counts.not_met:
        assert lines[1].endswith("chưa đạt")


@FEW
@given(st.builds(Notice))
def test_a_stored_notice_reads_back(notice: Notice) -> None:
    assert from_json(to_json(notice.assessment), Assessment) == notice.assessment


@FEW
@given(rollout_problems(feasible=True))
def test_a_feasible_plan_stays_within_every_capacity(problem: RolloutProblem) -> None:
    result = plan(problem)
    for region in result.regions:
        limits = problem.region(region.region)
        for year, new in zip(result.years, region.new, strict=True):
            cap = limits.capacity_in(year)
            assert cap is None or new <= cap
