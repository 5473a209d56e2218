"""modelunit: criteria, evidence and explained assessments for model-unit programmes,
and an exact rollout planner for their milestones.

The names most code needs are importable from here; each lives in the module
that owns its concept (:mod:`modelunit.criteria`, :mod:`modelunit.rules`,
:mod:`modelunit.evidence`, :mod:`modelunit.assessment`, :mod:`modelunit.rollout`...).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from modelunit.assessment import assess, build_index, reassess
from modelunit.catalogs import (
    list_catalogs,
    list_examples,
    load_catalog,
    load_evidence,
    load_evidence_file,
    load_units,
)
from modelunit.criteria import CriteriaSet, Criterion, diff
from modelunit.errors import ModelUnitError
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import Assessment

try:
    __version__ = version("modelunit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Assessment",
    "CriteriaSet",
    "Criterion",
    "Evidence",
    "EvidenceLedger",
    "ModelUnitError",
    "Outcome",
    "Period",
    "Unit",
    "UnitRegistry",
    "__version__",
    "assess",
    "build_index",
    "diff",
    "list_catalogs",
    "list_examples",
    "load_catalog",
    "load_evidence",
    "load_evidence_file",
    "load_units",
    "reassess",
]
