"""Results as rows: plain records (no dependency), long pandas frames, IAMC frames.

Every result type becomes a list of plain ``dict`` rows in **long format**, with exact
numbers (``Fraction`` shares, ``Decimal`` costs) and ids as text:

- a plan (:func:`plan_records`): one row per region, year and measure
  (``new``, ``recognised``, ``share``, ``target`` and, with unit costs, ``cost``);
- an assessment or a batch (:func:`assessment_records`, :func:`batch_records`): one row
  per unit, period and criterion, with the outcome, the values compared and the
  evidence ids;
- a criteria set, a diagnosis, a simulation (one row per criterion, shortfall or
  capacity increase, and milestone).

>>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
>>> problem = RolloutProblem(regions=[Region("01", "Hà Nội", total=3, recognised=1)],
...                          milestones=[Milestone(2027, 1)], start=2027, end=2027)
>>> for row in plan_records(plan(problem)):
...     print(row)
{'region': '01', 'name': 'Hà Nội', 'year': 2027, 'measure': 'new', 'value': 2}
{'region': '01', 'name': 'Hà Nội', 'year': 2027, 'measure': 'recognised', 'value': 3}
{'region': '01', 'name': 'Hà Nội', 'year': 2027, 'measure': 'share', 'value': Fraction(1, 1)}
{'region': '01', 'name': 'Hà Nội', 'year': 2027, 'measure': 'target', 'value': 3}

:func:`to_pandas` turns any of them into a DataFrame (extra ``pandas``): region codes
stay text (``"01"``, never ``1``), shares and costs become floats. :func:`iamc_frame`
gives the IAMC columns (model, scenario, region, variable, unit, year, value) that
``pyam.IamDataFrame`` reads. :func:`plan_csv` is the plan as CSV for spreadsheets, with
the share as a decimal number (``0.490196``, never ``25/51``, which a spreadsheet may
read as a date).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from modelunit.errors import InvalidArgumentError, MissingExtraError

if TYPE_CHECKING:
    from modelunit.assessment import BatchAssessment
    from modelunit.criteria import CriteriaSet
    from modelunit.results import Assessment, RuleTrace
    from modelunit.rollout.feasibility import Diagnosis
    from modelunit.rollout.plan import RolloutPlan
    from modelunit.rollout.simulation import SimulationResult

__all__ = [
    "ASSESSMENT_COLUMNS",
    "IAMC_COLUMNS",
    "IAMC_VARIABLES",
    "PLAN_COLUMNS",
    "PLAN_MEASURES",
    "Record",
    "assessment_records",
    "batch_records",
    "criteria_records",
    "diagnosis_records",
    "iamc_frame",
    "iamc_records",
    "plan_csv",
    "plan_records",
    "records",
    "simulation_records",
    "to_pandas",
]


def __dir__() -> list[str]:
    return __all__


Record = dict[str, Any]
"""One row: column name -> value (exact numbers, ids as text)."""

PLAN_MEASURES: Final = ("new", "recognised", "share", "target", "cost")
"""The measures of a plan's rows, in their order: new units taken on that year, units
recognised by its end, the recognised share (exact), the floor in force by its end (the
highest milestone due by then) and, for regions with a unit cost, that year's cost."""

PLAN_COLUMNS: Final = ("region", "name", "year", "measure", "value")
"""The columns of a plan's long rows: one row per region, year and measure."""

ASSESSMENT_COLUMNS: Final = (
    "unit",
    "period",
    "criterion",
    "outcome",
    "values",
    "evidence",
    "group",
    "mandatory",
    "reason",
)
"""The columns of an assessment's rows: one row per unit, period and criterion, with the
values compared (``values``) and the evidence ids cited (``evidence``)."""

IAMC_COLUMNS: Final = ("model", "scenario", "region", "variable", "unit", "year", "value")
"""The IAMC format's columns (as pyam reads them)."""

#: Plan measure -> (IAMC variable, its unit). Shares are in percent there, as IAMC data are.
IAMC_VARIABLES: Final[Mapping[str, tuple[str, str]]] = {
    "new": ("Wards|New", "ward"),
    "recognised": ("Wards|Recognised", "ward"),
    "share": ("Wards|Recognised|Share", "%"),
    "target": ("Wards|Target", "ward"),
    "cost": ("Cost", "cost"),
}


# -- plans -------------------------------------------------------------------------------


def plan_records(plan: RolloutPlan) -> list[Record]:
    """One row per region, planned year and measure (see :data:`PLAN_MEASURES`)."""
    problem = plan.problem
    rows: list[Record] = []
    for r in plan.regions:
        costs = r.cost
        for t, year in enumerate(plan.years):
            values: list[tuple[str, object]] = [
                ("new", r.new[t]),
                ("recognised", r.cumulative[t]),
                ("share", r.share[t]),
                ("target", problem.target(r.region, year)),
            ]
            if costs is not None:
                values.append(("cost", costs[t]))
            rows.extend(
                {"region": r.region, "name": r.name, "year": year, "measure": m, "value": v}
                for m, v in values
            )
    return rows


def iamc_records(
    plan: RolloutPlan,
    *,
    scenario: str | None = None,
    model: str = "modelunit",
    cost_unit: str = "cost",
) -> list[Record]:
    """The plan in the IAMC format (:data:`~modelunit.frames.IAMC_COLUMNS`, variables
    :data:`IAMC_VARIABLES`): ``scenario`` defaults to the plan's strategy; shares in
    percent (exact), regions by code."""
    name = plan.strategy if scenario is None else scenario
    rows = []
    for row in plan_records(plan):
        variable, unit = IAMC_VARIABLES[row["measure"]]
        value = row["value"] * 100 if row["measure"] == "share" else row["value"]
        rows.append(
            {
                "model": model,
                "scenario": name,
                "region": row["region"],
                "variable": variable,
                "unit": cost_unit if row["measure"] == "cost" else unit,
                "year": row["year"],
                "value": value,
            }
        )
    return rows


def iamc_frame(
    plan: RolloutPlan,
    *,
    scenario: str | None = None,
    model: str = "modelunit",
    cost_unit: str = "cost",
) -> Any:
    """:func:`iamc_records` as a pandas DataFrame: ``pyam.IamDataFrame(iamc_frame(p))``."""
    rows = iamc_records(plan, scenario=scenario, model=model, cost_unit=cost_unit)
    return to_pandas(rows, columns=IAMC_COLUMNS)


def _decimal_share(share: Fraction, places: int = 6) -> Decimal:
    """A share as a decimal number, rounded half to even to ``places`` (exact when it can be)."""
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN).normalize()


def plan_csv(plan: RolloutPlan) -> str:
    """The plan as CSV, one line per region and year: ``region,name,year,new,cumulative,
    total,share,percent``. ``share`` is a decimal number (6 places, half to even) and
    ``percent`` has one decimal, so spreadsheets and ``pandas.read_csv`` read numbers,
    never fractions such as ``25/51`` (or ``2/3``, which a spreadsheet reads as a date).
    Region codes are written as they are (``01``); read them back as text with
    ``pd.read_csv(..., dtype={"region": str})``.

    >>> from modelunit.rollout import Milestone, Region, RolloutProblem, plan
    >>> p = plan(RolloutProblem(regions=[Region("01", "Hà Nội", total=51, recognised=16)],
    ...                         milestones=[Milestone(2027, "25/51")], start=2027, end=2027))
    >>> print(plan_csv(p), end="")
    region,name,year,new,cumulative,total,share,percent
    01,Hà Nội,2027,9,25,51,0.490196,49.0
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["region", "name", "year", "new", "cumulative", "total", "share", "percent"])
    for r in plan.regions:
        for year, new, cumulative, share in zip(
            plan.years, r.new, r.cumulative, r.share, strict=True
        ):
            percent = (Decimal(share.numerator * 100) / share.denominator).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_EVEN
            )
            writer.writerow(
                [r.region, r.name, year, new, cumulative, r.total, _decimal_share(share), percent]
            )
    return buffer.getvalue()


# -- assessments -------------------------------------------------------------------------


def _compared(trace: RuleTrace | None) -> tuple[tuple[str, str, object], ...]:
    """Every (indicator, period, value) a criterion's rule read, in reading order, once."""
    if trace is None:
        return ()
    seen: dict[tuple[str, str, object], None] = {}
    stack = [trace]
    while stack:
        t = stack.pop()
        for v in t.values:
            seen.setdefault((v.indicator, str(v.period), v.value), None)
        stack.extend(reversed(t.children))
    return tuple(seen)


def assessment_records(assessment: Assessment) -> list[Record]:
    """One row per criterion (see :data:`~modelunit.frames.ASSESSMENT_COLUMNS`): ``outcome`` is the
    outcome's value (``"met"``, ``"not_met"``, ``"insufficient"``, ``"not_applicable"``),
    ``values`` the ``(indicator, period, value)`` triples the rule compared (``None``:
    missing), ``evidence`` the ids of the evidence records that decided it."""
    period = str(assessment.period)
    return [
        {
            "unit": assessment.unit,
            "period": period,
            "criterion": r.criterion,
            "outcome": r.outcome.value,
            "values": _compared(r.trace),
            "evidence": r.evidence,
            "group": r.group,
            "mandatory": r.mandatory,
            "reason": r.explanation,
        }
        for r in assessment.results
    ]


def batch_records(batch: BatchAssessment, *, explain: bool = True) -> list[Record]:
    """One row per unit, period and criterion, periods in order, then units, then
    criteria (the rows of :func:`assessment_records`).

    With ``explain=False`` only the outcomes are read (fast, from the compiled lanes):
    ``values`` and ``evidence`` are then empty and ``reason`` is ``""``.
    """
    if explain:
        return [
            row
            for period in batch.periods
            for unit in batch.units
            for row in assessment_records(batch.assessment(unit.id, period))
        ]
    catalog = batch.catalog
    rows: list[Record] = []
    for period in batch.periods:
        for unit in batch.units:
            outcomes = batch.outcomes(unit.id, period)
            rows.extend(
                {
                    "unit": unit.id,
                    "period": str(period),
                    "criterion": c.id,
                    "outcome": outcomes[c.id].value,
                    "values": (),
                    "evidence": (),
                    "group": c.group,
                    "mandatory": c.mandatory,
                    "reason": "",
                }
                for c in catalog.criteria
            )
    return rows


def criteria_records(catalog: CriteriaSet) -> list[Record]:
    """One row per criterion: id, group, titles, mandatory, points, unit kinds, rule."""
    return [
        {
            "criterion": c.id,
            "group": c.group,
            "title_en": c.title_en,
            "title_vi": c.title_vi,
            "mandatory": c.mandatory,
            "points": c.points,
            "applies_to": c.applies_to,
            "rule": c.rule.describe(),
        }
        for c in catalog.criteria
    ]


# -- planner diagnostics and odds --------------------------------------------------------


def diagnosis_records(diagnosis: Diagnosis) -> list[Record]:
    """One row per shortfall (``kind`` milestone, quota, national or catch_up), per
    capacity increase of the smallest fix (``kind`` ``"add capacity"``, with ``units``)
    and per budget increase (``kind`` ``"add budget"``, with the exact ``amount``)."""
    rows: list[Record] = [
        {
            "region": s.region,
            "year": s.year,
            "kind": s.kind,
            "needed": s.needed,
            "reachable": s.reachable,
            "short": s.short,
            "units": None,
            "amount": None,
            "past": s.past,
            "earliest_year": s.earliest_year,
        }
        for s in diagnosis.shortfalls
    ]
    rows.extend(
        {
            "region": c.region,
            "year": c.year,
            "kind": "add capacity",
            "needed": None,
            "reachable": None,
            "short": None,
            "units": c.units,
            "amount": None,
            "past": False,
            "earliest_year": None,
        }
        for c in diagnosis.extra_capacity
    )
    rows.extend(
        {
            "region": b.region,
            "year": b.year,
            "kind": "add budget",
            "needed": None,
            "reachable": None,
            "short": None,
            "units": None,
            "amount": b.amount,
            "past": False,
            "earliest_year": None,
        }
        for b in diagnosis.extra_budget
    )
    return rows


def simulation_records(result: SimulationResult) -> list[Record]:
    """One row per region and planned-year floor: the probability of meeting it (exact
    ``hits / runs``), the shortfall not exceeded at the confidence, and the buffer."""
    return [
        {
            "region": o.region,
            "year": o.year,
            "target": o.target,
            "probability": o.probability,
            "shortfall_at_confidence": o.shortfall_at_confidence,
            "buffer": o.buffer,
        }
        for o in result.odds
    ]


# -- any result --------------------------------------------------------------------------


def _type_name(obj: object) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def records(obj: object) -> list[Record]:
    """The rows of any result: a plan, an assessment, a batch, a criteria set, a
    diagnosis, a simulation, a comparison or sweep (their ``to_records()``), or a
    sequence of attrs records (one row each, e.g. ``select_units(...)``) or of dicts.

    Anything else is an :class:`~modelunit.errors.InvalidArgumentError`.
    """
    by_type: dict[str, Callable[[Any], list[Record]]] = {
        "modelunit.rollout.plan.RolloutPlan": plan_records,
        "modelunit.results.Assessment": assessment_records,
        "modelunit.assessment.BatchAssessment": batch_records,
        "modelunit.criteria.CriteriaSet": criteria_records,
        "modelunit.rollout.feasibility.Diagnosis": diagnosis_records,
        "modelunit.rollout.simulation.SimulationResult": simulation_records,
    }
    convert = by_type.get(_type_name(obj))
    if convert is not None:
        return convert(obj)
    to_records = getattr(obj, "to_records", None)
    if callable(to_records) and not isinstance(obj, Sequence):
        out = to_records()
        if isinstance(out, list):
            return [dict(row) for row in out]
    if isinstance(obj, Sequence) and not isinstance(obj, str | bytes):
        rows: list[Record] = []
        for item in obj:
            if isinstance(item, Mapping):
                rows.append(dict(item))
            elif attrs.has(type(item)):
                rows.append(attrs.asdict(item, recurse=False))
            else:
                raise InvalidArgumentError(
                    f"expected records (dicts or attrs instances), got {type(item).__name__}"
                )
        return rows
    raise InvalidArgumentError(f"no rows for a {type(obj).__name__}")


def _numeric(value: object) -> object:
    """The value as pandas should hold it: exact numbers as floats, the rest as they are."""
    if isinstance(value, Fraction | Decimal):
        return float(value)
    return value


def _pandas() -> Any:
    try:
        import pandas  # noqa: PLC0415 - an optional extra, imported on use
    except ImportError as exc:
        raise MissingExtraError(
            "DataFrames need pandas: pip install 'modelunit[pandas]' (or '.[pandas]' "
            "from a checkout)"
        ) from exc
    return pandas


def to_pandas(obj: object, *, columns: Sequence[str] | None = None) -> Any:
    """A pandas DataFrame of :func:`records` (``obj`` may also be a list of rows).

    Numbers become floats (``value``, ``probability``, ``points``, ``delta``...), ids
    stay text, and the columns keep the records' order (or ``columns``). Needs the
    ``pandas`` extra (:class:`~modelunit.errors.MissingExtraError` otherwise).
    """
    pd = _pandas()
    rows = obj if _is_rows(obj) else records(obj)
    assert isinstance(rows, list)
    names = list(columns) if columns is not None else _columns(rows)
    data = {name: [_numeric(row.get(name)) for row in rows] for name in names}
    frame = pd.DataFrame(data, columns=names)
    for name, values in data.items():
        # Whole numbers with gaps (a year not scheduled) stay whole: Int64, not 2027.0.
        present = [v for v in values if v is not None]
        if len(present) < len(values) and present and all(_whole(v) for v in present):
            frame[name] = pd.array(values, dtype="Int64")
    return frame


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_rows(obj: object) -> bool:
    return isinstance(obj, list) and all(isinstance(r, dict) for r in obj)


def _columns(rows: Iterable[Record]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)
