"""Criteria and criteria sets.

A :class:`CriteriaSet` is versioned data: its indicators, its criteria in
groups (each decided by a :mod:`rule <modelunit.rules>`), and a
:class:`~modelunit.policy.RecognitionPolicy` that turns per-criterion outcomes into
a level such as "model unit", "basically met" or "not yet" (see :mod:`modelunit.policy`).

>>> import modelunit
>>> cap = modelunit.load_catalog("cap-kieu-mau-2021")
>>> len(cap.criteria), [g.id for g in cap.groups][:3]
(22, ['G1', 'G2', 'G3'])
>>> cap.criterion("C22").mandatory, cap.criterion("C22").group
(False, 'G7')

A set is validated when it is built: duplicate ids, unknown indicators or
groups, rules that do not fit their indicators, references to missing criteria
and reference cycles are all reported together in one
:class:`~modelunit.errors.InvalidCatalogError`. Versions of a set are compared with
:func:`modelunit.versions.diff`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal, get_args

import attrs

from modelunit import lint
from modelunit._checks import as_id, as_ids, one_of
from modelunit._i18n import Titled
from modelunit._numbers import finite_problem
from modelunit.catalog_examples import CatalogExample
from modelunit.errors import (
    InvalidCatalogError,
    InvalidValueError,
    Problem,
    UnknownCriterionError,
    closest,
)
from modelunit.indicators import Indicator
from modelunit.limits import MAX_CRITERIA, MAX_INDICATORS
from modelunit.outcomes import Outcome
from modelunit.periods import Period, ReportingYear
from modelunit.policy import (  # noqa: F401 - names kept importable from here too
    AllConditions,
    AnyCondition,
    Condition,
    CriteriaOutcomes,
    Level,
    NotCondition,
    Points,
    RecognitionPolicy,
    Tally,
    policy_problems,
)
from modelunit.rules import Change, Rule, iter_rules, referenced_criteria, rule_problems

__all__ = [
    "PROVENANCE_STATUSES",
    "CriteriaSet",
    "Criterion",
    "Group",
    "Provenance",
    "ProvenanceStatus",
]


def __dir__() -> list[str]:
    return __all__


# Names that moved to modelunit.versions; still importable from here.
_MOVED: Final = {"CatalogDiff": "versions", "CriterionChange": "versions", "diff": "versions"}


def __getattr__(name: str) -> Any:
    owner = _MOVED.get(name)
    if owner is None:
        raise AttributeError(f"module 'modelunit.criteria' has no attribute {name!r}")
    return getattr(importlib.import_module(f"modelunit.{owner}"), name)


ProvenanceStatus = Literal["official", "reconstructed", "illustrative"]
"""How faithful a criterion or set is to its source."""

PROVENANCE_STATUSES: Final[tuple[ProvenanceStatus, ...]] = get_args(ProvenanceStatus)


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
        validator=one_of(PROVENANCE_STATUSES),
    )
    note: str = ""


@attrs.frozen
class Group(Titled):
    """A group (task group, domain) of criteria."""

    id: str = attrs.field(converter=as_id)
    title_vi: str = ""
    title_en: str = ""


@attrs.frozen
class Criterion(Titled):
    """One criterion: what it says, the rule that decides it, and how it counts.

    ``mandatory`` makes it a veto: when it is not met, no level that honours
    vetoes can be reached, whatever else is met. ``applies_to`` limits it to
    some unit kinds (empty: all kinds); for other units it is not applicable.
    """

    id: str = attrs.field(converter=as_id)
    rule: Rule
    group: str = attrs.field(default="", converter=as_id)
    title_vi: str = ""
    title_en: str = ""
    description: str = ""
    mandatory: bool = False
    points: Decimal | None = None
    applies_to: tuple[str, ...] = attrs.field(default=(), converter=as_ids)
    provenance: Provenance | None = None

    def applies(self, unit_kind: str) -> bool:
        return not self.applies_to or unit_kind in self.applies_to


# -- the set -----------------------------------------------------------------------------


@attrs.frozen
class CriteriaSet(Titled):
    """A versioned set of criteria with its indicators and recognition policy.

    ``reporting_year`` says when the set's year runs (the calendar year by default):
    with ``ReportingYear("12-15", "12-14")``, assessing ``"2024"`` assesses 15 December
    2023 to 14 December 2024 (see :class:`~modelunit.periods.ReportingYear`).
    """

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
    unit_kinds: tuple[str, ...] = attrs.field(default=("ward",), converter=as_ids)
    provenance: Provenance | None = None
    reporting_year: ReportingYear = attrs.field(factory=ReportingYear)
    examples: tuple[CatalogExample, ...] = ()

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidCatalogError(problems)

    def __repr__(self) -> str:  # the whole set is to_records() or its file
        size = f"{len(self.criteria)} criteria, {len(self.policy.levels)} levels"
        return f"<CriteriaSet {self.id} {self.version}: {size}>"

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - the notebook view, on demand

        return display.html(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per criterion (:func:`modelunit.frames.criteria_records`)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.criteria_records(self)

    def to_pandas(self) -> Any:
        """:meth:`to_records` as a pandas DataFrame (extra ``pandas``)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.to_pandas(self)

    @classmethod
    def _unchecked(cls, **fields: Any) -> CriteriaSet:
        """An instance built without validation, only to run :meth:`problems` on
        the parts of a catalog that could be read while other parts could not.
        Never returned to users."""
        draft = cls.__new__(cls)
        for field in attrs.fields(cls):
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            object.__setattr__(draft, field.name, fields.get(field.name, default))
        return draft

    # -- lookups -----------------------------------------------------------------------
    @property
    def indicator_map(self) -> dict[str, Indicator]:
        return {i.key: i for i in self.indicators}

    @property
    def criterion_map(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (:class:`~modelunit.errors.UnknownCriterionError`,
        a ``KeyError`` naming the closest ids, if there is none)."""
        wanted = as_id(criterion_id)
        for c in self.criteria:
            if c.id == wanted:
                return c
        raise UnknownCriterionError(criterion_id, (c.id for c in self.criteria))

    @functools.cached_property
    def group_members(self) -> Mapping[str, frozenset[str]]:
        """Group id -> the ids of its criteria (what a policy's ``among`` expands to)."""
        return {
            g.id: frozenset(c.id for c in self.criteria if c.group == g.id) for g in self.groups
        }

    @functools.cached_property
    def mandatory(self) -> tuple[str, ...]:
        """Ids of the mandatory criteria (vetoes), in catalog order."""
        return tuple(c.id for c in self.criteria if c.mandatory)

    @functools.cached_property
    def points(self) -> Mapping[str, Decimal]:
        """Criterion id -> its points, for the criteria that carry points."""
        return {c.id: c.points for c in self.criteria if c.points is not None}

    def evaluation_order(self) -> tuple[Criterion, ...]:
        """Criteria ordered so that every referenced criterion comes first.

        Iterative (no recursion), so a long chain of references is no problem.
        """
        by_id = self.criterion_map
        refs = {c.id: sorted(referenced_criteria(c.rule) & by_id.keys()) for c in self.criteria}
        order: list[Criterion] = []
        done: set[str] = set()
        for c in self.criteria:
            stack = [(c.id, 0)]
            while stack:
                cid, i = stack.pop()
                if i == 0 and cid in done:
                    continue
                done.add(cid)
                if i < len(refs[cid]):
                    stack.append((cid, i + 1))
                    if refs[cid][i] not in done:
                        stack.append((refs[cid][i], 0))
                else:
                    order.append(by_id[cid])
        return tuple(order)

    @functools.cached_property
    def possible_outcomes(self) -> Mapping[str, frozenset[Outcome]]:
        """Criterion id -> the outcomes its rule can have for some evidence
        (:func:`modelunit.lint.possible_outcomes`)."""
        return lint.possible_outcomes(self)

    def warnings(self, periods: Iterable[Period | str | int] = ()) -> list[Problem]:
        """What the static checks for authors warn of (:mod:`modelunit.lint`): rules
        that can never be met or never fail, levels never reached, an unused fallback
        condition, fixed baselines of another length than the periods assessed (the
        examples' periods and ``periods``). The set works; it may not do what was meant."""
        year = self.reporting_year
        wanted = [p if isinstance(p, Period) else year.parse(p) for p in periods]
        return lint.warnings(self, wanted)

    def scope(self, among: Iterable[str]) -> frozenset[str]:
        """Criterion ids named by ``among`` (criterion ids or group ids)."""
        members = self.group_members
        return frozenset(cid for name in among for cid in members.get(name, (name,)))

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
        for field, items, limit in (
            ("criteria", self.criteria, MAX_CRITERIA),
            ("indicators", self.indicators, MAX_INDICATORS),
        ):
            if len(items) > limit:
                # Limits first: nothing else is checked in a set this large.
                return [Problem(field, f"{len(items):,} {field}; at most {limit:,}")]
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
            problem = finite_problem(crit.points)
            if problem is not None:
                found.append(Problem(f"criteria[{i}].points", problem, record=crit.id))
            elif crit.points is not None and crit.points < 0:
                found.append(
                    Problem(f"criteria[{i}].points", "points cannot be negative", record=crit.id)
                )
            for path, msg in rule_problems(crit.rule, indicators, criterion_ids):
                found.append(Problem(f"criteria[{i}].rule.{path}".rstrip("."), msg, record=crit.id))
            for path, msg in self._year_problems(crit.rule):
                found.append(Problem(f"criteria[{i}].rule.{path}", msg, record=crit.id))
            for ref in sorted(referenced_criteria(crit.rule) & criterion_ids):
                target = self.criterion_map[ref]
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
        found += policy_problems(self.policy, criterion_ids, group_ids)
        found += lint.errors(self)
        found += self._example_problems()
        return found

    def _example_problems(self) -> list[Problem]:
        """Examples must speak of this set's criteria, levels, indicators and unit kinds,
        with values that fit the indicators."""
        found: list[Problem] = []
        found += _duplicates("examples", [e.id for e in self.examples])
        levels = [lv.id for lv in self.policy.levels] + [self.policy.fallback.id]
        criteria = [c.id for c in self.criteria]
        indicators = self.indicator_map
        for i, ex in enumerate(self.examples):
            here = f"examples[{i}]"

            def bad(
                path: str,
                message: str,
                here: str = here,
                ex: CatalogExample = ex,
                found: list[Problem] = found,
            ) -> None:
                found.append(Problem(f"{here}.{path}", message, record=ex.id))

            if ex.level is not None and ex.level not in levels:
                bad("level", _unknown("level", ex.level, levels))
            if ex.unit_kind and ex.unit_kind not in self.unit_kinds:
                bad("unit_kind", _unknown("unit kind", ex.unit_kind, self.unit_kinds))
            for cid in ex.expect:
                if cid not in criteria:
                    bad(f"expect.{cid}", _unknown("criterion", cid, criteria))
            for key, value in ex.values.items():
                found.extend(_value_problems(indicators, key, value, f"{here}.values.{key}", ex.id))
            subs = [s.id for s in ex.sub_units]
            found += _duplicates(f"{here}.sub_units", subs)
            for j, sub in enumerate(ex.sub_units):
                if sub.id == ex.unit:
                    bad(f"sub_units[{j}].id", f"{sub.id!r} is the example's own unit")
                for key, value in sub.values.items():
                    where = f"{here}.sub_units[{j}].values.{key}"
                    found.extend(_value_problems(indicators, key, value, where, ex.id))
            for j, rec in enumerate(ex.evidence):
                where = f"{here}.evidence[{j}]"
                found.extend(_value_problems(indicators, rec.indicator, rec.value, where, ex.id))
                if rec.unit and rec.unit != ex.unit and rec.unit not in subs:
                    known = [ex.unit, *subs]
                    bad(f"evidence[{j}].unit", _unknown("unit", rec.unit, known))
        return found

    def _year_problems(self, rule: Rule) -> list[tuple[str, str]]:
        """A fixed baseline written as a bare year is ambiguous in a set whose reporting
        year is not the calendar year: refused, with the dates of both readings."""
        ry = self.reporting_year
        if ry.calendar:
            return []
        found = []
        for path, node in iter_rules(rule):
            if (
                isinstance(node, Change)
                and node.baseline_kind == "fixed"
                and ry.names_a_year(node.baseline)
            ):
                year = int(node.baseline)
                found.append(
                    (
                        f"{path}.baseline" if path else "baseline",
                        f"{node.baseline!r} is ambiguous in a set whose reporting year runs "
                        f"from {ry.start} to {ry.end}: write the reporting year's dates, "
                        f"'{ry.year(year)}', or the calendar year's, "
                        f"'{year:04d}-01-01/{year:04d}-12-31'",
                    )
                )
        return found

    def _cycle_problems(self) -> list[Problem]:
        """One problem per reference cycle, found by an iterative depth-first search
        (no recursion: a chain of thousands of references is fine)."""
        ids = {d.id for d in self.criteria}
        graph = {c.id: sorted(referenced_criteria(c.rule) & ids) for c in self.criteria}
        index = {c.id: i for i, c in enumerate(self.criteria)}
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        found: list[Problem] = []
        reported: set[frozenset[str]] = set()
        for root in sorted(graph):
            if root in state:
                continue
            path: list[str] = [root]
            state[root] = 1
            stack = [(root, 0)]
            while stack:
                node, i = stack.pop()
                if i == len(graph[node]):
                    state[node] = 2
                    path.pop()
                    continue
                stack.append((node, i + 1))
                nxt = graph[node][i]
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt) :], nxt]
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
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, 0))
        return found


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    near = closest(name, known, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown {what} {name!r}{hint}"


def _value_problems(
    indicators: Mapping[str, Indicator], key: str, value: object, path: str, record: str
) -> list[Problem]:
    ind = indicators.get(key)
    if ind is None:
        return [Problem(path, _unknown("indicator", key, indicators), record=record)]
    try:
        ind.coerce(value)
    except InvalidValueError as exc:
        return [Problem(path, str(exc), record=record)]
    return []


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
