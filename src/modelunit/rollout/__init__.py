"""Rollout planning: how many units each region takes on each year, and which.

State the problem, get a plan:

>>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
>>> problem = RolloutProblem(
...     regions=[Region("A", total=10, capacity=4), Region("B", total=6, recognised=3)],
...     milestones=[Milestone(2026, "50%"), Milestone(2028, 1)],
...     start=2026, end=2028,
... )
>>> plan(problem, "earliest").national
(7, 4, 2)

The names below live in the module that owns their concept (:mod:`.problem`,
:mod:`.plan`, :mod:`.strategies`, :mod:`.feasibility`...) and are loaded on first
use (PEP 562), so ``import modelunit.rollout.problem`` loads only the problem.
The planner reads no data: the bundled 2025 ward mapping is in
:mod:`modelunit.geography` (``ward_mapping_rows``, ``recognised_on_2025_map``).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modelunit.rollout.apportionment import METHODS, ApportionmentMethod, apportion
    from modelunit.rollout.feasibility import (
        BudgetIncrease,
        CapacityIncrease,
        Diagnosis,
        Shortfall,
        diagnose,
    )
    from modelunit.rollout.plan import MilestoneCheck, RegionPlan, RolloutPlan, plan
    from modelunit.rollout.problem import Milestone, Region, RolloutProblem, exact_target
    from modelunit.rollout.programme import milestones_from_targets
    from modelunit.rollout.rebase import (
        CarriedCell,
        MappingRow,
        MappingTable,
        MergeRule,
        Rebase,
        RebasedPlan,
        RebasedUnit,
        rebase_plan,
        rebase_problem,
        rebase_recognised,
    )
    from modelunit.rollout.selection import UnitReadiness, UnitSelection, select_units
    from modelunit.rollout.simulation import MilestoneOdds, SimulationResult, exact_odds, simulate
    from modelunit.rollout.strategies import STRATEGIES, Strategy

# Public name -> the module (of this package) that owns it.
_LAZY = {
    "METHODS": "apportionment",
    "STRATEGIES": "strategies",
    "ApportionmentMethod": "apportionment",
    "BudgetIncrease": "feasibility",
    "CapacityIncrease": "feasibility",
    "CarriedCell": "rebase",
    "Diagnosis": "feasibility",
    "MappingRow": "rebase",
    "MappingTable": "rebase",
    "MergeRule": "rebase",
    "Milestone": "problem",
    "MilestoneCheck": "plan",
    "MilestoneOdds": "simulation",
    "Rebase": "rebase",
    "RebasedPlan": "rebase",
    "RebasedUnit": "rebase",
    "Region": "problem",
    "RegionPlan": "plan",
    "RolloutPlan": "plan",
    "RolloutProblem": "problem",
    "Shortfall": "feasibility",
    "SimulationResult": "simulation",
    "Strategy": "strategies",
    "UnitReadiness": "selection",
    "UnitSelection": "selection",
    "apportion": "apportionment",
    "diagnose": "feasibility",
    "exact_odds": "simulation",
    "exact_target": "problem",
    "milestones_from_targets": "programme",
    "plan": "plan",
    "rebase_plan": "rebase",
    "rebase_problem": "rebase",
    "rebase_recognised": "rebase",
    "select_units": "selection",
    "simulate": "simulation",
}

__all__ = [
    "METHODS",
    "STRATEGIES",
    "ApportionmentMethod",
    "BudgetIncrease",
    "CapacityIncrease",
    "CarriedCell",
    "Diagnosis",
    "MappingRow",
    "MappingTable",
    "MergeRule",
    "Milestone",
    "MilestoneCheck",
    "MilestoneOdds",
    "Rebase",
    "RebasedPlan",
    "RebasedUnit",
    "Region",
    "RegionPlan",
    "RolloutPlan",
    "RolloutProblem",
    "Shortfall",
    "SimulationResult",
    "Strategy",
    "UnitReadiness",
    "UnitSelection",
    "apportion",
    "diagnose",
    "exact_odds",
    "exact_target",
    "milestones_from_targets",
    "plan",
    "rebase_plan",
    "rebase_problem",
    "rebase_recognised",
    "select_units",
    "simulate",
]


def __getattr__(name: str) -> Any:
    owner = _LAZY.get(name)
    if owner is not None:
        value = getattr(importlib.import_module(f"{__name__}.{owner}"), name)
        globals()[name] = value  # later lookups skip this function
        return value
    from modelunit.rollout._deprecated import MOVED, moved  # noqa: PLC0415 - old names only

    if name in MOVED:
        return moved(__name__, name)  # not cached: each use warns
    # Submodules (modelunit.rollout.plan...) load on attribute access too.
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return __all__


class _Package(types.ModuleType):
    """This package's module type. ``plan`` names both a submodule and the function
    the package exports, and the function must win; but the import system binds each
    submodule on its package when it loads (``modelunit.rollout.plan = <module>``).
    That binding is left out for the names the package exports, which
    ``__getattr__`` resolves instead."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
