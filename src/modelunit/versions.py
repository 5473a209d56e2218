"""Versions of a criteria set: what changed from one to the next.

>>> import modelunit
>>> from modelunit.versions import diff
>>> d = diff(modelunit.load_catalog("tutorial"), modelunit.load_catalog("tutorial"))
>>> d.unchanged, d.summary()
(True, 'tutorial 1.0 -> tutorial 1.0: no changes')
"""

from __future__ import annotations

import attrs

from modelunit.criteria import CriteriaSet, Criterion

__all__ = ["CatalogDiff", "CriterionChange", "diff"]


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
