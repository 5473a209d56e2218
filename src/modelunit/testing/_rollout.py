"""Strategies for the planner: regions, milestones and whole rollout problems.
Re-exported by :mod:`modelunit.testing`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from fractions import Fraction

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from modelunit.rollout.plan import plan
from modelunit.rollout.problem import Milestone, Region, RolloutProblem
from modelunit.testing._arguments import (
    check_int,
    check_optional_bool,
    check_range,
    check_sequence,
    check_text,
)

__all__ = ["milestone_lists", "regions", "rollout_problems"]

_SHARES = ("0", "1/10", "1/4", "3/10", "1/3", "1/2", "7/10", "1")


def _horizon(start: object, end: object) -> tuple[int, int]:
    first = check_int("start", start, low=1)
    last = check_int("end", end, low=1)
    if last < first:
        raise InvalidArgument(f"expected start <= end, got {first}..{last}")
    return first, last


def regions(
    *,
    region_id: str = "R00",
    start: int = 2027,
    end: int = 2030,
    min_units: int = 0,
    max_units: int = 40,
) -> st.SearchStrategy[Region]:
    """A valid :class:`~modelunit.rollout.Region` with ``min_units`` to ``max_units``
    units: recognised, optional yearly capacity (with per-year overrides) and quota.
    Shrinks to an empty region."""
    check_text("region_id", region_id)
    first, last = _horizon(start, end)
    units = check_range("units", min_units, max_units)
    return _regions(region_id, first, last, units)


@st.composite
def _regions(
    draw: st.DrawFn, region_id: str, start: int, end: int, units: tuple[int, int]
) -> Region:
    max_units = units[1]
    total = draw(st.integers(*units))
    return Region(
        region_id,
        total=total,
        recognised=draw(st.integers(0, total)),
        capacity=draw(st.none() | st.integers(0, max(1, max_units // 2))),
        capacity_by_year=draw(
            st.dictionaries(st.integers(start, end), st.integers(0, max_units), max_size=2)
        ),
        quota=draw(st.sampled_from((0, 0, 0, 1, 2))),
    )


def milestone_lists(
    *,
    start: int = 2027,
    end: int = 2030,
    region_ids: Sequence[str] = (),
    min_size: int = 0,
    max_size: int = 4,
) -> st.SearchStrategy[list[Milestone]]:
    """Lists of valid :class:`~modelunit.rollout.Milestone` s (the milestones of one
    problem): national or for one of ``region_ids``, years from the baseline to ``end``,
    at most one per (region, year), stretch goals never below their floor, with
    ``min_size`` to ``max_size`` of them. (Named ``milestones`` before 0.2.)"""
    first, last = _horizon(start, end)
    ids = check_sequence("region_ids", region_ids, str, "region ids")
    size = check_range("size", min_size, max_size)
    room = (last - first + 2) * (len(ids) + 1)  # distinct (region, year) pairs
    if size[0] > room:
        raise InvalidArgument(
            f"min_size={size[0]} is more than the {room} (region, year) pairs available"
        )
    return _milestone_lists(first, last, ids, size)


def _milestone(start: int, end: int, region_ids: tuple[str, ...]) -> st.SearchStrategy[Milestone]:
    """One valid milestone (what ``st.from_type(Milestone)`` draws)."""
    return st.builds(
        _make_milestone,
        st.integers(start - 1, end),
        st.sampled_from(_SHARES),
        st.none() | st.sampled_from(_SHARES),
        st.none() | st.sampled_from(region_ids) if region_ids else st.none(),
    )


def _make_milestone(year: int, share: str, stretch: str | None, region: str | None) -> Milestone:
    floor = Fraction(share)
    high = Fraction(stretch) if stretch is not None else None
    if high is not None and high < floor:
        high = None
    if floor == 0 and high is None:
        # A milestone asks for something: a floor, a stretch goal, or both (a file
        # cannot hold one with neither: its share is then required).
        high = Fraction(1)
    return Milestone(year, floor, stretch=high, region=region)


@st.composite
def _milestone_lists(
    draw: st.DrawFn, start: int, end: int, region_ids: tuple[str, ...], size: tuple[int, int]
) -> list[Milestone]:
    one = _milestone(start, end, region_ids)
    drawn = draw(
        st.lists(one, min_size=size[0], max_size=size[1], unique_by=lambda m: (m.region, m.year))
    )
    return list(drawn)


def rollout_problems(
    *,
    min_regions: int = 1,
    max_regions: int = 5,
    min_years: int = 1,
    max_years: int = 4,
    national_capacity: bool | None = None,
    feasible: bool | None = None,
    national_cap: bool | None = None,
) -> st.SearchStrategy[RolloutProblem]:
    """Valid :class:`~modelunit.rollout.RolloutProblem` s (regions ``R00``, ``R01``...,
    horizon starting 2027), with a national capacity when ``national_capacity`` is True
    (either when None; ``national_cap`` is its deprecated old name). ``feasible=True``
    gives only problems whose floors can all be met (an infeasible draw has its
    capacities and national capacity lifted, and milestones before the horizon
    dropped); ``feasible=False`` only problems where some milestone is missed
    whatever the plan (a region with units left gets no capacity and must finish).
    Feasibility here includes milestones before the horizon, checked at the baseline.
    (The classification uses the planner itself, :func:`~modelunit.rollout.plan`: a test
    of the planner should not trust ``feasible=`` to be independent of it.) The horizon
    has ``min_years`` to ``max_years`` years."""
    check_range("regions", min_regions, max_regions)
    check_range("years", min_years, max_years, floor=1)
    if national_cap is not None:
        if national_capacity is not None:
            raise InvalidArgument(
                "rollout_problems() got both national_cap= and national_capacity=; "
                "national_cap is the deprecated name of national_capacity"
            )
        warnings.warn(
            "rollout_problems(national_cap=...) is deprecated; use national_capacity=",
            DeprecationWarning,
            stacklevel=2,
        )
        national_capacity = national_cap
    return _rollout_problems(
        (min_regions, max_regions),
        (min_years, max_years),
        check_optional_bool("national_capacity", national_capacity),
        check_optional_bool("feasible", feasible),
    )


@st.composite
def _rollout_problems(
    draw: st.DrawFn,
    region_range: tuple[int, int],
    years: tuple[int, int],
    national_capacity: bool | None,
    feasible: bool | None,
) -> RolloutProblem:
    start = 2027
    end = start + draw(st.integers(years[0] - 1, years[1] - 1))
    n = draw(st.integers(*region_range))
    ids = [f"R{i:02d}" for i in range(n)]
    rs = [draw(_regions(rid, start, end, (0, 40))) for rid in ids]
    ms = draw(_milestone_lists(start, end, tuple(ids), (0, 4)))
    coupled = draw(st.booleans()) if national_capacity is None else national_capacity
    cap = draw(st.integers(0, 60)) if coupled else None
    problem = RolloutProblem(regions=rs, milestones=ms, start=start, end=end, national_capacity=cap)
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
            regions=lifted, milestones=future, start=start, end=end, national_capacity=roomy
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
            national_capacity=cap,
        )
    return problem
