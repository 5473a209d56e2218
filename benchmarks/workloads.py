"""Deterministic workloads for the benchmarks (seeded ``random.Random``; no I/O).

Assessment: ``n_units`` wards x every indicator of the bundled 22-criterion catalog
(``cap-kieu-mau-2021``, 31 indicators) x ``years`` of yearly evidence. About 2% of
the records are left out, so "insufficient evidence" occurs; the value
distributions make every outcome of every criterion occur (met, not met,
insufficient, including the zero-denominator case of the ratio rules and the
previous-year comparisons). The same records feed modelunit (through its ledger
and index) and the baselines (through per-unit dictionaries built from the records).

Planner: the national problems (34 provinces of the 2025 map, 63 of the pre-2025
map) and synthetic 700-region problems; see :func:`national_problem`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import modelunit
from modelunit.criteria import CriteriaSet
from modelunit.evidence import Evidence, Unit, Value
from modelunit.periods import Period
from modelunit.rollout import Milestone, Region, RolloutProblem

CATALOG_ID = "cap-kieu-mau-2021"
DEFAULT_YEARS: tuple[int, ...] = (2022, 2023)
MISSING_RATE = 0.02
SEED = 20240601

_RANKS = ("not_completed", "completed", "good", "excellent")
_RANK_WEIGHTS = (1, 2, 4, 3)
_ABSENT_COUNTS = {
    "disciplined_officers",
    "attitude_complaints",
    "political_security_incidents",
    "serious_crimes",
    "crime_hotspots",
    "gangster_groups",
    "new_drug_users",
}
_SHARES = tuple(Decimal(f"0.{i:02d}") for i in range(80, 100)) + tuple(
    Decimal(f"0.9{i}5") for i in range(10)
)


def load_catalog() -> CriteriaSet:
    return modelunit.load_catalog(CATALOG_ID)


def unit_ids(n_units: int) -> list[str]:
    return [f"W{i:06d}" for i in range(n_units)]


def _year_values(rng: random.Random, indicators: Sequence[tuple[str, str]]) -> dict[str, Value]:
    """One unit's values for one year (before some are dropped as missing)."""
    r = rng.random
    ri = rng.randint
    out: dict[str, Value] = {}
    for key, kind in indicators:
        if kind == "boolean":
            out[key] = r() < 0.85
        elif kind == "share":
            out[key] = Decimal(1) if r() < 0.6 else rng.choice(_SHARES)
        elif kind == "category":
            out[key] = rng.choices(_RANKS, _RANK_WEIGHTS)[0]
        elif key in _ABSENT_COUNTS:
            out[key] = 0 if r() < 0.8 else ri(1, 3)
        else:
            out[key] = ri(0, 40) if r() > 0.1 else 0
    # Paired counts: ratios at, below and above 1, and a zero denominator now and then.
    allotted = ri(15, 40) if r() > 0.02 else 0
    out["officers_allotted"] = allotted
    out["officers_in_post"] = max(0, allotted - (0 if r() < 0.7 else ri(-1, 3)))
    businesses = ri(0, 60) if r() > 0.03 else 0
    out["conditional_businesses"] = businesses
    out["conditional_businesses_inspected"] = businesses if r() < 0.8 else ri(0, businesses)
    received = ri(0, 80)
    out["crime_reports_received"] = received
    out["crime_reports_processed"] = received if r() < 0.8 else ri(0, received)
    out["security_movement_models"] = ri(0, 4)
    return out


def iter_values(
    n_units: int, years: Sequence[int] = DEFAULT_YEARS, seed: int = SEED
) -> Iterator[tuple[str, int, str, Value]]:
    """(unit, year, indicator, value) for every record that exists, in a fixed order."""
    catalog = load_catalog()
    indicators = [(i.key, i.type) for i in catalog.indicators]
    rng = random.Random(seed)
    drop = rng.random
    for uid in unit_ids(n_units):
        for year in years:
            values = _year_values(rng, indicators)
            for key, _ in indicators:
                if drop() < MISSING_RATE:
                    continue
                yield uid, year, key, values[key]


def make_records(
    n_units: int, years: Sequence[int] = DEFAULT_YEARS, seed: int = SEED
) -> list[Evidence]:
    """The evidence records of a workload (one per unit, indicator and year present)."""
    periods = {y: Period.parse(str(y)) for y in years}
    recorded = {y: datetime(y + 1, 1, 15) for y in years}
    return [
        Evidence(f"e{i}", uid, key, periods[year], value, recorded_at=recorded[year])
        for i, (uid, year, key, value) in enumerate(iter_values(n_units, years, seed))
    ]


def make_units(n_units: int) -> list[Unit]:
    return [Unit(uid) for uid in unit_ids(n_units)]


# -- per-unit dictionaries: the baselines' prepared state ----------------------------------


@dataclass(frozen=True)
class UnitDicts:
    """``by_year[year][i]`` is unit i's ``{indicator: value}`` (``None`` when missing)."""

    units: tuple[str, ...]
    by_year: dict[int, list[dict[str, Value | None]]]


def unit_dicts(
    records: Sequence[Evidence], units: Sequence[str], catalog: CriteriaSet
) -> UnitDicts:
    """The per-unit, per-year dictionaries read from the same records the engine reads.

    Values are coerced by the catalog's indicator types (the same checks as the
    engine's index), so every engine starts from the same typed values.
    """
    indicators = {i.key: i for i in catalog.indicators}
    position = {u: i for i, u in enumerate(units)}
    years = sorted({rec.period.start.year for rec in records})
    blank = dict.fromkeys(indicators)
    by_year: dict[int, list[dict[str, Value | None]]] = {
        y: [dict(blank) for _ in units] for y in years
    }
    for rec in records:
        by_year[rec.period.start.year][position[rec.unit]][rec.indicator] = indicators[
            rec.indicator
        ].coerce(rec.value)
    return UnitDicts(tuple(units), by_year)


def flat_dicts(dicts: UnitDicts, year: int) -> list[dict[str, Value | None]]:
    """One flat dictionary per unit for the rule engines: ``key`` for ``year`` and
    ``prev__key`` for the year before (``None`` when missing)."""
    cur = dicts.by_year[year]
    prev = dicts.by_year.get(year - 1)
    out = []
    for i, row in enumerate(cur):
        flat = dict(row)
        before = prev[i] if prev is not None else {}
        for key in row:
            flat[f"prev__{key}"] = before.get(key)
        out.append(flat)
    return out


# -- planner workloads -------------------------------------------------------------------


@dataclass(frozen=True)
class NationalCase:
    """A national problem and what it assumes (real counts and capacities are not public).

    Every province's wards (from the bundled map edition); ``recognised`` of them
    recognised at the end of the baseline year (rounded down); ``capacity`` of them
    can be taken on per year (rounded up, at least 2); a floor (with a stretch goal)
    by ``floor_year`` and 100% by ``end``. No national cap.
    """

    name: str
    edition: str
    start: int
    end: int
    recognised: str
    capacity: str
    floor_year: int
    floor: str
    stretch: str


NATIONAL_CASES = (
    NationalCase("34 provinces, 2027-2030", "2025", 2027, 2030, "30%", "25%", 2027, "50%", "70%"),
    NationalCase(
        "63 provinces, 2024-2030", "pre-2025", 2024, 2030, "5%", "25%", 2025, "30%", "50%"
    ),
)


def _pct(text: str) -> Decimal:
    return Decimal(text.rstrip("%")) / 100


def national_problem(case: NationalCase) -> RolloutProblem:
    """The national problem of ``case`` on its map edition."""
    from modelunit.geography import load_geography

    geo = load_geography(case.edition)  # type: ignore[arg-type]
    rec, cap = _pct(case.recognised), _pct(case.capacity)
    regions = []
    for p in geo.provinces:
        wards = p.count("ward")
        regions.append(
            Region(
                p.code,
                p.name,
                total=wards,
                recognised=int(wards * rec),
                capacity=max(2, math.ceil(wards * cap)),
            )
        )
    milestones = [
        Milestone(case.floor_year, case.floor, stretch=case.stretch),
        Milestone(case.end, 1),
    ]
    return RolloutProblem(regions=regions, milestones=milestones, start=case.start, end=case.end)


def synthetic_problem(
    n_regions: int, start: int = 2024, end: int = 2030, seed: int = SEED, *, coupled: bool
) -> RolloutProblem:
    """``n_regions`` synthetic regions with random sizes, starts and capacities; with
    ``coupled`` a national cap ties the regions together (the hard case)."""
    rng = random.Random(seed)
    regions = []
    years = end - start + 1
    for i in range(n_regions):
        total = rng.randint(3, 120)
        recognised = rng.randint(0, total // 4)
        need = total - recognised
        capacity = max(1, -(-need // max(1, years - rng.randint(0, 2))) + rng.randint(0, 3))
        regions.append(Region(f"R{i:04d}", total=total, recognised=recognised, capacity=capacity))
    milestones = [Milestone(start + 2, "30%", stretch="50%"), Milestone(end, 1)]
    cap = None
    if coupled:
        work = sum(r.total - r.recognised for r in regions)
        cap = -(-work * 6 // (5 * years))  # 20% slack over an even spread
    return RolloutProblem(
        regions=regions, milestones=milestones, start=start, end=end, national_capacity=cap
    )


def scenario_problems(base: RolloutProblem, n: int, seed: int = SEED) -> Iterator[RolloutProblem]:
    """``n`` what-if variants of ``base``: each province's recognised count (+0..2) and
    capacity (+0..3) varied (deterministically); a tenth of the scenarios add a
    national cap (1.5x an even spread of the work)."""
    rng = random.Random(seed)
    regions = base.regions
    work = sum(r.total - r.recognised for r in regions)
    years = len(base.years)
    for k in range(n):
        varied = []
        for r in regions:
            rec = min(r.total, r.recognised + rng.randint(0, 2))
            capacity = (r.capacity or r.total) + rng.randint(0, 3)
            varied.append(Region(r.id, r.name, total=r.total, recognised=rec, capacity=capacity))
        cap = -(-work * 3 // (2 * years)) if k % 10 == 0 else None
        yield RolloutProblem(
            regions=varied,
            milestones=base.milestones,
            start=base.start,
            end=base.end,
            national_capacity=cap,
        )
