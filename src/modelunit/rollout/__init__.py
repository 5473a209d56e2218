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
"""

from modelunit.rollout.apportionment import METHODS, ApportionmentMethod, apportion
from modelunit.rollout.feasibility import CapacityIncrease, Diagnosis, Shortfall, diagnose
from modelunit.rollout.plan import MilestoneCheck, RegionPlan, RolloutPlan, plan
from modelunit.rollout.problem import Milestone, Region, RolloutProblem, exact_target
from modelunit.rollout.programme import milestones_from_targets
from modelunit.rollout.rebase import (
    MergeRule,
    Rebase,
    RebasedUnit,
    UnitMapping,
    rebase_plan,
    rebase_problem,
    rebase_recognised,
    recognised_on_2025_map,
    ward_mapping_rows,
)
from modelunit.rollout.selection import UnitReadiness, UnitSelection, select_units
from modelunit.rollout.simulation import MilestoneOdds, SimulationResult, exact_odds, simulate
from modelunit.rollout.strategies import STRATEGIES, Strategy

__all__ = [
    "METHODS",
    "STRATEGIES",
    "ApportionmentMethod",
    "CapacityIncrease",
    "Diagnosis",
    "MergeRule",
    "Milestone",
    "MilestoneCheck",
    "MilestoneOdds",
    "Rebase",
    "RebasedUnit",
    "Region",
    "RegionPlan",
    "RolloutPlan",
    "RolloutProblem",
    "Shortfall",
    "SimulationResult",
    "Strategy",
    "UnitMapping",
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
    "recognised_on_2025_map",
    "select_units",
    "simulate",
    "ward_mapping_rows",
]


def __dir__() -> list[str]:
    return __all__
