"""Criteria, criteria sets and their recognition policies.

A :class:`CriteriaSet` is versioned data: its indicators, its criteria in
groups (each decided by a :mod:`rule <modelunit.rules>`), and a
:class:`RecognitionPolicy` that turns per-criterion outcomes into a level
such as "model unit", "basically met" or "not yet".

Policies are written over outcome counts or shares, named criteria, and points:

>>> from fractions import Fraction
>>> from modelunit.criteria import Tally, AllConditions, Level
>>> model = Level("model", Tally("met", min_share=Fraction(1)), title_en="model unit")
>>> basic = Level(
...     "basically_met",
...     AllConditions((Tally("met", min_count=21), Tally("not_met", max_count=0))),
...     title_en="basically met",
... )

A set is validated when it is built: duplicate ids, unknown indicators or
groups, rules that do not fit their indicators, references to missing criteria
and reference cycles are all reported together in one
:class:`~modelunit.errors.InvalidCatalogError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

import attrs

from modelunit._numbers import format_share
from modelunit.errors import InvalidCatalogError, Problem
from modelunit.indicators import Indicator
from modelunit.outcomes import Outcome
from modelunit.rules import Rule, referenced_criteria, rule_problems

__all__ = [
    "AllConditions",
    "AnyCondition",
    "CatalogDiff",
    "Condition",
    "CriteriaOutcomes",
    "CriteriaSet",
    "Criterion",
    "CriterionChange",
    "Group",
    "Level",
    "NotCondition",
    "Points",
    "Provenance",
    "RecognitionPolicy",
    "Tally",
    "diff",
]


def __dir__() -> list[str]:
    return __all__


ProvenanceStatus = Literal["official", "reconstructed", "illustrative"]


@attrs.frozen
class Provenance:
    """Where a criterion or a set comes from, and how faithful it is.

    ``status`` is ``official`` (the text of the source), ``reconstructed``
    (built from public reporting because the official text is not public) or
    ``illustrative`` (made up for an example).
    """

    document: str = ""
    date: date | None = None
    url: str = ""
    status: ProvenanceStatus = attrs.field(
        default="official",
        validator=attrs.validators.in_(("official", "reconstructed", "illustrative")),
    )
    note: str = ""


@attrs.frozen
class Group:
    """A group (task group, domain) of criteria."""

    id: str
    title_vi: str = ""
    title_en: str = ""

    def title(self, lang: str = "en") -> str:
        return (self.title_vi if lang == "vi" else self.title_en) or self.title_en or self.id


@attrs.frozen
class Criterion:
    """One criterion: what it says, the rule that decides it, and how it counts.

    ``mandatory`` makes it a veto: when it is not met, no level that honours
    vetoes can be reached, whatever else is met. ``applies_to`` limits it to
    some unit kinds (empty: all kinds); for other units it is not applicable.
    """

    id: str
    rule: Rule
    group: str = ""
    title_vi: str = ""
    title_en: str = ""
    description: str = ""
    mandatory: bool = False
    points: Decimal | None = None
    applies_to: tuple[str, ...] = ()
    provenance: Provenance | None = None

    def title(self, lang: str = "en") -> str:
        return (self.title_vi if lang == "vi" else self.title_en) or self.title_en or self.id

    def applies(self, unit_kind: str) -> bool:
        return not self.applies_to or unit_kind in self.applies_to


# -- recognition policy -----------------------------------------------------------------

OutcomeName = Literal["met", "not_met", "insufficient"]


@attrs.frozen
class Tally:
    """Bounds on how many criteria (in scope) have an outcome.

    Counts and shares are over the *applicable* criteria in scope: ``among``
    lists criterion or group ids (empty: every criterion). Every bound given
    must hold; bounds are inclusive. Shares compare exactly.
    """

    kind: ClassVar[str] = "tally"
    outcome: OutcomeName = attrs.field(
        validator=attrs.validators.in_(("met", "not_met", "insufficient"))
    )
    min_count: int | None = None
    max_count: int | None = None
    min_share: Fraction | None = None
    max_share: Fraction | None = None
    among: tuple[str, ...] = ()

    def describe(self) -> str:
        bounds = []
        if self.min_count is not None:
            bounds.append(f">= {self.min_count}")
        if self.max_count is not None:
            bounds.append(f"<= {self.max_count}")
        if self.min_share is not None:
            bounds.append(f">= {format_share(self.min_share)}")
        if self.max_share is not None:
            bounds.append(f"<= {format_share(self.max_share)}")
        scope = f" among {', '.join(self.among)}" if self.among else ""
        label = Outcome(self.outcome).label_en
        return f"criteria {label}{scope}: {' and '.join(bounds) or 'any number'}"


@attrs.frozen
class CriteriaOutcomes:
    """Named criteria have an outcome: ``all`` of them, or ``any`` of them."""

    kind: ClassVar[str] = "criteria"
    criteria: tuple[str, ...]
    outcome: OutcomeName = attrs.field(
        default="met", validator=attrs.validators.in_(("met", "not_met", "insufficient"))
    )
    quantifier: Literal["all", "any"] = attrs.field(
        default="all", validator=attrs.validators.in_(("all", "any"))
    )

    def describe(self) -> str:
        label = Outcome(self.outcome).label_en
        return f"{self.quantifier} of {', '.join(self.criteria)} {label}"


@attrs.frozen
class Points:
    """The points of met criteria add up to at least ``min_points``."""

    kind: ClassVar[str] = "points"
    min_points: Decimal

    def describe(self) -> str:
        return f"points >= {self.min_points}"


@attrs.frozen
class AllConditions:
    """Every condition holds."""

    kind: ClassVar[str] = "all"
    conditions: tuple[Condition, ...]

    def describe(self) -> str:
        return " and ".join(f"({c.describe()})" for c in self.conditions)


@attrs.frozen
class AnyCondition:
    """At least one condition holds."""

    kind: ClassVar[str] = "any"
    conditions: tuple[Condition, ...]

    def describe(self) -> str:
        return " or ".join(f"({c.describe()})" for c in self.conditions)


@attrs.frozen
class NotCondition:
    """The condition does not hold."""

    kind: ClassVar[str] = "not"
    condition: Condition

    def describe(self) -> str:
        return f"not ({self.condition.describe()})"


Condition = Tally | CriteriaOutcomes | Points | AllConditions | AnyCondition | NotCondition
"""A recognition-policy condition."""

CONDITION_TYPES: tuple[type[Condition], ...] = (
    Tally,
    CriteriaOutcomes,
    Points,
    AllConditions,
    AnyCondition,
    NotCondition,
)


@attrs.frozen
class Level:
    """A recognition level, reached when its ``condition`` holds.

    ``honours_veto`` (the default) makes the level unreachable when a
    mandatory criterion is not met. ``recognised`` says whether reaching the
    level counts as recognition (for planning and reporting).
    """

    id: str
    condition: Condition
    title_vi: str = ""
    title_en: str = ""
    recognised: bool = False
    honours_veto: bool = True

    def title(self, lang: str = "en") -> str:
        return (self.title_vi if lang == "vi" else self.title_en) or self.title_en or self.id


@attrs.frozen
class RecognitionPolicy:
    """Ordered levels, best first; the first whose condition holds is the result.

    When none holds, the unit is at ``fallback`` ("not yet met").
    """

    levels: tuple[Level, ...]
    fallback: Level = Level(
        "not_yet", AllConditions(()), title_vi="chưa đạt", title_en="not yet met"
    )


# -- the set -----------------------------------------------------------------------------


@attrs.frozen
class CriteriaSet:
    """A versioned set of criteria with its indicators and recognition policy."""

    __modelunit_error__: ClassVar[type[InvalidCatalogError]] = InvalidCatalogError

    id: str
    version: str
    indicators: tuple[Indicator, ...]
    criteria: tuple[Criterion, ...]
    policy: RecognitionPolicy
    title_vi: str = ""
    title_en: str = ""
    description: str = ""
    groups: tuple[Group, ...] = ()
    effective_from: date | None = None
    effective_to: date | None = None
    unit_kinds: tuple[str, ...] = ("ward",)
    provenance: Provenance | None = None

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidCatalogError(problems)

    @classmethod
    def _unchecked(cls, **fields: Any) -> CriteriaSet:
        """An instance built without validation, only to run :meth:`problems` on
        the parts of a catalog that could be read while other parts could not.
        Never returned to users."""
        draft = cls.__new__(cls)
        for field in attrs.fields(cls):
            value = fields.get(field.name, field.default)
            object.__setattr__(draft, field.name, value)
        return draft

    # -- lookups -----------------------------------------------------------------------
    @property
    def indicator_map(self) -> dict[str, Indicator]:
        return {i.key: i for i in self.indicators}

    @property
    def criterion_map(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def title(self, lang: str = "en") -> str:
        return (self.title_vi if lang == "vi" else self.title_en) or self.title_en or self.id

    def evaluation_order(self) -> tuple[Criterion, ...]:
        """Criteria ordered so that every referenced criterion comes first."""
        by_id = self.criterion_map
        order: list[Criterion] = []
        done: set[str] = set()

        def visit(cid: str) -> None:
            if cid in done:
                return
            done.add(cid)
            for ref in sorted(referenced_criteria(by_id[cid].rule)):
                visit(ref)
            order.append(by_id[cid])

        for c in self.criteria:
            visit(c.id)
        return tuple(order)

    def scope(self, among: Iterable[str]) -> frozenset[str]:
        """Criterion ids named by ``among`` (criterion ids or group ids)."""
        ids: set[str] = set()
        groups = {g.id for g in self.groups}
        for name in among:
            if name in groups:
                ids.update(c.id for c in self.criteria if c.group == name)
            else:
                ids.add(name)
        return frozenset(ids)

    # -- validation --------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """Every inconsistency in the set, each with its field path and record."""
        found: list[Problem] = []
        if not self.id:
            found.append(Problem("id", "a criteria set needs an id"))
        if not self.version:
            found.append(Problem("version", "a criteria set needs a version"))
        if (
            self.effective_from is not None
            and self.effective_to is not None
            and self.effective_to < self.effective_from
        ):
            found.append(
                Problem(
                    "effective_to",
                    f"{self.effective_to} is before effective_from {self.effective_from}",
                )
            )
        found += _duplicates("groups", [g.id for g in self.groups])
        found += _duplicates("indicators", [i.key for i in self.indicators], field="key")
        found += _duplicates("criteria", [c.id for c in self.criteria])
        found += _duplicates("policy.levels", [lv.id for lv in self.policy.levels])
        for i, ind in enumerate(self.indicators):
            for field, msg in ind.problems():
                found.append(Problem(f"indicators[{i}].{field}", msg, record=ind.key))
        indicators = self.indicator_map
        criterion_ids = {c.id for c in self.criteria}
        group_ids = {g.id for g in self.groups}
        for i, crit in enumerate(self.criteria):
            if self.groups and crit.group not in group_ids:
                found.append(
                    Problem(f"criteria[{i}].group", f"unknown group {crit.group!r}", record=crit.id)
                )
            if crit.points is not None and crit.points < 0:
                found.append(
                    Problem(f"criteria[{i}].points", "points cannot be negative", record=crit.id)
                )
            for path, msg in rule_problems(crit.rule, indicators, criterion_ids):
                found.append(Problem(f"criteria[{i}].rule.{path}".rstrip("."), msg, record=crit.id))
            for ref in sorted(referenced_criteria(crit.rule) & criterion_ids):
                target = self.criterion(ref)
                # A reference must never land on "not applicable": the referring
                # criterion may apply only where the referred one does.
                if target.applies_to and (
                    not crit.applies_to or not set(crit.applies_to) <= set(target.applies_to)
                ):
                    kinds = ", ".join(crit.applies_to) or "every unit kind"
                    found.append(
                        Problem(
                            f"criteria[{i}].rule",
                            f"refers to {ref!r}, which applies only to "
                            f"{', '.join(target.applies_to)}, but {crit.id!r} applies to {kinds}",
                            record=crit.id,
                        )
                    )
        found += self._cycle_problems()
        found += self._policy_problems(criterion_ids | group_ids)
        return found

    def _cycle_problems(self) -> list[Problem]:
        graph = {
            c.id: sorted(referenced_criteria(c.rule) & {d.id for d in self.criteria})
            for c in self.criteria
        }
        index = {c.id: i for i, c in enumerate(self.criteria)}
        state: dict[str, int] = {}
        found: list[Problem] = []
        reported: set[frozenset[str]] = set()

        def visit(node: str, stack: list[str]) -> None:
            state[node] = 1
            stack.append(node)
            for nxt in graph[node]:
                if state.get(nxt) == 1:
                    cycle = [*stack[stack.index(nxt) :], nxt]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        found.append(
                            Problem(
                                f"criteria[{index[nxt]}].rule",
                                "criteria refer to each other in a cycle: " + " -> ".join(cycle),
                                record=nxt,
                            )
                        )
                elif state.get(nxt) is None:
                    visit(nxt, stack)
            stack.pop()
            state[node] = 2

        for cid in sorted(graph):
            if cid not in state:
                visit(cid, [])
        return found

    def _policy_problems(self, known: set[str]) -> list[Problem]:
        found: list[Problem] = []
        levels = [*self.policy.levels, self.policy.fallback]
        for i, level in enumerate(levels):
            base = f"policy.levels[{i}]" if i < len(self.policy.levels) else "policy.fallback"
            stack: list[tuple[str, Condition]] = [(f"{base}.condition", level.condition)]
            while stack:
                path, cond = stack.pop()
                if isinstance(cond, Tally):
                    for name in cond.among:
                        if name not in known:
                            found.append(
                                Problem(
                                    f"{path}.among",
                                    f"unknown criterion or group {name!r}",
                                    record=level.id,
                                )
                            )
                    for f in ("min_count", "max_count"):
                        v = getattr(cond, f)
                        if v is not None and v < 0:
                            found.append(
                                Problem(f"{path}.{f}", f"cannot be negative: {v}", record=level.id)
                            )
                    for f in ("min_share", "max_share"):
                        v = getattr(cond, f)
                        if v is not None and not 0 <= v <= 1:
                            found.append(
                                Problem(
                                    f"{path}.{f}", f"a share lies in 0..1; got {v}", record=level.id
                                )
                            )
                elif isinstance(cond, CriteriaOutcomes):
                    if not cond.criteria:
                        found.append(
                            Problem(
                                f"{path}.criteria", "name at least one criterion", record=level.id
                            )
                        )
                    for name in cond.criteria:
                        if name not in known:
                            found.append(
                                Problem(
                                    f"{path}.criteria",
                                    f"unknown criterion {name!r}",
                                    record=level.id,
                                )
                            )
                elif isinstance(cond, AllConditions | AnyCondition):
                    stack.extend(
                        (f"{path}.conditions[{j}]", c) for j, c in enumerate(cond.conditions)
                    )
                elif isinstance(cond, NotCondition):
                    stack.append((f"{path}.condition", cond.condition))
        return found


def _duplicates(path: str, ids: list[str], field: str = "id") -> list[Problem]:
    seen: dict[str, int] = {}
    found: list[Problem] = []
    for i, ident in enumerate(ids):
        if ident in seen:
            found.append(
                Problem(
                    f"{path}[{i}].{field}",
                    f"duplicate {field} {ident!r} (first at {path}[{seen[ident]}])",
                    record=ident,
                )
            )
        else:
            seen[ident] = i
    return found


# -- versions ------------------------------------------------------------------------------


@attrs.frozen
class CriterionChange:
    """How one criterion differs between two versions: the fields that changed."""

    criterion: str
    fields: tuple[str, ...]


@attrs.frozen
class CatalogDiff:
    """What changed from one criteria-set version to another."""

    old: str
    new: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[CriterionChange, ...]
    indicators_added: tuple[str, ...]
    indicators_removed: tuple[str, ...]
    indicators_changed: tuple[str, ...]
    policy_changed: bool
    set_changed: tuple[str, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.indicators_added
            or self.indicators_removed
            or self.indicators_changed
            or self.policy_changed
            or self.set_changed
        )

    def summary(self) -> str:
        lines = [f"{self.old} -> {self.new}"]
        if self.unchanged:
            return lines[0] + ": no changes"
        if self.added:
            lines.append(f"  added criteria: {', '.join(self.added)}")
        if self.removed:
            lines.append(f"  removed criteria: {', '.join(self.removed)}")
        for ch in self.changed:
            lines.append(f"  changed {ch.criterion}: {', '.join(ch.fields)}")
        if self.indicators_added:
            lines.append(f"  added indicators: {', '.join(self.indicators_added)}")
        if self.indicators_removed:
            lines.append(f"  removed indicators: {', '.join(self.indicators_removed)}")
        if self.indicators_changed:
            lines.append(f"  changed indicators: {', '.join(self.indicators_changed)}")
        if self.policy_changed:
            lines.append("  recognition policy changed")
        if self.set_changed:
            lines.append(f"  set fields changed: {', '.join(self.set_changed)}")
        return "\n".join(lines)


def diff(old: CriteriaSet, new: CriteriaSet) -> CatalogDiff:
    """Criteria added, removed and changed (field by field) from ``old`` to ``new``.

    Criteria and indicators are matched by id (key); results are sorted by id.
    Set-level fields that changed (titles, provenance, groups, dates, unit
    kinds) are listed in :attr:`CatalogDiff.set_changed`.
    """
    a, b = old.criterion_map, new.criterion_map
    changed = []
    for cid in sorted(a.keys() & b.keys()):
        fields = tuple(
            f.name
            for f in attrs.fields(Criterion)
            if getattr(a[cid], f.name) != getattr(b[cid], f.name)
        )
        if fields:
            changed.append(CriterionChange(cid, fields))
    ia, ib = old.indicator_map, new.indicator_map
    return CatalogDiff(
        old=f"{old.id} {old.version}",
        new=f"{new.id} {new.version}",
        added=tuple(sorted(b.keys() - a.keys())),
        removed=tuple(sorted(a.keys() - b.keys())),
        changed=tuple(changed),
        indicators_added=tuple(sorted(ib.keys() - ia.keys())),
        indicators_removed=tuple(sorted(ia.keys() - ib.keys())),
        indicators_changed=tuple(sorted(k for k in ia.keys() & ib.keys() if ia[k] != ib[k])),
        policy_changed=old.policy != new.policy,
        set_changed=tuple(
            f.name
            for f in attrs.fields(CriteriaSet)
            if f.name not in _DIFFED_APART and getattr(old, f.name) != getattr(new, f.name)
        ),
    )


# Compared item by item above (or the identity of the versions being compared).
_DIFFED_APART = frozenset({"id", "version", "criteria", "indicators", "policy"})
