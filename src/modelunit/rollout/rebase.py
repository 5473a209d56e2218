"""Change of geography: re-base recognised counts (and problems, plans) from an old map
of units to a new one, through an explicit mapping of old units to new.

When several old units merge into one new unit, whether the new unit counts as
recognised is a policy choice, made explicit by a :class:`MergeRule`:

- ``MergeRule("all")``: recognised only if every part was (the default: strict);
- ``MergeRule("any")``: recognised if at least one part was;
- ``MergeRule("share", "1/2")``: recognised if at least that share of its parts was
  (exact comparison).

An old unit split between several new units passes its status to each of them.

>>> rows = [
...     MappingRow("w1", "N1", "old-A", "new-X"),
...     MappingRow("w2", "N1", "old-A", "new-X"),
...     MappingRow("w3", "N2", "old-B", "new-X"),
... ]
>>> r = rebase_recognised(rows, ["w1", "w3"], MergeRule("all"))
>>> r.recognised, r.totals
({'new-X': 1}, {'new-X': 2})
>>> rebase_recognised(rows, ["w1", "w3"], MergeRule("share", "1/2")).recognised
{'new-X': 2}

The rows of the bundled 1 July 2025 mapping come from
:func:`modelunit.geography.ward_mapping_rows`; the planner itself reads no data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, Final, Literal, assert_never, get_args

import attrs

from modelunit.errors import InvalidMappingError, Problem
from modelunit.rollout.apportionment import ApportionmentMethod
from modelunit.rollout.plan import RolloutPlan, plan
from modelunit.rollout.problem import Region as _Region
from modelunit.rollout.problem import RolloutProblem, soft_fraction

__all__ = [
    "MERGE_KINDS",
    "MappingRow",
    "MappingTable",
    "MergeKind",
    "MergeRule",
    "Rebase",
    "RebasedUnit",
    "rebase_plan",
    "rebase_problem",
    "rebase_recognised",
]


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> Any:
    # Names that moved (UnitMapping, ward_mapping_rows...): deprecated aliases.
    from modelunit.rollout._deprecated import MOVED, moved  # noqa: PLC0415 - old names only

    if name in MOVED:
        return moved(__name__, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MergeKind = Literal["all", "any", "share"]
MERGE_KINDS: Final[tuple[MergeKind, ...]] = get_args(MergeKind)


@attrs.frozen
class MergeRule:
    """When a merged unit counts as recognised: ``"all"``, ``"any"`` or ``"share"``
    (with ``threshold``, a share of parts recognised, inclusive).

    Anything else raises :class:`~modelunit.errors.InvalidMappingError`.
    """

    kind: MergeKind = "all"
    threshold: Fraction | None = attrs.field(default=None, converter=soft_fraction)

    def __attrs_post_init__(self) -> None:
        if self.kind not in MERGE_KINDS:
            message = f"unknown merge rule {self.kind!r}; expected one of {MERGE_KINDS}"
            raise InvalidMappingError([Problem("rule.kind", message)])
        threshold: object = self.threshold  # the converter leaves what it cannot read as is
        if not (threshold is None or isinstance(threshold, Fraction)) or (
            self.kind == "share" and (threshold is None or not 0 < threshold <= 1)
        ):
            raise InvalidMappingError(
                [Problem("rule.threshold", f"expected a share in (0, 1], got {threshold}")]
            )

    def recognised(self, parts: int, recognised_parts: int) -> bool:
        """Whether a new unit of ``parts`` old units, ``recognised_parts`` of them
        recognised, counts as recognised under this rule."""
        if parts == 0:
            return False
        match self.kind:
            case "all":
                return recognised_parts == parts
            case "any":
                return recognised_parts > 0
            case "share":
                assert self.threshold is not None
                return Fraction(recognised_parts, parts) >= self.threshold
            case _:  # pragma: no cover - mypy checks that every kind has its case
                assert_never(self.kind)


@attrs.frozen
class MappingRow:
    """One row of the mapping: old unit (in old region) becomes (part of) new unit."""

    old_unit: str
    new_unit: str
    old_region: str
    new_region: str


@attrs.frozen
class RebasedUnit:
    """A new unit, its old parts, how many were recognised, and the rule's verdict."""

    unit: str
    region: str
    parts: tuple[str, ...]
    recognised_parts: int
    recognised: bool


@attrs.frozen
class Rebase:
    """Recognised counts on the new map: per new region, units in total and recognised."""

    rule: MergeRule
    units: tuple[RebasedUnit, ...]
    totals: dict[str, int]
    recognised: dict[str, int]


def _check_mapping(
    mapping: list[MappingRow], recognised: list[str], old_regions: set[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    old_region_of: dict[str, tuple[int, str]] = {}
    new_region_of: dict[str, tuple[int, str]] = {}
    for i, row in enumerate(mapping):
        known = old_region_of.setdefault(row.old_unit, (i, row.old_region))
        if known[1] != row.old_region:
            problems.append(
                Problem(
                    f"mapping[{i}].old_region",
                    f"old unit {row.old_unit!r} is in {row.old_region!r} here but in "
                    f"{known[1]!r} at mapping[{known[0]}]",
                    row.old_unit,
                )
            )
        known = new_region_of.setdefault(row.new_unit, (i, row.new_region))
        if known[1] != row.new_region:
            problems.append(
                Problem(
                    f"mapping[{i}].new_region",
                    f"new unit {row.new_unit!r} is in {row.new_region!r} here but in "
                    f"{known[1]!r} at mapping[{known[0]}]",
                    row.new_unit,
                )
            )
        if old_regions is not None and row.old_region not in old_regions:
            problems.append(
                Problem(f"mapping[{i}].old_region", f"unknown region id {row.old_region!r}")
            )
    for i, unit in enumerate(recognised):
        if unit not in old_region_of:
            problems.append(
                Problem(f"recognised[{i}]", f"unknown old unit {unit!r} (not in the mapping)")
            )
    return problems


def rebase_recognised(
    mapping: Iterable[MappingRow],
    recognised_old_units: Iterable[str],
    rule: MergeRule = MergeRule("all"),
) -> Rebase:
    """Which new units count as recognised, and the counts per new region.

    Raises :class:`~modelunit.errors.InvalidMappingError` listing every inconsistency
    (a unit mapped into two regions, recognised units missing from the mapping).
    """
    rows = list(mapping)
    recognised = list(recognised_old_units)
    problems = _check_mapping(rows, recognised, None)
    if problems:
        raise InvalidMappingError(problems)
    return _rebase(rows, set(recognised), rule)


def _rebase(rows: list[MappingRow], recognised: set[str], rule: MergeRule) -> Rebase:
    parts: dict[str, list[str]] = {}
    region: dict[str, str] = {}
    for row in rows:
        parts.setdefault(row.new_unit, [])
        if row.old_unit not in parts[row.new_unit]:
            parts[row.new_unit].append(row.old_unit)
        region[row.new_unit] = row.new_region
    units: list[RebasedUnit] = []
    totals: dict[str, int] = {}
    counts: dict[str, int] = {}
    for unit in sorted(parts):
        old = tuple(sorted(parts[unit]))
        hit = sum(1 for p in old if p in recognised)
        ok = rule.recognised(len(old), hit)
        units.append(RebasedUnit(unit, region[unit], old, hit, ok))
        totals[region[unit]] = totals.get(region[unit], 0) + 1
        counts[region[unit]] = counts.get(region[unit], 0) + (1 if ok else 0)
    return Rebase(
        rule,
        tuple(units),
        dict(sorted(totals.items())),
        {k: counts[k] for k in sorted(counts)},
    )


def rebase_problem(
    problem: RolloutProblem,
    mapping: Iterable[MappingRow],
    recognised_old_units: Iterable[str],
    rule: MergeRule = MergeRule("all"),
    *,
    capacity: Mapping[str, int] | None = None,
    names: Mapping[str, str] | None = None,
    start: int | None = None,
) -> RolloutProblem:
    """The same problem on the new map.

    New regions get their unit totals from the mapping, recognised counts by ``rule``,
    and capacities only from ``capacity`` (per new region; none given: unlimited) —
    old capacities do not transfer, because merged provinces plan afresh. National
    milestones and caps are kept; regional milestones (old region ids) are dropped.
    The mapping must cover every old region with exactly its ``total`` units.
    """
    rows = list(mapping)
    recognised = list(recognised_old_units)
    old_ids = {r.id for r in problem.regions}
    problems = _check_mapping(rows, recognised, old_ids)
    units_per_old: dict[str, set[str]] = {}
    for row in rows:
        units_per_old.setdefault(row.old_region, set()).add(row.old_unit)
    for i, r in enumerate(problem.regions):
        found = len(units_per_old.get(r.id, ()))
        if found != r.total:
            problems.append(
                Problem(
                    f"problem.regions[{i}].total",
                    f"the mapping has {found} old units for {r.id!r}, the problem {r.total}",
                    r.id,
                )
            )
    result = None if problems else _rebase(rows, set(recognised), rule)
    for key in sorted(capacity or {}):
        if result is not None and key not in result.totals:
            problems.append(Problem(f"capacity[{key!r}]", f"unknown new region {key!r}"))
    if problems or result is None:
        raise InvalidMappingError(problems)
    regions = [
        _Region(
            rid,
            (names or {}).get(rid, ""),
            total=result.totals[rid],
            recognised=result.recognised.get(rid, 0),
            capacity=(capacity or {}).get(rid),
        )
        for rid in result.totals
    ]
    return RolloutProblem(
        regions=regions,
        milestones=[m for m in problem.milestones if m.region is None],
        start=problem.start if start is None else start,
        end=problem.end,
        national_cap=problem.national_cap,
        national_cap_by_year={
            y: c
            for y, c in problem.national_cap_by_year.items()
            if y >= (problem.start if start is None else start)
        },
    )


def rebase_plan(
    old_plan: RolloutPlan,
    mapping: Iterable[MappingRow],
    recognised_old_units: Iterable[str],
    rule: MergeRule = MergeRule("all"),
    *,
    capacity: Mapping[str, int] | None = None,
    start: int | None = None,
    method: ApportionmentMethod | None = None,
) -> RolloutPlan:
    """Re-plan on the new map with the old plan's strategy (see :func:`rebase_problem`)."""
    new_problem = rebase_problem(
        old_plan.problem, mapping, recognised_old_units, rule, capacity=capacity, start=start
    )
    return plan(
        new_problem,
        old_plan.strategy,
        method=method or old_plan.method or "largest_remainder",
        stretch=old_plan.stretch,
    )


@attrs.frozen
class MappingTable:
    """A mapping file: one row per old unit and new unit it became (part of).

    An old unit split between several new units has a row for each; several old units
    merged into one new unit have a row each. Read one with
    :func:`modelunit.geography.load_mapping_rows`.
    """

    rows: tuple[MappingRow, ...]
    description: str = ""
