"""Strategies for the planner: regions, milestones and whole rollout problems.
Re-exported by :mod:`modelunit.testing`."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from modelunit.rollout.plan import plan
from modelunit.rollout.problem import Milestone, Region, RolloutProblem
from modelunit.testing._assessment import check_range

__all__ = ["milestones", "regions", "rollout_problems"]

_SHARES = ("0", "1/10", "1/4", "3/10", "1/3", "1/2", "7/10", "1")


@st.composite
def regions(
    draw: st.DrawFn,
    *,
    region_id: str = "R00",
    start: int = 2027,
    end: int = 2030,
    max_units: int = 40,
) -> Region:
    """A valid :class:`~modelunit.rollout.Region`: units, recognised, optional yearly
    capacity (with per-year overrides) and quota. Shrinks to an empty region."""
    if max_units < 0 or end < start:
        raise InvalidArgument(
            f"expected max_units >= 0 and start <= end, got {max_units}, {start}..{end}"
        )
    total = draw(st.integers(0, max_units))
    return Region(
        region_id,
        total=total,
        recognised=draw(st.integers(0, total)),
        capacity=draw(st.none() | st.integers(0, max(1, max_units // 2))),
        capacity_by_year=draw(
            st.dictionaries(st.integers(start, end), st.integers(0, max_units), max_size=2)
        ),
        minimum=draw(st.sampled_from((0, 0, 0, 1, 2))),
    )


@st.composite
def milestones(
    draw: st.DrawFn,
    *,
    start: int = 2027,
    end: int = 2030,
    region_ids: Sequence[str] = (),
    max_size: int = 4,
) -> list[Milestone]:
    """A list of valid :class:`~modelunit.rollout.Milestone` s: national or for one of
    ``region_ids``, years from the baseline to ``end``, at most one per (region, year),
    stretch goals never below their floor."""
    if end < start or max_size < 0:
        raise InvalidArgument(
            f"expected start <= end and max_size >= 0, got {start}..{end}, {max_size}"
        )
    out: list[Milestone] = []
    used: set[tuple[str | None, int]] = set()
    for _ in range(draw(st.integers(0, max_size))):
        year = draw(st.integers(start - 1, end))
        region = draw(st.none() | st.sampled_from(tuple(region_ids))) if region_ids else None
        if (region, year) in used:
            continue
        used.add((region, year))
        share = Fraction(draw(st.sampled_from(_SHARES)))
        stretch = draw(st.none() | st.sampled_from(_SHARES))
        high = Fraction(stretch) if stretch is not None else None
        out.append(
            Milestone(
                year,
                share,
                stretch=high if high is not None and high >= share else None,
                region=region,
            )
        )
    return out


@st.composite
def rollout_problems(
    draw: st.DrawFn,
    *,
    min_regions: int = 1,
    max_regions: int = 5,
    max_years: int = 4,
    national_cap: bool | None = None,
    feasible: bool | None = None,
) -> RolloutProblem:
    """Valid :class:`~modelunit.rollout.RolloutProblem` s (regions ``R00``, ``R01``...,
    horizon starting 2027), with a national cap when ``national_cap`` is True (either
    when None). ``feasible=True`` gives only problems whose floors can all be met (an
    infeasible draw has its capacities and cap lifted, and milestones before the
    horizon dropped); ``feasible=False`` only problems where some milestone is missed
    whatever the plan (a region with units left gets no capacity and must finish).
    Feasibility here includes milestones before the horizon, checked at the baseline.
    (The classification uses the planner itself, :func:`~modelunit.rollout.plan`: a test
    of the planner should not trust ``feasible=`` to be independent of it.)"""
    check_range("regions", min_regions, max_regions)
    if max_years < 1:
        raise InvalidArgument(f"max_years must be >= 1, got {max_years}")
    start = 2027
    end = start + draw(st.integers(0, max_years - 1))
    n = draw(st.integers(min_regions, max_regions))
    ids = [f"R{i:02d}" for i in range(n)]
    rs = [draw(regions(region_id=rid, start=start, end=end)) for rid in ids]
    ms = draw(milestones(start=start, end=end, region_ids=ids))
    coupled = draw(st.booleans()) if national_cap is None else national_cap
    cap = draw(st.integers(0, 60)) if coupled else None
    problem = RolloutProblem(regions=rs, milestones=ms, start=start, end=end, national_cap=cap)
    if feasible is None:
        return problem
    planned = plan(problem)
    ok = planned.feasible and not planned.missed
    if feasible and not ok:
        # Lift every capacity, raise the cap (if any) out of the way, and drop
        # milestones before the horizon (checked at the baseline: nothing to plan).
        lifted = [attrs.evolve(r, capacity=None, capacity_by_year={}) for r in rs]
        future = [m for m in ms if m.year >= start]
        roomy = sum(r.total - r.recognised for r in rs) if cap is not None else None
        return RolloutProblem(
            regions=lifted, milestones=future, start=start, end=end, national_cap=roomy
        )
    if not feasible and ok:
        # One region with units left gets no capacity and must finish by the end.
        left = [r for r in rs if r.total > r.recognised]
        if not left:
            reject()
        first = left[0]
        tight = attrs.evolve(first, capacity=0, capacity_by_year={})
        kept = [m for m in ms if not (m.region == first.id and m.year == end)]
        return RolloutProblem(
            regions=[tight if r.id == first.id else r for r in rs],
            milestones=[*kept, Milestone(end, 1, region=first.id)],
            start=start,
            end=end,
            national_cap=cap,
        )
    return problem
