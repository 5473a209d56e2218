"""Converter hooks for the rollout planner's types.

A :class:`~modelunit.rollout.problem.RolloutProblem` is structured by hand, passing
raw values through to its own validation: that way ``2.5`` wards is reported (not
silently truncated to 2 by ``int()``), and every problem, from unknown fields to
``recognised > total``, is listed at once with its path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from modelunit._cattrs_errors import ERROR_FOR, unexpected_fields
from modelunit.errors import InvalidMappingError, InvalidProblemError, Problem
from modelunit.rollout.plan import RolloutPlan
from modelunit.rollout.problem import Milestone, Region, RolloutProblem
from modelunit.rollout.rebase import MappingTable

__all__ = ["configure"]


def __dir__() -> list[str]:
    return __all__


def _year_keys(value: object) -> object:
    # JSON object keys are text: "2025" -> 2025; anything else is left for validation.
    if not isinstance(value, Mapping):
        return value
    out: dict[object, object] = {}
    for k, v in value.items():
        key: object = k
        if isinstance(k, str) and k.strip().lstrip("-").isdigit():
            key = int(k)
        out[key] = v
    return out


def _fields(
    cls: type[Any], data: object, path: str, problems: list[Problem], required: tuple[str, ...]
) -> dict[str, object] | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(path, f"expected an object, got {data!r}"))
        return None
    names = {a.name for a in attrs.fields(cls)}
    out: dict[str, object] = {}
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in names:
            problems.append(Problem(where, unexpected_fields([str(key)], names)))
        else:
            out[str(key)] = value
    for name in required:
        if name not in out:
            problems.append(Problem(f"{path}.{name}" if path else name, "missing field"))
    return out


def _structure_problem(data: object, _: type) -> RolloutProblem:
    problems: list[Problem] = []
    top = _fields(RolloutProblem, data, "", problems, ("regions", "milestones", "start", "end"))
    if top is None:
        raise InvalidProblemError(problems)
    regions: list[object] = []
    unreadable: set[str] = set()  # paths already reported; the validator would repeat them
    raw_regions = top.get("regions", [])
    for i, raw in enumerate(raw_regions if isinstance(raw_regions, list) else []):
        fields = _fields(Region, raw, f"regions[{i}]", problems, ("id", "total"))
        if fields is None or "id" not in fields or "total" not in fields:
            regions.append(raw)
            unreadable.add(f"regions[{i}]")
            continue
        for key in ("capacity_by_year", "minimum_by_year"):
            if key in fields:
                fields[key] = _year_keys(fields[key])
        regions.append(Region(**fields))  # type: ignore[arg-type]
    milestones: list[object] = []
    raw_milestones = top.get("milestones", [])
    for i, raw in enumerate(raw_milestones if isinstance(raw_milestones, list) else []):
        fields = _fields(Milestone, raw, f"milestones[{i}]", problems, ("year", "share"))
        if fields is None or "year" not in fields or "share" not in fields:
            milestones.append(raw)
            unreadable.add(f"milestones[{i}]")
            continue
        milestones.append(Milestone(**fields))  # type: ignore[arg-type]
    if "national_cap_by_year" in top:
        top["national_cap_by_year"] = _year_keys(top["national_cap_by_year"])
    top["regions"] = regions if isinstance(raw_regions, list) else raw_regions
    top["milestones"] = milestones if isinstance(raw_milestones, list) else raw_milestones
    top.setdefault("start", None)
    top.setdefault("end", None)
    try:
        problem = RolloutProblem(**top)  # type: ignore[arg-type]
    except InvalidProblemError as exc:
        more = [p for p in exc.problems if p.path not in unreadable]
        raise InvalidProblemError([*problems, *more]) from None
    if problems:
        raise InvalidProblemError(problems)
    return problem


def _plan_hooks(
    conv: cattrs.Converter,
) -> tuple[Callable[[RolloutPlan], dict[str, Any]], Callable[[Any, Any], RolloutPlan]]:
    """A plan is stored as its allocation; its JSON also carries a ``summary`` of the
    derived figures (national totals, coverage and shares, costs, every milestone
    check, regions at risk) for readers of the JSON. Reading ignores the summary and
    derives it again, so a plan read back is always consistent."""
    plain_out = make_dict_unstructure_fn(RolloutPlan, conv)
    plain_in = make_dict_structure_fn(RolloutPlan, conv, _cattrs_forbid_extra_keys=True)

    def unstructure(plan: RolloutPlan) -> dict[str, Any]:
        data = plain_out(plan)
        data["summary"] = {
            "years": list(plan.years),
            "national": list(plan.national),
            "peak": plan.peak,
            "cost": conv.unstructure(plan.cost, tuple[Decimal, ...] | None),
            "regions": {
                r.region: {
                    "cumulative": list(r.cumulative),
                    "share": [str(s) for s in r.share],
                    "cost": conv.unstructure(r.cost, tuple[Decimal, ...] | None),
                }
                for r in plan.regions
            },
            "checks": [
                {**conv.unstructure(c), "met": c.met, "stretch_met": c.stretch_met}
                for c in plan.checks
            ],
            "missed": len(plan.missed),
            "at_risk": {k: list(v) for k, v in plan.at_risk().items()},
        }
        return data

    def structure(data: Any, _: Any) -> RolloutPlan:
        if isinstance(data, Mapping) and "summary" in data:
            data = {k: v for k, v in data.items() if k != "summary"}
        return plain_in(data, RolloutPlan)

    return unstructure, structure


def configure(conv: cattrs.Converter) -> None:
    """Register the rollout types' hooks on ``conv``."""
    ERROR_FOR[RolloutProblem] = InvalidProblemError
    ERROR_FOR[MappingTable] = InvalidMappingError
    conv.register_structure_hook(RolloutProblem, _structure_problem)
    unstructure_plan, structure_plan = _plan_hooks(conv)
    conv.register_unstructure_hook(RolloutPlan, unstructure_plan)
    conv.register_structure_hook(RolloutPlan, structure_plan)
