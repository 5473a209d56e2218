"""Fuzz the file loaders: catalogs, evidence, units and scenarios, from files and data.

Each loader gets files made from near-valid corruptions of every bundled file of its
kind (and, one time in four or so, of another kind), random documents, and damaged
bytes. A refusal is a ``ModelUnitError`` naming the file; what loads round-trips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from modelunit.catalogs import (
    EvidenceFile,
    catalog_from_data,
    load_catalog,
    load_evidence,
    load_evidence_file,
    load_units,
)
from modelunit.criteria import CriteriaSet
from modelunit.evidence import EvidenceLedger, UnitRegistry
from modelunit.scenarios import Scenario, load_scenario
from tests.fuzz.checks import attempt, fuzz_settings, round_trips
from tests.fuzz.inputs import Corrupted, Payload, Random, bundled_in, mostly, payloads, sources

CATALOGS = bundled_in("catalogs")
EVIDENCE = bundled_in("examples")
SCENARIOS = bundled_in("scenarios")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("loaders")


def write(folder: Path, payload: Payload) -> str:
    """Write the payload as ``input<suffix>``; the name to look for in an error."""
    path = folder / f"input{payload.suffix}"
    path.write_bytes(payload.raw)
    return str(path)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(payload=payloads(mostly(CATALOGS)))
def test_load_catalog(folder: Path, payload: Payload) -> None:
    path = write(folder, payload)
    catalog = attempt(load_catalog, path, file=path)
    if isinstance(catalog, CriteriaSet):
        round_trips(catalog)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(source=sources(mostly(CATALOGS)))
def test_catalog_from_data(source: Corrupted | Random) -> None:
    catalog = attempt(catalog_from_data, source.plain, source="data.toml", file="data.toml")
    if isinstance(catalog, CriteriaSet):
        round_trips(catalog)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(payload=payloads(mostly(EVIDENCE)))
def test_load_evidence_file(folder: Path, payload: Payload) -> None:
    path = write(folder, payload)
    loaded = attempt(load_evidence_file, path, file=path)
    if isinstance(loaded, EvidenceFile):
        round_trips(loaded)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(payload=payloads(mostly(EVIDENCE)))
def test_load_evidence(folder: Path, payload: Payload) -> None:
    path = write(folder, payload)
    ledger = attempt(load_evidence, path, file=path)
    if isinstance(ledger, EvidenceLedger):
        round_trips(ledger)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(payload=payloads(mostly(EVIDENCE)))
def test_load_units(folder: Path, payload: Payload) -> None:
    path = write(folder, payload)
    registry = attempt(load_units, path, file=path)
    if isinstance(registry, UnitRegistry):
        round_trips(registry)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(payload=payloads(mostly(SCENARIOS)))
def test_load_scenario(folder: Path, payload: Payload) -> None:
    path = write(folder, payload)
    scenario = attempt(load_scenario, path, file=path)
    if isinstance(scenario, Scenario):
        round_trips(scenario)
