"""Converter hooks for the rollout planner's types.

A :class:`~modelunit.rollout.problem.RolloutProblem` is structured by hand, passing
raw values through to its own validation: that way ``2.5`` wards, ``"3"`` wards or a
``null`` name are reported (not silently read by ``int()`` or ``str()``), and every
problem, from unknown fields (with the closest known name) to ``recognised > total``,
is listed at once with its path. The only reading done here is of JSON object keys,
which are text: ``"2025"`` in a ``..._by_year`` mapping is the year 2025. A renamed
field's old key (``minimum``, ``national_cap``...: see ``_deprecated.RENAMED``) is read
as the new one with a ``DeprecationWarning``; a record giving both is refused. A
:class:`~modelunit.rollout.rebase.MergeRule` is structured the same way, so that a
bad kind and a bad threshold are both reported, as an ``InvalidMappingError``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from modelunit._cattrs_errors import ERROR_FOR, unexpected_fields
from modelunit.errors import (
    InvalidInputError,
    InvalidMappingError,
    InvalidProblemError,
    Problem,
)
from modelunit.rollout._deprecated import RENAMED
from modelunit.rollout.plan import RolloutPlan
from modelunit.rollout.problem import Milestone, Region, RolloutProblem, shown, valid_unicode
from modelunit.rollout.rebase import MappingTable, MergeRule

__all__ = ["configure"]


def __dir__() -> list[str]:
    return __all__


#: A JSON object key that names a year: ASCII digits, an optional minus sign (years
#: out of range are then reported by the problem's validation, with the limit).
_YEAR_KEY = re.compile(r"-?[0-9]{1,18}")


def _year_keys(value: object, path: str, problems: list[Problem]) -> object:
    """JSON object keys are text: ``"2025"`` -> 2025. Any other key is left as it is,
    for the validation to report (``"abc"``: "expected a year"); two keys naming the
    same year (``"2025"`` and ``2025``, from Python) are reported here."""
    if not isinstance(value, Mapping):
        return value
    out: dict[object, object] = {}
    for k, v in value.items():
        key: object = k
        if isinstance(k, str) and _YEAR_KEY.fullmatch(k):
            key = int(k)
        if key in out:
            problems.append(Problem(f"{path}[{shown(k)}]", f"year {shown(key)} given twice"))
        out[key] = v
    return out


def _fields(
    cls: type[Any], data: object, path: str, problems: list[Problem], required: tuple[str, ...]
) -> dict[str, object] | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(path, f"expected an object, got {shown(data)}"))
        return None
    names = [a.name for a in attrs.fields(cls)]
    renamed = RENAMED.get(cls.__name__, {})
    rid = data.get("id") if cls is Region else None
    record = rid if isinstance(rid, str) else None
    out: dict[str, object] = {}
    for key, value in data.items():
        # A key that cannot be written out (not text, a lone surrogate) is shown quoted.
        name = key if isinstance(key, str) and valid_unicode(key) else shown(key)
        where = f"{path}.{name}" if path else name
        if key in renamed:
            new = renamed[key]
            if new in data:
                message = (
                    f"both {key!r} and {new!r} given: {key!r} is the deprecated name of "
                    f"{new!r}; keep only {new!r}"
                )
                problems.append(Problem(where, message, record))
                continue
            warnings.warn(
                f"{where}: the key {key!r} is deprecated; rename it {new!r}",
                DeprecationWarning,
                stacklevel=2,
            )
            out[new] = value
        elif key not in names:
            problems.append(Problem(where, unexpected_fields([key], names)))
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
    for i, raw in enumerate(raw_regions if isinstance(raw_regions, list | tuple) else []):
        fields = _fields(Region, raw, f"regions[{i}]", problems, ("id", "total"))
        if fields is None or "id" not in fields or "total" not in fields:
            regions.append(raw)
            unreadable.add(f"regions[{i}]")
            continue
        for key in ("capacity_by_year", "quota_by_year", "budget_by_year"):
            if key in fields:
                fields[key] = _year_keys(fields[key], f"regions[{i}].{key}", problems)
        regions.append(Region(**fields))  # type: ignore[arg-type]
    milestones: list[object] = []
    raw_milestones = top.get("milestones", [])
    for i, raw in enumerate(raw_milestones if isinstance(raw_milestones, list | tuple) else []):
        # ``share`` may be left out only by a stretch goal without a floor of its own.
        needed = ("year",) if isinstance(raw, Mapping) and "stretch" in raw else ("year", "share")
        fields = _fields(Milestone, raw, f"milestones[{i}]", problems, needed)
        if fields is None or any(name not in fields for name in needed):
            milestones.append(raw)
            unreadable.add(f"milestones[{i}]")
            continue
        milestones.append(Milestone(**fields))  # type: ignore[arg-type]
    for key in ("national_capacity_by_year", "national_budget_by_year"):
        if key in top:
            top[key] = _year_keys(top[key], key, problems)
    top["regions"] = regions if isinstance(raw_regions, list | tuple) else raw_regions
    top["milestones"] = milestones if isinstance(raw_milestones, list | tuple) else raw_milestones
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


def _structure_merge_rule(data: object, _: type) -> MergeRule:
    """Raw values to :class:`MergeRule`, which checks them: an unknown kind and a bad
    threshold are reported together, as an ``InvalidMappingError``."""
    problems: list[Problem] = []
    fields = _fields(MergeRule, data, "rule", problems, ())
    try:
        rule = MergeRule(**(fields or {}))  # type: ignore[arg-type]
    except InvalidMappingError as exc:
        raise InvalidMappingError([*problems, *exc.problems]) from None
    if problems:
        raise InvalidMappingError(problems)
    return rule


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
        if not isinstance(data, Mapping):
            raise InvalidInputError([Problem("", f"expected an object, got {shown(data)}")])
        if "summary" in data:
            data = {k: v for k, v in data.items() if k != "summary"}
        read = plain_in(data, RolloutPlan)
        years = len(read.problem.years)
        ids = sorted(r.id for r in read.problem.regions)
        problems = [
            Problem(f"regions[{i}].new", f"{len(r.new)} yearly counts; the plan has {years} years")
            for i, r in enumerate(read.regions)
            if len(r.new) != years
        ]
        planned = sorted(r.region for r in read.regions)
        if planned != ids:
            problems.append(
                Problem("regions", f"plans for regions {planned!r}; the problem has {ids!r}")
            )
        if problems:
            raise InvalidInputError(problems)
        return read

    return unstructure, structure


def configure(conv: cattrs.Converter) -> None:
    """Register the rollout types' hooks on ``conv``."""
    ERROR_FOR[RolloutProblem] = InvalidProblemError
    ERROR_FOR[MergeRule] = InvalidMappingError
    ERROR_FOR[MappingTable] = InvalidMappingError
    conv.register_structure_hook(RolloutProblem, _structure_problem)
    conv.register_structure_hook(MergeRule, _structure_merge_rule)
    unstructure_plan, structure_plan = _plan_hooks(conv)
    conv.register_unstructure_hook(RolloutPlan, unstructure_plan)
    conv.register_structure_hook(RolloutPlan, structure_plan)
