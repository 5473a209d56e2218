"""Laws of the assessment engine, checked on generated catalogs and evidence."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal

import attrs
from hypothesis import event, given, note
from hypothesis import strategies as st

import modelunit
from modelunit.assessment import assess_batch
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.evidence import Evidence, EvidenceLedger, UnitRegistry
from modelunit.outcomes import Outcome, kleene_and, kleene_not, kleene_or
from modelunit.periods import Period
from modelunit.rules import OPERATORS, AllOf, AnyOf, Change, Not
from modelunit.testing import criteria_sets, evidence_lists, unit_registries

PERIOD = "2023"


@st.composite
def worlds(
    draw: st.DrawFn, max_criteria: int = 5
) -> tuple[CriteriaSet, UnitRegistry, list[Evidence]]:
    catalog = draw(criteria_sets(max_criteria=max_criteria))
    registry = draw(unit_registries())
    records = draw(evidence_lists(catalog, units=[u.id for u in registry.units]))
    return catalog, registry, records


def outcomes(
    catalog: CriteriaSet, book: EvidenceLedger, registry: UnitRegistry, unit: str, **kw: object
) -> dict[str, Outcome]:
    result = modelunit.assess(catalog, book, unit=unit, period=PERIOD, units=registry, **kw)  # type: ignore[arg-type]
    return {r.criterion: r.outcome for r in result.results}


def top_units(registry: UnitRegistry) -> list[str]:
    return [u.id for u in registry.units if u.parent is None]


@given(worlds())
def test_batch_agrees_with_the_interpreter(
    world: tuple[CriteriaSet, UnitRegistry, list[Evidence]],
) -> None:
    catalog, registry, records = world
    assert_the_evaluators_agree(catalog, EvidenceLedger(tuple(records)), registry, PERIOD)


def assert_the_evaluators_agree(
    catalog: CriteriaSet, book: EvidenceLedger, registry: UnitRegistry, period: Period | str
) -> None:
    units = top_units(registry)
    batch = assess_batch(catalog, book, units=units, periods=[period], registry=registry)
    current = {r.id: r.unit for r in book.current()}
    for unit in units:
        single = modelunit.assess(catalog, book, unit=unit, period=period, units=registry)
        assert batch.outcomes(unit, period) == {r.criterion: r.outcome for r in single.results}
        # The batch's own explained view cites exactly what the one-unit path cites...
        rendered = batch.assessment(unit, period)
        assert [(r.criterion, r.outcome, r.evidence) for r in rendered.results] == [
            (r.criterion, r.outcome, r.evidence) for r in single.results
        ]
        # ...and only current records of this unit or its sub-units.
        own = {unit} | {u.id for u in registry.children(unit)}
        for r in single.results:
            assert {current.get(e) for e in r.evidence} <= own, (r.criterion, r.evidence)


@st.composite
def worlds_of_every_period(
    draw: st.DrawFn,
) -> tuple[CriteriaSet, UnitRegistry, list[Evidence], Period | str]:
    """A world whose set may declare a reporting year, assessed for its year 2023 or a
    half, quarter or run of quarters of it (which the generated quarters tile), so that
    the previous period, the same period 1 and 4 years back and fixed baselines all
    find evidence, or miss it, in both evaluators."""
    catalog = draw(criteria_sets(max_criteria=3, reporting_year=True))
    ry = catalog.reporting_year
    numeric = [i.key for i in catalog.indicators if i.type in ("count", "quantity", "share")]
    if numeric:
        # One change of every baseline kind, so that each example compares them all.
        baselines = [
            ("previous", 1),
            ("same_period", 1),
            ("same_period", 4),
            (str(ry.year(2019)), 1),
        ]
        kinds = {i.key: i.type for i in catalog.indicators}
        extra = []
        for i, (baseline, years_back) in enumerate(baselines):
            key, relative = draw(st.sampled_from(numeric)), draw(st.booleans())
            tenths = Decimal(draw(st.integers(-5, 5))).scaleb(-1)
            # A count changes by whole cases: a fraction of one on an absolute change is
            # refused as a share written by mistake (modelunit.lint).
            value = tenths * 10 if kinds[key] == "count" and not relative else tenths
            change = Change(
                key,
                draw(st.sampled_from(OPERATORS)),
                value,
                baseline=baseline,
                years_back=years_back,
                relative=relative,
            )
            extra.append(Criterion(f"X{i}", change, group="g1"))
        catalog = attrs.evolve(catalog, criteria=(*catalog.criteria, *extra))
    registry = draw(unit_registries(max_units=3))
    records = draw(evidence_lists(catalog, units=[u.id for u in registry.units]))
    middle = Period.range(ry.quarter(2023, 2).start, ry.quarter(2023, 3).end)
    period = draw(
        st.sampled_from(
            [PERIOD, ry.half(2023, 2), *(ry.quarter(2023, q) for q in (1, 2, 3, 4)), middle]
        )
    )
    return catalog, registry, records, period


@given(worlds_of_every_period())
def test_batch_agrees_with_the_interpreter_on_every_period_and_baseline(
    world: tuple[CriteriaSet, UnitRegistry, list[Evidence], Period | str],
) -> None:
    catalog, registry, records, period = world
    event(f"reporting year from {catalog.reporting_year.start}")
    assert_the_evaluators_agree(catalog, EvidenceLedger(tuple(records)), registry, period)


@given(worlds(), st.randoms())
def test_independent_of_input_order(
    world: tuple[CriteriaSet, UnitRegistry, list[Evidence]], rnd: random.Random
) -> None:
    catalog, registry, records = world
    shuffled = list(records)
    rnd.shuffle(shuffled)
    crits = list(catalog.criteria)
    rnd.shuffle(crits)
    permuted = attrs.evolve(catalog, criteria=tuple(crits))
    units = list(registry.units)
    rnd.shuffle(units)
    other_registry = UnitRegistry(tuple(units))
    for unit in top_units(registry):
        first = modelunit.assess(
            catalog, EvidenceLedger(tuple(records)), unit=unit, period=PERIOD, units=registry
        )
        second = modelunit.assess(
            permuted,
            EvidenceLedger(tuple(shuffled)),
            unit=unit,
            period=PERIOD,
            units=other_registry,
        )
        assert {r.criterion: r for r in first.results} == {r.criterion: r for r in second.results}
        assert (first.level, first.counts) == (second.level, second.counts)
        # Same input, same output.
        assert first == modelunit.assess(
            catalog, EvidenceLedger(tuple(records)), unit=unit, period=PERIOD, units=registry
        )


@given(worlds(), st.data())
def test_adding_missing_evidence_never_undecides(
    world: tuple[CriteriaSet, UnitRegistry, list[Evidence]], data: st.DataObject
) -> None:
    catalog, registry, records = world
    units = [u.id for u in registry.units]
    have = {(r.unit, r.indicator) for r in records}
    extra = data.draw(evidence_lists(catalog, units=units, corrections=False))
    # Only evidence that was missing: (unit, indicator) pairs with no record yet.
    added = [attrs.evolve(r, id=f"new-{r.id}") for r in extra if (r.unit, r.indicator) not in have]
    note(f"added {len(added)} records")
    before_book = EvidenceLedger(tuple(records))
    after_book = EvidenceLedger((*records, *added))
    for unit in top_units(registry):
        before = outcomes(catalog, before_book, registry, unit)
        after = outcomes(catalog, after_book, registry, unit)
        for cid, outcome in before.items():
            if outcome.decided:
                assert after[cid] is outcome, cid


@given(worlds(), st.integers(0, 400))
def test_as_of_is_the_ledger_as_it_stood(
    world: tuple[CriteriaSet, UnitRegistry, list[Evidence]], hours: int
) -> None:
    catalog, registry, records = world
    if not records:
        return
    start = min(r.recorded_at for r in records)
    cutoff = datetime.fromtimestamp(start.timestamp() + hours * 3600)
    book = EvidenceLedger(tuple(records))
    then = EvidenceLedger(tuple(r for r in records if r.recorded_at <= cutoff))
    for unit in top_units(registry):
        assert outcomes(catalog, book, registry, unit, as_of=cutoff) == outcomes(
            catalog, then, registry, unit
        )


@given(worlds(max_criteria=3))
def test_combinators_are_kleene(world: tuple[CriteriaSet, UnitRegistry, list[Evidence]]) -> None:
    catalog, registry, records = world
    a, b = catalog.criteria[0].rule, catalog.criteria[-1].rule
    extra = (
        Criterion("AND", AllOf((a, b)), group="g1"),
        Criterion("OR", AnyOf((a, b)), group="g1"),
        Criterion("NOT", Not(a), group="g1"),
    )
    plain_a = attrs.evolve(catalog.criteria[0], applies_to=())
    plain_b = attrs.evolve(catalog.criteria[-1], id="B", applies_to=())
    combined = attrs.evolve(
        catalog,
        criteria=(*catalog.criteria[1:-1], plain_a, plain_b, *extra)
        if len(catalog.criteria) > 1
        else (plain_a, plain_b, *extra),
    )
    book = EvidenceLedger(tuple(records))
    for unit in top_units(registry):
        got = outcomes(combined, book, registry, unit)
        oa, ob = got[plain_a.id], got["B"]
        assert got["AND"] is kleene_and([oa, ob])
        assert got["OR"] is kleene_or([oa, ob])
        assert got["NOT"] is kleene_not(oa)
