"""Every public attrs type round-trips through JSON, and public names are exported."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import modelunit
from modelunit.assessment import assess_batch
from modelunit.serialization import from_json, to_json

PUBLIC_MODULES = (
    "assessment",
    "catalogs",
    "criteria",
    "evidence",
    "geography",
    "indicators",
    "lookup",
    "periods",
    "policy",
    "results",
    "rollout",
    "rules",
    "scenarios",
    "targets",
    "versions",
)


def _public_attrs_types() -> dict[str, type]:
    found: dict[str, type] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(f"modelunit.{name}")
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isclass(obj) and attrs.has(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def _examples() -> list[object]:
    """At least one instance of each public type, from realistic use."""
    cap = modelunit.load_catalog("cap-kieu-mau-2021")
    tutorial = modelunit.load_catalog("tutorial")
    file = modelunit.load_evidence_file("residential-areas-example")
    dien_bien = modelunit.load_evidence("dien-bien-2023")
    result = modelunit.assess(cap, dien_bien, unit="dien-bien", period="2023", as_of="2024-03-01")
    batch = assess_batch(cap, dien_bien, periods=["2023"])
    geo = importlib.import_module("modelunit.geography")
    targets = importlib.import_module("modelunit.targets")
    scenarios = importlib.import_module("modelunit.scenarios")
    mapping = geo.load_mapping()
    items: list[object] = [
        cap,
        *cap.criteria[:3],
        *cap.groups,
        *cap.indicators[:3],
        cap.policy,
        *cap.policy.levels,
        cap.provenance,
        modelunit.diff(tutorial, cap),
        *modelunit.diff(cap, cap).changed,
        file,
        file.registry,
        *file.units[:2],
        dien_bien,
        *dien_bien.records[:2],
        result,
        *result.results,
        *result.gaps,
        *result.level_checks,
        result.counts,
        batch.summary("dien-bien", "2023"),
        geo.load_geography("2025").provinces[0],
        geo.load_geography("2025").units()[0],
        mapping.provinces[0],
        mapping.mapping(mapping.units[0].old),
        *targets.load_targets()[:3],
        scenarios.load_scenario("national-2027-2030"),
    ]
    for crit in cap.criteria:
        items.append(crit.rule)
        for _, node in modelunit.rules.iter_rules(crit.rule):
            items.append(node)
    for level in cap.policy.levels:
        items.append(level.condition)
    items.append(
        modelunit.diff(tutorial, cap).changed or modelunit.versions.CriterionChange("C1", ("rule",))
    )
    from modelunit.policy import AnyCondition, CriteriaOutcomes, NotCondition, Points
    from modelunit.rules import Absent, CriterionRef, Flag, Not, Present, ShareOf, SubUnits

    items += [
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
        modelunit.load_catalog("so-voi-cung-ky").reporting_year,
        geo.load_geography("2025"),
        mapping,
        mapping.mapping(mapping.units[0].old).targets[0],
    ]
    index = modelunit.build_index(cap, dien_bien)
    items += [
        index.lookup("dien-bien", cap.indicators[0].key, result.period),
        index.lookup("nobody", cap.indicators[0].key, result.period),
    ]
    for r in result.results:
        if r.trace is not None:
            items.append(r.trace)
            items += r.trace.values
    items += _rollout_examples()
    return items


def _rollout_examples() -> list[object]:
    from modelunit import rollout

    problem = rollout.RolloutProblem(
        regions=[
            rollout.Region("A", total=10, recognised=1, capacity=2, cost=Decimal("1.5")),
            rollout.Region("B", total=4, capacity=1),
        ],
        milestones=[rollout.Milestone(2027, "30%", stretch="1/2"), rollout.Milestone(2028, 1)],
        start=2027,
        end=2028,
    )
    result = rollout.plan(problem, "level")
    items: list[object] = [
        problem,
        *problem.regions,
        *problem.milestones,
        result,
        *result.regions,
        *result.checks,
        result.diagnosis,
        *result.diagnosis.shortfalls,
    ]
    return items


def test_every_public_type_has_an_example() -> None:
    covered = {f"{type(x).__module__}.{type(x).__qualname__}" for x in _examples()}
    missing = sorted(set(_public_attrs_types()) - covered)
    # Types only produced by specialised calls are checked in their own test modules.
    allowed = {name for name in missing if name.startswith("modelunit.rollout.")}
    assert sorted(set(missing) - allowed) == []


@pytest.mark.parametrize("example", _examples(), ids=lambda x: type(x).__name__)
def test_round_trip_through_json(example: object) -> None:
    assert from_json(to_json(example), type(example)) == example


def _exports() -> list[tuple[str, Callable[..., object] | object]]:
    out = []
    for name in (*PUBLIC_MODULES, "errors", "outcomes", "serialization", "testing"):
        module = importlib.import_module(f"modelunit.{name}")
        out += [(f"{name}.{n}", getattr(module, n)) for n in module.__all__]
    return out


@pytest.mark.parametrize(("name", "obj"), _exports(), ids=lambda x: x if isinstance(x, str) else "")
def test_all_names_exist_and_are_documented(name: str, obj: object) -> None:
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_top_level_exports_are_sorted_and_real() -> None:
    names = [n for n in modelunit.__all__ if n != "__version__"]
    assert names == sorted(names)
    for n in modelunit.__all__:
        assert hasattr(modelunit, n)


def test_fractions_never_floats() -> None:
    from modelunit.rollout import Milestone

    assert Milestone(2025, "30%").share == Fraction(3, 10)
