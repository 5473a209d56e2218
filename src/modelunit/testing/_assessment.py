"""Strategies for the assessment side: periods, indicators, values, rules, criteria sets,
units and evidence. Re-exported by :mod:`modelunit.testing`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from modelunit.criteria import CriteriaSet, Criterion, Group
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.indicators import AGGREGATIONS_BY_TYPE, VALUE_TYPES, Indicator, Value
from modelunit.periods import Period, ReportingYear
from modelunit.policy import AllConditions, Level, RecognitionPolicy, Tally
from modelunit.rules import (
    BASELINE_KINDS,
    OPERATORS,
    RULE_TYPES,
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
    iter_rules,
)
from modelunit.testing._arguments import (
    check_bool,
    check_int,
    check_range,
    check_sequence,
    check_text,
    check_value,
)

__all__ = [
    "ASSESSED_YEAR",
    "BASELINE_YEAR",
    "SUB_UNIT_KIND",
    "criteria_sets",
    "evidence_lists",
    "indicators",
    "ledgers",
    "periods",
    "reporting_years",
    "rules",
    "unit_registries",
    "values",
]

_CATEGORIES = ("not_completed", "completed", "good", "excellent")
#: Years the default strategies use: the assessed year, the year before, a fixed baseline.
ASSESSED_YEAR = 2023
BASELINE_YEAR = 2019
SUB_UNIT_KIND = "residential_area"


_PERIOD_KINDS = ("year", "half", "quarter", "month", "range")


def periods(
    *, min_year: int = 2015, max_year: int = 2035, kinds: Sequence[str] = ("year", "quarter")
) -> st.SearchStrategy[Period]:
    """Periods of the given kinds (``year``, ``half``, ``quarter``, ``month``, ``range``).

    Ranges are any span of days, a whole number of months from any day 1 to 28 (as
    reporting years and their months are), or a span that starts or ends on 29 February.
    """
    check_range("year", min_year, max_year, floor=1)
    if max_year > 9998:
        raise InvalidArgument(f"expected max_year <= 9998, got {max_year}")
    kinds = check_sequence("kinds", kinds, str, "period kinds", non_empty=True)
    unknown = set(kinds) - set(_PERIOD_KINDS)
    if unknown:
        raise InvalidArgument(f"unknown period kinds {sorted(unknown)}; expected {_PERIOD_KINDS}")
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
            options.append(_ranges(min_year, max_year))
    return st.one_of(options)


def _ranges(min_year: int, max_year: int) -> st.SearchStrategy[Period]:
    years = st.integers(min_year, max_year)

    def days(y: int, start: int, length: int) -> Period:
        first = Period.year(y).start + timedelta(days=start)
        return Period.range(first, first + timedelta(days=length))

    def months(y: int, month: int, day: int, count: int) -> Period:
        first = datetime(y, month, day).date()
        count = min(count, (9999 - y) * 12 + 12 - month)  # never past 9999-12
        index = y * 12 + month - 1 + count
        after = datetime(index // 12, index % 12 + 1, day).date()
        return Period.range(first, after - timedelta(days=1))

    # Leap years in range, for spans that start or end on 29 February.
    leap = [y for y in range(min_year, max_year + 1) if Period.month(y, 2).days == 29]
    options = [
        st.builds(days, years, st.integers(0, 300), st.integers(0, 400)),
        st.builds(
            months,
            st.integers(min_year, max(min_year, max_year - 3)),
            st.integers(1, 12),
            st.integers(1, 28),
            st.integers(1, 36),
        ),
    ]
    if leap:
        leap_day = st.sampled_from(leap).map(lambda y: datetime(y, 2, 29).date())
        options.append(
            st.builds(
                lambda d, before, after: Period.range(
                    d - timedelta(days=before), d + timedelta(days=after)
                ),
                leap_day,
                st.sampled_from((0, 0, 1, 28, 59, 365)),
                st.sampled_from((0, 0, 1, 30, 365)),
            )
        )
    return st.one_of(options)


def reporting_years() -> st.SearchStrategy[ReportingYear]:
    """Valid reporting-year declarations: a start on any day 1 to 28 of any month (the
    calendar year, and the police year from 15 December, among the first drawn), the
    end the day before."""

    def declare(month: int, day: int) -> ReportingYear:
        start = datetime(2001, month, day).date()
        end = start - timedelta(days=1)
        return ReportingYear(f"{month:02d}-{day:02d}", f"{end.month:02d}-{end.day:02d}")

    return st.one_of(
        st.sampled_from((ReportingYear(), ReportingYear("12-15", "12-14"))),
        st.builds(declare, st.integers(1, 12), st.integers(1, 28)),
    )


def indicators(
    *, key: str | None = None, types: Sequence[str] = VALUE_TYPES
) -> st.SearchStrategy[Indicator]:
    """A valid indicator declaration (of one of ``types``), keyed ``key`` if given."""
    if key is not None:
        check_text("key", key)
    types = check_sequence("types", types, str, "value types", non_empty=True)
    if set(types) - set(VALUE_TYPES):
        raise InvalidArgument(f"types must be a non-empty subset of {VALUE_TYPES}, got {types!r}")
    return _indicators(key, tuple(types))


@st.composite
def _indicators(draw: st.DrawFn, key: str | None, types: tuple[str, ...]) -> Indicator:
    kind = draw(st.sampled_from([t for t in VALUE_TYPES if t in types]))
    aggregation = draw(st.sampled_from(AGGREGATIONS_BY_TYPE[kind]))
    name = key if key is not None else draw(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True))
    return Indicator(name, kind, aggregation, categories=_CATEGORIES if kind == "category" else ())


def values(indicator: Indicator) -> st.SearchStrategy[Value]:
    """Values valid for ``indicator`` (shrinking towards 0, false, the lowest category)."""
    check_value("indicator", indicator, Indicator, "an Indicator")
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


_OPS = st.sampled_from(OPERATORS)


class _Scope:
    """What the rules being drawn may read: indicators by use, criteria, a baseline."""

    def __init__(
        self, inds: Sequence[Indicator], refs: Sequence[str], baseline: str | None
    ) -> None:
        self.numeric = [i for i in inds if i.type in ("count", "quantity", "share")]
        self.eventful = [i.key for i in inds if i.type in ("count", "boolean")]
        self.booleans = [i.key for i in inds if i.type == "boolean"]
        self.categories = [i for i in inds if i.type == "category"]
        self.refs = tuple(refs)
        self.baselines = _baselines(baseline)


def _baselines(fixed: str | None) -> list[tuple[str, int]]:
    """(baseline, years_back) for every baseline kind: the default evidence has the
    assessed year, the year before and the fixed baseline year, so the same period one
    year back and as far back as the fixed year both find evidence."""
    found: list[tuple[str, int]] = []
    for kind in BASELINE_KINDS:
        match kind:
            case "previous":
                found.append(("previous", 1))
            case "same_period":
                found += [("same_period", 1), ("same_period", ASSESSED_YEAR - BASELINE_YEAR)]
            case "fixed":
                found += [(fixed, 1)] if fixed else []
            case _:
                assert_never(kind)
    return found


Children = st.SearchStrategy[Rule]


def _kind_strategy(
    kind: type[Rule], scope: _Scope, children: Children | None, plain: Children | None
) -> st.SearchStrategy[Rule] | None:
    """Rules of one kind, or None when ``scope`` cannot make one. Leaves ignore
    ``children``; combinators need it (``sub_units`` needs ``plain``: leaves with no
    criterion references)."""
    if issubclass(kind, Compare):
        if not scope.numeric:
            return None
        return st.sampled_from(scope.numeric).flatmap(
            lambda i: st.builds(Compare, st.just(i.key), _OPS, _thresholds(i))
        )
    if issubclass(kind, Change):
        if not scope.numeric:
            return None
        return st.builds(
            lambda i, op, pct, base, rel: Change(
                i.key,
                op,
                Decimal(pct).scaleb(-2) if rel else Decimal(pct // 10),
                baseline=base[0],
                relative=rel,
                years_back=base[1],
            ),
            st.sampled_from(scope.numeric),
            _OPS,
            st.integers(-60, 60),
            st.sampled_from(scope.baselines),
            st.booleans(),
        )
    if issubclass(kind, Ratio):
        if not scope.numeric:
            return None
        return st.builds(
            lambda a, b, op, v: Ratio(a.key, b.key, op, v),
            st.sampled_from(scope.numeric),
            st.sampled_from(scope.numeric),
            _OPS,
            st.integers(-100, 300).map(lambda n: Decimal(n).scaleb(-2)),
        )
    if issubclass(kind, AtLeastLevel):
        if not scope.categories:
            return None
        return st.builds(
            lambda i, lv: AtLeastLevel(i.key, lv),
            st.sampled_from(scope.categories),
            st.sampled_from(_CATEGORIES),
        )
    if issubclass(kind, Flag):
        if not scope.booleans:
            return None
        return st.builds(Flag, st.sampled_from(scope.booleans), st.booleans())
    if issubclass(kind, Absent | Present):
        return st.builds(kind, st.sampled_from(scope.eventful)) if scope.eventful else None
    if issubclass(kind, CriterionRef):
        return st.builds(CriterionRef, st.sampled_from(scope.refs)) if scope.refs else None
    if children is None:
        return None
    many = st.lists(children, min_size=1, max_size=4)
    if issubclass(kind, AllOf | AnyOf):
        return many.map(lambda rs: kind(tuple(rs)))
    if issubclass(kind, Not):
        return children.map(Not)
    if issubclass(kind, KOf):
        return many.flatmap(lambda rs: st.integers(0, len(rs)).map(lambda k: KOf(k, tuple(rs))))
    if issubclass(kind, ShareOf):
        return st.builds(
            lambda rs, pct: ShareOf(Fraction(pct, 100), tuple(rs)), many, st.integers(0, 100)
        )
    if issubclass(kind, SubUnits):
        if plain is None:
            return None
        return st.builds(
            lambda r, share, count: SubUnits(
                r,
                share=None if share is None else Fraction(share, 100),
                count=count if share is None else None,
                unit_kind=SUB_UNIT_KIND,
            ),
            plain,
            st.none() | st.integers(0, 100),
            st.integers(0, 4),
        )
    assert_never(kind)


def _leaves(scope: _Scope) -> st.SearchStrategy[Rule]:
    options = [
        s
        for kind in RULE_TYPES
        if not kind.composite and (s := _kind_strategy(kind, scope, None, None)) is not None
    ]
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

    Every rule kind (:data:`modelunit.rules.RULE_TYPES`) is drawn when the arguments
    allow it: ``criteria`` are ids a :class:`~modelunit.rules.CriterionRef` may name;
    ``baseline`` is the fixed baseline period change rules may use (besides the previous
    period and the same period 1 and ``ASSESSED_YEAR - BASELINE_YEAR`` years back); ``sub_units``
    allows :class:`~modelunit.rules.SubUnits` rules over ``residential_area`` sub-units.
    """
    check_int("max_depth", max_depth, low=0)
    inds = list(check_sequence("indicators", indicators, Indicator, "Indicators"))
    criteria = check_sequence("criteria", criteria, str, "criterion ids")
    if baseline is not None:
        check_text("baseline", baseline)
    check_bool("sub_units", sub_units)
    scope = _Scope(inds, criteria, baseline)
    leaf = _leaves(scope)
    if max_depth == 0:
        return leaf
    plain = _leaves(_Scope(inds, (), baseline)) if sub_units else None

    def extend(children: Children) -> st.SearchStrategy[Rule]:
        return st.one_of(
            [
                s
                for kind in RULE_TYPES
                if kind.composite
                and (s := _kind_strategy(kind, scope, children, plain)) is not None
            ]
        )

    return st.recursive(leaf, extend, max_leaves=2 ** (max_depth + 1))


def criteria_sets(
    *,
    min_criteria: int = 1,
    max_criteria: int = 6,
    min_indicators: int = 1,
    max_indicators: int = 6,
    max_depth: int = 2,
    sub_units: bool = True,
    reporting_year: bool = False,
) -> st.SearchStrategy[CriteriaSet]:
    """Valid criteria sets: indicators, criteria with rules, groups and a policy.

    Some criteria apply only to wards (so communes get "not applicable"), some
    refer to earlier criteria, and the policy has a "model" level (all met) and
    a "basically met" level (at most one pending, none failed). With
    ``reporting_year=True`` the set declares a reporting year drawn from
    :func:`reporting_years` (its fixed baselines name the reporting year's dates), and
    :func:`evidence_lists` records by its years and quarters.
    """
    check_range("criteria", min_criteria, max_criteria, floor=1)
    check_range("indicators", min_indicators, max_indicators, floor=1)
    check_int("max_depth", max_depth, low=0)
    check_bool("sub_units", sub_units)
    check_bool("reporting_year", reporting_year)
    return _criteria_sets(
        (min_criteria, max_criteria),
        (min_indicators, max_indicators),
        max_depth,
        sub_units=sub_units,
        reporting_year=reporting_year,
    )


@st.composite
def _criteria_sets(
    draw: st.DrawFn,
    criteria: tuple[int, int],
    indicator_range: tuple[int, int],
    max_depth: int,
    *,
    sub_units: bool,
    reporting_year: bool,
) -> CriteriaSet:
    min_criteria, max_criteria = criteria
    year = draw(reporting_years()) if reporting_year else ReportingYear()
    baseline = str(year.year(BASELINE_YEAR))
    count = draw(st.integers(*indicator_range))
    inds = [draw(_indicators(f"ind_{i}", VALUE_TYPES)) for i in range(count)]
    n = draw(st.integers(min_criteria, max_criteria))
    groups = (Group("g1", "nhóm 1", "group 1"), Group("g2", "nhóm 2", "group 2"))
    crits: list[Criterion] = []
    for i in range(n):
        # Refer only to earlier criteria that apply everywhere: no cycles, and a
        # reference never lands on a "not applicable" outcome.
        refs = [c.id for c in crits if not c.applies_to]
        rule = draw(
            rules(inds, max_depth=max_depth, criteria=refs, baseline=baseline, sub_units=sub_units)
        )
        ward_only = draw(st.booleans()) and not any(
            isinstance(r, CriterionRef) for _, r in iter_rules(rule)
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
        reporting_year=year,
    )


def unit_registries(
    *, min_units: int = 1, max_units: int = 4, min_sub_units: int = 0, max_sub_units: int = 5
) -> st.SearchStrategy[UnitRegistry]:
    """Units ``unit-0``, ``unit-1``... (wards or communes), each with between
    ``min_sub_units`` and ``max_sub_units`` residential areas ``unit-0/area-0``..."""
    check_range("units", min_units, max_units)
    check_range("sub_units", min_sub_units, max_sub_units)
    return _unit_registries((min_units, max_units), (min_sub_units, max_sub_units))


@st.composite
def _unit_registries(draw: st.DrawFn, top: tuple[int, int], subs: tuple[int, int]) -> UnitRegistry:
    n = draw(st.integers(*top))
    units: list[Unit] = []
    for i in range(n):
        uid = f"unit-{i}"
        units.append(Unit(uid, kind=draw(st.sampled_from(("ward", "commune")))))
        for j in range(draw(st.integers(*subs))):
            units.append(Unit(f"{uid}/area-{j}", kind=SUB_UNIT_KIND, parent=uid))
    return UnitRegistry(tuple(units))


_YEARS = (BASELINE_YEAR, ASSESSED_YEAR - 1, ASSESSED_YEAR)


def _evidence_arguments(
    name: str, catalog: object, units: object, years: object, corrections: object
) -> tuple[CriteriaSet, tuple[str, ...], tuple[int, ...], bool]:
    the_catalog = check_value("catalog", catalog, CriteriaSet, "a CriteriaSet")
    the_units = check_sequence("units", units, str, "unit ids")
    if not the_units:
        raise InvalidArgument(f"{name}() needs at least one unit")
    the_years = check_sequence("years", years, int, "years")
    for year in the_years:
        if not 1 <= year <= 9998:
            raise InvalidArgument(f"years must lie in 1..9998, got {year}")
    return the_catalog, the_units, the_years, check_bool("corrections", corrections)


def evidence_lists(
    catalog: CriteriaSet,
    *,
    units: Sequence[str] = ("unit-0",),
    years: Sequence[int] = _YEARS,
    corrections: bool = True,
) -> st.SearchStrategy[list[Evidence]]:
    """Lists of evidence records for ``catalog``'s indicators: for each unit, indicator
    and year, nothing, one yearly record, or quarterly records (or a closing-quarter
    record for ``last`` indicators); optionally corrections that supersede a record.
    Years and quarters are those of the catalog's reporting year.

    Each draw is one list (the records of a ledger); record ids are unique and
    recording times increase in draw order. (Named ``evidence_records`` before 0.2.)
    """
    args = _evidence_arguments("evidence_lists", catalog, units, years, corrections)
    return _evidence_lists(*args)


@st.composite
def _evidence_lists(
    draw: st.DrawFn,
    catalog: CriteriaSet,
    units: tuple[str, ...],
    years: tuple[int, ...],
    corrections: bool,
) -> list[Evidence]:
    records: list[Evidence] = []
    clock = datetime(ASSESSED_YEAR + 1, 1, 1)
    serial = 0
    for unit in units:
        for ind in catalog.indicators:
            for year in years:
                shape = draw(st.sampled_from(("missing", "year", "quarters")))
                if shape == "missing":
                    continue
                ry = catalog.reporting_year
                if shape == "year":
                    spans = [ry.year(year)]
                elif ind.aggregation == "last":
                    spans = [ry.quarter(year, 4)]
                else:
                    spans = [ry.quarter(year, q) for q in range(1, 5)]
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
    years: Sequence[int] = _YEARS,
    corrections: bool = True,
) -> st.SearchStrategy[EvidenceLedger]:
    """A valid :class:`~modelunit.evidence.EvidenceLedger` for ``catalog`` (the records
    of :func:`evidence_lists`)."""
    args = _evidence_arguments("ledgers", catalog, units, years, corrections)
    return _evidence_lists(*args).map(lambda recs: EvidenceLedger(tuple(recs)))
