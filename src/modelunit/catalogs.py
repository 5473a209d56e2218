"""Load criteria sets and evidence from TOML or JSON files, or by bundled name.

>>> import modelunit
>>> "tutorial" in modelunit.list_catalogs()
True
>>> catalog = modelunit.load_catalog("tutorial")
>>> catalog.id, catalog.version, len(catalog.criteria)
('tutorial', '1.0', 3)

Files are data, never code: TOML is read with :mod:`tomllib`, JSON with
:mod:`json`. A malformed file raises an
:class:`~modelunit.errors.InvalidInputError` subclass naming the file and
listing every problem with its field path; nothing is returned half-loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from modelunit import _data
from modelunit._cattrs_errors import ERROR_FOR
from modelunit.criteria import CriteriaSet
from modelunit.errors import (
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidInputError,
)
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.serialization import structure

__all__ = [
    "EvidenceFile",
    "catalog_from_data",
    "list_catalogs",
    "list_examples",
    "load_catalog",
    "load_evidence",
    "load_evidence_file",
    "load_units",
    "open_evidence",
    "read_data",
]


def __dir__() -> list[str]:
    return __all__


T = TypeVar("T")


@attrs.frozen
class EvidenceFile:
    """The contents of an evidence file: optional units, and evidence records."""

    evidence: tuple[Evidence, ...] = ()
    units: tuple[Unit, ...] = ()
    description: str = ""

    @property
    def ledger(self) -> EvidenceLedger:
        return EvidenceLedger(self.evidence)

    @property
    def registry(self) -> UnitRegistry:
        return UnitRegistry(self.units)


ERROR_FOR[EvidenceFile] = InvalidEvidenceError


def list_catalogs() -> tuple[str, ...]:
    """Names of the bundled criteria sets, sorted."""
    return _data.bundled_names("catalogs")


def list_examples() -> tuple[str, ...]:
    """Names of the bundled example evidence files, sorted."""
    return _data.bundled_names("examples")


def read_data(source: str | Path, *, what: type[InvalidInputError] = InvalidInputError) -> Any:
    """Parse a TOML or JSON file into plain data, with errors naming the file."""
    return _data.read_file(source, what=what)


def _load(
    source: str | Path,
    folder: str,
    cls: type[T],
    what: type[InvalidInputError],
) -> T:
    """Read ``source`` (a path, or a bundled name in ``data/<folder>``) as a ``cls``."""
    data, name = _data.read_source(source, folder, what=what)
    return structure(data, cls, source=name)


def load_catalog(source: str | Path) -> CriteriaSet:
    """Load a criteria set from a ``.toml``/``.json`` file or by bundled name.

    Raises :class:`~modelunit.errors.UnknownCatalogError` (a ``KeyError``) for
    an unknown name and :class:`~modelunit.errors.InvalidCatalogError` (a
    ``ValueError``) for a malformed file.
    """
    return _load(source, "catalogs", CriteriaSet, InvalidCatalogError)


def load_evidence_file(source: str | Path) -> EvidenceFile:
    """Load an evidence file (units and records) from a path or bundled example name."""
    return _load(source, "examples", EvidenceFile, InvalidEvidenceError)


def open_evidence(source: str | Path) -> tuple[EvidenceLedger, UnitRegistry]:
    """The ledger and the units of an evidence file, both checked; errors name the file."""
    loaded = load_evidence_file(source)
    try:
        return loaded.ledger, loaded.registry
    except InvalidEvidenceError as exc:
        raise InvalidEvidenceError(exc.problems, source=_data.shown_name(source)) from exc


def load_evidence(source: str | Path) -> EvidenceLedger:
    """Load the evidence records of a file as a ledger (checked for consistency)."""
    return open_evidence(source)[0]


def load_units(source: str | Path) -> UnitRegistry:
    """Load the units of an evidence file as a registry."""
    return open_evidence(source)[1]


def catalog_from_data(data: Mapping[str, Any], *, source: str | None = None) -> CriteriaSet:
    """Build a criteria set from already-parsed data (a dict from TOML or JSON)."""
    return structure(data, CriteriaSet, source=source)
