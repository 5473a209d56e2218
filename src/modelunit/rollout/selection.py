"""Ward-level selection: which units a region takes on in which planned year, and why.

Units are ranked most-ready first: fewest mandatory criteria unmet, then fewest
criteria missing (applicable but not met), then fewest criteria with insufficient
evidence, then by unit id (deterministic). The region's yearly allocation from the
plan is then filled in rank order.

>>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
>>> problem = RolloutProblem(regions=[Region("NA", total=4, capacity=2)],
...                          milestones=[Milestone(2027, 1)], start=2026, end=2027)
>>> p = plan(problem, "earliest")
>>> units = [
...     UnitReadiness("Bến Thủy", "NA", criteria_missing=1, mandatory_unmet=0),
...     UnitReadiness("Hưng Bình", "NA", criteria_missing=0),
...     UnitReadiness("Lê Lợi", "NA", criteria_missing=3, mandatory_unmet=1),
...     UnitReadiness("Quang Trung", "NA", criteria_missing=1, insufficient=1),
... ]
>>> for s in select_units(p, units, region="NA"):
...     print(s.year, s.unit, "-", s.reason)
2026 Hưng Bình - rank 1 of 4: all criteria met; 2026 takes 2
2026 Bến Thủy - rank 2 of 4: 1 criterion missing, mandatory criteria met; 2026 takes 2
2027 Quang Trung - rank 3 of 4: 1 criterion missing (1 with insufficient evidence),
    mandatory criteria met; 2027 takes 2
2027 Lê Lợi - rank 4 of 4: 3 criteria missing, 1 mandatory unmet; 2027 takes 2
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from modelunit.errors import InvalidProblemError, Problem, UnknownRegionError
from modelunit.rollout.plan import RolloutPlan
from modelunit.rollout.problem import nfc, shown

__all__ = [
    "AssessmentLike",
    "UnitReadiness",
    "UnitSelection",
    "select_units",
]


def __dir__() -> list[str]:
    return __all__


class _OutcomeLike(Protocol):
    @property
    def value(self) -> str: ...


class _ResultLike(Protocol):
    @property
    def mandatory(self) -> bool: ...
    @property
    def outcome(self) -> _OutcomeLike: ...


class _CountsLike(Protocol):
    @property
    def met(self) -> int: ...
    @property
    def not_met(self) -> int: ...
    @property
    def insufficient(self) -> int: ...
    @property
    def applicable(self) -> int: ...


class AssessmentLike(Protocol):
    """What selection reads from the core engine's assessment of one unit."""

    @property
    def unit(self) -> str: ...
    @property
    def counts(self) -> _CountsLike: ...
    @property
    def results(self) -> Sequence[_ResultLike]: ...


@attrs.frozen
class UnitReadiness:
    """How ready one unit is: criteria still missing (applicable, not met), mandatory
    criteria unmet, and criteria lacking evidence (counted among the missing). Ids are
    kept in Unicode NFC."""

    unit: str = attrs.field(converter=nfc)
    region: str = attrs.field(converter=nfc)
    criteria_missing: int = 0
    mandatory_unmet: int = 0
    insufficient: int = 0

    @classmethod
    def from_assessment(cls, assessment: AssessmentLike, region: str) -> UnitReadiness:
        """Read readiness from a core-engine assessment (duck-typed)."""
        counts = assessment.counts
        mandatory_unmet = sum(
            1
            for r in assessment.results
            if r.mandatory and r.outcome.value not in ("met", "not_applicable")
        )
        return cls(
            unit=assessment.unit,
            region=region,
            criteria_missing=counts.applicable - counts.met,
            mandatory_unmet=mandatory_unmet,
            insufficient=counts.insufficient,
        )

    def rank_key(self) -> tuple[int, int, int, str]:
        return (self.mandatory_unmet, self.criteria_missing, self.insufficient, self.unit)

    def describe(self) -> str:
        if self.criteria_missing == 0:
            return "all criteria met"
        noun = "criterion" if self.criteria_missing == 1 else "criteria"
        text = f"{self.criteria_missing} {noun} missing"
        if self.insufficient:
            text += f" ({self.insufficient} with insufficient evidence)"
        if self.mandatory_unmet:
            text += f", {self.mandatory_unmet} mandatory unmet"
        else:
            text += ", mandatory criteria met"
        return text


@attrs.frozen
class UnitSelection:
    """A unit's target year (``None``: not scheduled within the horizon) and why."""

    unit: str
    region: str
    year: int | None
    rank: int
    reason: str


def select_units(
    plan: RolloutPlan, readiness: Iterable[UnitReadiness], *, region: str
) -> tuple[UnitSelection, ...]:
    """Give each not-yet-recognised unit of ``region`` a target year, most-ready first.

    Units beyond the plan's allocation get ``year=None``. Raises
    :class:`~modelunit.errors.InvalidProblemError` for units of another region,
    duplicated unit ids (compared in Unicode NFC) or items that are not
    :class:`UnitReadiness`.
    """
    region = nfc(region)
    problems: list[Problem] = []
    try:
        allocation = plan.region(region)
    except UnknownRegionError:
        raise InvalidProblemError([Problem("region", f"unknown region id {region!r}")]) from None
    items: list[object] = list(readiness)  # typed, but check them as given
    units: list[UnitReadiness] = []
    seen: set[str] = set()
    for i, u in enumerate(items):
        unit_id: object = getattr(u, "unit", None)
        if not isinstance(u, UnitReadiness) or not isinstance(unit_id, str):
            problems.append(Problem(f"readiness[{i}]", f"expected a UnitReadiness, got {shown(u)}"))
            continue
        units.append(u)
        if u.region != region:
            problems.append(
                Problem(f"readiness[{i}].region", f"unit {u.unit!r} is in {u.region!r}", u.unit)
            )
        if u.unit in seen:
            problems.append(Problem(f"readiness[{i}].unit", f"duplicate unit {u.unit!r}", u.unit))
        seen.add(u.unit)
    if problems:
        raise InvalidProblemError(problems)
    ranked = sorted(units, key=UnitReadiness.rank_key)
    # The plan's yearly allocation, one slot per unit, but only as many as there are
    # units to place (a plan may take on far more units than are listed here).
    slots: list[int] = []
    for year, count in zip(plan.years, allocation.new, strict=True):
        slots.extend([year] * min(count, len(ranked) - len(slots)))
    planned = sum(allocation.new)
    out: list[UnitSelection] = []
    n = len(ranked)
    for i, u in enumerate(ranked):
        head = f"rank {i + 1} of {n}: {u.describe()}"
        if i < len(slots):
            year = slots[i]
            taken = allocation.new[plan.years.index(year)]
            out.append(UnitSelection(u.unit, region, year, i + 1, f"{head}; {year} takes {taken}"))
        else:
            reason = f"{head}; the plan takes on {planned} units by {plan.years[-1]}"
            out.append(UnitSelection(u.unit, region, None, i + 1, reason))
    return tuple(out)
