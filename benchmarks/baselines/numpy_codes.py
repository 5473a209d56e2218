"""numpy: the plain grouping, then the 22 checks vectorised over int64 columns.

Columns hold -1 where a value is missing; counts as they are, flags as 0/1, rankings
as their rank, shares as exact thousandths (checked exact). The checks are ``where`` /
``minimum`` / ``maximum`` over whole columns, with modelunit's three-valued semantics
(0 not met, 1 insufficient, 2 met).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from modelunit.criteria import CriteriaSet

RANKS = {"not_completed": 0, "completed": 1, "good": 2, "excellent": 3}


def columns(
    units: Sequence[str], rows: Mapping[str, Mapping[str, Any]], catalog: CriteriaSet
) -> dict[str, Any]:
    """One int64 column per indicator, in the order of ``units``."""
    empty: dict[str, Any] = {}
    got = [rows.get(u, empty) for u in units]
    out = {}
    for ind in catalog.indicators:
        key = ind.key
        raw = [u.get(key) for u in got]
        if ind.type == "share":
            vals = []
            for v in raw:
                if v is None:
                    vals.append(-1)
                    continue
                scaled = v * 1000
                if scaled != scaled.to_integral_value():
                    raise ValueError(f"{v} has no exact thousandths")
                vals.append(int(scaled))
        elif ind.type == "category":
            vals = [-1 if v is None else RANKS[v] for v in raw]
        else:
            vals = [-1 if v is None else int(v) for v in raw]
        out[key] = np.array(vals, dtype=np.int64)
    return out


def _flag(v: Any) -> Any:
    return np.where(v < 0, 1, np.where(v == 1, 2, 0))


def _absent(v: Any) -> Any:
    return np.where(v < 0, 1, np.where(v == 0, 2, 0))


def _ratio(n: Any, d: Any) -> Any:
    return np.where((n < 0) | (d <= 0), 1, np.where(n >= d, 2, 0))


def _down(c: Any, b: Any, *, strict: bool) -> Any:
    ok = (c - b < 0) if strict else (c - b <= 0)
    return np.where((c < 0) | (b < 0), 1, np.where(ok, 2, 0))


def _at_least(v: Any, t: int) -> Any:
    return np.where(v < 0, 1, np.where(v >= t, 2, 0))


def codes(cur: Mapping[str, Any], prev: Mapping[str, Any]) -> dict[str, bytes]:
    """The 22 criteria's codes over every unit, one byte per unit."""
    c, p = cur, prev
    mn, mx = np.minimum, np.maximum
    z, k, h = c["security_zalo_groups"], c["crime_prevention_cameras"], c["self_managed_households"]
    met = (z == 1).astype(np.int64) + (k == 1) + (h == 1)
    unknown = (z < 0).astype(np.int64) + (k < 0) + (h < 0)
    two_of_three = np.where(met >= 2, 2, np.where(met + unknown < 2, 0, 1))
    found = [
        _flag(c["headquarters_to_standard"]),
        _flag(c["equipment_to_norm"]),
        _ratio(c["officers_in_post"], c["officers_allotted"]),
        _absent(c["disciplined_officers"]),
        _absent(c["attitude_complaints"]),
        _absent(c["political_security_incidents"]),
        _absent(c["serious_crimes"]),
        _absent(c["crime_hotspots"]),
        _absent(c["gangster_groups"]),
        _absent(c["new_drug_users"]),
        mx(
            _down(c["social_order_crimes"], p["social_order_crimes"], strict=True),
            _absent(c["social_order_crimes"]),
        ),
        mn(
            _down(c["traffic_accidents"], p["traffic_accidents"], strict=False),
            _down(c["fires_explosions"], p["fires_explosions"], strict=False),
        ),
        _ratio(c["conditional_businesses_inspected"], c["conditional_businesses"]),
        mn(_flag(c["residence_managed"]), _flag(c["foreigners_managed"])),
        _ratio(c["crime_reports_processed"], c["crime_reports_received"]),
        mx(
            _absent(c["sidewalk_violations"]),
            _down(c["sidewalk_violations"], p["sidewalk_violations"], strict=True),
        ),
        mx(
            _absent(c["litter_violations"]),
            _down(c["litter_violations"], p["litter_violations"], strict=True),
        ),
        mn(_at_least(c["security_movement_models"], 1), two_of_three),
        _at_least(c["admin_on_time_share"], 1000),
        mn(
            _at_least(c["population_data_target_share"], 1000),
            _at_least(c["chip_id_target_share"], 1000),
        ),
        _at_least(c["resident_satisfaction"], 900),
        mn(
            _at_least(c["party_committee_ranking"], RANKS["good"]),
            _at_least(c["peoples_committee_ranking"], RANKS["good"]),
        ),
    ]
    return {f"C{i:02d}": a.astype(np.uint8).tobytes() for i, a in enumerate(found, start=1)}
