"""A strategy for every public type, for ``st.from_type`` (and so for ``st.builds`` of a
class with such a field).

:func:`strategy_for` gives the strategy of one type; the Hypothesis entry point
(:mod:`modelunit._hypothesis_plugin`) registers it, lazily, for each type listed in
its ``TYPES``. Values are valid and realistic: input types come from the strategies of
:mod:`modelunit.testing`; result types (assessments, plans, diagnoses, diffs) are
computed from drawn inputs by modelunit itself; geography and programme targets are
drawn from the bundled data.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from modelunit import _hypothesis_plugin
from modelunit import rules as rules_module
from modelunit.testing._assessment import (
    _CATEGORIES,
    ASSESSED_YEAR,
    _kind_strategy,
    _Scope,
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

__all__ = ["strategy_for", "strategy_types"]

_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
# Text as the loaders keep it: valid Unicode in NFC (a compatibility ideograph such as
# U+F900 becomes another character, so a drawn value would not round-trip).
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).map(
    functools.partial(unicodedata.normalize, "NFC")
)
_COUNT = st.integers(0, 50)


def _indicator_tuple() -> tuple[Any, ...]:
    """One indicator of every value type, for values and rules drawn on their own."""
    from modelunit.indicators import Indicator  # noqa: PLC0415

    return (
        Indicator("n_count", "count", "sum"),
        Indicator("n_quantity", "quantity", "sum"),
        Indicator("n_share", "share", "last"),
        Indicator("n_flag", "boolean", "last"),
        Indicator("n_rank", "category", "last", categories=_CATEGORIES),
    )


def _pick(strategy: st.SearchStrategy[Any], items: Callable[[Any], Any]) -> st.SearchStrategy[Any]:
    """One of the items ``items(x)`` of a drawn ``x`` (draws again while there are none)."""
    return strategy.map(lambda x: tuple(items(x))).filter(bool).flatmap(st.sampled_from)


# -- assessment side -----------------------------------------------------------------------


@st.composite
def _inputs(draw: st.DrawFn) -> tuple[Any, Any, Any, str]:
    """A criteria set, a registry, a ledger over all its units, and a top-level unit."""
    catalog = draw(criteria_sets(max_criteria=4, max_indicators=4))
    registry = draw(unit_registries(max_units=2, max_sub_units=3))
    ids = [u.id for u in registry.units]
    ledger = draw(ledgers(catalog, units=ids))
    top = draw(st.sampled_from([u.id for u in registry.units if u.parent is None]))
    return catalog, registry, ledger, top


def _assessments() -> st.SearchStrategy[Any]:
    from modelunit.assessment import assess  # noqa: PLC0415

    return _inputs().map(
        lambda x: assess(x[0], x[2], unit=x[3], period=str(ASSESSED_YEAR), units=x[1])
    )


def _traces(result: Any) -> list[Any]:
    out = []
    stack = [r.trace for r in result.results if r.trace is not None]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(t.children)
    return out


def _unit_summaries() -> st.SearchStrategy[Any]:
    from modelunit.assessment import UnitSummary  # noqa: PLC0415

    return _assessments().map(
        lambda a: UnitSummary(a.unit, a.period, a.counts, a.level, a.recognised)
    )


def _outlooks() -> st.SearchStrategy[Any]:
    """Level outlooks of real assessments (settled or not), and of the bundled 22-criterion
    example, whose one pending criterion leaves its level open."""
    from modelunit.assessment import assess  # noqa: PLC0415
    from modelunit.catalogs import load_catalog, load_evidence  # noqa: PLC0415

    def example() -> Any:
        result = assess(
            load_catalog("cap-kieu-mau-2021"),
            load_evidence("dien-bien-2023"),
            unit="dien-bien",
            period="2023",
        )
        return result.outlook

    drawn = _assessments().map(lambda a: a.outlook).filter(lambda o: o is not None)
    return st.builds(example) | drawn


def _suggestions() -> st.SearchStrategy[Any]:
    """The ways to meet a gap that real assessments suggest."""
    return (
        _assessments()
        .flatmap(lambda a: st.sampled_from([w for g in a.gaps for w in g.decide] or [None]))
        .filter(lambda w: w is not None)
    )


def _families(draw: st.DrawFn) -> Any:
    """A family of one to three versions of a drawn set, one after another."""
    from datetime import date  # noqa: PLC0415

    from modelunit.versions import CatalogFamily  # noqa: PLC0415

    base = draw(criteria_sets(max_criteria=3, max_indicators=3))
    years = sorted(draw(st.sets(st.integers(2015, 2030), min_size=1, max_size=3)))
    versions = [
        attrs.evolve(base, version=f"{i + 1}.0", effective_from=date(y, 1, 1), effective_to=None)
        for i, y in enumerate(years)
    ]
    return CatalogFamily(tuple(versions))


def _version_comparisons(draw: st.DrawFn) -> Any:
    """Two versions of a set (the second with one criterion's rule negated) compared on
    the same unit and period."""
    from modelunit.assessment import assess  # noqa: PLC0415
    from modelunit.rules import Not  # noqa: PLC0415
    from modelunit.versions import compare_assessments  # noqa: PLC0415

    catalog, registry, ledger, unit = draw(_inputs())
    first = catalog.criteria[0]
    changed = attrs.evolve(first, rule=Not(first.rule))
    new = attrs.evolve(catalog, version="2.0", criteria=(changed, *catalog.criteria[1:]))
    period = str(ASSESSED_YEAR)
    old_result = assess(catalog, ledger, unit=unit, period=period, units=registry)
    new_result = assess(new, ledger, unit=unit, period=period, units=registry)
    return compare_assessments(catalog, old_result, new, new_result)


def _evidence_files() -> st.SearchStrategy[Any]:
    from modelunit.catalogs import EvidenceFile  # noqa: PLC0415

    return _inputs().map(lambda x: EvidenceFile(evidence=x[2].records, units=x[1].units))


def _groups() -> st.SearchStrategy[Any]:
    from modelunit.criteria import Group  # noqa: PLC0415

    return st.builds(Group, _IDS, title_vi=_TEXT, title_en=_TEXT)


def _provenances() -> st.SearchStrategy[Any]:
    from modelunit.criteria import Provenance  # noqa: PLC0415

    return st.builds(
        Provenance,
        document=_TEXT,
        date=st.none() | st.dates(),
        status=st.sampled_from(("official", "reconstructed", "illustrative")),
        note=_TEXT,
    )


def _lookups(missing: bool) -> st.SearchStrategy[Any]:
    from modelunit.lookup import Missing, Resolved  # noqa: PLC0415

    ids = st.lists(_IDS, max_size=3).map(tuple)
    if missing:
        return st.builds(Missing, _TEXT, ids)
    value = st.sampled_from(_indicator_tuple()).flatmap(values)
    return st.builds(Resolved, value, ids, _TEXT)


def _conditions() -> st.SearchStrategy[Any]:
    from modelunit import policy as p  # noqa: PLC0415

    ids = st.lists(st.sampled_from(("C01", "C02", "C03")), min_size=1, max_size=3, unique=True)
    outcomes = st.sampled_from(p.OUTCOME_NAMES)
    share = st.none() | st.integers(0, 10).map(lambda n: Fraction(n, 10))
    count = st.none() | st.integers(0, 5)
    leaves = st.one_of(
        st.builds(p.Tally, outcomes, count, count, share, share, ids.map(tuple) | st.just(())),
        st.builds(p.CriteriaOutcomes, ids.map(tuple), outcomes, st.sampled_from(("all", "any"))),
        st.builds(p.Points, st.integers(0, 100).map(Decimal)),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda cs: p.AllConditions(tuple(cs))),
            st.lists(inner, max_size=3).map(lambda cs: p.AnyCondition(tuple(cs))),
            inner.map(p.NotCondition),
        ),
        max_leaves=4,
    )


def _condition_of(kind: type) -> st.SearchStrategy[Any]:
    from modelunit import policy as p  # noqa: PLC0415

    inner = _conditions()
    if kind is p.AllConditions:
        return st.lists(inner, max_size=3).map(lambda cs: p.AllConditions(tuple(cs)))
    if kind is p.AnyCondition:
        return st.lists(inner, max_size=3).map(lambda cs: p.AnyCondition(tuple(cs)))
    if kind is p.NotCondition:
        return inner.map(p.NotCondition)
    return inner.filter(lambda c: isinstance(c, kind))


def _levels() -> st.SearchStrategy[Any]:
    from modelunit.policy import Level  # noqa: PLC0415

    return st.builds(
        Level,
        _IDS,
        _conditions(),
        title_vi=_TEXT,
        title_en=_TEXT,
        recognised=st.booleans(),
        honours_veto=st.booleans(),
    )


def _rule_of(kind: type) -> st.SearchStrategy[Any]:
    inds = _indicator_tuple()
    scope = _Scope(inds, ("C01",), "2019")
    if not kind.composite:  # type: ignore[attr-defined]
        found = _kind_strategy(kind, scope, None, None)
    else:
        children = rules(inds, max_depth=1, criteria=("C01",))
        plain = rules(inds, max_depth=0)
        found = _kind_strategy(kind, scope, children, plain)
    assert found is not None  # every kind can be drawn over one indicator of each type
    return found


def _comparisons() -> st.SearchStrategy[Any]:
    from modelunit.results import ComparedValue  # noqa: PLC0415

    def one(ind: Any) -> st.SearchStrategy[Any]:
        return st.builds(ComparedValue, st.just(ind.key), periods(), st.none() | values(ind))

    return st.sampled_from(_indicator_tuple()).flatmap(one)


def _counts() -> st.SearchStrategy[Any]:
    from modelunit.results import Counts  # noqa: PLC0415

    return st.builds(Counts, _COUNT, _COUNT, _COUNT, _COUNT)


def _criterion_changes() -> st.SearchStrategy[Any]:
    import attrs  # noqa: PLC0415

    from modelunit.criteria import Criterion  # noqa: PLC0415
    from modelunit.versions import CriterionChange  # noqa: PLC0415

    names = [f.name for f in attrs.fields(Criterion) if f.name != "id"]
    fields = st.lists(st.sampled_from(names), min_size=1, unique=True).map(tuple)
    return st.builds(CriterionChange, st.sampled_from(("C01", "C02")), fields)


def _catalog_diffs() -> st.SearchStrategy[Any]:
    from modelunit.versions import diff  # noqa: PLC0415

    sets = criteria_sets(max_criteria=3, max_indicators=3)
    return st.builds(diff, sets, sets)


# -- planner side --------------------------------------------------------------------------


def _plans() -> st.SearchStrategy[Any]:
    from modelunit.rollout import plan  # noqa: PLC0415
    from modelunit.testing._rollout import rollout_problems  # noqa: PLC0415

    return rollout_problems(max_regions=3).map(plan)


def _diagnoses(feasible: bool | None = None) -> st.SearchStrategy[Any]:
    from modelunit.rollout import diagnose  # noqa: PLC0415
    from modelunit.testing._rollout import rollout_problems  # noqa: PLC0415

    return rollout_problems(max_regions=3, feasible=feasible).map(diagnose)


def _capacity_increases() -> st.SearchStrategy[Any]:
    from modelunit.rollout.feasibility import CapacityIncrease  # noqa: PLC0415

    return st.builds(
        CapacityIncrease,
        st.none() | st.sampled_from(("R00", "R01")),
        st.integers(2027, 2030),
        st.integers(1, 20),
    )


def _budget_increases() -> st.SearchStrategy[Any]:
    from modelunit.rollout.feasibility import BudgetIncrease  # noqa: PLC0415

    return st.builds(
        BudgetIncrease,
        st.none() | st.sampled_from(("R00", "R01")),
        st.integers(2027, 2030),
        st.decimals(min_value=1, max_value=10**6, places=1),
    )


def _carried_cells() -> st.SearchStrategy[Any]:
    from modelunit.rollout.rebase import CarriedCell  # noqa: PLC0415

    return st.builds(
        CarriedCell,
        st.sampled_from(("R00", "R01")),
        st.integers(2027, 2030),
        st.integers(0, 50),
        st.integers(0, 50),
    )


def _rebased_plans() -> st.SearchStrategy[Any]:
    """A plan carried unchanged, as re-basing onto the same map gives (a property test of
    the planner's), or with a few cells the re-plan changed."""
    from modelunit.rollout.rebase import RebasedPlan  # noqa: PLC0415

    return st.builds(
        lambda p, changed: RebasedPlan(
            carried=p.regions, carried_valid=p.feasible and not changed, plan=p, changed=changed
        ),
        _plans(),
        st.lists(_carried_cells(), max_size=2).map(tuple),
    )


def _merge_rules() -> st.SearchStrategy[Any]:
    from modelunit.rollout.rebase import MergeRule  # noqa: PLC0415

    return st.one_of(
        st.just(MergeRule("all")),
        st.just(MergeRule("any")),
        st.integers(1, 10).map(lambda n: MergeRule("share", Fraction(n, 10))),
    )


@st.composite
def _mapping_rows_and_recognised(draw: st.DrawFn) -> tuple[list[Any], list[str]]:
    """A consistent old-to-new mapping (each old unit in one old and one new region)."""
    from modelunit.rollout.rebase import MappingRow  # noqa: PLC0415

    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        new = draw(st.integers(0, max(0, i // 2)))
        rows.append(
            MappingRow(
                old_unit=f"old-{i}",
                new_unit=f"new-{new}",
                old_region=f"A{i % 2}",
                new_region=f"N{new % 2}",
            )
        )
    # A new unit lies in one new region: keep the first region drawn for it.
    region_of: dict[str, str] = {}
    fixed = []
    for r in rows:
        region = region_of.setdefault(r.new_unit, r.new_region)
        fixed.append(MappingRow(r.old_unit, r.new_unit, r.old_region, region))
    recognised = draw(st.lists(st.sampled_from([r.old_unit for r in fixed]), unique=True))
    return fixed, recognised


def _mapping_tables() -> st.SearchStrategy[Any]:
    from modelunit.rollout.rebase import MappingTable  # noqa: PLC0415

    return st.builds(
        lambda pair, description: MappingTable(tuple(pair[0]), description),
        _mapping_rows_and_recognised(),
        _TEXT,
    )


def _rebases() -> st.SearchStrategy[Any]:
    from modelunit.rollout.rebase import rebase_recognised  # noqa: PLC0415

    return st.builds(
        lambda pair, rule: rebase_recognised(pair[0], pair[1], rule),
        _mapping_rows_and_recognised(),
        _merge_rules(),
    )


def _readiness() -> st.SearchStrategy[Any]:
    from modelunit.rollout.selection import UnitReadiness  # noqa: PLC0415

    return st.builds(
        UnitReadiness,
        st.from_regex(r"u[0-9]{1,2}", fullmatch=True),
        st.just("R00"),
        _COUNT,
        st.integers(0, 5),
        _COUNT,
    )


def _selections() -> st.SearchStrategy[Any]:
    from modelunit.rollout.selection import UnitSelection  # noqa: PLC0415

    return st.builds(
        UnitSelection,
        st.from_regex(r"u[0-9]{1,2}", fullmatch=True),
        st.just("R00"),
        st.none() | st.integers(2027, 2030),
        st.integers(1, 50),
        _TEXT,
    )


def _simulations() -> st.SearchStrategy[Any]:
    from modelunit.rollout.simulation import simulate  # noqa: PLC0415

    return st.builds(
        lambda p, prob, seed: simulate(p, prob, runs=20, seed=seed),
        _plans(),
        st.integers(0, 10).map(lambda n: Fraction(n, 10)),
        st.integers(0, 2**16),
    )


def _scenarios() -> st.SearchStrategy[Any]:
    from modelunit.scenarios import Scenario  # noqa: PLC0415
    from modelunit.testing._rollout import rollout_problems  # noqa: PLC0415

    return st.builds(
        Scenario,
        _IDS,
        rollout_problems(max_regions=3),
        title=_TEXT,
        description=_TEXT,
        assumptions=st.lists(_TEXT, max_size=2).map(tuple),
    )


# -- bundled reference data ----------------------------------------------------------------


def _geography(what: str) -> st.SearchStrategy[Any]:
    from modelunit import geography as g  # noqa: PLC0415

    maps = st.sampled_from(g.EDITIONS).map(g.load_geography)
    match what:
        case "Geography":
            return maps
        case "Province":
            return maps.flatmap(lambda m: st.sampled_from(m.provinces))
        case "AdminUnit":
            return maps.flatmap(lambda m: st.sampled_from(m.all_units))
        case "GeographyMapping":
            return st.builds(g.load_mapping)
        case "ProvinceMapping":
            return st.builds(g.load_mapping).flatmap(lambda m: st.sampled_from(m.provinces))
        case "UnitMapping":
            return st.builds(g.load_mapping).flatmap(lambda m: st.sampled_from(m.units))
        case _:
            return _pick(
                st.builds(g.load_mapping).flatmap(lambda m: st.sampled_from(m.units)),
                lambda u: u.targets,
            )


def _targets() -> st.SearchStrategy[Any]:
    from modelunit.targets import load_targets  # noqa: PLC0415

    return st.builds(load_targets).flatmap(st.sampled_from)


# -- the table -----------------------------------------------------------------------------


def _table() -> Mapping[str, Callable[[], st.SearchStrategy[Any]]]:
    """Qualified class name -> a function building its strategy."""
    from modelunit.testing._rollout import (  # noqa: PLC0415
        _milestone,
        regions,
        rollout_problems,
    )

    table: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "modelunit.assessment.UnitSummary": _unit_summaries,
        "modelunit.catalogs.EvidenceFile": _evidence_files,
        "modelunit.criteria.CriteriaSet": criteria_sets,
        "modelunit.criteria.Criterion": lambda: _pick(criteria_sets(), lambda c: c.criteria),
        "modelunit.criteria.Group": _groups,
        "modelunit.criteria.Provenance": _provenances,
        "modelunit.evidence.Evidence": lambda: _pick(
            criteria_sets(max_criteria=2).flatmap(evidence_lists), lambda rs: rs
        ),
        "modelunit.evidence.EvidenceLedger": lambda: criteria_sets(max_criteria=3).flatmap(
            lambda c: ledgers(c, units=("unit-0", "unit-1"))
        ),
        "modelunit.evidence.Unit": lambda: _pick(unit_registries(), lambda r: r.units),
        "modelunit.evidence.UnitRegistry": unit_registries,
        "modelunit.indicators.Indicator": indicators,
        "modelunit.lookup.Missing": lambda: _lookups(missing=True),
        "modelunit.lookup.Resolved": lambda: _lookups(missing=False),
        "modelunit.periods.Period": periods,
        "modelunit.periods.ReportingYear": reporting_years,
        "modelunit.policy.Level": _levels,
        "modelunit.policy.RecognitionPolicy": lambda: (
            criteria_sets().map(lambda c: c.policy)
            | st.builds(_policy, st.lists(_levels(), max_size=3))
        ),
        "modelunit.results.Assessment": _assessments,
        "modelunit.results.ComparedValue": _comparisons,
        "modelunit.results.Counts": _counts,
        "modelunit.results.CriterionResult": lambda: _pick(_assessments(), lambda a: a.results),
        "modelunit.results.Gap": lambda: _pick(_assessments(), lambda a: a.gaps),
        "modelunit.results.LevelCheck": lambda: _pick(_assessments(), lambda a: a.level_checks),
        "modelunit.results.RuleTrace": lambda: _pick(_assessments(), _traces),
        "modelunit.results.LevelOutlook": _outlooks,
        "modelunit.results.LevelPath": lambda: _pick(
            _outlooks().filter(lambda o: o.paths), lambda o: o.paths
        ),
        "modelunit.results.PathStep": lambda: _pick(
            _outlooks().filter(lambda o: o.paths), lambda o: [s for p in o.paths for s in p.steps]
        ),
        "modelunit.results.Suggestion": _suggestions,
        "modelunit.results.Need": lambda: _pick(_suggestions(), lambda w: w.needs),
        "modelunit.rollout.feasibility.BudgetIncrease": _budget_increases,
        "modelunit.rollout.feasibility.CapacityIncrease": _capacity_increases,
        "modelunit.rollout.feasibility.Diagnosis": _diagnoses,
        "modelunit.rollout.feasibility.Shortfall": lambda: _pick(
            _diagnoses(feasible=False), lambda d: d.shortfalls
        ),
        "modelunit.rollout.plan.MilestoneCheck": lambda: _pick(_plans(), lambda p: p.checks),
        "modelunit.rollout.plan.RegionPlan": lambda: _pick(_plans(), lambda p: p.regions),
        "modelunit.rollout.plan.RolloutPlan": _plans,
        "modelunit.rollout.problem.Milestone": lambda: _milestone(2027, 2030, ("R00", "R01")),
        "modelunit.rollout.problem.Region": regions,
        "modelunit.rollout.problem.RolloutProblem": rollout_problems,
        "modelunit.rollout.rebase.CarriedCell": _carried_cells,
        "modelunit.rollout.rebase.MappingRow": lambda: _pick(
            _mapping_rows_and_recognised(), lambda pair: pair[0]
        ),
        "modelunit.rollout.rebase.MappingTable": _mapping_tables,
        "modelunit.rollout.rebase.MergeRule": _merge_rules,
        "modelunit.rollout.rebase.Rebase": _rebases,
        "modelunit.rollout.rebase.RebasedPlan": _rebased_plans,
        "modelunit.rollout.rebase.RebasedUnit": lambda: _pick(_rebases(), lambda r: r.units),
        "modelunit.rollout.selection.UnitReadiness": _readiness,
        "modelunit.rollout.selection.UnitSelection": _selections,
        "modelunit.rollout.simulation.MilestoneOdds": lambda: _pick(
            _simulations(), lambda s: s.odds
        ),
        "modelunit.rollout.simulation.SimulationResult": _simulations,
        "modelunit.scenarios.Scenario": _scenarios,
        "modelunit.targets.ProgrammeTarget": _targets,
        "modelunit.versions.CatalogDiff": _catalog_diffs,
        "modelunit.versions.CatalogFamily": st.composite(_families),
        "modelunit.versions.OutcomeChange": lambda: _pick(
            st.composite(_version_comparisons)(), lambda c: c.outcomes
        ),
        "modelunit.versions.VersionComparison": st.composite(_version_comparisons),
        "modelunit.versions.CriterionChange": _criterion_changes,
    }
    for name in _hypothesis_plugin.TYPES["modelunit.geography"]:
        table[f"modelunit.geography.{name}"] = functools.partial(_geography, name)
    for kind in rules_module.RULE_TYPES:
        table[f"modelunit.rules.{kind.__name__}"] = functools.partial(_rule_of, kind)
    from modelunit import policy  # noqa: PLC0415

    for cond in policy.CONDITION_TYPES:
        table[f"modelunit.policy.{cond.__name__}"] = functools.partial(_condition_of, cond)
    return table


def _policy(levels: list[Any]) -> Any:
    from modelunit.policy import RecognitionPolicy  # noqa: PLC0415

    return RecognitionPolicy(tuple(levels))


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def strategy_types() -> tuple[str, ...]:
    """Qualified names of every type :func:`strategy_for` knows, sorted."""
    return tuple(sorted(_table()))


def strategy_for(cls: type) -> st.SearchStrategy[Any]:
    """The strategy ``st.from_type(cls)`` uses for the public type ``cls``."""
    build = _table().get(_name(cls))
    if build is None:
        raise InvalidArgument(f"modelunit.testing has no strategy for {_name(cls)}")
    return build()
