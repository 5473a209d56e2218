"""At least one real instance of every public attrs type: the fuzz suite unstructures
and corrupts them, ``tests/test_public_types.py`` round-trips them.

Built from the bundled data as people use it: the catalogs and the evidence, an
assessment with its traces, a batch summary, a diff, small maps and a mapping (the
bundled maps cut down to one province, so that a corrupted copy is quick to read
back), the scenarios, a plan of every strategy with its diagnosis, a rebase, a ward
selection and a simulation.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from functools import cache

import attrs

import modelunit
from modelunit import geography, rules, scenarios, targets, versions
from modelunit.assessment import assess_batch
from modelunit.policy import AnyCondition, CriteriaOutcomes, NotCondition, Points
from modelunit.rules import Absent, CriterionRef, Flag, Not, Present, ShareOf, SubUnits


def _rollout() -> Iterator[object]:
    from modelunit import rollout

    for name in scenarios.list_scenarios():
        problem = scenarios.load_scenario(name).problem
        yield problem
        yield from problem.regions[:2]
        yield from problem.milestones[:2]
        for strategy in rollout.STRATEGIES:
            result = rollout.plan(problem, strategy)
            yield result
            yield from result.regions[:2]
            yield from result.checks[:2]
            yield result.diagnosis
            yield from result.diagnosis.shortfalls[:2]
            yield from result.diagnosis.extra_capacity[:2]
    # Budgets (the diagnosis names the budget that binds) and a plan carried across maps.
    budgeted = rollout.RolloutProblem(
        regions=[
            rollout.Region("A", total=10, cost=Decimal("2.5"), budget=Decimal(10), capacity=6)
        ],
        milestones=[rollout.Milestone(2026, 1), rollout.Milestone(2026, stretch="1", region="A")],
        start=2025,
        end=2026,
    )
    yield budgeted
    short = rollout.diagnose(budgeted)
    yield short
    yield from short.extra_budget
    old = rollout.RolloutProblem(
        regions=[rollout.Region("A", total=3), rollout.Region("B", total=4)],
        milestones=[rollout.Milestone(2030, 1)],
        start=2026,
        end=2030,
    )
    two_maps = [
        rollout.MappingRow(old_unit, new_unit, old_unit[0].upper(), new_unit[0])
        for old_unit, new_unit in (
            ("a1", "X1"), ("a2", "X1"), ("a3", "X2"), ("b1", "X2"),
            ("b2", "Y1"), ("b3", "Y1"), ("b4", "Y1"),
        )
    ]  # fmt: skip
    carried = rollout.rebase_plan(
        rollout.plan(old, "earliest"), two_maps, [], capacity={"X": 1, "Y": 1}
    )
    yield carried
    yield from carried.changed[:2]
    rows = geography.ward_mapping_rows()[:40]
    rebase = rollout.rebase_recognised(rows, [rows[0].old_unit], rollout.MergeRule("any"))
    yield rebase
    yield from rebase.units[:2]
    yield from rows[:2]
    yield rollout.MappingTable(tuple(rows[:3]), "three rows of the 2025 ward mapping")
    yield rollout.MergeRule("share", "1/2")
    small = scenarios.load_scenario("national-2027-2030").problem
    result = rollout.plan(small)
    region = result.regions[0].region
    readiness = [rollout.UnitReadiness(f"w{i}", region, criteria_missing=i) for i in range(3)]
    yield from readiness
    yield from rollout.select_units(result, readiness, region=region)
    simulated = rollout.simulate(result, "9/10", runs=20)
    yield simulated
    yield from simulated.odds[:2]


def _small_maps() -> Iterator[object]:
    """The 2025 map and the mapping, cut down to one province (each a valid object)."""
    new, old, mapping = (
        geography.load_geography("2025"),
        geography.load_geography("pre-2025"),
        (geography.load_mapping()),
    )
    hanoi_new, hanoi_old = new.province("01"), old.province("01")
    small_new = attrs.evolve(new, provinces=(hanoi_new,), all_units=new.units(province="01")[:10])
    small_old = attrs.evolve(old, provinces=(hanoi_old,), all_units=old.units(province="01")[:10])
    units = tuple(m for m in mapping.units if m.old in {u.code for u in small_old.all_units})
    yield small_new
    yield small_old
    yield from small_new.all_units[:2]
    yield hanoi_new
    yield geography.GeographyMapping(
        provinces=mapping.provinces[:2],
        units=units,
        source=mapping.source,
        old=small_old,
        new=small_new,
    )
    yield from mapping.provinces[:2]
    yield from units[:2]
    yield units[0].targets[0]


@cache
def instances() -> tuple[object, ...]:
    """Instances of every public attrs type (several of most)."""
    cap = modelunit.load_catalog("cap-kieu-mau-2021")
    tutorial = modelunit.load_catalog("tutorial")
    found: list[object] = []
    for name in modelunit.list_catalogs():
        catalog = modelunit.load_catalog(name)
        found += [catalog, *catalog.criteria[:3], *catalog.groups[:2], *catalog.indicators[:3]]
        found += [catalog.policy, *catalog.policy.levels, catalog.provenance]
        found += [level.condition for level in catalog.policy.levels]
        for crit in catalog.criteria:
            found += [node for _, node in rules.iter_rules(crit.rule)]
    for name in modelunit.list_examples():
        file = modelunit.load_evidence_file(name)
        found += [file, file.ledger, file.registry, *file.units[:2], *file.evidence[:2]]
    dien_bien = modelunit.load_evidence("dien-bien-2023")
    result = modelunit.assess(cap, dien_bien, unit="dien-bien", period="2023", as_of="2024-03-01")
    found += [result, *result.results, *result.gaps, *result.level_checks, result.counts]
    for r in result.results:
        if r.trace is not None:
            found += [r.trace, *r.trace.values]
    index = modelunit.build_index(cap, dien_bien)
    found += [
        index.lookup("dien-bien", cap.indicators[0].key, result.period),
        index.lookup("nobody", cap.indicators[0].key, result.period),
    ]
    found.append(assess_batch(cap, dien_bien, periods=["2023"]).summary("dien-bien", "2023"))
    found += [modelunit.diff(tutorial, cap), versions.CriterionChange("C1", ("rule",))]
    found += [*modelunit.diff(cap, modelunit.load_catalog("an-toan-antt-2021")).changed[:2]]
    found += [
        AnyCondition((Points(Decimal("10.5")), NotCondition(CriteriaOutcomes(("C1", "C2"))))),
        Points(Decimal(3)),
        NotCondition(CriteriaOutcomes(("C1",), "not_met", "any")),
        CriteriaOutcomes(("C1", "C2")),
        Present("x"),
        CriterionRef("C2"),
        Not(Present("x")),
        ShareOf(Fraction(7, 10), (Absent("y"), CriterionRef("C1"))),
        SubUnits(Flag("z"), share=Fraction(7, 10), unit_kind="residential_area"),
        modelunit.Period.parse("2023-01-05/2023-02-01"),
        modelunit.Period.parse("2023-Q4"),
        modelunit.load_catalog("so-voi-cung-ky").reporting_year,
    ]
    found += list(targets.load_targets()[:3])
    found += [scenarios.load_scenario(name) for name in scenarios.list_scenarios()]
    found += list(_small_maps())
    found += list(_rollout())
    return tuple(found)


@cache
def by_type() -> dict[type, tuple[object, ...]]:
    """:func:`instances`, by type (first instances first)."""
    grouped: dict[type, list[object]] = {}
    for obj in instances():
        grouped.setdefault(type(obj), []).append(obj)
    return {t: tuple(v) for t, v in grouped.items()}
