"""The planning strategies, each exact for its stated objective.

- ``"earliest"``: as fast as capacity allows. Without a national capacity every region
  takes on ``min(capacity, units left)`` each year, which dominates the cumulative
  coverage of every feasible plan, region by region. With a national capacity the national
  cumulative coverage is maximised for every year at once (the loads of a flow into
  the years form a g-polymatroid, so the prefix maxima are reached together; checked
  against ``scipy.optimize.milp`` in the tests); regions, in id order, take as much as
  early as those national totals allow.
- ``"latest"``: just in time. Each region's cumulative coverage is the least that
  still meets every floor given its future capacity; with a national capacity the national
  cumulative coverage is minimised year by year (lexicographically).
- ``"level"``: minimise the peak national yearly workload (exact: binary search on the
  peak with the exact oracle), then, among plans with that peak, minimise the sum of
  squared yearly loads of every region, ``sum x[r][t]**2`` (each region's work as even
  as its deadlines, capacity and the national loads allow). The second step starts
  from each region's own most even profile (each unit, in deadline order, to the
  least-loaded year it may use; ties to the later year), distributed within the
  national loads, and cancels negative-cost cycles of unit moves until none is left,
  which is exact for this separable convex cost (the tests check the optimum against
  ``scipy.optimize.milp`` on random problems). Among equally even plans the one
  returned is fixed by the order in which moves are tried (years in order, regions by
  id), so the same problem always gives the same plan.
- ``"proportional"``: take the ``level`` plan's national loads and share each
  year's load among regions in proportion to their remaining work, by an
  apportionment method (see :mod:`modelunit.rollout.apportionment`); a region whose
  share would break a floor or cap (now or later) gets the feasible value closest to
  its share, regions in id order. (Verified by the tests, not proven optimal: which
  shares move is a deterministic greedy choice.)

Tie-breaks: regions are processed in region-id order; when a region's preferred
value for a year is not feasible, it gets the feasible value closest to it, and later
regions (by id) absorb the difference. Stretch goals are chosen before the strategy's
objective applies: as many as capacity allows, tried in (year, region id) order.

Each strategy is one objective function here, registered by name in ``_SOLVERS``;
``Strategy`` is the one declaration of the names (a test checks that both agree).
The steps every strategy shares (feasibility of the floors, reachable floors, best
effort, stretch goals) are in :mod:`._floors`; :func:`solve` runs them, then the
strategy's objective.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, Literal, get_args

from modelunit.errors import InvalidArgumentError
from modelunit.rollout._compile import Allocation, IntegerProblem
from modelunit.rollout._distribute import DistributionState, distribute, distribute_profiles
from modelunit.rollout._floors import (
    best_effort,
    floors_feasible,
    min_peak,
    most_work_by,
    reachable_floors,
    with_stretch,
)
from modelunit.rollout._flow import (
    earliest_profile,
    feasible,
    latest_profile,
    leveled_profile,
    total_f,
)
from modelunit.rollout._spread import respread, spread_from_even
from modelunit.rollout.apportionment import ApportionmentMethod, apportion, check_method

__all__ = ["STRATEGIES", "Solver", "Strategy", "solve"]


def __dir__() -> list[str]:
    return __all__


Strategy = Literal["earliest", "latest", "level", "proportional"]
STRATEGIES: Final[tuple[Strategy, ...]] = get_args(Strategy)

Floors = list[list[int]]

Solver = Callable[[IntegerProblem, Floors, ApportionmentMethod], Allocation]
"""A strategy's objective: the allocation for floors ``d`` that can all be met. The
apportionment method matters to ``"proportional"`` only."""


def _earliest(comp: IntegerProblem, d: Floors, _method: ApportionmentMethod) -> Allocation:
    """``"earliest"``: as fast as capacity (and the national capacity) allows."""
    n = comp.n_years
    if not comp.coupled:
        # As fast as capacity allows: the same profile whatever the floors, which it
        # meets iff any plan does; stretch goals change nothing.
        rows = [earliest_profile(d[r], comp.caps[r], comp.rem[r]) for r in range(len(d))]
        assert all(row is not None for row in rows)
        return [row for row in rows if row is not None]
    # Work not required within the horizon goes to a virtual year n+1 without caps.
    m = n + 1
    d_ext = [[*d[r], comp.rem[r]] for r in range(len(d))]
    u_ext = [[*comp.caps[r], comp.rem[r]] for r in range(len(d))]
    total = sum(comp.rem)
    most_by = most_work_by(comp, d)  # most work doable in years 1..t, for each t
    caps = [0] + [most_by[t] - most_by[t - 1] for t in range(1, n + 1)] + [total - most_by[n]]

    profiles = [earliest_profile(d_ext[r], u_ext[r], comp.rem[r]) for r in range(len(d))]
    x = distribute_profiles(d_ext, u_ext, caps, m, [p or [0] * (m + 1) for p in profiles])
    return [row[: n + 1] for row in x]


def _latest(comp: IntegerProblem, d: Floors, _method: ApportionmentMethod) -> Allocation:
    """``"latest"``: just in time (with a national capacity, national coverage least
    year by year)."""
    n = comp.n_years
    profiles = [latest_profile(d[r], comp.caps[r]) for r in range(len(d))]
    rows = [p for p in profiles if p is not None]
    assert len(rows) == len(d)
    if not comp.coupled:
        return rows
    f_all = total_f(comp.f_rows(d), n)
    demand = sum(row[n] for row in d)
    caps = list(comp.ncap)
    for t in range(1, n + 1):
        lo, hi = 0, min(caps[t], demand)
        while lo < hi:
            mid = (lo + hi) // 2
            trial = list(caps)
            trial[t] = mid
            if feasible(f_all, trial, n, demand):
                hi = mid
            else:
                lo = mid + 1
        caps[t] = lo
    return distribute_profiles(d, comp.caps, caps, n, rows)


def _level(comp: IntegerProblem, d: Floors, _method: ApportionmentMethod) -> Allocation:
    """``"level"``: the least peak national load, then the least ``sum x[r][t]**2``."""
    n = comp.n_years
    f_rows = comp.f_rows(d)
    peak = min_peak(comp, d, f_rows)
    caps = [min(c, peak) for c in comp.ncap]
    fast = spread_from_even(d, comp.caps, caps, n)
    if fast is not None:
        return fast
    leveled = [leveled_profile(d[r], comp.caps[r]) for r in range(len(d))]
    rows = [row if row is not None else [0] * (n + 1) for row in leveled]
    x = distribute_profiles(d, comp.caps, caps, n, rows, f_rows=f_rows)
    return respread(x, d, comp.caps, caps, n)


def _proportional(comp: IntegerProblem, d: Floors, method: ApportionmentMethod) -> Allocation:
    """``"proportional"``: the ``level`` national loads, apportioned by remaining work."""
    n = comp.n_years
    level = _level(comp, d, method)
    loads = [sum(row[t] for row in level) for t in range(n + 1)]
    loads[0] = 0
    wanted: list[int] = []

    def before_year(state: DistributionState, t: int) -> None:
        remaining = [d[r][n] - state.done[r] for r in range(len(d))]
        year_caps = [min(comp.caps[r][t], remaining[r]) for r in range(len(d))]
        wanted[:] = apportion(loads[t], remaining, method, caps=year_caps)

    def prefer(state: DistributionState, r: int, t: int) -> int:
        return wanted[r]

    return distribute(d, comp.caps, loads, n, prefer, before_year=before_year)


_SOLVERS: Final[Mapping[Strategy, Solver]] = MappingProxyType(
    {
        "earliest": _earliest,
        "latest": _latest,
        "level": _level,
        "proportional": _proportional,
    }
)


def solve(
    comp: IntegerProblem,
    strategy: Strategy,
    method: ApportionmentMethod = "largest_remainder",
    *,
    stretch: bool = True,
) -> tuple[Allocation, bool, bool]:
    """The allocation ``x[r][t]`` (regions by id, years 1..n), whether every floor is
    met, and whether the number of stretch goals met is proven the largest possible.

    When the floors cannot all be met and there is no national capacity, the strategy is
    applied to the floors lowered to what each region can reach (so a ``level`` plan
    stays level, a ``latest`` plan just in time); with a national capacity the best effort
    takes, each year, the regions with the nearest unmet floor first.

    Raises :class:`~modelunit.errors.InvalidArgumentError` for an unknown strategy or
    apportionment method (the one place both names are checked for a plan).
    """
    check_method(method)
    solver = _SOLVERS.get(strategy)
    if solver is None:
        raise InvalidArgumentError(f"unknown strategy {strategy!r}; expected one of {STRATEGIES}")
    d = comp.floors
    ok = floors_feasible(comp, d)
    if not ok:
        if comp.coupled:
            return best_effort(comp), False, not (stretch and comp.stretch)
        d = reachable_floors(comp, d)
    proven = True
    if stretch and comp.stretch:
        choice = with_stretch(comp, d)
        d, proven = choice.floors, choice.proven
    return solver(comp, d, method), ok, proven
