"""Independent oracle for the rollout planner: the same problem as a MILP for HiGHS.

Built straight from the public problem (targets by ``math.ceil`` on Fractions), not
from the planner's compiled form, so that both sides are derived independently:
:class:`Model` (feasibility and the optima), :func:`min_squares`, :func:`floors`,
:func:`assert_valid` (every constraint of a plan, checked from the problem), and
:func:`problems`, the random problems the properties draw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from modelunit.rollout import Milestone, Region, RolloutPlan, RolloutProblem

# Example counts come from the Hypothesis profile (tests/conftest.py): 60 by default,
# 1000 with HYPOTHESIS_PROFILE=thorough.
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def floors(problem: RolloutProblem, *, stretch: bool = False) -> dict[str, list[int]]:
    """Required recognised count (absolute) by the end of each planned year."""
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
                    # A past milestone: a floor from the first planned year (catch up),
                    # unless the problem only reports it; its stretch is not planned for.
                    if problem.past_milestones == "report":
                        continue
                    share = m.share
                need = max(need, math.ceil(share * r.total))
            row.append(need)
        out[r.id] = row
    return out


class Model:
    """x[r, t] >= 0 integer; the floor, capacity, total and national-cap constraints."""

    def __init__(self, problem: RolloutProblem, extra_floors: dict[str, list[int]] | None = None):
        self.problem = problem
        self.regions = sorted(problem.regions, key=lambda r: r.id)
        self.years = list(problem.years)
        self.n_r = len(self.regions)
        self.n_t = len(self.years)
        need = extra_floors or floors(problem)
        rows: list[np.ndarray] = []
        lo: list[float] = []
        hi: list[float] = []
        ub = []
        for r in self.regions:
            for year in self.years:
                cap = r.capacity_in(year)
                ub.append(r.total - r.recognised if cap is None else cap)
        self.ub = np.array(ub, dtype=float)
        for i, r in enumerate(self.regions):
            for t in range(self.n_t):
                row = np.zeros(self.size)
                for s in range(t + 1):
                    row[self.idx(i, s)] = 1
                rows.append(row)
                lo.append(need[r.id][t] - r.recognised)
                hi.append(r.total - r.recognised)
        for t, year in enumerate(self.years):
            cap = problem.national_capacity_in(year)
            if cap is not None:
                row = np.zeros(self.size)
                for i in range(self.n_r):
                    row[self.idx(i, t)] = 1
                rows.append(row)
                lo.append(-np.inf)
                hi.append(cap)
            # Budgets as they are stated: cost x units <= budget (national: summed).
            for i, r in enumerate(self.regions):
                budget = r.budget_in(year)
                if budget is not None and r.cost:
                    row = np.zeros(self.size)
                    row[self.idx(i, t)] = float(r.cost)
                    rows.append(row)
                    lo.append(-np.inf)
                    hi.append(float(budget))
            budget = problem.national_budget_in(year)
            if budget is not None:
                row = np.zeros(self.size)
                for i, r in enumerate(self.regions):
                    row[self.idx(i, t)] = float(r.cost or 0)
                rows.append(row)
                lo.append(-np.inf)
                hi.append(float(budget))
        self.rows, self.lo, self.hi = rows, lo, hi

    @property
    def size(self) -> int:
        return self.n_r * self.n_t

    def idx(self, i: int, t: int) -> int:
        return i * self.n_t + t

    def solve(
        self,
        objective: np.ndarray,
        extra_rows: Sequence[tuple[np.ndarray, float, float]] = (),
        extra_ub: Sequence[float] = (),
    ):
        rows = [*self.rows, *(r for r, _, _ in extra_rows)]
        lo = [*self.lo, *(a for _, a, _ in extra_rows)]
        hi = [*self.hi, *(b for _, _, b in extra_rows)]
        n = len(objective)
        rest = list(extra_ub) or [np.inf] * (n - self.size)
        ub = np.concatenate([self.ub, np.array(rest, dtype=float)])
        constraints = []
        if rows:
            a = np.array([np.pad(r, (0, n - len(r))) for r in rows])
            constraints.append(LinearConstraint(a, lo, hi))
        return milp(
            objective,
            constraints=constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), ub),
        )

    def feasible(self) -> bool:
        return bool(self.solve(np.zeros(self.size)).success)

    def min_peak(self) -> int:
        # Variables: x then P; sum_r x[r, t] - P <= 0.
        obj = np.zeros(self.size + 1)
        obj[-1] = 1
        extra = []
        for t in range(self.n_t):
            row = np.zeros(self.size + 1)
            for i in range(self.n_r):
                row[self.idx(i, t)] = 1
            row[-1] = -1
            extra.append((row, -np.inf, 0.0))
        res = self.solve(obj, extra)
        assert res.success
        return round(res.fun)

    def max_stretch(self, goals: Sequence[tuple[str, int, int]]) -> int:
        """Most stretch goals (region, year index, absolute target) met together."""
        n = self.size + len(goals)
        obj = np.zeros(n)
        extra = []
        ids = [r.id for r in self.regions]
        for g, (rid, t, target) in enumerate(goals):
            i = ids.index(rid)
            obj[self.size + g] = -1
            row = np.zeros(n)
            for s in range(t + 1):
                row[self.idx(i, s)] = 1
            row[self.size + g] = -(target - self.regions[i].recognised)
            extra.append((row, 0.0, np.inf))
        res = self.solve(obj, extra, [1.0] * len(goals))
        assert res.success
        return round(-res.fun)

    def national_by(self, t: int, *, sense: int) -> int:
        """Max (sense=-1) or min (sense=+1) national work in years 0..t."""
        obj = np.zeros(self.size)
        for i in range(self.n_r):
            for s in range(t + 1):
                obj[self.idx(i, s)] = sense
        res = self.solve(obj)
        assert res.success
        return round(sense * res.fun)

    def region_by(self, i: int, t: int, *, sense: int) -> int:
        obj = np.zeros(self.size)
        for s in range(t + 1):
            obj[self.idx(i, s)] = sense
        res = self.solve(obj)
        assert res.success
        return round(sense * res.fun)


SHARES = ["0", "1/10", "3/10", "1/3", "1/2", "7/10", "1"]


@st.composite
def problems(draw, *, coupled: bool | None = None, max_regions: int = 5, max_years: int = 4):
    n_years = draw(st.integers(1, max_years))
    start = 2025
    end = start + n_years - 1
    n_regions = draw(st.integers(1, max_regions))
    # Budgets: sometimes every region costs the same per unit and some have a yearly
    # budget (a national one too, below).
    unit_cost = draw(st.sampled_from([None, None, Decimal(1), Decimal("2.5")]))
    regions = []
    for i in range(n_regions):
        total = draw(st.integers(0, 30))
        rec = draw(st.integers(0, total))
        cap = draw(st.one_of(st.none(), st.integers(0, 12)))
        by_year = draw(st.dictionaries(st.integers(start, end), st.integers(0, 12), max_size=2))
        quota = draw(st.sampled_from([0, 0, 0, 1, 2]))
        regions.append(
            Region(
                f"R{i:02d}",
                total=total,
                recognised=rec,
                capacity=cap,
                capacity_by_year=by_year,
                quota=quota,
                cost=unit_cost,
                budget=draw(st.one_of(st.none(), st.integers(0, 30).map(Decimal)))
                if unit_cost is not None
                else None,
            )
        )
    milestones = []
    used: set[tuple[str | None, int]] = set()
    for _ in range(draw(st.integers(0, 4))):
        year = draw(st.integers(start - 1, end))
        region = draw(st.one_of(st.none(), st.sampled_from([r.id for r in regions])))
        if (region, year) in used:
            continue
        used.add((region, year))
        share = draw(st.sampled_from(SHARES))
        stretch = draw(st.one_of(st.none(), st.sampled_from(SHARES)))
        if stretch is not None and Milestone(year, stretch).share < Milestone(year, share).share:
            stretch = None
        milestones.append(Milestone(year, share, stretch=stretch, region=region))
    if coupled is None:
        coupled = draw(st.booleans())
    national = draw(st.integers(0, 60)) if coupled else None
    national_budget = None
    if coupled and unit_cost is not None:
        national_budget = draw(st.one_of(st.none(), st.integers(0, 120).map(Decimal)))
    return RolloutProblem(
        regions=regions,
        milestones=milestones,
        start=start,
        end=end,
        national_capacity=national,
        national_budget=national_budget,
        past_milestones=draw(st.sampled_from(["catch_up", "catch_up", "report"])),
    )


def min_squares(model: Model, peak: int) -> int:
    """Least sum of x[r, t]**2 over plans whose national load never exceeds ``peak``.

    x**2 = 1 + 3 + 5 + ... : each x[r, t] is split into unit steps z[k] (k = 1..cap)
    costing 2k - 1; convexity fills them in order at the optimum, so the linear
    program over (x, z) has the quadratic optimum.
    """
    caps = [int(u) for u in model.ub]
    n_x = model.size
    n_z = sum(caps)
    n = n_x + n_z
    obj = np.zeros(n)
    extra = []
    offset = n_x
    for i in range(n_x):
        row = np.zeros(n)
        row[i] = 1
        for k in range(caps[i]):
            obj[offset + k] = 2 * (k + 1) - 1
            row[offset + k] = -1
        extra.append((row, 0.0, 0.0))
        offset += caps[i]
    for t in range(model.n_t):
        row = np.zeros(n)
        for i in range(model.n_r):
            row[model.idx(i, t)] = 1
        extra.append((row, -np.inf, float(peak)))
    res = model.solve(obj, extra, [1.0] * n_z)
    assert res.success
    return round(res.fun)


def assert_valid(problem: RolloutProblem, p: RolloutPlan, *, stretch: bool = False) -> None:
    need = floors(problem, stretch=False)
    for r in problem.regions:
        rp = p.region(r.id)
        assert len(rp.new) == len(problem.years)
        run = r.recognised
        for t, year in enumerate(problem.years):
            assert rp.new[t] >= 0
            cap = r.capacity_in(year)
            if cap is not None:
                assert rp.new[t] <= cap, (r.id, year)
            run += rp.new[t]
            assert rp.cumulative[t] == run
            assert run <= r.total
            if p.feasible:
                assert run >= need[r.id][t], (r.id, year)
    for t, year in enumerate(problem.years):
        assert p.national[t] == sum(rp.new[t] for rp in p.regions)
        cap = problem.national_capacity_in(year)
        if cap is not None:
            assert p.national[t] <= cap
    for c in p.checks:
        region = problem.region(c.region)
        coverage = (
            region.recognised
            if c.year < problem.start
            else p.region(c.region).cumulative[c.year - problem.start]
        )
        assert c.coverage == coverage
        assert c.met == (coverage >= c.target)
        if p.feasible and not c.past:
            assert c.met
