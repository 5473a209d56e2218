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
            quota += r.minimum_in(year)
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


def peak_model(problem: RolloutProblem, *, stretch: bool = False) -> PeakModel:
    regions = sorted(problem.regions, key=lambda r: r.id)
    years = list(problem.years)
    n_r, n_t = len(regions), len(years)
    size = n_r * n_t + 1  # x[r, t] then P
    peak = size - 1
    need = floors(problem, stretch=stretch)
    ub = np.empty(size)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    row = 0
    for i, r in enumerate(regions):
        for t, year in enumerate(years):
            cap = r.capacity_in(year)
            ub[i * n_t + t] = r.total - r.recognised if cap is None else cap
            for s in range(t + 1):  # cumulative work by the end of year t
                rows.append(row)
                cols.append(i * n_t + s)
                vals.append(1.0)
            lo.append(need[r.id][t] - r.recognised)
            hi.append(r.total - r.recognised)
            row += 1
    ub[peak] = np.inf
    for t, year in enumerate(years):
        for i in range(n_r):
            rows.append(row)
            cols.append(i * n_t + t)
            vals.append(1.0)
        rows.append(row)
        cols.append(peak)
        vals.append(-1.0)
        lo.append(-np.inf)
        hi.append(0.0)
        row += 1
        cap = problem.national_cap_in(year)
        if cap is not None:
            for i in range(n_r):
                rows.append(row)
                cols.append(i * n_t + t)
                vals.append(1.0)
            lo.append(-np.inf)
            hi.append(float(cap))
            row += 1
    a = coo_array((vals, (rows, cols)), shape=(row, size)).tocsr()
    c = np.zeros(size)
    c[peak] = 1.0
    return PeakModel(
        c=c,
        constraints=[LinearConstraint(a, np.array(lo), np.array(hi))],
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
    years = list(problem.years)
    n_r, n_t = len(regions), len(years)
    goals = stretch_goals(problem)
    n_x = n_r * n_t
    size = n_x + len(goals)
    need = floors(problem)
    ub = np.empty(size)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    row = 0
    for i, r in enumerate(regions):
        for t, year in enumerate(years):
            cap = r.capacity_in(year)
            ub[i * n_t + t] = r.total - r.recognised if cap is None else cap
            for s in range(t + 1):
                rows.append(row)
                cols.append(i * n_t + s)
                vals.append(1.0)
            lo.append(need[r.id][t] - r.recognised)
            hi.append(r.total - r.recognised)
            row += 1
    for t, year in enumerate(years):
        cap = problem.national_cap_in(year)
        if cap is not None:
            for i in range(n_r):
                rows.append(row)
                cols.append(i * n_t + t)
                vals.append(1.0)
            lo.append(-np.inf)
            hi.append(float(cap))
            row += 1
    for g, (rid, t, target) in enumerate(goals):
        i = index[rid]
        for s in range(t + 1):
            rows.append(row)
            cols.append(i * n_t + s)
            vals.append(1.0)
        rows.append(row)
        cols.append(n_x + g)
        vals.append(-float(target - regions[i].recognised))
        lo.append(0.0)
        hi.append(np.inf)
        row += 1
    ub[n_x:] = 1.0
    a = coo_array((vals, (rows, cols)), shape=(row, size)).tocsr()
    c = np.zeros(size)
    c[n_x:] = -1.0
    res = milp(
        c,
        constraints=[LinearConstraint(a, np.array(lo), np.array(hi))],
        integrality=np.ones(size),
        bounds=Bounds(np.zeros(size), ub),
    )
    if not res.success:
        return None
    return round(-res.fun)
