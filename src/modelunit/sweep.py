"""Sweeps: plan a scenario over a grid of what-ifs and collect plans, checks and odds.

Each keyword of :meth:`Scenario.what_if <modelunit.scenarios.Scenario.what_if>` takes
a list of values (an axis of the grid), a single value (fixed) or, for the per-region
ones (``capacity``, ``capacity_scale``, ``baseline``), a mapping of regions to lists
(an axis per region, named ``capacity[79]``). Every point of the grid is planned; the
odds are exact (:func:`~modelunit.rollout.exact_odds`) when the scenario or the grid
gives ``p_recognised``, or drawn by :func:`~modelunit.rollout.simulate` with ``runs``:

>>> from modelunit.scenarios import load_scenario
>>> from modelunit.sweep import sweep
>>> national = load_scenario("national-2027-2030")
>>> result = sweep(national, capacity_scale=["60%", "80%", "100%"])
>>> [(row["capacity_scale"], row["feasible"], row["missed"]) for row in result.summary()]
[(Fraction(3, 5), False, 34), (Fraction(4, 5), False, 7), (Fraction(1, 1), True, 0)]

``executor=`` takes any object with the :class:`concurrent.futures.Executor` ``map``
interface: a ``ProcessPoolExecutor``, ``multiprocessing.Pool``, the executor of a
Dask cluster (``distributed.Client(...).get_executor()``) or ``ray.util.multiprocessing
.Pool``. Only ``map`` is called, one task per chunk of ``chunk_size`` points. Points
and their seeds depend only on the grid and ``seed`` (point ``k`` draws from
``random.Random(f"{seed}/{k}")``), so the result is the same whatever the executor,
the number of workers and the chunk size.
"""

from __future__ import annotations

import importlib.util
import itertools
import random
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

import attrs

from modelunit import frames
from modelunit._numbers import exact_fraction
from modelunit.comparison import Odds, chances, summary_row
from modelunit.errors import InvalidArgumentError, MissingExtraError
from modelunit.rollout.plan import RolloutPlan
from modelunit.rollout.simulation import ExactOdds, exact_odds, simulate
from modelunit.scenarios import Scenario

if TYPE_CHECKING:
    from modelunit._i18n import Lang

__all__ = ["PARAMETERS", "MapExecutor", "SweepPoint", "SweepResult", "sweep"]


def __dir__() -> list[str]:
    return __all__


#: The keywords a sweep varies: those of ``Scenario.what_if`` (the per-region ones may
#: also be mappings of regions to values).
PARAMETERS: Final = (
    "capacity",
    "capacity_scale",
    "baseline",
    "target_year",
    "national_capacity",
    "p_recognised",
    "strategy",
)
_PER_REGION: Final = frozenset({"capacity", "capacity_scale", "baseline"})
_SHARES: Final = frozenset({"capacity_scale", "baseline", "p_recognised"})


class MapExecutor(Protocol):
    """What a sweep needs of an executor: ``map(fn, iterable)``, results in order."""

    def map(self, fn: Callable[[Any], Any], iterable: Iterable[Any], /) -> Iterable[Any]: ...


@attrs.frozen
class SweepPoint:
    """One point of the grid: its parameters (axis name -> value), the scenario id, the
    plan and the odds (``None`` without ``p_recognised``)."""

    index: int
    parameters: tuple[tuple[str, object], ...]
    scenario: str
    plan: RolloutPlan
    odds: Odds | None


@attrs.frozen(repr=False)
class SweepResult:
    """The points of a sweep, in grid order (the last axis varies fastest)."""

    scenario: str
    parameters: tuple[str, ...]
    points: tuple[SweepPoint, ...]

    def __repr__(self) -> str:
        axes = ", ".join(self.parameters)
        return f"<SweepResult of {self.scenario}: {len(self.points)} points over {axes}>"

    def summary(self) -> list[frames.Record]:
        """One row per point: its parameters, then
        :func:`~modelunit.comparison.summary_row` (feasible, peak, missed, at risk,
        ``p_end``, cost)."""
        rows: list[frames.Record] = []
        for point in self.points:
            row = summary_row(point.scenario, point.plan, point.odds)
            rows.append({"point": point.index, **dict(point.parameters), **row})
        return rows

    def to_records(self) -> list[frames.Record]:
        """One row per point and milestone check: its parameters, the region and year,
        the target, the coverage, met or not, and the probability of meeting it."""
        rows: list[frames.Record] = []
        for point in self.points:
            params = dict(point.parameters)
            chance = chances(point.odds)
            rows.extend(
                {
                    "point": point.index,
                    **params,
                    "region": c.region,
                    "year": c.year,
                    "target": c.target,
                    "coverage": c.coverage,
                    "met": c.met,
                    "probability": chance.get((c.region, c.year, c.target)),
                }
                for c in point.plan.checks
            )
        return rows

    def to_pandas(self, table: Literal["summary", "checks"] = "summary") -> Any:
        """The summary (one row per point) or the checks (one row per point and
        milestone) as a DataFrame (extra ``pandas``)."""
        if table == "summary":
            return frames.to_pandas(self.summary())
        if table == "checks":
            return frames.to_pandas(self.to_records())
        raise InvalidArgumentError(f"unknown table {table!r}; expected 'summary' or 'checks'")

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - rendered on demand

        return display.html(self)

    def html(self, lang: Lang = "en") -> str:
        """The HTML of the notebook view, in ``lang``."""
        from modelunit import display  # noqa: PLC0415 - rendered on demand

        return display.html(self, lang)

    def plot(self, **options: Any) -> Any:
        """An outcome against the first parameter (:func:`modelunit.plot.sweep`)."""
        from modelunit import plot  # noqa: PLC0415 - matplotlib on demand

        return plot.sweep(self, **options)


# -- the grid ----------------------------------------------------------------------------


def _is_axis(value: object) -> bool:
    return isinstance(value, Sequence | range) and not isinstance(value, str | bytes)


def _value(name: str, region: str | None, value: object) -> object:
    """An axis value in its exact form (shares as Fractions), so columns compare equal.
    A region's baseline is a count, the national one a share."""
    if name in _SHARES and not (name == "baseline" and region is not None):
        try:
            return exact_fraction(value)
        except ValueError as exc:
            raise InvalidArgumentError(f"{name}: {exc}") from None
    return value


def _renamed(name: str, grid: Mapping[str, object]) -> str:
    """``name``, or the new name of a renamed parameter (``national_cap``: deprecated)."""
    if name != "national_cap":
        return name
    if "national_capacity" in grid:
        raise InvalidArgumentError(
            "sweep() got both national_cap and national_capacity; national_cap is the "
            "deprecated name of national_capacity: give only national_capacity"
        )
    warnings.warn(
        "sweep(national_cap=...) is deprecated; use national_capacity=",
        DeprecationWarning,
        stacklevel=4,
    )
    return "national_capacity"


def _axes(grid: Mapping[str, object]) -> list[tuple[str, str, str | None, tuple[object, ...]]]:
    """(axis name, keyword, region or None, values) for every axis of the grid."""
    axes: list[tuple[str, str, str | None, tuple[object, ...]]] = []
    for old_name, spec in grid.items():
        name = _renamed(old_name, grid)
        if name not in PARAMETERS:
            raise InvalidArgumentError(
                f"sweep() cannot vary {name!r}; it varies {', '.join(PARAMETERS)}"
            )
        if isinstance(spec, Mapping):
            if name not in _PER_REGION:
                raise InvalidArgumentError(f"{name} is national: give a list, not a mapping")
            for region, values in spec.items():
                seq = (
                    tuple(values)
                    if isinstance(values, Iterable) and _is_axis(values)
                    else (values,)
                )
                axes.append((f"{name}[{region}]", name, str(region), seq))
        else:
            seq = tuple(spec) if isinstance(spec, Iterable) and _is_axis(spec) else (spec,)
            axes.append((name, name, None, seq))
        if not axes[-1][3]:
            raise InvalidArgumentError(f"{axes[-1][0]}: no values to sweep")
    return axes


def _points(
    axes: Sequence[tuple[str, str, str | None, tuple[object, ...]]],
) -> Iterator[tuple[tuple[tuple[str, object], ...], dict[str, Any]]]:
    """(parameters, what_if keywords) of every point, in grid order."""
    for combo in itertools.product(*(values for *_, values in axes)):
        params: list[tuple[str, object]] = []
        keywords: dict[str, Any] = {}
        for (label, name, region, _), value in zip(axes, combo, strict=True):
            exact = _value(name, region, value)
            params.append((label, exact))
            if region is None:
                keywords[name] = exact
            else:
                keywords.setdefault(name, {})[region] = exact
        yield tuple(params), keywords


# -- the work ----------------------------------------------------------------------------

_Task = tuple[
    Scenario,
    tuple[tuple[int, tuple[tuple[str, object], ...], dict[str, Any]], ...],
    int | None,
    int,
    Fraction,
]


def _seed(seed: int, k: int) -> int:
    """The seed of point ``k``: a stable hash of ``seed/k`` (SHA-512 in ``random``), so
    it is the same in every process and whatever the chunks."""
    return random.Random(f"{seed}/{k}").getrandbits(63)


def _run_chunk(task: _Task) -> list[SweepPoint]:
    """Plan the points of one chunk (a top-level function, so that it pickles)."""
    scenario, points, runs, seed, confidence = task
    out = []
    for k, params, keywords in points:
        variant = scenario.what_if(**keywords) if keywords else scenario
        plan = variant.plan()
        odds: Odds | None = None
        if variant.p_recognised is not None:
            if runs is None:
                odds = exact_odds(plan, variant.p_recognised)
            else:
                sim = simulate(
                    plan,
                    variant.p_recognised,
                    runs=runs,
                    seed=_seed(seed, k),
                    confidence=confidence,
                )
                odds = tuple(ExactOdds(o.region, o.year, o.target, o.probability) for o in sim.odds)
        out.append(SweepPoint(k, params, variant.id, plan, odds))
    return out


Progress = Callable[[int, int], object]
"""Called as ``progress(points_done, points_total)`` after each chunk."""


def _bar(total: int, *, delay: float) -> tuple[Progress, Callable[[], None]] | None:
    """A tqdm bar (the notebook one in a kernel with ipywidgets), or None without tqdm."""
    try:
        from tqdm import tqdm  # noqa: PLC0415 - optional: the notebook extra
    except ImportError:
        return None
    bar_class: Any = tqdm
    if "ipykernel" in sys.modules and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as notebook_tqdm  # noqa: PLC0415 - needs ipywidgets

        bar_class = notebook_tqdm
    bar = bar_class(total=total, unit="point", delay=delay, desc="sweep")

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def _reporter(
    progress: Progress | bool | None, total: int
) -> tuple[Progress | None, Callable[[], None]]:
    """The progress callback and what to call at the end. ``None``: a bar in a terminal
    or a notebook kernel when tqdm is installed, shown only after a second."""
    if progress is None:
        interactive = "ipykernel" in sys.modules or sys.stderr.isatty()
        bar = _bar(total, delay=1.0) if interactive else None
        return bar if bar is not None else (None, _nothing)
    if progress is False:
        return None, _nothing
    if progress is True:
        bar = _bar(total, delay=0.0)
        if bar is None:
            raise MissingExtraError("a progress bar needs tqdm: pip install 'modelunit[notebook]'")
        return bar
    if callable(progress):
        return progress, _nothing
    raise InvalidArgumentError(f"progress: expected None, a bool or a callable, got {progress!r}")


def _nothing() -> None:
    return None


def _positive(name: str, value: object) -> None:
    """A positive whole number (typed, but callers may pass anything: checked as object)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be a positive whole number, got {value!r}")


def sweep(
    scenario: Scenario,
    *,
    executor: MapExecutor | None = None,
    chunk_size: int = 4,
    runs: int | None = None,
    seed: int = 0,
    confidence: object = "90%",
    progress: Progress | bool | None = None,
    **grid: object,
) -> SweepResult:
    """Plan ``scenario`` at every point of the grid given by the keywords
    (:data:`PARAMETERS`; see the module's documentation).

    ``executor`` (any object with ``map(fn, iterable)``; ``None``: in this process)
    runs the chunks of ``chunk_size`` points; it is used, never shut down. ``runs``
    draws the odds by simulation (seeded per point from ``seed``) instead of computing
    them exactly. ``progress``: ``None`` shows a tqdm bar in an interactive session
    when tqdm is installed, ``False`` never, ``True`` always (the ``notebook`` extra),
    or a callable ``progress(done, total)``.
    """
    _positive("chunk_size", chunk_size)
    if runs is not None:
        _positive("runs", runs)
    conf = exact_fraction(confidence)
    axes = _axes(grid)
    points = [(k, params, kw) for k, (params, kw) in enumerate(_points(axes))]
    if points and points[0][2]:
        # A bad value or region fails here, on the first point, rather than in a worker.
        scenario.what_if(**points[0][2])
    chunks: list[_Task] = [
        (scenario, tuple(points[i : i + chunk_size]), runs, seed, conf)
        for i in range(0, len(points), chunk_size)
    ]
    report, close = _reporter(progress, len(points))
    done = 0
    results: list[SweepPoint] = []
    mapped = map(_run_chunk, chunks) if executor is None else executor.map(_run_chunk, chunks)
    try:
        for chunk in mapped:
            results.extend(chunk)
            done += len(chunk)
            if report is not None:
                report(done, len(points))
    finally:
        close()
    return SweepResult(
        scenario=scenario.id,
        parameters=tuple(label for label, *_ in axes),
        points=tuple(results),
    )
