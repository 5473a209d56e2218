"""Hypothesis strategies for your own tests: valid catalogs, evidence and periods.

Requires the ``testing`` extra (``pip install modelunit[testing]``), which
installs Hypothesis. Every strategy builds objects that pass modelunit's own
validation, so a property test can start from "any valid criteria set" and
"any evidence for it":

>>> from hypothesis import given, settings
>>> import modelunit
>>> from modelunit.testing import criteria_sets, ledgers
>>> @settings(max_examples=5, deadline=None)
... @given(data=criteria_sets().flatmap(lambda c: ledgers(c).map(lambda l: (c, l))))
... def test_every_criterion_gets_an_outcome(data):
...     catalog, ledger = data
...     result = modelunit.assess(catalog, ledger, unit="unit-0", period="2023")
...     assert result.counts.total == len(catalog.criteria)
>>> test_every_criterion_gets_an_outcome()

When this package is installed, Hypothesis also knows how to build
:class:`~modelunit.periods.Period`, :class:`~modelunit.criteria.CriteriaSet`
and :class:`~modelunit.indicators.Indicator` through ``st.from_type`` (registered
by the ``hypothesis`` entry point).

Planning problems for :mod:`modelunit.rollout` come from :func:`rollout_problems`
(with ``feasible=True`` when a test needs plans that meet every floor):

>>> from modelunit.rollout import plan
>>> from modelunit.testing import rollout_problems
>>> @settings(max_examples=5, deadline=None)
... @given(rollout_problems(feasible=True))
... def test_plans_meet_their_floors(problem):
...     assert plan(problem).missed == ()
>>> test_plans_meet_their_floors()

Strategies follow Hypothesis' house style: plural names, keyword-only
arguments, arguments checked eagerly with
:class:`hypothesis.errors.InvalidArgument`, and examples that shrink towards
small catalogs with few criteria and simple rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from modelunit.criteria import (
    AllConditions,
    CriteriaSet,
    Criterion,
    Group,
    Level,
    RecognitionPolicy,
    Tally,
)
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry, Value
from modelunit.indicators import Indicator
from modelunit.periods import Period
from modelunit.rules import (
    Absent,
    AllOf,
    AnyOf,
    AtLeastLevel,
    Change,
    Compare,
    CriterionRef,
    Flag,
    KOf,
    Not,
    Present,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
)

__all__ = [
    "criteria_sets",
    "evidence_records",
    "indicators",
    "ledgers",
    "milestones",
    "periods",
    "regions",
    "rollout_problems",
    "rules",
    "unit_registries",
    "values",
]


def __dir__() -> list[str]:
    return __all__


_TYPES = ("count", "quantity", "share", "boolean", "category")
_AGGREGATIONS = {
    "count": ("sum", "last", "max", "min"),
    "quantity": ("sum", "last", "max", "min"),
    "share": ("last", "max", "min"),
    "boolean": ("last", "any", "all"),
    "category": ("last", "max", "min"),
}
_CATEGORIES = ("not_completed", "completed", "good", "excellent")
#: Years the default strategies use: the assessed year, the year before, a fixed baseline.
ASSESSED_YEAR = 2023
BASELINE_YEAR = 2019
SUB_UNIT_KIND = "residential_area"


def _check_range(name: str, low: int, high: int) -> None:
    if low < 0 or high < low:
        raise InvalidArgument(f"expected 0 <= min_{name} <= max_{name}, got {low} and {high}")


def periods(
    *, min_year: int = 2015, max_year: int = 2035, kinds: Sequence[str] = ("year", "quarter")
) -> st.SearchStrategy[Period]:
    """Periods of the given kinds (``year``, ``half``, ``quarter``, ``month``, ``range``)."""
    if not 1 <= min_year <= max_year <= 9998:
        raise InvalidArgument(f"expected 1 <= min_year <= max_year, got {min_year}, {max_year}")
    unknown = set(kinds) - {"year", "half", "quarter", "month", "range"}
    if unknown or not kinds:
        raise InvalidArgument(f"unknown period kinds {sorted(unknown)} (or none given)")
    years = st.integers(min_year, max_year)
    options: list[st.SearchStrategy[Period]] = []
    for kind in kinds:
        if kind == "year":
            options.append(years.map(Period.year))
        elif kind == "half":
            options.append(st.builds(Period.half, years, st.integers(1, 2)))
        elif kind == "quarter":
            options.append(st.builds(Period.quarter, years, st.integers(1, 4)))
        elif kind == "month":
            options.append(st.builds(Period.month, years, st.integers(1, 12)))
        else:
            options.append(
                st.builds(
                    lambda y, start, length: Period.range(
                        Period.year(y).start + timedelta(days=start),
                        Period.year(y).start + timedelta(days=start + length),
                    ),
                    years,
                    st.integers(0, 300),
                    st.integers(0, 400),
                )
            )
    return st.one_of(options)


@st.composite
def indicators(
    draw: st.DrawFn, *, key: str | None = None, types: Sequence[str] = _TYPES
) -> Indicator:
    """A valid indicator declaration (of one of ``types``)."""
    if not types or set(types) - set(_TYPES):
        raise InvalidArgument(f"types must be a non-empty subset of {_TYPES}, got {types!r}")
    kind = draw(st.sampled_from(tuple(types)))
    aggregation = draw(st.sampled_from(_AGGREGATIONS[kind]))
    name = key if key is not None else draw(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True))
    return Indicator(
        name,
        kind,  # type: ignore[arg-type]
        aggregation,  # type: ignore[arg-type]
        categories=_CATEGORIES if kind == "category" else (),
    )


def values(indicator: Indicator) -> st.SearchStrategy[Value]:
    """Values valid for ``indicator`` (shrinking towards 0, false, the lowest category)."""
    if indicator.type == "count":
        return st.integers(0, 60)
    if indicator.type == "quantity":
        return st.integers(-500, 5000).map(lambda n: Decimal(n).scaleb(-1))
    if indicator.type == "share":
        return st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-2))
    if indicator.type == "boolean":
        return st.booleans()
    return st.sampled_from(indicator.categories)


def _thresholds(indicator: Indicator) -> st.SearchStrategy[Decimal]:
    if indicator.type == "count":
        return st.integers(0, 40).map(lambda n: Decimal(n).scaleb(-1) * 5)  # 0, 0.5, 1...
    if indicator.type == "share":
        return st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-2))
    return st.integers(-200, 2000).map(lambda n: Decimal(n).scaleb(-1))


_OPS = st.sampled_from(("<", "<=", ">", ">=", "==", "!="))


def _leaf(
    inds: Sequence[Indicator], refs: Sequence[str], baseline: str | None
) -> st.SearchStrategy[Rule]:
    numeric = [i for i in inds if i.type in ("count", "quantity", "share")]
    eventful = [i for i in inds if i.type in ("count", "boolean")]
    options: list[st.SearchStrategy[Rule]] = []
    if numeric:
        options.append(
            st.sampled_from(numeric).flatmap(
                lambda i: st.builds(Compare, st.just(i.key), _OPS, _thresholds(i))
            )
        )
        baselines = ["previous"] + ([baseline] if baseline else [])
        options.append(
            st.builds(
                lambda i, op, pct, base, rel: Change(
                    i.key,
                    op,
                    Decimal(pct).scaleb(-2) if rel else Decimal(pct // 10),
                    baseline=base,
                    relative=rel,
                ),
                st.sampled_from(numeric),
                _OPS,
                st.integers(-60, 60),
                st.sampled_from(baselines),
                st.booleans(),
            )
        )
        options.append(
            st.builds(
                lambda a, b, op, v: Ratio(a.key, b.key, op, v),
                st.sampled_from(numeric),
                st.sampled_from(numeric),
                _OPS,
                st.integers(0, 300).map(lambda n: Decimal(n).scaleb(-2)),
            )
        )
    if eventful:
        options.append(st.builds(Absent, st.sampled_from([i.key for i in eventful])))
        options.append(st.builds(Present, st.sampled_from([i.key for i in eventful])))
    booleans = [i.key for i in inds if i.type == "boolean"]
    if booleans:
        options.append(st.builds(Flag, st.sampled_from(booleans), st.booleans()))
    categories = [i for i in inds if i.type == "category"]
    if categories:
        options.append(
            st.builds(
                lambda i, lv: AtLeastLevel(i.key, lv),
                st.sampled_from(categories),
                st.sampled_from(_CATEGORIES),
            )
        )
    if refs:
        options.append(st.builds(CriterionRef, st.sampled_from(tuple(refs))))
    if not options:
        raise InvalidArgument("rules() needs at least one indicator or criterion to refer to")
    return st.one_of(options)


def rules(
    indicators: Sequence[Indicator],
    *,
    max_depth: int = 2,
    criteria: Sequence[str] = (),
    baseline: str | None = str(BASELINE_YEAR),
    sub_units: bool = False,
) -> st.SearchStrategy[Rule]:
    """Rules valid against ``indicators``, nesting combinators up to ``max_depth``.

    ``criteria`` are ids a :class:`~modelunit.rules.CriterionRef` may name;
    ``baseline`` is the fixed baseline period change rules may use;
    ``sub_units`` allows :class:`~modelunit.rules.SubUnits` rules over
    ``residential_area`` sub-units.
    """
    if max_depth < 0:
        raise InvalidArgument(f"max_depth must be >= 0, got {max_depth}")
    inds = list(indicators)
    leaf = _leaf(inds, tuple(criteria), baseline)
    if max_depth == 0:
        return leaf

    def extend(children: st.SearchStrategy[Rule]) -> st.SearchStrategy[Rule]:
        many = st.lists(children, min_size=1, max_size=4)
        options: list[st.SearchStrategy[Rule]] = [
            many.map(lambda rs: AllOf(tuple(rs))),
            many.map(lambda rs: AnyOf(tuple(rs))),
            children.map(Not),
            many.flatmap(lambda rs: st.integers(0, len(rs)).map(lambda k: KOf(k, tuple(rs)))),
            st.builds(
                lambda rs, pct: ShareOf(Fraction(pct, 100), tuple(rs)),
                many,
                st.integers(0, 100),
            ),
        ]
        if sub_units:
            plain = _leaf(inds, (), baseline)
            options.append(
                st.builds(
                    lambda r, pct: SubUnits(r, share=Fraction(pct, 100), unit_kind=SUB_UNIT_KIND),
                    plain,
                    st.integers(0, 100),
                )
            )
        return st.one_of(options)

    return st.recursive(leaf, extend, max_leaves=2 ** (max_depth + 1))


@st.composite
def criteria_sets(
    draw: st.DrawFn,
    *,
    min_criteria: int = 1,
    max_criteria: int = 6,
    max_indicators: int = 6,
    max_depth: int = 2,
    sub_units: bool = True,
) -> CriteriaSet:
    """Valid criteria sets: indicators, criteria with rules, groups and a policy.

    Some criteria apply only to wards (so communes get "not applicable"), some
    refer to earlier criteria, and the policy has a "model" level (all met) and
    a "basically met" level (at most one pending, none failed).
    """
    _check_range("criteria", min_criteria, max_criteria)
    if max_indicators < 1:
        raise InvalidArgument(f"max_indicators must be >= 1, got {max_indicators}")
    count = draw(st.integers(1, max_indicators))
    inds = [draw(indicators(key=f"ind_{i}")) for i in range(count)]
    n = draw(st.integers(min_criteria, max_criteria))
    groups = (Group("g1", "nhóm 1", "group 1"), Group("g2", "nhóm 2", "group 2"))
    crits: list[Criterion] = []
    for i in range(n):
        # Refer only to earlier criteria that apply everywhere: no cycles, and a
        # reference never lands on a "not applicable" outcome.
        refs = [c.id for c in crits if not c.applies_to]
        rule = draw(rules(inds, max_depth=max_depth, criteria=refs, sub_units=sub_units))
        ward_only = draw(st.booleans()) and not any(
            isinstance(r, CriterionRef) for r in _walk(rule)
        )
        crits.append(
            Criterion(
                f"C{i + 1:02d}",
                rule,
                group=draw(st.sampled_from(("g1", "g2"))),
                title_vi=f"Tiêu chí {i + 1}",
                title_en=f"Criterion {i + 1}",
                mandatory=draw(st.booleans()),
                points=draw(st.none() | st.integers(0, 10).map(Decimal)),
                applies_to=("ward",) if ward_only else (),
            )
        )
    policy = RecognitionPolicy(
        (
            Level(
                "model",
                Tally("met", min_share=Fraction(1)),
                recognised=True,
                title_en="model unit",
                title_vi="kiểu mẫu",
            ),
            Level(
                "basically_met",
                AllConditions((Tally("insufficient", max_count=1), Tally("not_met", max_count=0))),
                title_en="basically met",
                title_vi="cơ bản đạt",
            ),
        )
    )
    return CriteriaSet(
        id="generated",
        version=f"{draw(st.integers(1, 9))}.0",
        indicators=tuple(inds),
        criteria=tuple(crits),
        policy=policy,
        groups=groups,
        unit_kinds=("ward", "commune"),
    )


def _walk(rule: Rule) -> list[Rule]:
    from modelunit.rules import iter_rules  # noqa: PLC0415

    return [node for _, node in iter_rules(rule)]


@st.composite
def unit_registries(
    draw: st.DrawFn, *, min_units: int = 1, max_units: int = 4, max_sub_units: int = 5
) -> UnitRegistry:
    """Units ``unit-0``, ``unit-1``... (wards or communes), each with some residential areas."""
    _check_range("units", min_units, max_units)
    n = draw(st.integers(min_units, max_units))
    units: list[Unit] = []
    for i in range(n):
        uid = f"unit-{i}"
        units.append(Unit(uid, kind=draw(st.sampled_from(("ward", "commune")))))
        for j in range(draw(st.integers(0, max_sub_units))):
            units.append(Unit(f"{uid}/area-{j}", kind=SUB_UNIT_KIND, parent=uid))
    return UnitRegistry(tuple(units))


@st.composite
def evidence_records(
    draw: st.DrawFn,
    catalog: CriteriaSet,
    *,
    units: Sequence[str] = ("unit-0",),
    years: Sequence[int] = (BASELINE_YEAR, ASSESSED_YEAR - 1, ASSESSED_YEAR),
    corrections: bool = True,
) -> list[Evidence]:
    """Evidence for ``catalog``'s indicators: for each unit, indicator and year,
    nothing, one yearly record, or quarterly records (or a closing-quarter record
    for ``last`` indicators); optionally corrections that supersede a record.

    Record ids are unique; recording times increase in draw order.
    """
    if not units:
        raise InvalidArgument("evidence_records() needs at least one unit")
    records: list[Evidence] = []
    clock = datetime(ASSESSED_YEAR + 1, 1, 1)
    serial = 0
    for unit in units:
        for ind in catalog.indicators:
            for year in years:
                shape = draw(st.sampled_from(("missing", "year", "quarters")))
                if shape == "missing":
                    continue
                if shape == "year":
                    spans = [Period.year(year)]
                elif ind.aggregation == "last":
                    spans = [Period.quarter(year, 4)]
                else:
                    spans = [Period.quarter(year, q) for q in range(1, 5)]
                for span in spans:
                    serial += 1
                    clock += timedelta(hours=draw(st.integers(1, 48)))
                    rec = Evidence(
                        f"ev-{serial}",
                        unit,
                        ind.key,
                        span,
                        draw(values(ind)),
                        recorded_at=clock,
                        source="generated",
                    )
                    records.append(rec)
                    if corrections and draw(st.integers(0, 9)) == 0:
                        serial += 1
                        clock += timedelta(hours=draw(st.integers(1, 48)))
                        records.append(
                            Evidence(
                                f"ev-{serial}",
                                unit,
                                ind.key,
                                span,
                                draw(values(ind)),
                                recorded_at=clock,
                                source="generated",
                                supersedes=rec.id,
                            )
                        )
    return records


def ledgers(
    catalog: CriteriaSet,
    *,
    units: Sequence[str] = ("unit-0",),
    years: Sequence[int] = (BASELINE_YEAR, ASSESSED_YEAR - 1, ASSESSED_YEAR),
    corrections: bool = True,
) -> st.SearchStrategy[EvidenceLedger]:
    """A valid :class:`~modelunit.evidence.EvidenceLedger` for ``catalog``."""
    return evidence_records(catalog, units=units, years=years, corrections=corrections).map(
        lambda recs: EvidenceLedger(tuple(recs))
    )


_SHARES = ("0", "1/10", "1/4", "3/10", "1/3", "1/2", "7/10", "1")


@st.composite
def regions(
    draw: st.DrawFn,
    *,
    region_id: str = "R00",
    start: int = 2027,
    end: int = 2030,
    max_units: int = 40,
) -> Any:
    """A valid :class:`~modelunit.rollout.Region`: units, recognised, optional yearly
    capacity (with per-year overrides) and quota. Shrinks to an empty region."""
    from modelunit.rollout import Region  # noqa: PLC0415

    if max_units < 0 or end < start:
        raise InvalidArgument(
            f"expected max_units >= 0 and start <= end, got {max_units}, {start}..{end}"
        )
    total = draw(st.integers(0, max_units))
    return Region(
        region_id,
        total=total,
        recognised=draw(st.integers(0, total)),
        capacity=draw(st.none() | st.integers(0, max(1, max_units // 2))),
        capacity_by_year=draw(
            st.dictionaries(st.integers(start, end), st.integers(0, max_units), max_size=2)
        ),
        minimum=draw(st.sampled_from((0, 0, 0, 1, 2))),
    )


@st.composite
def milestones(
    draw: st.DrawFn,
    *,
    start: int = 2027,
    end: int = 2030,
    region_ids: Sequence[str] = (),
    max_size: int = 4,
) -> Any:
    """A list of valid :class:`~modelunit.rollout.Milestone` s: national or for one of
    ``region_ids``, years from the baseline to ``end``, at most one per (region, year),
    stretch goals never below their floor."""
    from modelunit.rollout import Milestone  # noqa: PLC0415

    if end < start or max_size < 0:
        raise InvalidArgument(
            f"expected start <= end and max_size >= 0, got {start}..{end}, {max_size}"
        )
    out = []
    used: set[tuple[str | None, int]] = set()
    for _ in range(draw(st.integers(0, max_size))):
        year = draw(st.integers(start - 1, end))
        region = draw(st.none() | st.sampled_from(tuple(region_ids))) if region_ids else None
        if (region, year) in used:
            continue
        used.add((region, year))
        share = Fraction(draw(st.sampled_from(_SHARES)))
        stretch = draw(st.none() | st.sampled_from(_SHARES))
        high = Fraction(stretch) if stretch is not None else None
        out.append(
            Milestone(
                year,
                share,
                stretch=high if high is not None and high >= share else None,
                region=region,
            )
        )
    return out


@st.composite
def rollout_problems(
    draw: st.DrawFn,
    *,
    min_regions: int = 1,
    max_regions: int = 5,
    max_years: int = 4,
    national_cap: bool | None = None,
    feasible: bool | None = None,
) -> Any:
    """Valid :class:`~modelunit.rollout.RolloutProblem` s (regions ``R00``, ``R01``...,
    horizon starting 2027), with a national cap when ``national_cap`` is True (either
    when None). ``feasible=True`` gives only problems whose floors can all be met (an
    infeasible draw has its capacities and cap lifted, and milestones before the
    horizon dropped); ``feasible=False`` only problems where some milestone is missed
    whatever the plan (a region with units left gets no capacity and must finish).
    Feasibility here includes milestones before the horizon, checked at the baseline."""
    from modelunit.rollout import Milestone, RolloutProblem, plan  # noqa: PLC0415

    _check_range("regions", min_regions, max_regions)
    if max_years < 1:
        raise InvalidArgument(f"max_years must be >= 1, got {max_years}")
    start = 2027
    end = start + draw(st.integers(0, max_years - 1))
    n = draw(st.integers(min_regions, max_regions))
    ids = [f"R{i:02d}" for i in range(n)]
    rs = [draw(regions(region_id=rid, start=start, end=end)) for rid in ids]
    ms = draw(milestones(start=start, end=end, region_ids=ids))
    coupled = draw(st.booleans()) if national_cap is None else national_cap
    cap = draw(st.integers(0, 60)) if coupled else None
    problem = RolloutProblem(regions=rs, milestones=ms, start=start, end=end, national_cap=cap)
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
            regions=lifted, milestones=future, start=start, end=end, national_cap=roomy
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
            national_cap=cap,
        )
    return problem
