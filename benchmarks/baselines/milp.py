"""The planner's baseline: the same rollout problem as a MILP for ``scipy.optimize.milp``.

HiGHS solves for the least peak national yearly workload, the first objective of
modelunit's ``"level"`` strategy:

    minimise P
    subject to  need[r][t] - rec[r] <= sum_{s <= t} x[r, s] <= total[r] - rec[r]
                sum_r x[r, t] <= P                     (every year t)
                sum_r x[r, t] <= national cap          (when there is one)
                0 <= x[r, t] <= capacity[r, t],  x integer

The floors ``need`` are built straight from the public problem (targets by
``math.ceil`` on fractions; yearly quotas cumulated), not from the planner's
compiled form, as the test suite's oracle does (tests/rollout/milp_oracle.py).
The constraint matrix is sparse, so the 700-region problems fit in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from modelunit.rollout import RolloutProblem


def floors(problem: RolloutProblem, *, stretch: bool = False) -> dict[str, list[int]]:
    """Required recognised count by the end of each planned year, per region."""
    out: dict[str, list[int]] = {}
    for r in problem.regions:
        row = []
        quota = r.recognised
        for year in problem.years:
            quota += r.quota_in(year)
            need = min(quota, r.total)
            for m in problem.milestones:
                if m.region not in (None, r.id) or m.year > year:
                    continue
                share = m.stretch if stretch and m.stretch is not None else m.share
                if m.year < problem.start:
                    # A past milestone: a floor from the first planned year unless the
                    # problem only reports it (its stretch is not planned for).
                    if problem.past_milestones == "report":
                        continue
                    share = m.share
                need = max(need, math.ceil(share * r.total))
            row.append(need)
        out[r.id] = row
    return out


@dataclass
class PeakModel:
    """The prepared MILP (arrays built once); :meth:`solve` runs HiGHS."""

    c: np.ndarray
    constraints: list[LinearConstraint]
    bounds: Bounds
    integrality: np.ndarray

    def solve(self) -> Any:
        return milp(
            self.c, constraints=self.constraints, integrality=self.integrality, bounds=self.bounds
        )


@dataclass
class _Rows:
    """A sparse constraint matrix being built, row by row."""

    rows: list[int]
    cols: list[int]
    vals: list[float]
    lo: list[float]
    hi: list[float]
    count: int = 0

    def add(self, entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        for col, val in entries:
            self.rows.append(self.count)
            self.cols.append(col)
            self.vals.append(val)
        self.lo.append(lo)
        self.hi.append(hi)
        self.count += 1


def _floor_rows(
    problem: RolloutProblem, size: int, *, stretch: bool = False
) -> tuple[np.ndarray, _Rows]:
    """Bounds of x[r, t] (column ``i * n_t + t``) and the rows every model shares: the
    floors (with ``stretch``, the stretch targets) and totals (cumulative work by each
    year) and the national caps."""
    regions = sorted(problem.regions, key=lambda r: r.id)
    years = list(problem.years)
    n_t = len(years)
    need = floors(problem, stretch=stretch)
    ub = np.empty(size)
    out = _Rows([], [], [], [], [])
    for i, r in enumerate(regions):
        for t, year in enumerate(years):
            cap = r.capacity_in(year)
            ub[i * n_t + t] = r.total - r.recognised if cap is None else cap
            out.add(
                [(i * n_t + s, 1.0) for s in range(t + 1)],
                need[r.id][t] - r.recognised,
                r.total - r.recognised,
            )
    for t, year in enumerate(years):
        cap = problem.national_capacity_in(year)
        if cap is not None:
            out.add([(i * n_t + t, 1.0) for i in range(len(regions))], -np.inf, float(cap))
    return ub, out


def peak_model(problem: RolloutProblem, *, stretch: bool = False) -> PeakModel:
    n_r, n_t = len(problem.regions), len(problem.years)
    size = n_r * n_t + 1  # x[r, t] then P
    peak = size - 1
    ub, rows = _floor_rows(problem, size, stretch=stretch)
    ub[peak] = np.inf
    for t in range(n_t):  # sum_r x[r, t] - P <= 0
        rows.add([*((i * n_t + t, 1.0) for i in range(n_r)), (peak, -1.0)], -np.inf, 0.0)
    a = coo_array((rows.vals, (rows.rows, rows.cols)), shape=(rows.count, size)).tocsr()
    c = np.zeros(size)
    c[peak] = 1.0
    return PeakModel(
        c=c,
        constraints=[LinearConstraint(a, np.array(rows.lo), np.array(rows.hi))],
        bounds=Bounds(np.zeros(size), ub),
        integrality=np.ones(size),
    )


def min_peak(model: PeakModel) -> int | None:
    """The optimal peak, or ``None`` when HiGHS finds the problem infeasible."""
    res = model.solve()
    if not res.success:
        return None
    return round(res.fun)


def stretch_goals(problem: RolloutProblem) -> list[tuple[str, int, int]]:
    """Every stretch goal not met by the floors alone: (region, year index, target)."""
    need = floors(problem)
    goals = set()
    for r in problem.regions:
        for m in problem.milestones:
            if m.stretch is None or m.region not in (None, r.id) or m.year < problem.start:
                continue
            t = m.year - problem.start
            target = math.ceil(m.stretch * r.total)
            if target > need[r.id][t]:
                goals.add((r.id, t, target))
    return sorted(goals)


def max_stretch(problem: RolloutProblem) -> int | None:
    """The most stretch goals met together with every floor (HiGHS, binary y per goal:
    cumulative work by the goal's year >= y * (target - recognised))."""
    regions = sorted(problem.regions, key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(regions)}
    n_t = len(problem.years)
    goals = stretch_goals(problem)
    n_x = len(regions) * n_t
    size = n_x + len(goals)
    ub, rows = _floor_rows(problem, size)
    for g, (rid, t, target) in enumerate(goals):
        i = index[rid]
        work = [(i * n_t + s, 1.0) for s in range(t + 1)]
        rows.add([*work, (n_x + g, -float(target - regions[i].recognised))], 0.0, np.inf)
    ub[n_x:] = 1.0
    a = coo_array((rows.vals, (rows.rows, rows.cols)), shape=(rows.count, size)).tocsr()
    c = np.zeros(size)
    c[n_x:] = -1.0
    res = milp(
        c,
        constraints=[LinearConstraint(a, np.array(rows.lo), np.array(rows.hi))],
        integrality=np.ones(size),
        bounds=Bounds(np.zeros(size), ub),
    )
    if not res.success:
        return None
    return round(-res.fun)
