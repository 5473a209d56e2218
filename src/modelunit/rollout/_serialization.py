"""Converter hooks for the rollout planner's types.

A :class:`~modelunit.rollout.problem.RolloutProblem` is structured by hand, passing
raw values through to its own validation: that way ``2.5`` wards is reported (not
silently truncated to 2 by ``int()``), and every problem, from unknown fields to
``recognised > total``, is listed at once with its path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import cattrs

from modelunit.errors import InvalidProblemError, Problem
from modelunit.rollout.problem import Milestone, Region, RolloutProblem

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
            problems.append(Problem(where, f"unknown field {key!r}"))
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


def configure(conv: cattrs.Converter) -> None:
    """Register the rollout types' hooks on ``conv``."""
    conv.register_structure_hook(RolloutProblem, _structure_problem)
