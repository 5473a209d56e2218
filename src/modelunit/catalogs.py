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

import json
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import attrs

from modelunit.criteria import CriteriaSet
from modelunit.errors import (
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidInputError,
    Problem,
    UnknownCatalogError,
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

_SUFFIXES = (".toml", ".json")


@attrs.frozen
class EvidenceFile:
    """The contents of an evidence file: optional units, and evidence records."""

    __modelunit_error__ = InvalidEvidenceError

    evidence: tuple[Evidence, ...] = ()
    units: tuple[Unit, ...] = ()
    description: str = ""

    @property
    def ledger(self) -> EvidenceLedger:
        return EvidenceLedger(self.evidence)

    @property
    def registry(self) -> UnitRegistry:
        return UnitRegistry(self.units)


def _bundled(folder: str) -> dict[str, Any]:
    root = resources.files("modelunit").joinpath("data", folder)
    found: dict[str, Any] = {}
    if root.is_dir():
        for entry in root.iterdir():
            name = entry.name
            for suffix in _SUFFIXES:
                if name.endswith(suffix):
                    found[name[: -len(suffix)]] = entry
    return found


def bundled_names(folder: str) -> tuple[str, ...]:
    """Names of the bundled data files in ``data/<folder>``, sorted."""
    return tuple(sorted(_bundled(folder)))


def list_catalogs() -> tuple[str, ...]:
    """Names of the bundled criteria sets, sorted."""
    return tuple(sorted(_bundled("catalogs")))


def list_examples() -> tuple[str, ...]:
    """Names of the bundled example evidence files, sorted."""
    return tuple(sorted(_bundled("examples")))


def read_data(source: str | Path, *, what: type[InvalidInputError] = InvalidInputError) -> Any:
    """Parse a TOML or JSON file into plain data, with errors naming the file."""
    path = Path(source)
    name = str(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise what([Problem("", f"cannot read file: {exc.strerror}")], source=name) from exc
    return parse_text(raw, name, path.suffix.lower(), what=what)


def parse_text(
    raw: bytes, name: str, suffix: str, *, what: type[InvalidInputError] = InvalidInputError
) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise what([Problem("", f"not UTF-8 text: {exc}")], source=name) from exc
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise what([Problem("", f"invalid TOML: {exc}")], source=name) from exc
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise what(
                [Problem(f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}")],
                source=name,
            ) from exc
    raise what([Problem("", f"unsupported file type {suffix!r}; use .toml or .json")], source=name)


def _load(
    source: str | Path,
    folder: str,
    cls: type[T],
    what: type[InvalidInputError],
    *,
    wrap: str | None = None,
) -> T:
    """Read ``source`` (a path, or a bundled name in ``data/<folder>``) as a ``cls``.

    With ``wrap``, data lacking an ``id`` is taken to be the ``wrap`` field alone
    (a bare problem file read as a scenario named after the file).
    """
    path = Path(source)
    if isinstance(source, str) and not path.suffix and not path.exists():
        bundled = _bundled(folder)
        entry = bundled.get(source)
        if entry is None:
            raise UnknownCatalogError(source, bundled)
        name = f"{folder}/{entry.name}"
        data = parse_text(entry.read_bytes(), name, Path(entry.name).suffix, what=what)
    else:
        name = str(source)
        data = read_data(path, what=what)
    if wrap is not None and isinstance(data, dict) and "id" not in data:
        data = {"id": path.stem, wrap: data}
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
        raise InvalidEvidenceError(exc.problems, source=str(source)) from exc


def load_evidence(source: str | Path) -> EvidenceLedger:
    """Load the evidence records of a file as a ledger (checked for consistency)."""
    return open_evidence(source)[0]


def load_units(source: str | Path) -> UnitRegistry:
    """Load the units of an evidence file as a registry."""
    return open_evidence(source)[1]


def catalog_from_data(data: Mapping[str, Any], *, source: str | None = None) -> CriteriaSet:
    """Build a criteria set from already-parsed data (a dict from TOML or JSON)."""
    return structure(data, CriteriaSet, source=source)
