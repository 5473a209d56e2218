"""Versions of a criteria set: what changed from one to the next, which is in force,
and how an outcome moves from one version to another.

A :class:`CatalogFamily` holds the versions of one set with their effective dates;
:meth:`CatalogFamily.in_force` picks the version for a period (the one in force on the
period's last day: a period is assessed once it is over, under the rules then in
force). :func:`compare_assessments` puts two assessments of the same unit and period
side by side, outcome by outcome, with the rules that moved.

>>> import modelunit
>>> from modelunit.versions import diff
>>> d = diff(modelunit.load_catalog("tutorial"), modelunit.load_catalog("tutorial"))
>>> d.unchanged, d.summary()
(True, 'tutorial 1.0 -> tutorial 1.0: no changes')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from modelunit.criteria import CriteriaSet, Criterion
from modelunit.errors import (
    InvalidArgumentError,
    InvalidCatalogError,
    Problem,
    UnknownVersionError,
)
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import Assessment

__all__ = [
    "CatalogDiff",
    "CatalogFamily",
    "CriterionChange",
    "OutcomeChange",
    "VersionComparison",
    "compare_assessments",
    "diff",
]


def __dir__() -> list[str]:
    return __all__


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


# -- the version in force --------------------------------------------------------------------


def _span(version: CriteriaSet, successor: CriteriaSet | None) -> tuple[date, date | None]:
    """The days a version is in force: from its ``effective_from`` to its
    ``effective_to``, or else to the day before its successor takes effect."""
    assert version.effective_from is not None  # checked by the family
    end = version.effective_to
    if end is None and successor is not None and successor.effective_from is not None:
        end = successor.effective_from - timedelta(days=1)
    return version.effective_from, end


def _by_date(versions: Iterable[CriteriaSet]) -> tuple[CriteriaSet, ...]:
    return tuple(sorted(versions, key=lambda v: (v.effective_from or date.min, v.version)))


@attrs.frozen
class CatalogFamily:
    """The versions of one criteria set, each with the dates it is in force.

    Every version needs ``effective_from``; a version without ``effective_to`` stays in
    force until the next one takes effect. Versions may leave gaps (no set in force) but
    not overlap. Sorted by ``effective_from`` whatever order they are given in.

    >>> import attrs, datetime, modelunit
    >>> old = modelunit.load_catalog("tutorial")
    >>> new = attrs.evolve(old, version="2.0", effective_from=datetime.date(2025, 1, 1))
    >>> family = CatalogFamily((new, old))
    >>> [v.version for v in family.versions]
    ['1.0', '2.0']
    >>> family.in_force("2024").version, family.in_force("2025-Q1").version
    ('1.0', '2.0')
    >>> family.in_force("2022")
    Traceback (most recent call last):
    ...
    modelunit.errors.UnknownVersionError: unknown version '2022-12-31' (no version of tutorial
    is in force on that day; tutorial 1.0 takes effect on 2023-01-01)
    """

    versions: tuple[CriteriaSet, ...] = attrs.field(converter=_by_date)

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidCatalogError(problems)

    @property
    def id(self) -> str:
        return self.versions[0].id

    def problems(self) -> list[Problem]:
        """Every reason the versions do not make one family (empty when they do)."""
        found: list[Problem] = []
        if not self.versions:
            return [Problem("versions", "a family needs at least one version")]
        seen: set[str] = set()
        for i, v in enumerate(self.versions):
            where = f"versions[{i}]"
            if v.id != self.id:
                found.append(
                    Problem(f"{where}.id", f"{v.id!r} is not {self.id!r}", record=v.version)
                )
            if v.version in seen:
                found.append(
                    Problem(
                        f"{where}.version", f"version {v.version!r} given twice", record=v.version
                    )
                )
            seen.add(v.version)
            if v.effective_from is None:
                found.append(
                    Problem(
                        f"{where}.effective_from",
                        "required in a family: the date the version takes effect",
                        record=v.version,
                    )
                )
        if found:
            return found
        for i, (a, b) in enumerate(zip(self.versions, self.versions[1:], strict=False)):
            _, end = _span(a, b)
            assert b.effective_from is not None
            if end is not None and end >= b.effective_from:
                found.append(
                    Problem(
                        f"versions[{i}].effective_to",
                        f"{a.version} is in force until {end}, after {b.version} takes "
                        f"effect on {b.effective_from}: versions must not overlap",
                        record=a.version,
                    )
                )
        return found

    def version(self, version: str) -> CriteriaSet:
        """The version named ``version`` (:class:`~modelunit.errors.UnknownVersionError`,
        with the closest, if there is none)."""
        for v in self.versions:
            if v.version == version:
                return v
        raise UnknownVersionError(version, (v.version for v in self.versions))

    def day_for(self, when: date | Period | str | int) -> date:
        """The day whose version applies: a date itself; a period's last day (a period
        written as text is read in the reporting year of the version in force)."""
        return _day(when, self.in_force(when))

    def in_force(self, when: date | Period | str | int) -> CriteriaSet:
        """The version in force on ``when``: a date, or a period's last day. A period
        written as text (``"2024"``) is read in each version's own reporting year."""
        for i, v in enumerate(self.versions):
            successor = self.versions[i + 1] if i + 1 < len(self.versions) else None
            start, end = _span(v, successor)
            day = _day(when, v)
            if start <= day and (end is None or day <= end):
                return v
        day = _day(when, self.versions[0])
        later = [v for v in self.versions if v.effective_from and v.effective_from > day]
        hint = (
            f"; {self.id} {later[0].version} takes effect on {later[0].effective_from}"
            if later
            else ""
        )
        raise UnknownVersionError(
            day.isoformat(),
            detail=f"no version of {self.id} is in force on that day{hint}",
        )


def _day(when: date | Period | str | int, version: CriteriaSet) -> date:
    if isinstance(when, date):
        return when
    if isinstance(when, Period):
        return when.end
    return version.reporting_year.parse(when).end


# -- one unit under two versions ---------------------------------------------------------------


@attrs.frozen
class OutcomeChange:
    """One criterion's outcome under two versions (None: the version has no such
    criterion), and its rule in each (``""`` when absent)."""

    criterion: str
    old: Outcome | None
    new: Outcome | None
    old_rule: str = ""
    new_rule: str = ""

    @property
    def changed(self) -> bool:
        return self.old is not self.new

    def describe(self, old_version: str, new_version: str) -> str:
        """``C11 met under 2021.1, not met under 2024.1: the rule moved from ... to ...``."""
        if self.old is None:
            assert self.new is not None
            only, outcome, rule = new_version, self.new, self.new_rule
            return f"{self.criterion} only under {only}: {outcome.label_en} ({rule})"
        if self.new is None:
            only, outcome, rule = old_version, self.old, self.old_rule
            return f"{self.criterion} only under {only}: {outcome.label_en} ({rule})"
        head = (
            f"{self.criterion} {self.old.label_en} under {old_version}, "
            f"{self.new.label_en} under {new_version}"
        )
        if self.old_rule != self.new_rule:
            return f"{head}: the rule moved from {self.old_rule} to {self.new_rule}"
        if self.changed:
            return f"{head}: the same rule (what it reads changed)"
        return head


@attrs.frozen
class VersionComparison:
    """Two assessments of one unit and period, under two versions, outcome by outcome
    (every criterion of either version, the old version's order first)."""

    unit: str
    period: Period
    old_version: str
    new_version: str
    old_level: str
    new_level: str
    outcomes: tuple[OutcomeChange, ...]

    @property
    def changes(self) -> tuple[OutcomeChange, ...]:
        """The criteria whose outcome differs (or that only one version has)."""
        return tuple(o for o in self.outcomes if o.changed)

    def render(self) -> str:
        lines = [
            f"{self.unit} {self.period}: {self.old_level} under {self.old_version}, "
            f"{self.new_level} under {self.new_version}"
        ]
        changes = self.changes
        lines.extend(f"  {o.describe(self.old_version, self.new_version)}" for o in changes)
        same = len(self.outcomes) - len(changes)
        lines.append(f"  {same} other criteria have the same outcome under both")
        return "\n".join(lines)


def compare_assessments(
    old_catalog: CriteriaSet, old: Assessment, new_catalog: CriteriaSet, new: Assessment
) -> VersionComparison:
    """``old`` (made under ``old_catalog``) and ``new`` (under ``new_catalog``) side by
    side. Both must be of the same unit and period
    (:class:`~modelunit.errors.InvalidArgumentError` otherwise)."""
    if (old.unit, old.period) != (new.unit, new.period):
        raise InvalidArgumentError(
            f"compares {old.unit} {old.period} with {new.unit} {new.period}: "
            "a comparison of versions needs the same unit and period"
        )
    rules_old = {c.id: c.rule.describe() for c in old_catalog.criteria}
    rules_new = {c.id: c.rule.describe() for c in new_catalog.criteria}
    got_old = {r.criterion: r.outcome for r in old.results}
    got_new = {r.criterion: r.outcome for r in new.results}
    order = list(got_old) + [c for c in got_new if c not in got_old]
    return VersionComparison(
        unit=old.unit,
        period=old.period,
        old_version=old.version,
        new_version=new.version,
        old_level=old.level,
        new_level=new.level,
        outcomes=tuple(
            OutcomeChange(
                cid,
                got_old.get(cid),
                got_new.get(cid),
                rules_old.get(cid, ""),
                rules_new.get(cid, ""),
            )
            for cid in order
        ),
    )
