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
from modelunit.rollout._compile import IntegerProblem, compile_problem
from modelunit.rollout._distribute import distribute_profiles
from modelunit.rollout._floors import floors_feasible
from modelunit.rollout.apportionment import ApportionmentMethod, apportion
from modelunit.rollout.feasibility import Diagnosis, past_misses
from modelunit.rollout.plan import RegionPlan, RolloutPlan, plan
from modelunit.rollout.problem import Region as _Region
from modelunit.rollout.problem import RolloutProblem, nfc, shown, soft_fraction, valid_unicode

__all__ = [
    "MERGE_KINDS",
    "CarriedCell",
    "MappingRow",
    "MappingTable",
    "MergeKind",
    "MergeRule",
    "Rebase",
    "RebasedPlan",
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

    Anything else raises :class:`~modelunit.errors.InvalidMappingError` listing every
    problem (an unknown kind and an unreadable threshold both); a threshold is a share
    in (0, 1], required by ``"share"`` and refused with the other kinds, which would
    ignore it.

    >>> MergeRule("most", "1/2")
    Traceback (most recent call last):
    ...
    modelunit.errors.InvalidMappingError: 2 problems in mapping:
      - rule.kind: unknown merge rule 'most'; expected one of ('all', 'any', 'share')
      - rule.threshold: a threshold is only used by the 'share' rule, not 'most'
    """

    kind: MergeKind = "all"
    threshold: Fraction | None = attrs.field(default=None, converter=soft_fraction)

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(self.kind, self.threshold)
        if problems:
            raise InvalidMappingError(problems)

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


def _rule_problems(kind: object, threshold: object) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(kind, str) or kind not in MERGE_KINDS:
        message = f"unknown merge rule {shown(kind)}; expected one of {MERGE_KINDS}"
        problems.append(Problem("rule.kind", message))
    if threshold is None:
        if kind == "share":
            problems.append(
                Problem("rule.threshold", "the 'share' rule needs a threshold, a share in (0, 1]")
            )
    elif not isinstance(threshold, Fraction) or not 0 < threshold <= 1:
        problems.append(
            Problem("rule.threshold", f"expected a share in (0, 1], got {shown(threshold)}")
        )
    elif kind != "share":
        problems.append(
            Problem(
                "rule.threshold",
                f"a threshold is only used by the 'share' rule, not {shown(kind)}",
            )
        )
    return problems


@attrs.frozen
class MappingRow:
    """One row of the mapping: old unit (in old region) becomes (part of) new unit.

    Ids are kept in Unicode NFC (see :class:`~modelunit.rollout.Region`); the functions
    of this module check that they are text.
    """

    old_unit: str = attrs.field(converter=nfc)
    new_unit: str = attrs.field(converter=nfc)
    old_region: str = attrs.field(converter=nfc)
    new_region: str = attrs.field(converter=nfc)


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


_ROW_FIELDS = ("old_unit", "new_unit", "old_region", "new_region")


def _listed(value: object, path: str, what: str, problems: list[Problem]) -> list[object]:
    """The items of a list argument; a bare text or a mapping is refused (iterating it
    would read its characters or keys as items)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.append(Problem(path, f"expected a list of {what}, got {shown(value)}"))
        return []
    return list(value)


Rows = list[tuple[int, MappingRow]]  # (position in the argument, row)
Units = list[tuple[int, str]]  # (position in the argument, unit id in NFC)


def _read_inputs(
    mapping: object, recognised_old_units: object, rule: object
) -> tuple[Rows, Units, list[Problem]]:
    """The rows and recognised unit ids (NFC) that are well typed, with their positions,
    and a problem for every one that is not (and for a rule that is not a
    :class:`MergeRule`)."""
    problems: list[Problem] = []
    rows: Rows = []
    for i, row in enumerate(_listed(mapping, "mapping", "MappingRow rows", problems)):
        if not isinstance(row, MappingRow):
            problems.append(Problem(f"mapping[{i}]", f"expected a MappingRow, got {shown(row)}"))
            continue
        bad = False
        for field in _ROW_FIELDS:
            value: object = getattr(row, field)
            if not isinstance(value, str) or not value:
                problems.append(
                    Problem(f"mapping[{i}].{field}", f"expected a text id, got {shown(value)}")
                )
                bad = True
            elif not valid_unicode(value):
                problems.append(
                    Problem(
                        f"mapping[{i}].{field}",
                        f"text {shown(value)} is not valid Unicode (a lone surrogate)",
                    )
                )
                bad = True
        if not bad:
            rows.append((i, row))
    recognised: Units = []
    listed = _listed(recognised_old_units, "recognised", "old unit ids", problems)
    for i, unit in enumerate(listed):
        if not isinstance(unit, str):
            problems.append(Problem(f"recognised[{i}]", f"expected a unit id, got {shown(unit)}"))
        elif not valid_unicode(unit):
            problems.append(
                Problem(
                    f"recognised[{i}]",
                    f"text {shown(unit)} is not valid Unicode (a lone surrogate)",
                )
            )
        else:
            recognised.append((i, nfc(unit)))
    if not isinstance(rule, MergeRule):
        problems.append(Problem("rule", f"expected a MergeRule, got {shown(rule)}"))
    return rows, recognised, problems


def _check_mapping(rows: Rows, recognised: Units, old_regions: set[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    old_region_of: dict[str, tuple[int, str]] = {}
    new_region_of: dict[str, tuple[int, str]] = {}
    for i, row in rows:
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
    for i, unit in recognised:
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

    Raises :class:`~modelunit.errors.InvalidMappingError` listing every problem at once:
    rows that are not :class:`MappingRow` s or whose ids are not text, a unit mapped into
    two regions, recognised units that are not text or missing from the mapping, a
    ``rule`` that is not a :class:`MergeRule`. Ids are compared in Unicode NFC.
    """
    rows, recognised, problems = _read_inputs(mapping, recognised_old_units, rule)
    problems += _check_mapping(rows, recognised, None)
    if problems:
        raise InvalidMappingError(problems)
    return _rebase([row for _, row in rows], {unit for _, unit in recognised}, rule)


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
    milestones and caps are kept, and so is the rule for past milestones; regional
    milestones (old region ids) are dropped, and so are costs and budgets (like
    capacities, they are the new provinces' own).
    The mapping must cover every old region with exactly its ``total`` units.

    Raises :class:`~modelunit.errors.InvalidMappingError` listing every problem at once
    (those of :func:`rebase_recognised`, a ``problem`` that is not a
    :class:`~modelunit.rollout.RolloutProblem`, totals that do not match the mapping,
    ``capacity`` for an unknown new region or not a whole number, ``names`` that are
    not text). Ids, including the keys of ``capacity`` and ``names``, are compared in
    Unicode NFC.
    """
    rows, recognised, problems = _read_inputs(mapping, recognised_old_units, rule)
    problem_raw: object = problem
    if not isinstance(problem_raw, RolloutProblem):
        problems.append(Problem("problem", f"expected a RolloutProblem, got {shown(problem_raw)}"))
        raise InvalidMappingError(problems)
    problems += _check_mapping(rows, recognised, {r.id for r in problem.regions})
    units_per_old: dict[str, set[str]] = {}
    for _, row in rows:
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
    new_regions = {row.new_region for _, row in rows}
    capacities = _by_new_region(capacity, "capacity", new_regions, problems, unknown=True)
    titles = _by_new_region(names, "names", new_regions, problems, unknown=False)
    caps: dict[str, int] = {}
    for key, value in capacities.items():
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            caps[key] = value
        else:
            problems.append(
                Problem(f"capacity[{key!r}]", f"expected a whole number, got {shown(value)}")
            )
    labels: dict[str, str] = {}
    for key, value in titles.items():
        if isinstance(value, str):
            labels[key] = value
        else:
            problems.append(Problem(f"names[{key!r}]", f"expected text, got {shown(value)}"))
    if problems:
        raise InvalidMappingError(problems)
    assert isinstance(rule, MergeRule)
    result = _rebase([row for _, row in rows], {unit for _, unit in recognised}, rule)
    regions = [
        _Region(
            rid,
            labels.get(rid, ""),
            total=result.totals[rid],
            recognised=result.recognised.get(rid, 0),
            capacity=caps.get(rid),
        )
        for rid in result.totals
    ]
    return RolloutProblem(
        regions=regions,
        milestones=[m for m in problem.milestones if m.region is None],
        start=problem.start if start is None else start,
        end=problem.end,
        national_capacity=problem.national_capacity,
        national_capacity_by_year={
            y: c
            for y, c in problem.national_capacity_by_year.items()
            if y >= (problem.start if start is None else start)
        },
        past_milestones=problem.past_milestones,
    )


def _by_new_region(
    values: object, path: str, regions: set[str], problems: list[Problem], *, unknown: bool
) -> dict[str, object]:
    """A mapping argument keyed by new region id, keys in NFC; a problem for a key that
    is not text, names the same region twice, or (with ``unknown``) no new region."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        problems.append(
            Problem(path, f"expected a mapping new region -> value, got {shown(values)}")
        )
        return {}
    out: dict[str, object] = {}
    for key in sorted(values, key=shown):
        if not isinstance(key, str):
            problems.append(
                Problem(f"{path}[{shown(key)}]", f"expected a region id, got {shown(key)}")
            )
            continue
        rid = nfc(key)
        if rid in out:
            problems.append(
                Problem(
                    f"{path}[{key!r}]",
                    f"region {rid!r} given twice (the same after Unicode NFC normalisation)",
                )
            )
        elif unknown and rid not in regions:
            problems.append(Problem(f"{path}[{key!r}]", f"unknown new region {key!r}"))
        out[rid] = values[key]
    return out


@attrs.frozen
class CarriedCell:
    """A region-year where the re-plan had to change the carried count."""

    region: str
    year: int
    carried: int
    planned: int


@attrs.frozen
class RebasedPlan:
    """The old plan carried across the new map, and the plan kept from it.

    ``carried`` is the old allocation mapped to the new regions, one
    :class:`~modelunit.rollout.RegionPlan` per new region; ``carried_valid`` says
    whether it meets every floor, capacity and national limit of the new problem.
    ``plan`` is the plan on the new map, equal to ``carried`` wherever that can be
    kept; ``changed`` lists the region-years where it could not (empty: carried as it
    was).
    """

    carried: tuple[RegionPlan, ...] = attrs.field(repr=False)
    carried_valid: bool
    plan: RolloutPlan = attrs.field(repr=False)
    changed: tuple[CarriedCell, ...]

    @property
    def kept(self) -> bool:
        """Whether the carried allocation is the plan, unchanged."""
        return not self.changed


def rebase_plan(
    old_plan: RolloutPlan,
    mapping: Iterable[MappingRow],
    recognised_old_units: Iterable[str],
    rule: MergeRule = MergeRule("all"),
    *,
    capacity: Mapping[str, int] | None = None,
    start: int | None = None,
    method: ApportionmentMethod | None = None,
) -> RebasedPlan:
    """Carry the old plan across to the new map, then re-plan only what must change.

    The new problem is :func:`rebase_problem`'s (recognised counts by ``rule``). The
    allocation is carried year by year, for the planned years of the new problem:
    each old region's new units of a year are shared among the new regions its
    not-yet-recognised old units go to, in proportion to how many go to each
    (largest remainder, new regions by id); a new region's carried progress is that
    share of its old units left, applied to its new units left (merged wards make
    fewer units), rounded up, exactly, cumulatively. If the carried allocation meets
    every floor and limit of the new problem it is the plan; otherwise each new
    region keeps its carried profile where the rest stays feasible and, where not,
    gets year by year the count closest to it that the floors, capacities and
    national capacity allow (stretch goals are not re-chosen: the carried plan's own are
    kept where they survive). When the new floors cannot all be met at all, the plan
    is the old strategy's best effort on the new problem.
    """
    new_problem = rebase_problem(
        old_plan.problem, mapping, recognised_old_units, rule, capacity=capacity, start=start
    )
    rows = list(mapping)
    recognised = {nfc(u) for u in recognised_old_units}
    carried = _carried_allocation(old_plan, new_problem, rows, recognised)
    comp = compile_problem(new_problem)
    valid = _meets_everything(comp, carried)
    if valid:
        result = _plan_from(new_problem, comp, old_plan, carried)
    elif floors_feasible(comp, comp.floors):
        n = comp.n_years
        profiles = [[0, *carried[rid]] for rid in comp.ids]
        x = distribute_profiles(comp.floors, comp.caps, list(comp.ncap), n, profiles)
        kept = {rid: x[i][1:] for i, rid in enumerate(comp.ids)}
        result = _plan_from(new_problem, comp, old_plan, kept)
    else:
        result = plan(
            new_problem,
            old_plan.strategy,
            method=method or old_plan.method or "largest_remainder",
            stretch=old_plan.stretch,
            compiled=comp,
        )
    carried_regions = _region_plans(new_problem, carried)
    changed = tuple(
        CarriedCell(rp.region, year, c, v)
        for rp, cp in zip(result.regions, carried_regions, strict=True)
        for year, c, v in zip(new_problem.years, cp.new, rp.new, strict=True)
        if c != v
    )
    return RebasedPlan(carried_regions, valid, result, changed)


def _carried_allocation(
    old_plan: RolloutPlan,
    new_problem: RolloutProblem,
    rows: list[MappingRow],
    recognised: set[str],
) -> dict[str, list[int]]:
    """The old allocation on the new regions (see :func:`rebase_plan`), per new region
    id: new units per planned year of ``new_problem``."""
    years = new_problem.years
    old_years = {y: i for i, y in enumerate(old_plan.years)}
    # Old units not yet recognised, by old region and new region (a split unit counts
    # in each new region it goes to).
    left: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        if row.old_unit not in recognised:
            left.setdefault(row.old_region, {}).setdefault(row.new_region, set()).add(row.old_unit)
    new_ids = sorted(r.id for r in new_problem.regions)
    old_units_in: dict[str, list[int]] = {rid: [0] * len(years) for rid in new_ids}
    for rp in old_plan.regions:
        into = left.get(rp.region, {})
        targets = sorted(into)
        weights = [len(into[t]) for t in targets]
        for k, year in enumerate(years):
            i = old_years.get(year)
            if i is None or not targets or not rp.new[i]:
                continue
            for target, share in zip(targets, apportion(rp.new[i], weights), strict=True):
                old_units_in[target][k] += share
    out: dict[str, list[int]] = {}
    for region in new_problem.regions:
        old_left = sum(len(v.get(region.id, ())) for v in left.values())
        new_left = region.total - region.recognised
        counts = [0] * len(years)
        done = 0
        progress = 0
        for k in range(len(years)):
            progress += old_units_in[region.id][k]
            # The same share of the new units left as of the old ones, rounded up.
            reached = 0 if old_left == 0 else -(-min(progress, old_left) * new_left // old_left)
            counts[k] = reached - done
            done = reached
        out[region.id] = counts
    return out


def _meets_everything(comp: IntegerProblem, allocation: Mapping[str, list[int]]) -> bool:
    """Whether the allocation meets every floor, capacity and national limit."""
    for i, rid in enumerate(comp.ids):
        run = 0
        for t, v in enumerate(allocation[rid], start=1):
            run += v
            if v > comp.caps[i][t] or run < comp.floors[i][t] or run > comp.rem[i]:
                return False
    return all(
        sum(allocation[rid][t - 1] for rid in comp.ids) <= comp.ncap[t]
        for t in range(1, comp.n_years + 1)
    )


def _region_plans(
    problem: RolloutProblem, allocation: Mapping[str, list[int]]
) -> tuple[RegionPlan, ...]:
    return tuple(
        RegionPlan(r.id, r.name, r.total, r.recognised, tuple(allocation[r.id]), r.cost)
        for r in sorted(problem.regions, key=lambda r: r.id)
    )


def _plan_from(
    problem: RolloutProblem,
    comp: IntegerProblem,
    old_plan: RolloutPlan,
    allocation: Mapping[str, list[int]],
) -> RolloutPlan:
    """A feasible plan of ``problem`` with this allocation (checked by the caller)."""
    return RolloutPlan(
        problem=problem,
        strategy=old_plan.strategy,
        method=old_plan.method,
        stretch=old_plan.stretch,
        regions=_region_plans(problem, allocation),
        diagnosis=past_misses(comp) if comp.past_missed else Diagnosis(feasible=True),
        feasible=True,
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
