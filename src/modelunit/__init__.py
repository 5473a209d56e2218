"""modelunit: criteria, evidence and explained assessments for model-unit programmes,
and an exact rollout planner for their milestones.

The names most code needs are importable from here; each lives in the module
that owns its concept (:mod:`modelunit.criteria`, :mod:`modelunit.rules`,
:mod:`modelunit.evidence`, :mod:`modelunit.assessment`, :mod:`modelunit.rollout`...).
They are loaded on first use (PEP 562), so ``import modelunit`` stays cheap for
code that needs only a part of the library.

>>> import modelunit
>>> modelunit.load_catalog("tutorial").version
'1.0'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from modelunit._version import __version__

if TYPE_CHECKING:
    from modelunit.assessment import assess, build_index, reassess
    from modelunit.catalogs import (
        list_catalogs,
        list_examples,
        load_catalog,
        load_evidence,
        load_evidence_file,
        load_units,
    )
    from modelunit.criteria import CriteriaSet, Criterion
    from modelunit.errors import ModelUnitError
    from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
    from modelunit.outcomes import Outcome
    from modelunit.periods import Period
    from modelunit.results import Assessment
    from modelunit.versions import diff

# Public name -> the module that owns it.
_LAZY = {
    "Assessment": "results",
    "CriteriaSet": "criteria",
    "Criterion": "criteria",
    "Evidence": "evidence",
    "EvidenceLedger": "evidence",
    "ModelUnitError": "errors",
    "Outcome": "outcomes",
    "Period": "periods",
    "Unit": "evidence",
    "UnitRegistry": "evidence",
    "assess": "assessment",
    "build_index": "assessment",
    "diff": "versions",
    "list_catalogs": "catalogs",
    "list_examples": "catalogs",
    "load_catalog": "catalogs",
    "load_evidence": "catalogs",
    "load_evidence_file": "catalogs",
    "load_units": "catalogs",
    "reassess": "assessment",
}

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


#: The public submodules, loaded on attribute access too (``modelunit.rollout``): listed
#: by ``dir(modelunit)`` so that notebooks and shells complete them.
_SUBMODULES = (
    "assessment",
    "catalog_examples",
    "catalog_tests",
    "catalogs",
    "cli",
    "comparison",
    "criteria",
    "decide",
    "display",
    "errors",
    "evidence",
    "frames",
    "geography",
    "indicators",
    "limits",
    "lint",
    "lookup",
    "outcomes",
    "periods",
    "plot",
    "policy",
    "readers",
    "results",
    "rollout",
    "rules",
    "scenarios",
    "schema",
    "serialization",
    "store",
    "sweep",
    "targets",
    "testing",
    "verdicts",
    "versions",
)


def __getattr__(name: str) -> Any:
    owner = _LAZY.get(name)
    if owner is None:
        # Submodules (modelunit.rules, modelunit.rollout...) load on attribute access too.
        try:
            return importlib.import_module(f"modelunit.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"modelunit.{name}":
                raise  # the submodule exists but needs something missing: say what
            raise AttributeError(f"module 'modelunit' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"modelunit.{owner}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, *_SUBMODULES])
