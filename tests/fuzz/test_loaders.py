"""Fuzz the file loaders: catalogs, evidence, units and scenarios, from files and data.

Each loader gets files made from near-valid corruptions of every bundled file of its
kind (and, one time in four or so, of another kind), random documents, and damaged
bytes. A refusal is a ``ModelUnitError`` naming the file; what loads round-trips.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


FILE_LOADERS: dict[str, tuple[Callable[[str], object], tuple[str, ...], type]] = {
    "load_catalog": (load_catalog, CATALOGS, CriteriaSet),
    "load_evidence_file": (load_evidence_file, EVIDENCE, EvidenceFile),
    "load_evidence": (load_evidence, EVIDENCE, EvidenceLedger),
    "load_units": (load_units, EVIDENCE, UnitRegistry),
    "load_scenario": (load_scenario, SCENARIOS, Scenario),
}
"""Each file loader, the bundled files of its kind, and what it returns."""


@pytest.mark.parametrize("loader", sorted(FILE_LOADERS))
@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(data=st.data())
def test_file_loader(folder: Path, loader: str, data: st.DataObject) -> None:
    load, own, returns = FILE_LOADERS[loader]
    payload = data.draw(payloads(mostly(own)), label="file")
    path = write(folder, payload)
    loaded = attempt(load, path, file=path)
    if isinstance(loaded, returns):
        round_trips(loaded)


@fuzz_settings(deadline_ms=5_000, share=0.5)
@given(source=sources(mostly(CATALOGS)))
def test_catalog_from_data(source: Corrupted | Random) -> None:
    catalog = attempt(catalog_from_data, source.plain, source="data.toml", file="data.toml")
    if isinstance(catalog, CriteriaSet):
        round_trips(catalog)
