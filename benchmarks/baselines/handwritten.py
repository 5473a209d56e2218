"""The hand-written baseline: one plain Python function per unit, one branch per criterion.

This is what a careful programmer would write for the bundled 22-criterion catalog
(``cap-kieu-mau-2021``) with the same semantics as modelunit: three outcomes (0 not
met, 1 insufficient evidence when a value is missing, 2 met), Kleene and/or
(``min``/``max`` over those codes), 2-of-3 thresholds, changes against the previous
year, a zero denominator giving insufficient evidence, exact comparisons (ints and
Decimals, never floats). Each criterion keeps the values it compared, so an
explanation could be written from the result.

It reads a unit's ``{indicator: value}`` dictionary for the year and the one for the
previous year (``None`` when missing). It is the practical limit for per-unit Python
code: no interpretation, no indirection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

Row = Mapping[str, Any]
Result = tuple[tuple[int, tuple[Any, ...]], ...]

_ONE = Decimal(1)
_NINETY = Decimal("0.9")
_GOOD = frozenset({"good", "excellent"})


def assess_unit(cur: Row, prev: Row) -> Result:
    """The 22 outcomes of one unit, each with the values it compared."""
    # C01, C02: flags.
    v1 = cur["headquarters_to_standard"]
    c01 = 1 if v1 is None else 2 if v1 is True else 0
    v2 = cur["equipment_to_norm"]
    c02 = 1 if v2 is None else 2 if v2 is True else 0
    # C03: officers in post / allotted >= 1 (zero denominator: insufficient).
    n3, d3 = cur["officers_in_post"], cur["officers_allotted"]
    c03 = 1 if n3 is None or d3 is None or d3 == 0 else 2 if n3 >= d3 else 0
    # C04-C10: absent (zero) counts.
    v4 = cur["disciplined_officers"]
    c04 = 1 if v4 is None else 0 if v4 else 2
    v5 = cur["attitude_complaints"]
    c05 = 1 if v5 is None else 0 if v5 else 2
    v6 = cur["political_security_incidents"]
    c06 = 1 if v6 is None else 0 if v6 else 2
    v7 = cur["serious_crimes"]
    c07 = 1 if v7 is None else 0 if v7 else 2
    v8 = cur["crime_hotspots"]
    c08 = 1 if v8 is None else 0 if v8 else 2
    v9 = cur["gangster_groups"]
    c09 = 1 if v9 is None else 0 if v9 else 2
    v10 = cur["new_drug_users"]
    c10 = 1 if v10 is None else 0 if v10 else 2
    # C11: social-order crime down on the previous year (relative < 0%), or none.
    c11v, b11 = cur["social_order_crimes"], prev["social_order_crimes"]
    down = 1 if c11v is None or b11 is None else 2 if c11v - b11 < 0 else 0
    none = 1 if c11v is None else 0 if c11v else 2
    c11 = max(down, none)
    # C12: traffic accidents and fires not up on the previous year.
    c12a, b12a = cur["traffic_accidents"], prev["traffic_accidents"]
    c12b, b12b = cur["fires_explosions"], prev["fires_explosions"]
    t12 = 1 if c12a is None or b12a is None else 2 if c12a - b12a <= 0 else 0
    f12 = 1 if c12b is None or b12b is None else 2 if c12b - b12b <= 0 else 0
    c12 = min(t12, f12)
    # C13: conditional businesses inspected / businesses >= 1.
    n13, d13 = cur["conditional_businesses_inspected"], cur["conditional_businesses"]
    c13 = 1 if n13 is None or d13 is None or d13 == 0 else 2 if n13 >= d13 else 0
    # C14: residence and foreigners managed.
    r14, f14 = cur["residence_managed"], cur["foreigners_managed"]
    c14 = min(
        1 if r14 is None else 2 if r14 is True else 0,
        1 if f14 is None else 2 if f14 is True else 0,
    )
    # C15: crime reports processed / received >= 1.
    n15, d15 = cur["crime_reports_processed"], cur["crime_reports_received"]
    c15 = 1 if n15 is None or d15 is None or d15 == 0 else 2 if n15 >= d15 else 0
    # C16, C17: violations none, or down on the previous year.
    c16v, b16 = cur["sidewalk_violations"], prev["sidewalk_violations"]
    c16 = max(
        1 if c16v is None else 0 if c16v else 2,
        1 if c16v is None or b16 is None else 2 if c16v - b16 < 0 else 0,
    )
    c17v, b17 = cur["litter_violations"], prev["litter_violations"]
    c17 = max(
        1 if c17v is None else 0 if c17v else 2,
        1 if c17v is None or b17 is None else 2 if c17v - b17 < 0 else 0,
    )
    # C18: at least one movement model, and 2 of the 3 named models.
    m18 = cur["security_movement_models"]
    z18, k18, h18 = (
        cur["security_zalo_groups"],
        cur["crime_prevention_cameras"],
        cur["self_managed_households"],
    )
    met18 = (z18 is True) + (k18 is True) + (h18 is True)
    unknown18 = (z18 is None) + (k18 is None) + (h18 is None)
    two_of_three = 2 if met18 >= 2 else 0 if met18 + unknown18 < 2 else 1
    c18 = min(1 if m18 is None else 2 if m18 >= 1 else 0, two_of_three)
    # C19-C21: shares against exact thresholds.
    v19 = cur["admin_on_time_share"]
    c19 = 1 if v19 is None else 2 if v19 >= _ONE else 0
    p20, i20 = cur["population_data_target_share"], cur["chip_id_target_share"]
    c20 = min(
        1 if p20 is None else 2 if p20 >= _ONE else 0,
        1 if i20 is None else 2 if i20 >= _ONE else 0,
    )
    v21 = cur["resident_satisfaction"]
    c21 = 1 if v21 is None else 2 if v21 >= _NINETY else 0
    # C22: both rankings at least "good".
    a22, b22 = cur["party_committee_ranking"], cur["peoples_committee_ranking"]
    c22 = min(
        1 if a22 is None else 2 if a22 in _GOOD else 0,
        1 if b22 is None else 2 if b22 in _GOOD else 0,
    )
    return (
        (c01, (v1,)),
        (c02, (v2,)),
        (c03, (n3, d3)),
        (c04, (v4,)),
        (c05, (v5,)),
        (c06, (v6,)),
        (c07, (v7,)),
        (c08, (v8,)),
        (c09, (v9,)),
        (c10, (v10,)),
        (c11, (c11v, b11)),
        (c12, (c12a, b12a, c12b, b12b)),
        (c13, (n13, d13)),
        (c14, (r14, f14)),
        (c15, (n15, d15)),
        (c16, (c16v, b16)),
        (c17, (c17v, b17)),
        (c18, (m18, z18, k18, h18)),
        (c19, (v19,)),
        (c20, (p20, i20)),
        (c21, (v21,)),
        (c22, (a22, b22)),
    )


CRITERIA: tuple[str, ...] = tuple(f"C{i:02d}" for i in range(1, 23))


def assess_all(cur_rows: Sequence[Row], prev_rows: Sequence[Row]) -> list[Result]:
    """Every unit, in order."""
    return list(map(assess_unit, cur_rows, prev_rows))


def codes(results: Sequence[Result]) -> dict[str, bytes]:
    """Outcome codes per criterion, one byte per unit (for the equality check)."""
    return {cid: bytes(r[k][0] for r in results) for k, cid in enumerate(CRITERIA)}
