"""Fuzz the assessment: ``assess`` and ``assess_batch`` with random ``period``, ``as_of``
and ``unit`` on the bundled data, and on catalogs and evidence loaded from corruptions
of the bundled files.

Whatever assesses must also serialise (``to_json``) and round-trip, and the batch
evaluator must give every criterion the outcome the explained one gives.
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

import modelunit
from modelunit.assessment import BatchAssessment, assess_batch
from modelunit.catalogs import EvidenceFile, open_evidence
from modelunit.criteria import CriteriaSet
from modelunit.evidence import EvidenceLedger, UnitRegistry
from modelunit.periods import Period
from modelunit.results import Assessment
from modelunit.serialization import structure, to_json
from tests.fuzz.checks import attempt, fuzz_settings, round_trips
from tests.fuzz.inputs import (
    NFD_NAME,
    TEXT_OPS,
    Corrupted,
    Random,
    bundled_in,
    one_of_these,
    pick,
    sources,
    texts,
)
from tests.fuzz.test_periods import instant_texts, period_texts

CATALOG_FOR = {
    "examples/tutorial.json": "tutorial",
    "examples/dien-bien-2023.json": "cap-kieu-mau-2021",
    "examples/nghe-an-2023.json": "cap-kieu-mau-2021",
    "examples/van-minh-example.json": "do-thi-van-minh-2022",
    "examples/residential-areas-example.json": "an-toan-antt-2021",
    "examples/so-voi-cung-ky-example.json": "so-voi-cung-ky",
}
EVIDENCE_FOR = {
    f"catalogs/{c}.toml": e for e, c in reversed(CATALOG_FOR.items())
}  # the first example of each catalog


def _units(ledger: EvidenceLedger, registry: UnitRegistry) -> list[str]:
    top = [u.id for u in registry.units if u.parent is None]
    return top or list(ledger.units())


def check_agreement(
    catalog: CriteriaSet,
    ledger: EvidenceLedger,
    *,
    registry: UnitRegistry | None,
    units: list[str],
    period: Period | str,
    as_of: str | None = None,
) -> None:
    """Assess each unit alone and all of them in a batch: the same outcomes, and each
    assessment serialises and round-trips."""
    batch = attempt(
        assess_batch, catalog, ledger, units=units, periods=[period], as_of=as_of, registry=registry
    )
    for unit in units:
        single = attempt(
            modelunit.assess, catalog, ledger, unit=unit, period=period, as_of=as_of, units=registry
        )
        if not isinstance(single, Assessment):
            continue
        to_json(single)
        round_trips(single)
        assert isinstance(batch, BatchAssessment), f"assess accepts, assess_batch refuses: {batch}"
        outcomes = batch.outcomes(unit, period)
        assert outcomes == {r.criterion: r.outcome for r in single.results}


_VALID_PERIODS = one_of_these(["2023", "2023-Q4", "2022", "2023-H2", "2023-01-01/2023-12-31"])


def _unit_texts() -> st.SearchStrategy[str]:
    known = ["dien-bien", "phuong-an-hoa", "truong-thi", "phuong-vm-90", "phuong-minh-hoa"]
    return pick(
        one_of_these(known),
        one_of_these(known),
        st.builds(
            lambda u, op: TEXT_OPS[op](u), one_of_these(known), one_of_these(sorted(TEXT_OPS))
        ),
        st.just(NFD_NAME),
        texts(),
    )


@fuzz_settings(deadline_ms=10_000, share=0.5)
@given(
    evidence=one_of_these(sorted(CATALOG_FOR)),
    unit=_unit_texts(),
    period=pick(_VALID_PERIODS, _VALID_PERIODS, period_texts()),
    as_of=pick(st.none(), st.datetimes().map(datetime.isoformat), instant_texts()),
    with_registry=st.booleans(),
)
def test_assess_options(
    evidence: str, unit: str, period: str, as_of: str | None, with_registry: bool
) -> None:
    catalog = modelunit.load_catalog(CATALOG_FOR[evidence])
    ledger, registry = _example(evidence)
    check_agreement(
        catalog,
        ledger,
        registry=registry if with_registry else None,
        units=[unit],
        period=period,
        as_of=as_of,
    )


def _example(name: str) -> tuple[EvidenceLedger, UnitRegistry]:
    return open_evidence(name.removeprefix("examples/").removesuffix(".json"))


@fuzz_settings(deadline_ms=10_000, share=0.5)
@given(source=sources(tuple(EVIDENCE_FOR), max_mutations=1))
def test_assess_a_loaded_catalog(source: Corrupted | Random) -> None:
    name = source.name if isinstance(source, Corrupted) else "catalogs/tutorial.toml"
    catalog = attempt(structure, source.plain, CriteriaSet, source="c.toml", file="c.toml")
    if not isinstance(catalog, CriteriaSet):
        return
    ledger, registry = _example(EVIDENCE_FOR[name])
    check_agreement(
        catalog, ledger, registry=registry, units=_units(ledger, registry)[:3], period="2023"
    )


@fuzz_settings(deadline_ms=10_000, share=0.5)
@given(source=sources(bundled_in("examples"), max_mutations=1))
def test_assess_loaded_evidence(source: Corrupted | Random) -> None:
    name = source.name if isinstance(source, Corrupted) else "examples/tutorial.json"
    loaded = attempt(structure, source.plain, EvidenceFile, source="e.json", file="e.json")
    if not isinstance(loaded, EvidenceFile):
        return
    ledger = attempt(lambda: loaded.ledger)
    registry = attempt(lambda: loaded.registry)
    if not isinstance(ledger, EvidenceLedger) or not isinstance(registry, UnitRegistry):
        return
    catalog = modelunit.load_catalog(CATALOG_FOR[name])
    check_agreement(
        catalog, ledger, registry=registry, units=_units(ledger, registry)[:3], period="2023"
    )
