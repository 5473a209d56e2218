"""Milestones for the planner from the programme's reported targets.

The bundled targets (:mod:`modelunit.targets`) keep conflicting figures side by
side; turning them into milestones is a choice of *which* figures to plan for, so
this function converts exactly the records it is given and merges nothing silently:

>>> from modelunit.targets import load_targets, national_milestones
>>> from modelunit.rollout.programme import milestones_from_targets
>>> for m in milestones_from_targets(national_milestones()):
...     print(m)
Milestone(year=2025, share=Fraction(3, 10), stretch=Fraction(1, 2), region=None)
Milestone(year=2030, share=Fraction(1, 1), stretch=None, region=None)
>>> hcmc = [t for t in load_targets() if t.id == "hcmc-2024-police-2029"]
>>> milestones_from_targets(hcmc, edition="2025")
(Milestone(year=2029, share=Fraction(0, 1), stretch=Fraction(1, 1), region='79'),)
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from modelunit.errors import InvalidProblemError, Problem
from modelunit.rollout.problem import Milestone

if TYPE_CHECKING:
    # Only the type: the planner does not load the bundled targets (nor the geography
    # and data files behind them); callers pass the records they chose.
    from modelunit.targets import ProgrammeTarget

__all__ = ["milestones_from_targets"]


def __dir__() -> list[str]:
    return __all__


def milestones_from_targets(
    targets: Iterable[ProgrammeTarget], *, edition: Literal["2025", "pre-2025"] = "pre-2025"
) -> tuple[Milestone, ...]:
    """One milestone per (scope, province, year) of the given targets.

    A floor and a stretch for the same year become one milestone with both; a stretch
    alone becomes a milestone with a zero floor. Provincial targets take the
    province's code on the ``edition`` map: as set (``"pre-2025"``, the default) or
    the 2025 province the old one is now part of (``"2025"``; two old provinces'
    targets may then land on one new province, where the planner keeps the higher).
    Registrations (a count of wards, no share) are not milestones and are refused, as
    are two different floors (or stretches) for the same province and year: pick the
    source you mean.
    """
    grouped: dict[tuple[str | None, int], dict[str, tuple[Fraction, str]]] = {}
    problems: list[Problem] = []
    for i, t in enumerate(targets):
        if t.kind == "registered" or t.share is None:
            problems.append(
                Problem(
                    f"targets[{i}]",
                    "a registration (a count of wards) is not a milestone",
                    record=t.id,
                )
            )
            continue
        region = None
        if t.scope == "provincial":
            region = t.current_province_code if edition == "2025" else t.province_code
            if region is None:
                problems.append(Problem(f"targets[{i}]", "no province code", record=t.id))
                continue
        slot = grouped.setdefault((region, t.year), {})
        if t.kind in slot and slot[t.kind][0] != t.share:
            problems.append(
                Problem(
                    f"targets[{i}]",
                    f"{t.kind} {t.share} conflicts with {slot[t.kind][0]} from "
                    f"{slot[t.kind][1]!r} for the same province and year",
                    record=t.id,
                )
            )
            continue
        slot[t.kind] = (t.share, t.id)
    if problems:
        raise InvalidProblemError(problems)
    out = []
    for (region, year), kinds in sorted(grouped.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        floor = kinds["floor"][0] if "floor" in kinds else Fraction(0)
        stretch = kinds["stretch"][0] if "stretch" in kinds else None
        out.append(Milestone(year, floor, stretch=stretch, region=region))
    return tuple(out)
