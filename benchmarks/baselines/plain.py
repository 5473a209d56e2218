"""The plain hand-written script: one grouping pass, then the 22 checks per unit.

What a user writes without modelunit for the bundled 22-criterion catalog
(``cap-kieu-mau-2021``), with the same three-valued semantics (0 not met, 1 insufficient
when a value is missing, 2 met; Kleene all/any as min/max; 2-of-3 by counting; a zero
denominator gives insufficient; exact ints and Decimals). It returns outcome codes only
(no compared values) and does no checks: ids are not checked for uniqueness, corrections
are not applied, two records for one key silently keep the last, values are not type
checked. :mod:`baselines.careful` adds those checks.

The grouping reads each record once: ``{period: {unit: {indicator: value}}}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

Row = Mapping[str, Any]
CRITERIA: tuple[str, ...] = tuple(f"C{i:02d}" for i in range(1, 23))
_ONE = Decimal(1)
_NINETY = Decimal("0.9")
_GOOD = frozenset({"good", "excellent"})


def group(records: Iterable[Any], current: object, previous: object) -> tuple[dict, dict]:
    """One pass over records with ``.period``, ``.unit``, ``.indicator``, ``.value``:
    the units' values for the two periods (keys compared as given)."""
    cur: dict[str, dict[str, Any]] = {}
    prev: dict[str, dict[str, Any]] = {}
    by = {current: cur, previous: prev}
    for r in records:
        d = by.get(r.period)
        if d is not None:
            u = d.get(r.unit)
            if u is None:
                u = d[r.unit] = {}
            u[r.indicator] = r.value
    return cur, prev


def unit_codes(cur: Row, prev: Row) -> tuple[int, ...]:
    """The 22 outcome codes of one unit (written out, as a user would)."""
    g = cur.get
    v1 = g("headquarters_to_standard")
    v2 = g("equipment_to_norm")
    n3, d3 = g("officers_in_post"), g("officers_allotted")
    v4, v5, v6 = (
        g("disciplined_officers"),
        g("attitude_complaints"),
        g("political_security_incidents"),
    )
    v7, v8, v9 = g("serious_crimes"), g("crime_hotspots"), g("gangster_groups")
    v10 = g("new_drug_users")
    c11, b11 = g("social_order_crimes"), prev.get("social_order_crimes")
    c12a, b12a = g("traffic_accidents"), prev.get("traffic_accidents")
    c12b, b12b = g("fires_explosions"), prev.get("fires_explosions")
    n13, d13 = g("conditional_businesses_inspected"), g("conditional_businesses")
    r14, f14 = g("residence_managed"), g("foreigners_managed")
    n15, d15 = g("crime_reports_processed"), g("crime_reports_received")
    c16, b16 = g("sidewalk_violations"), prev.get("sidewalk_violations")
    c17, b17 = g("litter_violations"), prev.get("litter_violations")
    m18 = g("security_movement_models")
    z18, k18, h18 = (
        g("security_zalo_groups"),
        g("crime_prevention_cameras"),
        g("self_managed_households"),
    )
    met18 = (z18 is True) + (k18 is True) + (h18 is True)
    unknown18 = (z18 is None) + (k18 is None) + (h18 is None)
    v19 = g("admin_on_time_share")
    p20, i20 = g("population_data_target_share"), g("chip_id_target_share")
    v21 = g("resident_satisfaction")
    a22, b22 = g("party_committee_ranking"), g("peoples_committee_ranking")
    return (
        1 if v1 is None else 2 if v1 is True else 0,
        1 if v2 is None else 2 if v2 is True else 0,
        1 if n3 is None or d3 is None or d3 == 0 else 2 if n3 >= d3 else 0,
        1 if v4 is None else 0 if v4 else 2,
        1 if v5 is None else 0 if v5 else 2,
        1 if v6 is None else 0 if v6 else 2,
        1 if v7 is None else 0 if v7 else 2,
        1 if v8 is None else 0 if v8 else 2,
        1 if v9 is None else 0 if v9 else 2,
        1 if v10 is None else 0 if v10 else 2,
        max(
            1 if c11 is None or b11 is None else 2 if c11 - b11 < 0 else 0,
            1 if c11 is None else 0 if c11 else 2,
        ),
        min(
            1 if c12a is None or b12a is None else 2 if c12a - b12a <= 0 else 0,
            1 if c12b is None or b12b is None else 2 if c12b - b12b <= 0 else 0,
        ),
        1 if n13 is None or d13 is None or d13 == 0 else 2 if n13 >= d13 else 0,
        min(
            1 if r14 is None else 2 if r14 is True else 0,
            1 if f14 is None else 2 if f14 is True else 0,
        ),
        1 if n15 is None or d15 is None or d15 == 0 else 2 if n15 >= d15 else 0,
        max(
            1 if c16 is None else 0 if c16 else 2,
            1 if c16 is None or b16 is None else 2 if c16 - b16 < 0 else 0,
        ),
        max(
            1 if c17 is None else 0 if c17 else 2,
            1 if c17 is None or b17 is None else 2 if c17 - b17 < 0 else 0,
        ),
        min(
            1 if m18 is None else 2 if m18 >= 1 else 0,
            2 if met18 >= 2 else 0 if met18 + unknown18 < 2 else 1,
        ),
        1 if v19 is None else 2 if v19 >= _ONE else 0,
        min(
            1 if p20 is None else 2 if p20 >= _ONE else 0,
            1 if i20 is None else 2 if i20 >= _ONE else 0,
        ),
        1 if v21 is None else 2 if v21 >= _NINETY else 0,
        min(
            1 if a22 is None else 2 if a22 in _GOOD else 0,
            1 if b22 is None else 2 if b22 in _GOOD else 0,
        ),
    )


def assess(cur: dict[str, Row], prev: dict[str, Row]) -> tuple[list[str], list[tuple[int, ...]]]:
    """Every unit (sorted) and its codes."""
    empty: dict[str, Any] = {}
    units = sorted(cur.keys() | prev.keys())
    return units, [unit_codes(cur.get(u, empty), prev.get(u, empty)) for u in units]


def codes(results: Sequence[tuple[int, ...]]) -> dict[str, bytes]:
    """Outcome codes per criterion, one byte per unit (for the equality check)."""
    return {cid: bytes(r[k] for r in results) for k, cid in enumerate(CRITERIA)}
