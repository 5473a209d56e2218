"""Pictures of plans, batches, odds, comparisons and sweeps (extra ``plot``: matplotlib).

Every function draws on ``ax`` (a new figure's Axes when it is ``None``) and returns
the Axes, so pictures combine and can be styled afterwards, as with pandas and pyam.
Texts are set in DejaVu Sans, which matplotlib ships and which has every Vietnamese
letter, so "Hồ Chí Minh" and "Đạt" render with their diacritics whatever the
default font.

- :func:`coverage`: each province's recognised share per year, from the baseline,
  against its milestones (a marker per floor: filled when met, hollow when missed);
- :func:`workload`: the national new wards per year (bars, labelled), with the
  national capacity when there is one;
- :func:`heatmap`: criteria by wards, each cell coloured by its outcome;
- :func:`odds`: the probability of meeting each province's floor in a year, with the
  confidence line;
- :func:`scenarios`: scenarios side by side, per year;
- :func:`sweep`: an outcome of a sweep against a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal

from modelunit._i18n import Lang
from modelunit.errors import InvalidArgumentError, MissingExtraError
from modelunit.outcomes import Outcome
from modelunit.periods import Period

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from modelunit.assessment import BatchAssessment
    from modelunit.comparison import Comparison
    from modelunit.rollout.plan import RolloutPlan
    from modelunit.rollout.simulation import SimulationResult
    from modelunit.sweep import SweepResult

__all__ = [
    "FONT",
    "OUTCOME_COLOURS",
    "coverage",
    "heatmap",
    "odds",
    "scenarios",
    "sweep",
    "workload",
]


def __dir__() -> list[str]:
    return __all__


FONT: Final = "DejaVu Sans"
"""The font of every text drawn (shipped with matplotlib; it has Vietnamese letters)."""

#: Outcome -> colour, the same tones as the HTML tables (colour-blind safe order:
#: green, red, amber, grey), in the order of the batch's outcome codes.
OUTCOME_COLOURS: Final = {
    Outcome.NOT_MET: "#c0392b",
    Outcome.INSUFFICIENT: "#f1c40f",
    Outcome.MET: "#27ae60",
    Outcome.NOT_APPLICABLE: "#bdc3c7",
}
_CODES: Final = (Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.MET, Outcome.NOT_APPLICABLE)

_TEXT: Final = {
    "share": ("recognised share", "tỷ lệ được công nhận"),
    "new": ("new wards", "số phường mới"),
    "year": ("year", "năm"),
    "capacity": ("national capacity", "năng lực toàn quốc"),
    "probability": ("probability of meeting the floor", "xác suất đạt chỉ tiêu"),
    "confidence": ("confidence", "độ tin cậy"),
    "coverage": ("Coverage against milestones", "Tiến độ so với các mốc"),
    "workload": ("National workload", "Khối lượng toàn quốc"),
    "odds": ("Odds of meeting the floors", "Xác suất đạt các mốc"),
    "criteria": ("criterion", "tiêu chí"),
    "recognised": ("wards recognised", "số phường được công nhận"),
    "p_end": ("P(every region meets its last floor)", "P(mọi tỉnh đạt mốc cuối)"),
    "missed": ("floors missed", "số mốc không đạt"),
    "peak": ("national peak (wards a year)", "đỉnh toàn quốc (phường/năm)"),
}


def _say(key: str, lang: Lang) -> str:
    en, vi = _TEXT[key]
    return vi if lang == "vi" else en


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - an optional extra, on use
    except ImportError as exc:
        raise MissingExtraError(
            "pictures need matplotlib: pip install 'modelunit[plot]' (or '.[plot]' from a checkout)"
        ) from exc
    return plt


def _axes(ax: Axes | None, size: tuple[float, float] = (7.0, 4.0)) -> Axes:
    if ax is not None:
        return ax
    _, new = _pyplot().subplots(figsize=size, layout="constrained")
    return new  # type: ignore[no-any-return]


def _finish(ax: Axes, title: str | None, xlabel: str, ylabel: str) -> Axes:
    if title:
        ax.set_title(title, fontfamily=FONT)
    ax.set_xlabel(xlabel, fontfamily=FONT)
    ax.set_ylabel(ylabel, fontfamily=FONT)
    ax.tick_params(labelfontfamily=FONT)
    legend = ax.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontfamily(FONT)
    return ax


def _legend(ax: Axes, **options: Any) -> None:
    ax.legend(prop={"family": FONT}, **options)


def _label(region: str, name: str) -> str:
    return f"{name} ({region})" if name else region


def _short(text: str, most: int = 30) -> str:
    """A tick label of at most ``most`` characters (cut with an ellipsis)."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# -- plans -------------------------------------------------------------------------------


def coverage(
    plan: RolloutPlan,
    *,
    regions: Iterable[str] | None = None,
    ax: Axes | None = None,
    lang: Lang = "en",
    title: str | None = None,
) -> Axes:
    """Each region's recognised share by the end of each year, from the baseline year,
    with its milestone floors as markers (filled: met; hollow: missed). ``regions``
    (ids) picks some; by default all (a legend when there are at most 12)."""
    chosen = _regions(plan, regions)
    ax = _axes(ax)
    years = [plan.problem.baseline_year, *plan.years]
    many = len(chosen) > 12  # a crowd: thinner lines, no legend
    for r in chosen:
        shares = [float(Fraction(r.recognised, r.total)) if r.total else 1.0]
        shares += [float(s) for s in r.share]
        (line,) = ax.plot(
            years,
            shares,
            marker=".",
            label=_label(r.region, r.name),
            linewidth=0.8 if many else 1.5,
            alpha=0.6 if many else 1.0,
        )
        checks = [c for c in plan.checks if c.region == r.region]
        for c in checks:
            ax.plot(
                [c.year],
                [c.target / c.total if c.total else 1.0],
                linestyle="none",
                marker="D",
                markersize=6,
                color=line.get_color(),
                markerfacecolor=line.get_color() if c.met else "white",
                gid=f"milestone:{r.region}:{c.year}:{'met' if c.met else 'missed'}",
            )
    ax.set_ylim(0, 1.05)
    # Milestones before the horizon are drawn where they fell due, so their years too.
    ax.set_xticks(sorted({*years, *(c.year for c in plan.checks)}))
    ax.yaxis.set_major_formatter(_percent_formatter())
    if not many:
        _legend(ax, fontsize="small", loc="lower right")
    return _finish(ax, title or _say("coverage", lang), _say("year", lang), _say("share", lang))


def _regions(plan: RolloutPlan, regions: Iterable[str] | None) -> list[Any]:
    if regions is None:
        return list(plan.regions)
    return [plan.region(rid) for rid in regions]


def _percent_formatter() -> Any:
    from matplotlib.ticker import PercentFormatter  # noqa: PLC0415 - optional extra

    return PercentFormatter(xmax=1.0, decimals=0)


def workload(
    plan: RolloutPlan,
    *,
    ax: Axes | None = None,
    lang: Lang = "en",
    title: str | None = None,
) -> Axes:
    """The national new wards per planned year as labelled bars; the national capacity (per
    year) as a step line when the problem has one."""
    ax = _axes(ax)
    years = list(plan.years)
    bars = ax.bar(years, plan.national, color="#2c7fb8", label=_say("new", lang))
    ax.bar_label(bars, fontfamily=FONT)
    caps = [plan.problem.national_capacity_in(y) for y in years]
    if any(c is not None for c in caps):
        ax.step(
            years,
            [float("nan") if c is None else c for c in caps],
            where="mid",
            color="#d95f0e",
            label=_say("capacity", lang),
        )
        _legend(ax)
    ax.set_xticks(years)
    return _finish(ax, title or _say("workload", lang), _say("year", lang), _say("new", lang))


def plan(plan: RolloutPlan, kind: str = "coverage", **options: Any) -> Axes:
    """:func:`coverage` or :func:`workload` of ``plan`` (``RolloutPlan.plot``)."""
    if kind == "coverage":
        return coverage(plan, **options)
    if kind == "workload":
        return workload(plan, **options)
    raise InvalidArgumentError(f"kind must be 'coverage' or 'workload', got {kind!r}")


# -- assessments -------------------------------------------------------------------------


def heatmap(
    batch: BatchAssessment,
    *,
    period: Period | str | int | None = None,
    ax: Axes | None = None,
    lang: Lang = "en",
    names: bool = True,
    title: str | None = None,
) -> Axes:
    """Criteria (rows) by units (columns) for one period (the batch's last by default),
    each cell coloured by its outcome, with a legend of the outcomes. Units are labelled
    by name (``names=False``: by id)."""
    from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    the_period = batch.periods[-1] if period is None else period
    criteria = [c.id for c in batch.catalog.criteria]
    rows = [list(batch.outcome_codes(the_period, cid)) for cid in criteria]
    n_units = len(batch.units)
    width = max(6.0, 0.35 * n_units + 3)
    height = max(4.0, 0.28 * len(criteria) + 2)
    ax = _axes(ax, (width, height))
    colours = ListedColormap([OUTCOME_COLOURS[o] for o in _CODES])
    ax.imshow(
        rows,
        cmap=colours,
        norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], colours.N),
        aspect="auto",
        interpolation="nearest",
    )
    labels = [_short((u.name or u.id) if names else u.id) for u in batch.units]
    ax.set_xticks(range(n_units), labels, rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(criteria)), criteria)
    ax.set_xticks([x - 0.5 for x in range(1, n_units)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(criteria))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    handles = [
        Patch(
            facecolor=OUTCOME_COLOURS[o],
            label=o.label_vi if lang == "vi" else o.label_en,
        )
        for o in (Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.NOT_APPLICABLE)
    ]
    ax.legend(
        handles=handles,
        prop={"family": FONT, "size": "small"},
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    heading = title or f"{batch.catalog.id} {batch.catalog.version}, {the_period}"
    return _finish(ax, heading, "", _say("criteria", lang))


# -- odds --------------------------------------------------------------------------------


def odds(
    result: SimulationResult | Sequence[tuple[str, int, int, Fraction]],
    *,
    year: int | None = None,
    names: dict[str, str] | None = None,
    confidence: object = None,
    ax: Axes | None = None,
    lang: Lang = "en",
    title: str | None = None,
) -> Axes:
    """Horizontal bars: the probability that each region meets its floor in ``year``
    (the last year with floors by default), lowest on top, and the confidence as a
    vertical line (bars below it red, the others green; blue without a confidence).
    ``result`` is a :class:`~modelunit.rollout.SimulationResult` or the tuples of
    :func:`~modelunit.rollout.exact_odds`; ``names`` maps region ids to the names shown."""
    from modelunit._numbers import exact_fraction  # noqa: PLC0415 - base layer

    if isinstance(result, Sequence):
        rows = [(r, y, p) for r, y, _, p in result]
        level = None if confidence is None else exact_fraction(confidence)
    else:
        rows = [(o.region, o.year, o.probability) for o in result.odds]
        level = result.confidence if confidence is None else exact_fraction(confidence)
    if not rows:
        raise InvalidArgumentError("no odds to draw")
    the_year = max(y for _, y, _ in rows) if year is None else year
    chosen = sorted(((p, r) for r, y, p in rows if y == the_year), key=lambda pr: (pr[0], pr[1]))
    if not chosen:
        raise InvalidArgumentError(f"no odds for {the_year}")
    ax = _axes(ax, (7.0, max(3.0, 0.25 * len(chosen) + 1.5)))
    shown = [_label(r, (names or {}).get(r, "")) for _, r in chosen]
    values = [float(p) for p, _ in chosen]
    bar_colours = [
        "#2c7fb8" if level is None else "#27ae60" if p >= level else "#c0392b" for p, _ in chosen
    ]
    ax.barh(range(len(chosen)), values, color=bar_colours)
    ax.set_yticks(range(len(chosen)), shown)
    ax.invert_yaxis()  # the lowest odds on top, where the eye starts
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_percent_formatter())
    if level is not None:
        ax.axvline(float(level), color="black", linestyle="--", label=_say("confidence", lang))
        _legend(ax, loc="lower right")
    heading = title or f"{_say('odds', lang)}, {the_year}"
    return _finish(ax, heading, _say("probability", lang), "")


# -- comparisons and sweeps --------------------------------------------------------------


def scenarios(
    comparison: Comparison,
    *,
    measure: Literal["new", "recognised"] = "new",
    region: str | None = None,
    ax: Axes | None = None,
    lang: Lang = "en",
    title: str | None = None,
) -> Axes:
    """Scenarios side by side: for each year, one bar per scenario of the new wards
    (``measure="new"``) or the wards recognised by its end (``"recognised"``),
    nationally or for one ``region``."""
    if measure not in ("new", "recognised"):
        raise InvalidArgumentError(f"measure must be 'new' or 'recognised', got {measure!r}")
    ax = _axes(ax)
    years = sorted({y for p in comparison.plans for y in p.years})
    n = len(comparison.plans)
    width = 0.8 / n
    for i, (scenario, plan) in enumerate(zip(comparison.scenarios, comparison.plans, strict=True)):
        values = _by_year(plan, measure, region)
        heights = [values.get(y, 0) for y in years]
        offsets = [y - 0.4 + width * (i + 0.5) for y in years]
        bars = ax.bar(offsets, heights, width=width, label=scenario.id)
        ax.bar_label(bars, fontfamily=FONT, fontsize="small")
    ax.set_xticks(years)
    _legend(ax, fontsize="small")
    where = ""
    if region is not None:
        where = f", {_label(region, comparison.plans[0].region(region).name)}"
    ylabel = _say("new" if measure == "new" else "recognised", lang) + where
    return _finish(ax, title, _say("year", lang), ylabel)


def _by_year(plan: RolloutPlan, measure: str, region: str | None) -> dict[int, int]:
    if region is not None:
        r = plan.region(region)
        series = r.new if measure == "new" else r.cumulative
        return dict(zip(plan.years, series, strict=True))
    if measure == "new":
        return dict(zip(plan.years, plan.national, strict=True))
    totals = [sum(col) for col in zip(*(r.cumulative for r in plan.regions), strict=True)]
    return dict(zip(plan.years, totals, strict=True))


def sweep(
    result: SweepResult,
    *,
    x: str | None = None,
    y: Literal["p_end", "missed", "peak"] = "missed",
    ax: Axes | None = None,
    lang: Lang = "en",
    title: str | None = None,
) -> Axes:
    """An outcome of every point (``y``: floors missed, national peak or ``p_end``)
    against a parameter (``x``, the first by default); with two or more parameters, one
    line per value of the others."""
    if y not in ("p_end", "missed", "peak"):
        raise InvalidArgumentError(f"y must be 'p_end', 'missed' or 'peak', got {y!r}")
    if not result.parameters:
        raise InvalidArgumentError("the sweep varied nothing")
    axis = result.parameters[0] if x is None else x
    if axis not in result.parameters:
        raise InvalidArgumentError(
            f"x must be one of the parameters {result.parameters}, got {axis!r}"
        )
    ax = _axes(ax)
    lines: dict[tuple[tuple[str, object], ...], list[tuple[float, float]]] = {}
    for row in result.summary():
        value = row[y]
        if value is None:
            raise InvalidArgumentError(f"{y} needs p_recognised (the odds)")
        others = tuple((k, row[k]) for k in result.parameters if k != axis)
        lines.setdefault(others, []).append((_number(row[axis]), float(value)))
    for others, points in lines.items():
        xs, ys = zip(*sorted(points), strict=True)
        label = ", ".join(f"{k}={_shown(v)}" for k, v in others) or None
        ax.plot(xs, ys, marker="o", label=label)
    if len(lines) > 1:
        _legend(ax, fontsize="small")
    if y == "p_end":
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(_percent_formatter())
    return _finish(ax, title, axis, _say(y, lang))


def _number(value: object) -> float:
    if isinstance(value, int | float | Fraction) and not isinstance(value, bool):
        return float(value)
    raise InvalidArgumentError(f"cannot draw a parameter of value {value!r} on an axis")


def _shown(value: object) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value) * 100:g}%"
    return str(value)
