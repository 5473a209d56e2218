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
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs

from modelunit._numbers import ceil_share, exact_fraction
from modelunit.errors import InvalidArgumentError
from modelunit.rollout.plan import RegionPlan, RolloutPlan
from modelunit.rollout.problem import shown

__all__ = [
    "MAX_DENOMINATOR",
    "MAX_RUNS",
    "MAX_SIMULATED_UNITS",
    "ExactOdds",
    "MilestoneOdds",
    "SimulationResult",
    "exact_odds",
    "simulate",
]


def __dir__() -> list[str]:
    return __all__


#: Most runs of one simulation. A million runs pin every probability down to about
#: 0.0015 (three standard errors at 1/2); more would only cost time (each run draws
#: every region-year).
MAX_RUNS = 1_000_000

#: Most units one region may have still to recognise (``total - recognised``) for
#: :func:`simulate` and :func:`exact_odds`, whose buffers and probabilities come from
#: the exact distribution of the number recognised (integer weights over a power of
#: the denominator of ``p``). 1,000 covers the largest province of the pre-2025 map
#: counted in communes (Thanh Hóa, 559) and four times Hồ Chí Minh City's 249 wards. A
#: plan with a larger region is refused (:class:`~modelunit.errors.InvalidArgumentError`)
#: rather than answered approximately.
MAX_SIMULATED_UNITS = 1_000

#: Largest denominator of ``p_recognised`` and ``confidence`` (both read exactly): the
#: exact weights have about ``units x years x digits of p`` digits, so the digits of
#: ``p`` count. Ten thousand allows any percentage to two decimals (``"99.99%"``).
MAX_DENOMINATOR = 10_000


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


def _prob(value: object, name: str) -> Fraction:
    try:
        p = exact_fraction(value)
    except (ValueError, ArithmeticError):  # InvalidValueError; a Decimal infinity
        raise InvalidArgumentError(
            f"{name}: expected a probability in 0..1, got {shown(value)}"
        ) from None
    if not 0 <= p <= 1:
        raise InvalidArgumentError(f"{name}: expected a probability in 0..1, got {shown(p)}")
    if p.denominator > MAX_DENOMINATOR:
        raise InvalidArgumentError(
            f"{name}: {shown(p)} is too fine: at most {MAX_DENOMINATOR:,} as a denominator "
            "(MAX_DENOMINATOR: a percentage to two decimals)"
        )
    return p


def _count(value: object, name: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise InvalidArgumentError(
            f"{name} must be a whole number from 1 to {limit:,}, got {shown(value)}"
        )
    return value


def _check_plan(plan: object) -> None:
    if not isinstance(plan, RolloutPlan):
        raise InvalidArgumentError(f"expected a RolloutPlan, got {shown(plan)}")
    for rp in plan.regions:
        if rp.total - rp.recognised > MAX_SIMULATED_UNITS:
            raise InvalidArgumentError(
                f"region {rp.region!r} has {rp.total - rp.recognised:,} units to recognise; "
                f"the simulation's exact distribution handles at most {MAX_SIMULATED_UNITS:,} "
                "per region (MAX_SIMULATED_UNITS)"
            )


def _goals(plan: RolloutPlan, region: str) -> list[tuple[int, int]]:
    """Floors to check for one region in the horizon: (year index, target), sorted."""
    start = plan.problem.start
    return sorted(
        {(c.year - start, c.target) for c in plan.checks if c.region == region and not c.past}
    )


def simulate(
    plan: RolloutPlan,
    p_recognised: object,
    *,
    runs: int = 10_000,
    seed: int = 0,
    confidence: object = "90%",
) -> SimulationResult:
    """Simulate ``plan`` ``runs`` times; the probability of meeting each floor per region.

    ``seed`` is a whole number: the same seed gives the same result. A probability
    outside 0..1 (or finer than :data:`MAX_DENOMINATOR`), a run count that is not a
    whole number from 1 to :data:`MAX_RUNS`, a seed that is not a whole number, or a
    region with more than :data:`MAX_SIMULATED_UNITS` units to recognise raises
    :class:`~modelunit.errors.InvalidArgumentError`.
    """
    _check_plan(plan)
    p = _prob(p_recognised, "p_recognised")
    conf = _prob(confidence, "confidence")
    runs = _count(runs, "runs", MAX_RUNS)
    seed_raw: object = seed  # typed, but callers may pass anything: check it as object
    if isinstance(seed_raw, bool) or not isinstance(seed_raw, int):
        raise InvalidArgumentError(
            f"seed must be a whole number (the same seed gives the same result), "
            f"got {shown(seed_raw)}"
        )
    rng = random.Random(seed)
    draw = rng.random
    pf = float(p)  # sampling only: the reported probabilities are exact counts
    tables: dict[int, list[float]] = {}
    n_years = len(plan.years)
    odds: list[MilestoneOdds] = []
    for rp in plan.regions:
        goals = _goals(plan, rp.region)
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
            buffer = _buffer(rp, t=t, target=target, p=p, conf=conf)
            odds.append(
                MilestoneOdds(
                    rp.region, plan.years[t], target, Fraction(hits, runs), quantile, buffer
                )
            )
    return SimulationResult(runs, seed, p, conf, tuple(odds))


# --- the exact distribution -----------------------------------------------------------
# With p = a/b, a unit in progress for e years is recognised by then with probability
# 1 - (1 - p)**e = (b**e - (b - a)**e) / b**e: every probability of the model is an
# integer over a power of b. Distributions are kept as integer weights over a power of
# b (P(X = k) = w[k] / b**scale), so sums and products are exact integer arithmetic:
# no Fraction normalisation, no float. Only one side of a distribution is needed: the
# chance of at least ``need`` hits among ``N`` units is one minus that of at most
# ``need - 1`` hits, or that of at most ``N - need`` misses, so weights are computed up
# to the smaller of those two degrees (a plan that meets its floors just in time has
# few misses to spare).


def _binomial(count: int, success: int, failure: int, degree: int) -> list[int]:
    """``C(count, k) * success**k * failure**(count - k)`` for ``k = 0..degree``
    (capped at ``count``): the weights of a binomial count, cut at ``degree``."""
    top = min(degree, count)  # degree >= 0: a need of at least 1, or misses to spare
    fails = [0] * (top + 1)
    fails[top] = failure ** (count - top)
    for k in range(top - 1, -1, -1):
        fails[k] = fails[k + 1] * failure
    out = []
    choose = 1  # C(count, k)
    wins = 1  # success**k
    for k in range(top + 1):
        out.append(choose * wins * fails[k])
        choose = choose * (count - k) // (k + 1)
        wins *= success
    return out


def _convolve(x: list[int], y: list[int], degree: int) -> list[int]:
    """Weights of the sum of two independent counts, cut at ``degree``."""
    out = [0] * min(len(x) + len(y) - 1, degree + 1)
    top = len(out)
    for i, u in enumerate(x[:top]):
        if u:
            for j, v in enumerate(y[: top - i]):
                out[i + j] += u * v
    return out


def _running(weights: list[int]) -> list[int]:
    """``out[k]`` = sum of ``weights[: k + 1]``."""
    out = []
    acc = 0
    for w in weights:
        acc += w
        out.append(acc)
    return out


class _GoalOdds:
    """The probability that at least ``need`` of a region's units in progress are
    recognised by the end of planned year ``t`` (index 0: the first planned year), with
    ``extra`` more units taken on in the first planned year: exactly (:meth:`meets`), or
    compared with a confidence (:meth:`enough`)."""

    def __init__(self, new: tuple[int, ...], t: int, need: int, p: Fraction) -> None:
        a, b = p.numerator, p.denominator
        self.need = need
        self.b = b
        # Per group of units in progress for t - s + 1 years: (units, hit weight, miss
        # weight, years), hit + miss = b**years; and the same as floats for the filter.
        self.groups: list[tuple[int, int, int, int]] = []
        self.float_groups: list[tuple[int, float, float]] = []
        for s in range(t + 1):
            elapsed = t - s + 1
            miss = (b - a) ** elapsed
            whole = b**elapsed
            self.groups.append((new[s], whole - miss, miss, elapsed))
            # Each float is the exact ratio rounded once (int / int is correctly rounded).
            self.float_groups.append((new[s], (whole - miss) / whole, miss / whole))
        self.later_units = sum(new[1 : t + 1])
        self.later_scale = sum(g[0] * g[3] for g in self.groups[1:])
        self._exact: dict[bool, tuple[int, list[int]]] = {}  # misses? -> (degree, running)
        self._float: dict[bool, tuple[int, list[float]]] = {}
        self._first: dict[bool, tuple[int, int, list[float]]] = {}  # (units, degree, pmf)

    def _side(self, extra: int) -> tuple[int, bool, int] | None:
        """(units in the first group, count misses?, degree) for ``extra``; ``None`` when
        the probability is 0 or 1 outright."""
        count = self.groups[0][0] + extra
        units = count + self.later_units
        if self.need <= 0 or self.need > units:
            return None
        spare = units - self.need  # misses allowed
        misses = spare < self.need
        return count, misses, spare if misses else self.need - 1

    def _later_exact(self, misses: bool, degree: int) -> list[int]:
        """Running sums of the exact weights of hits (or misses) among the units taken
        on after the first planned year, up to ``degree`` at least."""
        known = self._exact.get(misses)
        if known is None or known[0] < degree:
            if known is not None:
                degree = max(degree, 2 * known[0])  # grow geometrically
            dist = [1]
            for count, hit, miss, _ in self.groups[1:]:
                if count:
                    won, lost = (miss, hit) if misses else (hit, miss)
                    dist = _convolve(dist, _binomial(count, won, lost, degree), degree)
            known = (degree, _running(dist))
            self._exact[misses] = known
        return known[1]

    def meets(self, extra: int = 0) -> tuple[int, int]:
        """The exact probability as ``(numerator, exponent)``: numerator / b**exponent."""
        side = self._side(extra)
        if side is None:
            return (1 if self.need <= 0 else 0), 0
        count, misses, degree = side
        _, hit, miss, elapsed = self.groups[0]
        later = self._later_exact(misses, degree)
        won, lost = (miss, hit) if misses else (hit, miss)
        top = len(later) - 1
        total = 0
        for j, w in enumerate(_binomial(count, won, lost, degree)):
            total += w * later[min(degree - j, top)]
        scale = count * elapsed + self.later_scale
        whole: int = self.b**scale
        return (total, scale) if misses else (whole - total, scale)

    # -- the floating-point filter ------------------------------------------------------
    # Every float below is a sum or a product of non-negative floats, each rounded once
    # (relative error at most u = 2**-53). Along any chain of M such operations the
    # errors multiply, so the computed value is within a factor (1 + u)**M of the true
    # one, plus at most 1e-300 in all for results that underflow (far below any
    # confidence other than 0, whose denominator is at most MAX_DENOMINATOR). Each unit
    # of the dynamic programme adds 2 operations to a chain, running sums and the final
    # sum one per term, so M = 4 * (units + terms) + 16 bounds every chain.

    def _later_float(self, misses: bool, degree: int) -> list[float]:
        known = self._float.get(misses)
        if known is None or known[0] < degree:
            if known is not None:
                degree = max(degree, 2 * known[0])
            dist = [1.0]
            for count, hit, miss in self.float_groups[1:]:
                won, lost = (miss, hit) if misses else (hit, miss)
                for _ in range(count):
                    dist = _bernoulli(dist, won, lost, degree)
            running = []
            acc = 0.0
            for w in dist:
                acc += w
                running.append(acc)
            known = (degree, running)
            self._float[misses] = known
        return known[1]

    def _first_float(self, count: int, misses: bool, degree: int) -> list[float]:
        # The first group's distribution, extended one unit at a time when the buffer
        # search asks for one more unit than last time.
        _, hit, miss = self.float_groups[0]
        won, lost = (miss, hit) if misses else (hit, miss)
        known = self._first.get(misses)
        if known is not None and known[0] <= count and known[1] >= degree:
            done, degree, dist = known
        else:
            done, dist = 0, [1.0]
        for _ in range(count - done):
            dist = _bernoulli(dist, won, lost, degree)
        self._first[misses] = (count, degree, dist)
        return dist

    def enough(self, extra: int, conf: Fraction) -> bool:
        """Whether the probability is at least ``conf``, decided exactly: in floating
        point when the error bound allows, else with the exact weights."""
        side = self._side(extra)
        if side is None:
            return self.need <= 0 or conf == 0
        count, misses, degree = side
        later = self._later_float(misses, degree)
        first = self._first_float(count, misses, degree)[: degree + 1]
        top = len(later) - 1
        value = 0.0
        for j, w in enumerate(first):
            value += w * later[min(degree - j, top)]
        chain = 4 * (count + self.later_units + len(later) + len(first)) + 16
        grow = Fraction(1) + Fraction(chain + 1, 2**53)
        shrink = 1 / grow  # (1 + u)**M <= grow, as M * u is tiny
        slack = Fraction(1, 10**300)
        # value estimates P(meet) when counting misses, P(miss the floor) otherwise.
        least = max(Fraction(0), Fraction(value) - slack) * shrink
        most = (Fraction(value) + slack) * grow
        low, high = (least, most) if misses else (1 - most, 1 - least)
        if low >= conf:
            return True
        if high < conf:
            return False
        num, scale = self.meets(extra)
        whole: int = self.b**scale
        return num * conf.denominator >= conf.numerator * whole


def _bernoulli(dist: list[float], won: float, lost: float, degree: int) -> list[float]:
    """``dist`` with one more unit counted with probability ``won``, cut at ``degree``."""
    out = [w * lost for w in dist]
    out.append(0.0)
    for k, w in enumerate(dist):
        out[k + 1] += w * won
    return out[: degree + 1]


def _buffer(rp: RegionPlan, *, t: int, target: int, p: Fraction, conf: Fraction) -> int:
    """Fewest extra units (taken on in the first planned year) for P(meet) >= conf,
    compared exactly; at most the units not already planned by year ``t``."""
    available = rp.total - rp.recognised - sum(rp.new[: t + 1])
    odds = _GoalOdds(rp.new, t, target - rp.recognised, p)
    for extra in range(available + 1):
        if odds.enough(extra, conf):
            return extra
    return available


@attrs.frozen
class ExactOdds:
    """The exact probability (a ``Fraction``) that ``region`` meets its floor ``target``
    by ``year`` under the simulation's model. Unpacks like the tuple
    ``(region, year, target, probability)`` that :func:`exact_odds` used to return."""

    region: str
    year: int
    target: int
    probability: Fraction

    def __iter__(self) -> Iterator[object]:
        return iter((self.region, self.year, self.target, self.probability))


def exact_odds(plan: RolloutPlan, p_recognised: object) -> tuple[ExactOdds, ...]:
    """The exact probability of meeting each planned-year floor, per region, under the
    simulation's model.

    >>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
    >>> problem = RolloutProblem(regions=[Region("A", total=2, capacity=2)],
    ...                          milestones=[Milestone(2026, 1)], start=2026, end=2026)
    >>> exact_odds(plan(problem), "9/10")
    (ExactOdds(region='A', year=2026, target=2, probability=Fraction(81, 100)),)

    Raises :class:`~modelunit.errors.InvalidArgumentError` for a probability outside
    0..1 or a plan with a region over :data:`MAX_SIMULATED_UNITS` units to recognise.
    """
    _check_plan(plan)
    p = _prob(p_recognised, "p_recognised")
    out = []
    for rp in plan.regions:
        for t, target in _goals(plan, rp.region):
            num, scale = _GoalOdds(rp.new, t, target - rp.recognised, p).meets()
            probability = Fraction(num, p.denominator**scale)
            out.append(ExactOdds(rp.region, plan.years[t], target, probability))
    return tuple(out)
