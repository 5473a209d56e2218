"""Uncertainty: simulate a plan when units taken on are not always recognised that year.

Model: every unit in progress in a planned year (taken on that year, or carried over
from an earlier year because it was not yet recognised) is recognised that year with
probability ``p``, independently; otherwise it carries over to the next year. (Nghệ
An's 16 wards reached 21/22 criteria and waited for the last one.) Runs are drawn
from ``random.Random(seed)``: the same seed gives the same result.

Probabilities are reported exactly as ``hits / runs``. Under this model the number
recognised by a year is a sum of binomials (a unit taken on in year ``s`` is recognised
by year ``t`` with probability ``1 - (1 - p) ** (t - s + 1)``), so :func:`exact_odds`
gives the exact probabilities too (the tests check the simulation against them). The
buffer suggested for a confidence ``c`` is the fewest extra units to take on in the
first planned year so that, under the same model, the floor is met with probability at
least ``c``; it is computed from that distribution, not from the runs.

>>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
>>> problem = RolloutProblem(regions=[Region("NA", total=16, capacity=16)],
...                          milestones=[Milestone(2026, 1)], start=2025, end=2026)
>>> result = simulate(plan(problem, "latest"), "9/10", runs=2000, seed=1)
>>> [(o.region, o.year, o.target) for o in result.odds]
[('NA', 2026, 16)]
>>> result.odds[0].probability < 1
True
>>> simulate(plan(problem, "earliest"), 1, runs=10).odds[0].probability
Fraction(1, 1)
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from fractions import Fraction
from typing import Any

import attrs

from modelunit._numbers import ceil_share, exact_fraction
from modelunit.errors import InvalidArgumentError
from modelunit.rollout.plan import RolloutPlan

__all__ = ["MilestoneOdds", "SimulationResult", "exact_odds", "simulate"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class MilestoneOdds:
    """Probability that ``region`` meets its floor ``target`` by ``year``; the shortfall
    not exceeded with the chosen confidence; and the buffer: the fewest extra units to
    take on in the first planned year for the floor to be met with that confidence
    under the model (at most the region's units not already planned by ``year``, when
    even all of them would not be enough)."""

    region: str
    year: int
    target: int
    probability: Fraction
    shortfall_at_confidence: int
    buffer: int


@attrs.frozen
class SimulationResult:
    """Odds for every planned-year floor of every region."""

    runs: int
    seed: int
    p_recognised: Fraction
    confidence: Fraction
    odds: tuple[MilestoneOdds, ...]

    def at_risk(self) -> tuple[MilestoneOdds, ...]:
        """Milestones met with probability below the confidence level."""
        return tuple(o for o in self.odds if o.probability < self.confidence)

    def __repr__(self) -> str:
        drawn = f"{self.runs} runs, seed {self.seed}, p {self.p_recognised}"
        return f"<SimulationResult {drawn}: {len(self.odds)} floors, {len(self.at_risk())} at risk>"

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - the notebook view, on demand

        return display.html(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per floor (:func:`modelunit.frames.simulation_records`)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.simulation_records(self)

    def to_pandas(self) -> Any:
        """:meth:`to_records` as a pandas DataFrame (extra ``pandas``)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.to_pandas(self)

    def plot(self, **options: Any) -> Any:
        """The odds per region (:func:`modelunit.plot.odds`); returns the Axes."""
        from modelunit import plot  # noqa: PLC0415 - matplotlib on demand

        return plot.odds(self, **options)


def _binomial_cdf(n: int, p: float) -> list[float]:
    """Cumulative probabilities P(X <= k), k = 0..n-1 (k = n is the fall-through)."""
    if p >= 1:
        return [0.0] * n
    if p <= 0:
        return [1.0] * n
    out: list[float] = []
    acc = 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    for k in range(n):
        log_pmf = (
            math.lgamma(n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(n - k + 1)
            + k * log_p
            + (n - k) * log_q
        )
        acc += math.exp(log_pmf)
        out.append(acc)
    return out


def _prob(value: Any) -> Fraction:
    p = exact_fraction(value)
    if not 0 <= p <= 1:
        raise InvalidArgumentError(f"expected a probability in 0..1, got {p}")
    return p


def simulate(
    plan: RolloutPlan,
    p_recognised: object,
    *,
    runs: int = 10_000,
    seed: int = 0,
    confidence: object = "90%",
) -> SimulationResult:
    """Simulate ``plan`` ``runs`` times; the probability of meeting each floor per region.

    A probability outside 0..1 or a run count that is not a positive whole number
    raises :class:`~modelunit.errors.InvalidArgumentError`.
    """
    p = _prob(p_recognised)
    conf = _prob(confidence)
    runs_raw: object = runs  # typed, but callers may pass anything: check it as object
    if isinstance(runs_raw, bool) or not isinstance(runs_raw, int) or runs_raw <= 0:
        raise InvalidArgumentError(f"runs must be positive, got {runs_raw!r}")
    rng = random.Random(seed)
    draw = rng.random
    pf = float(p)  # sampling only: the reported probabilities are exact counts
    tables: dict[int, list[float]] = {}
    problem = plan.problem
    n_years = len(plan.years)
    odds: list[MilestoneOdds] = []
    for rp in plan.regions:
        # Floors to check: (year index, target), for this region, in the horizon.
        goals = sorted(
            {
                (c.year - problem.start, c.target)
                for c in plan.checks
                if c.region == rp.region and not c.past
            }
        )
        if not goals:
            continue
        shortfalls: list[list[int]] = [[] for _ in goals]
        new = rp.new
        for _ in range(runs):
            pending = 0
            got = rp.recognised
            by_year = [0] * n_years
            for t in range(n_years):
                pending += new[t]
                if pending:
                    table = tables.get(pending)
                    if table is None:
                        table = tables[pending] = _binomial_cdf(pending, pf)
                    k = bisect_right(table, draw())
                    got += k
                    pending -= k
                by_year[t] = got
            for g, (t, target) in enumerate(goals):
                shortfalls[g].append(max(0, target - by_year[t]))
        for g, (t, target) in enumerate(goals):
            values = sorted(shortfalls[g])
            hits = bisect_right(values, 0)
            # Smallest s with P(shortfall <= s) >= confidence.
            index = max(0, ceil_share(conf, runs) - 1)
            quantile = values[min(index, runs - 1)]
            buffer = _buffer(rp.recognised, new, rp.total, t, target, p=pf, conf=float(conf))
            odds.append(
                MilestoneOdds(
                    rp.region, plan.years[t], target, Fraction(hits, runs), quantile, buffer
                )
            )
    return SimulationResult(runs, seed, p, conf, tuple(odds))


def _by_year_probability(p: Any, elapsed: int) -> Any:
    """Probability that a unit in progress for ``elapsed`` years is recognised by then."""
    return 1 - (1 - p) ** elapsed


def _distribution(
    recognised: int, new: tuple[int, ...], t: int, p: Any, extra: int = 0
) -> list[Any]:
    """P(recognised by the end of planned year ``t`` = k), k = 0, 1, ..., as a list.

    Works with floats or Fractions alike (``p`` decides); ``extra`` units are taken
    on in the first planned year.
    """
    dist = [p * 0 + 1]  # the number type of p: 1 as a float or a Fraction
    groups = [
        (new[s] + (extra if s == 0 else 0), _by_year_probability(p, t - s + 1))
        for s in range(t + 1)
    ]
    for count, q in groups:
        for _ in range(count):
            nxt = [q * 0] * (len(dist) + 1)
            for k, mass in enumerate(dist):
                if mass:
                    nxt[k] += mass * (1 - q)
                    nxt[k + 1] += mass * q
            dist = nxt
    return [q * 0] * recognised + dist if recognised else dist


def _meet_probability(dist: list[Any], target: int) -> Any:
    return sum(dist[target:], dist[0] * 0) if target < len(dist) else dist[0] * 0


def _buffer(
    recognised: int,
    new: tuple[int, ...],
    total: int,
    t: int,
    target: int,
    *,
    p: float,
    conf: float,
) -> int:
    """Fewest extra units (taken on in the first planned year) for P(meet) >= conf; at most
    the units not already planned by year ``t``."""
    available = total - recognised - sum(new[: t + 1])
    for extra in range(available + 1):
        if _meet_probability(_distribution(recognised, new, t, p, extra), target) >= conf:
            return extra
    return available


def exact_odds(
    plan: RolloutPlan, p_recognised: object
) -> tuple[tuple[str, int, int, Fraction], ...]:
    """The exact probability of meeting each planned-year floor, per region, under the
    simulation's model: ``(region, year, target, probability)``, probability a Fraction.

    >>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
    >>> problem = RolloutProblem(regions=[Region("A", total=2, capacity=2)],
    ...                          milestones=[Milestone(2026, 1)], start=2026, end=2026)
    >>> exact_odds(plan(problem), "9/10")
    (('A', 2026, 2, Fraction(81, 100)),)
    """
    p = _prob(p_recognised)
    problem = plan.problem
    out = []
    for rp in plan.regions:
        goals = sorted(
            {
                (c.year - problem.start, c.target)
                for c in plan.checks
                if c.region == rp.region and not c.past
            }
        )
        for t, target in goals:
            dist = _distribution(rp.recognised, rp.new, t, p)
            out.append(
                (rp.region, plan.years[t], target, Fraction(_meet_probability(dist, target)))
            )
    return tuple(out)
