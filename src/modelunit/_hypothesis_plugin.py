"""Hypothesis entry point: lets ``st.from_type`` build every public modelunit type.

Hypothesis runs this hook while ``import hypothesis`` runs, in every test run of every
project that has modelunit installed, so it must cost next to nothing: it imports no
modelunit module and no strategy. Each type is registered when the module that defines
it is imported (at once, for modules already imported), with a function that
:mod:`modelunit.testing._types` answers when Hypothesis first resolves the type.
Imports are watched by a finder on :data:`sys.meta_path` that only wraps the loader of
the modules listed in :data:`TYPES` and removes itself once all of them are loaded.

Kept apart from :mod:`modelunit.testing` because Hypothesis runs entry points while it is
itself being imported: importing the strategies here would make a cycle.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

    from hypothesis.strategies import SearchStrategy

__all__ = ["TYPES"]

_RULES = (
    "Absent",
    "AllOf",
    "AnyOf",
    "AtLeastLevel",
    "Change",
    "Compare",
    "CriterionRef",
    "Flag",
    "KOf",
    "Not",
    "Present",
    "Ratio",
    "ShareOf",
    "SubUnits",
)

#: Module -> the public types it defines (a test checks this against the public API).
TYPES: dict[str, tuple[str, ...]] = {
    "modelunit.assessment": ("UnitSummary",),
    "modelunit.catalogs": ("EvidenceFile",),
    "modelunit.criteria": ("CriteriaSet", "Criterion", "Group", "Provenance"),
    "modelunit.evidence": ("Evidence", "EvidenceLedger", "Unit", "UnitRegistry"),
    "modelunit.geography": (
        "AdminUnit",
        "Geography",
        "GeographyMapping",
        "Province",
        "ProvinceMapping",
        "UnitMapping",
        "UnitTarget",
    ),
    "modelunit.indicators": ("Indicator",),
    "modelunit.lookup": ("Missing", "Resolved"),
    "modelunit.periods": ("Period", "ReportingYear"),
    "modelunit.policy": (
        "AllConditions",
        "AnyCondition",
        "CriteriaOutcomes",
        "Level",
        "NotCondition",
        "Points",
        "RecognitionPolicy",
        "Tally",
    ),
    "modelunit.results": (
        "Assessment",
        "ComparedValue",
        "Counts",
        "CriterionResult",
        "Gap",
        "LevelCheck",
        "LevelOutlook",
        "LevelPath",
        "Need",
        "PathStep",
        "RuleTrace",
        "Suggestion",
    ),
    "modelunit.rollout.feasibility": (
        "BudgetIncrease",
        "CapacityIncrease",
        "Diagnosis",
        "Shortfall",
    ),
    "modelunit.rollout.plan": ("MilestoneCheck", "RegionPlan", "RolloutPlan"),
    "modelunit.rollout.problem": ("Milestone", "Region", "RolloutProblem"),
    "modelunit.rollout.rebase": (
        "CarriedCell",
        "MappingRow",
        "MappingTable",
        "MergeRule",
        "Rebase",
        "RebasedPlan",
        "RebasedUnit",
    ),
    "modelunit.rollout.selection": ("UnitReadiness", "UnitSelection"),
    "modelunit.rollout.simulation": ("MilestoneOdds", "SimulationResult"),
    "modelunit.rules": _RULES,
    "modelunit.scenarios": ("Scenario",),
    "modelunit.targets": ("ProgrammeTarget",),
    "modelunit.versions": (
        "CatalogDiff",
        "CatalogFamily",
        "CriterionChange",
        "OutcomeChange",
        "VersionComparison",
    ),
}

_pending: set[str] = set()


def _strategy(cls: type) -> SearchStrategy[Any]:
    from modelunit.testing._types import strategy_for  # noqa: PLC0415 - on first use

    return strategy_for(cls)


def _register(module: ModuleType) -> None:
    from hypothesis import strategies as st  # noqa: PLC0415 - loaded by now

    for name in TYPES[module.__name__]:
        cls = getattr(module, name)
        # A function, not a strategy: Hypothesis calls it when the type is first resolved
        # (a strategy would be built, and checked for emptiness, right here).
        st.register_type_strategy(cls, _strategy)


class _Loader:
    """Runs a watched module with its own loader, then registers the module's types.
    Everything else is the wrapped loader's (source, resources, code)."""

    def __init__(self, inner: Any, watcher: _Watcher) -> None:
        self._inner = inner
        self._watcher = watcher

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self._inner.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        _pending.discard(module.__name__)
        _register(module)
        self._watcher.done()


class _Watcher:
    """A meta-path finder that finds nothing itself: for a watched module it asks the
    other finders and wraps the loader they return (see :class:`_Loader`)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in _pending:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Loader(spec.loader, self)  # type: ignore[assignment]
        return spec

    def done(self) -> None:
        if not _pending and self in sys.meta_path:
            sys.meta_path.remove(self)


def _hypothesis_setup_hook() -> None:
    for name in TYPES:
        module = sys.modules.get(name)
        if module is not None:
            _register(module)
        else:
            _pending.add(name)
    if _pending and not any(isinstance(f, _Watcher) for f in sys.meta_path):
        sys.meta_path.insert(0, _Watcher())
