"""The careful hand-written script: the plain one plus the checks a user needs before
trusting the numbers of one period.

On top of :mod:`baselines.plain`: ids must be unique; records another supersedes are
dropped; every value is type and range checked for its indicator (a count is a whole
number >= 0, a share an exact decimal in 0..1, a flag a boolean, a ranking one of its
levels); two current records for one unit, indicator and period are a conflict and
give insufficient evidence. It does no sub-period aggregation, no as-of replay and no
explanations (modelunit does all three).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from modelunit.criteria import CriteriaSet


class BadEvidenceError(ValueError):
    """The records fail a check."""


def checks(catalog: CriteriaSet) -> dict[str, Any]:
    """Per indicator key, a function telling whether a value fits its type."""
    out: dict[str, Any] = {}
    for ind in catalog.indicators:
        if ind.type == "count":
            out[ind.key] = lambda v: type(v) is int and v >= 0
        elif ind.type == "share":
            out[ind.key] = lambda v: type(v) is Decimal and 0 <= v <= 1
        elif ind.type == "quantity":
            out[ind.key] = lambda v: type(v) is Decimal
        elif ind.type == "boolean":
            out[ind.key] = lambda v: type(v) is bool
        else:
            levels = frozenset(ind.categories)
            out[ind.key] = lambda v, levels=levels: type(v) is str and v in levels
    return out


def group(
    records: Iterable[Any], fits: Mapping[str, Any], current: object, previous: object
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Checked ``{unit: {indicator: value}}`` for the two periods (None: a conflict)."""
    records = list(records)
    ids: set[str] = set()
    superseded: set[str] = set()
    for r in records:
        if r.id in ids:
            raise BadEvidenceError(f"duplicate id {r.id!r}")
        ids.add(r.id)
        if r.supersedes is not None:
            superseded.add(r.supersedes)
    if not superseded <= ids:
        raise BadEvidenceError(f"corrections of unknown records: {sorted(superseded - ids)}")
    cur: dict[str, dict[str, Any]] = {}
    prev: dict[str, dict[str, Any]] = {}
    by = {current: cur, previous: prev}
    for r in records:
        if r.id in superseded:
            continue
        fit = fits.get(r.indicator)
        if fit is None:
            continue
        v = r.value
        if not fit(v):
            raise BadEvidenceError(f"{r.id}: {v!r} does not fit {r.indicator}")
        d = by.get(r.period)
        if d is None:
            continue
        u = d.get(r.unit)
        if u is None:
            u = d[r.unit] = {}
        if r.indicator in u:
            u[r.indicator] = None  # two current records: a conflict, insufficient
        else:
            u[r.indicator] = v
    return cur, prev
