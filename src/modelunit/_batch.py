"""The compiled batch evaluator: rules compiled once, evaluated over many units at a time.

Outcomes for n units are held as two Python integers used as vectors of n
one-byte lanes: ``met`` has 1 in the lanes of units where the rule is met,
``failed`` where it is not met; a lane with neither is insufficient evidence.
Kleene *and* is then ``(met_a & met_b, failed_a | failed_b)``, *or* the dual,
*not* a swap, and k-of-n a lane-wise sum followed by a byte translation: all of
it runs in C over all units at once. Leaves compare a column of values with
``bytes(map(threshold.__le__, column))``, also a C loop.

Numbers stay exact: integer columns are compared with integer thresholds
(``count >= 2.5`` becomes ``count >= 3``), and a relative change ``(c - b) op
(p/q) * b`` is evaluated as ``q*c op (q+p)*b`` in integers or decimals.

The explained evaluator (:mod:`modelunit._explain`) is the reference semantics; the
tests check that both agree on generated catalogs and evidence. What may not drift
is taken from one place: operators and their flips from :mod:`modelunit.rules`, the
cross-multiplied forms of relative changes and ratios from the rule classes
(``value_terms``), the count a threshold combinator needs from
``needed()``, and the k-of-n law's tables from :func:`modelunit.outcomes.at_least`.
The lane formulas for *and*, *or* and *not* are Kleene's; a test checks them
against :func:`~modelunit.outcomes.kleene_and` and friends on every pair of outcomes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import repeat
from math import ceil, floor
from typing import Any, assert_never

import attrs

from modelunit._numbers import exact_arithmetic
from modelunit.criteria import CriteriaSet
from modelunit.evidence import Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.lookup import EvidenceIndex
from modelunit.outcomes import Outcome, at_least
from modelunit.periods import Period
from modelunit.policy import (
    AllConditions,
    AnyCondition,
    Condition,
    CriteriaOutcomes,
    NotCondition,
    Points,
    Tally,
    holds,
)
from modelunit.policy import _scope as policy_scope  # the one reading of "among"
from modelunit.rules import (
    COMPARISONS,
    FLIPPED,
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
    Operator,
    Present,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
    iter_rules,
)

__all__ = [
    "Column",
    "CompiledCatalog",
    "Frame",
    "LaneFunction",
    "Lanes",
    "condition_lane",
    "criterion_reads",
    "lane_counts",
    "level_lanes",
    "needed_columns",
    "outcome_lane",
]

Lanes = tuple[int, int]  # (met, failed)


def _reflected(op: Operator) -> str:
    """The method of a threshold ``t`` that computes ``v op t``: ``t.__ge__(v)`` is ``v <= t``."""
    return f"__{COMPARISONS[FLIPPED[op]].__name__}__"


def _lanes(flags: bytes) -> int:
    return int.from_bytes(flags, "little")


class Column:
    """Values of one indicator over one period for every unit of a frame."""

    __slots__ = ("present", "values")

    def __init__(self, values: list[Any], present: int) -> None:
        self.values = values
        self.present = present


class Frame:
    """Columns for a fixed list of units, read from an evidence index.

    Building a frame is the preparation step of batch assessment; evaluating
    compiled criteria over it is the hot path. A frame is made from units
    (:class:`~modelunit.evidence.Unit` objects) or, without building one object per
    unit, from their ids and kinds (:meth:`of_ids`).
    """

    __slots__ = (
        "_positions",
        "_registry",
        "_units",
        "children",
        "columns",
        "index",
        "kinds",
        "n",
        "ones",
        "unit_ids",
    )

    def __init__(self, index: EvidenceIndex, units: Sequence[Unit]) -> None:
        given = tuple(units)
        self._setup(index, [u.id for u in given], [u.kind for u in given])
        self._units: tuple[Unit, ...] | None = given
        self._registry: UnitRegistry | None = None

    @classmethod
    def of_ids(
        cls,
        index: EvidenceIndex,
        unit_ids: Sequence[str],
        kinds: Sequence[str],
        registry: UnitRegistry | None = None,
    ) -> Frame:
        """A frame for units given by id and kind; :attr:`units` are built when first
        read (the registry's own units where it has them)."""
        frame = cls.__new__(cls)
        frame._setup(index, list(unit_ids), list(kinds))
        frame._units = None
        frame._registry = registry
        return frame

    def _setup(self, index: EvidenceIndex, unit_ids: list[str], kinds: list[str]) -> None:
        self.index = index
        self.unit_ids = unit_ids
        self.kinds = kinds
        self.n = len(unit_ids)
        self.ones = _lanes(b"\x01" * self.n)
        self._positions: list[int] | None = None
        self.columns: dict[tuple[str, Period], Column] = {}
        # Sub-unit kind (None: every kind) -> the sub-units' frame and, per unit, the
        # positions of its sub-units in that frame.
        self.children: dict[str | None, tuple[Frame, list[list[int]]]] = {}

    @property
    def units(self) -> tuple[Unit, ...]:
        """The units, in frame order."""
        if self._units is None:
            registry = self._registry
            self._units = tuple(
                registry.get(uid)
                if registry is not None and uid in registry
                else Unit(uid, kind=kind)
                for uid, kind in zip(self.unit_ids, self.kinds, strict=True)
            )
        return self._units

    @property
    def position(self) -> dict[str, int]:
        """Unit id -> its position in the frame."""
        return dict(zip(self.unit_ids, range(self.n), strict=True))

    def column(self, indicator: str, period: Period) -> Column:
        key = (indicator, period)
        col = self.columns.get(key)
        if col is None:
            self.prefetch([key])
            col = self.columns[key]
        return col

    def prefetch(self, keys: Iterable[tuple[str, Period]]) -> None:
        """Read the ``(indicator, period)`` columns not read yet (each at C speed
        where a unit has exactly one record for the period)."""
        if self._positions is None:
            self._positions = self.index.positions(self.unit_ids)
        for key in keys:
            if key in self.columns:
                continue
            indicator, period = key
            ind = self.index.indicators[indicator]
            values, present = self.index.column_present(self._positions, indicator, period)
            self.columns[key] = _column(ind, values, present)


def _column(ind: Indicator, values: list[Any], present: bytearray) -> Column:
    if ind.type == "category":
        # Ranks, lowest first (a missing value reads the lowest: never used, not present).
        ranks = {name: i for i, name in enumerate(ind.categories)}
        values = list(map(ranks.get, values, repeat(0)))
    return Column(values, _lanes(bytes(present)))


def needed_columns(catalog: CriteriaSet, period: Period) -> list[tuple[str, Period]]:
    """The ``(indicator, period)`` columns the rules of ``catalog`` read for ``period``
    (sub-unit rules read them from the sub-units' frame)."""
    keys = {
        key: None
        for crit in catalog.criteria
        for _, node in iter_rules(crit.rule)
        for key in node.reads(period)
    }
    return list(keys)


def criterion_reads(rule: Rule, period: Period) -> list[tuple[str, Period]]:
    """The ``(indicator, period)`` values ``rule`` reads for the unit itself when
    assessing ``period``, in rule order, each once: not those of sub-unit rules (read
    for the sub-units) nor of other criteria it refers to."""
    found: dict[tuple[str, Period], None] = {}
    stack = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, SubUnits):
            continue
        found.update(dict.fromkeys(node.reads(period)))
        stack.extend(reversed(node.children()))
    return list(found)


LaneFunction = Callable[[Frame, Period, dict[str, Lanes]], Lanes]
"""A compiled rule: (frame, period, lanes of the criteria already evaluated) -> lanes."""


def _integer_threshold(op: Operator, value: Decimal) -> tuple[Operator, int] | bool:
    """Rewrite ``v op value`` for integer v as ``v op' int`` (or a constant)."""
    if value == value.to_integral_value():
        return op, int(value)
    if op in (">", ">="):
        return ">=", ceil(value)
    if op in ("<", "<="):
        return "<=", floor(value)
    return op == "!="


def _compare_lanes(col: Column, op: Operator, value: Decimal, integral: bool, ones: int) -> Lanes:
    if integral:
        rewritten = _integer_threshold(op, value)
        if isinstance(rewritten, bool):
            cmp = ones if rewritten else 0
            return cmp & col.present, (cmp ^ ones) & col.present
        op, threshold = rewritten
        test = getattr(threshold, _reflected(op))
    else:
        test = getattr(value, _reflected(op))
    cmp = _lanes(bytes(map(test, col.values)))
    return cmp & col.present, (cmp ^ ones) & col.present


def compile_rule(rule: Rule, indicators: dict[str, Indicator]) -> LaneFunction:
    """A function evaluating ``rule`` over a frame for a period, giving lanes."""
    match rule:
        case Compare():
            key, op, value = rule.indicator, rule.op, rule.value
            integral = indicators[key].type == "count"

            def compare(frame: Frame, period: Period, _: dict[str, Lanes]) -> Lanes:
                return _compare_lanes(frame.column(key, period), op, value, integral, frame.ones)

            return compare
        case Flag() | Absent() | Present():
            key = rule.indicator
            boolean = indicators[key].type == "boolean"
            want_true = rule.wanted

            def flag(frame: Frame, period: Period, _: dict[str, Lanes]) -> Lanes:
                col = frame.column(key, period)
                truthy = _lanes(bytes(col.values) if boolean else bytes(map(bool, col.values)))
                cmp = truthy if want_true else truthy ^ frame.ones
                return cmp & col.present, (cmp ^ frame.ones) & col.present

            return flag
        case AtLeastLevel():
            key = rule.indicator
            needed = indicators[key].rank(rule.level)

            def at_least_level(frame: Frame, period: Period, _: dict[str, Lanes]) -> Lanes:
                col = frame.column(key, period)
                # AtLeastLevel.holds(rank, needed) is rank >= needed: here at C speed.
                cmp = _lanes(bytes(map(needed.__le__, col.values)))
                return cmp & col.present, (cmp ^ frame.ones) & col.present

            return at_least_level
        case Change():
            return _compile_change(rule, indicators)
        case Ratio():
            return _compile_ratio(rule, indicators)
        case AllOf() | AnyOf():
            parts = [compile_rule(r, indicators) for r in rule.rules]
            conjunction = isinstance(rule, AllOf)

            def junction(frame: Frame, period: Period, refs: dict[str, Lanes]) -> Lanes:
                # Kleene: and = (met_a & met_b, failed_a | failed_b), or = the dual.
                met, failed = parts[0](frame, period, refs)
                for part in parts[1:]:
                    if (failed if conjunction else met) == frame.ones:
                        break  # every unit decided: the rest cannot change anything
                    m, f = part(frame, period, refs)
                    if conjunction:
                        met, failed = met & m, failed | f
                    else:
                        met, failed = met | m, failed & f
                return met, failed

            return junction
        case Not():
            inner = compile_rule(rule.rule, indicators)

            def negation(frame: Frame, period: Period, refs: dict[str, Lanes]) -> Lanes:
                met, failed = inner(frame, period, refs)  # Kleene not: swap
                return failed, met

            return negation
        case KOf() | ShareOf():
            parts = [compile_rule(r, indicators) for r in rule.rules]
            return _compile_k_of(parts, rule.needed(len(parts)))
        case SubUnits():
            return _compile_sub_units(rule, indicators)
        case CriterionRef():
            target = rule.criterion

            def reference(frame: Frame, period: Period, refs: dict[str, Lanes]) -> Lanes:
                # A lane where the target does not apply is neither met nor failed:
                # insufficient, as the explained evaluator says too.
                return refs[target]

            return reference
        case _:
            assert_never(rule)


def _scaled(k: int, values: list[Any], integral: bool) -> list[Any]:
    """``[k * v for v in values]`` at C speed, exact for ints and decimals."""
    if k == 1:
        return values
    if integral:
        return list(map(k.__mul__, values))
    return list(map(operator.mul, repeat(Decimal(k)), values))


def _signs(values: list[Any], integral: bool) -> tuple[int, int]:
    zero: Any = 0 if integral else Decimal(0)
    positive = _lanes(bytes(map(zero.__lt__, values)))
    negative = _lanes(bytes(map(zero.__gt__, values)))
    return positive, negative


def _compile_change(rule: Change, indicators: dict[str, Indicator]) -> LaneFunction:
    key, op, value, relative = rule.indicator, rule.op, rule.value, rule.relative
    kind = indicators[key].type
    integral = kind == "count"
    signed = kind == "quantity"  # counts and shares are never negative
    cmp_fn = COMPARISONS[op]
    p, q = rule.value_terms

    def change(frame: Frame, period: Period, _: dict[str, Lanes]) -> Lanes:
        cur = frame.column(key, period)
        base = frame.column(key, rule.baseline_period(period))
        present = cur.present & base.present
        if relative:
            # q (c - b) op p |b|  <=>  q c op q b + p |b|;  = (q + p) b when b >= 0.
            left = _scaled(q, cur.values, integral)
            if signed:
                right = list(
                    map(
                        operator.add,
                        _scaled(q, base.values, integral),
                        _scaled(p, list(map(abs, base.values)), integral),
                    )
                )
            else:
                right = _scaled(q + p, base.values, integral)
            flags = bytes(map(cmp_fn, left, right))
        elif integral:
            rewritten = _integer_threshold(op, value)
            if isinstance(rewritten, bool):
                flags = (b"\x01" if rewritten else b"\x00") * frame.n
            else:
                op2, threshold = rewritten
                deltas = map(operator.sub, cur.values, base.values)
                flags = bytes(map(getattr(threshold, _reflected(op2)), deltas))
        else:
            deltas = map(operator.sub, cur.values, base.values)
            flags = bytes(map(getattr(value, _reflected(op)), deltas))
        cmp = _lanes(flags)
        return cmp & present, (cmp ^ frame.ones) & present

    return change


def _compile_ratio(rule: Ratio, indicators: dict[str, Indicator]) -> LaneFunction:
    num_key, den_key, op = rule.numerator, rule.denominator, rule.op
    num_int = indicators[num_key].type == "count"
    den_int = indicators[den_key].type == "count"
    p, q = rule.value_terms
    cmp_fn = COMPARISONS[op]
    flipped = COMPARISONS[FLIPPED[op]]

    def ratio(frame: Frame, period: Period, _: dict[str, Lanes]) -> Lanes:
        num = frame.column(num_key, period)
        den = frame.column(den_key, period)
        # n/d op p/q  <=>  q n op p d when d > 0; the inequality flips when d < 0.
        left = _scaled(q, num.values, num_int)
        right = _scaled(p, den.values, den_int) if p else [0] * frame.n
        positive, negative = _signs(den.values, den_int)
        up = _lanes(bytes(map(cmp_fn, left, right)))
        down = _lanes(bytes(map(flipped, left, right)))
        present = num.present & den.present & (positive | negative)
        cmp = (up & positive) | (down & negative)
        return cmp & present, (cmp ^ frame.ones) & present

    return ratio


def _compile_k_of(parts: list[LaneFunction], need: int) -> LaneFunction:
    total = len(parts)
    if total > 255:  # lane sums would overflow a byte: count lane by lane instead

        def k_of_wide(frame: Frame, period: Period, refs: dict[str, Lanes]) -> Lanes:
            met_counts = [0] * frame.n
            fail_counts = [0] * frame.n
            for part in parts:
                m, f = part(frame, period, refs)
                for i, flag in enumerate(m.to_bytes(frame.n, "little")):
                    met_counts[i] += flag
                for i, flag in enumerate(f.to_bytes(frame.n, "little")):
                    fail_counts[i] += flag
            met = bytes(at_least(c, 0, need, total) is Outcome.MET for c in met_counts)
            failed = bytes(at_least(0, c, need, total) is Outcome.NOT_MET for c in fail_counts)
            return _lanes(met), _lanes(failed)

        return k_of_wide
    # Lane sums of met (failed) flags -> the law's verdict, one byte each: at_least()
    # decides MET from the met count alone and NOT_MET from the failed count alone.
    met_table = bytes(at_least(c, 0, need, total) is Outcome.MET for c in range(256))
    fail_table = bytes(at_least(0, c, need, total) is Outcome.NOT_MET for c in range(256))

    def k_of(frame: Frame, period: Period, refs: dict[str, Lanes]) -> Lanes:
        met_sum = fail_sum = 0
        for part in parts:
            m, f = part(frame, period, refs)
            met_sum += m
            fail_sum += f
        n = frame.n
        met = _lanes(met_sum.to_bytes(n, "little").translate(met_table))
        failed = _lanes(fail_sum.to_bytes(n, "little").translate(fail_table))
        return met, failed

    return k_of


def _compile_sub_units(rule: SubUnits, indicators: dict[str, Indicator]) -> LaneFunction:
    inner = compile_rule(rule.rule, indicators)
    kind = rule.unit_kind

    def sub_units(frame: Frame, period: Period, refs: dict[str, Lanes]) -> Lanes:
        child_frame, groups = frame.children[kind]
        m, f = inner(child_frame, period, {})
        mb = m.to_bytes(child_frame.n, "little")
        fb = f.to_bytes(child_frame.n, "little")
        met = bytearray(frame.n)
        failed = bytearray(frame.n)
        for i, members in enumerate(groups):
            total = len(members)
            if not total:
                continue  # no registered sub-units: insufficient
            verdict = at_least(
                sum(mb[j] for j in members), sum(fb[j] for j in members), rule.needed(total), total
            )
            if verdict is Outcome.MET:
                met[i] = 1
            elif verdict is Outcome.NOT_MET:
                failed[i] = 1
        return _lanes(bytes(met)), _lanes(bytes(failed))

    return sub_units


class CompiledCatalog:
    """A criteria set compiled for batch evaluation."""

    __slots__ = ("catalog", "functions", "order", "sub_unit_kinds")

    def __init__(self, catalog: CriteriaSet) -> None:
        self.catalog = catalog
        indicators = catalog.indicator_map
        self.order = catalog.evaluation_order()
        self.functions = {c.id: compile_rule(c.rule, indicators) for c in self.order}
        kinds = {
            node.unit_kind
            for crit in catalog.criteria
            for _, node in iter_rules(crit.rule)
            if isinstance(node, SubUnits)
        }
        self.sub_unit_kinds = sorted(kinds, key=lambda k: k or "")

    def frame(
        self, index: EvidenceIndex, units: Sequence[Unit], registry: UnitRegistry | None
    ) -> Frame:
        """Prepare a frame for ``units``, with child frames for sub-unit rules."""
        return self._with_children(Frame(index, units), registry)

    def frame_of_ids(
        self,
        index: EvidenceIndex,
        unit_ids: Sequence[str],
        kinds: Sequence[str],
        registry: UnitRegistry | None,
    ) -> Frame:
        """:meth:`frame` for units given by id and kind (see :meth:`Frame.of_ids`)."""
        return self._with_children(Frame.of_ids(index, unit_ids, kinds, registry), registry)

    def _with_children(self, frame: Frame, registry: UnitRegistry | None) -> Frame:
        index = frame.index
        for key in self.sub_unit_kinds:
            kids: list[Unit] = []
            groups: list[list[int]] = []
            for uid in frame.unit_ids:
                members = []
                subs = registry.children(uid, key) if registry is not None else ()
                for sub in subs:
                    members.append(len(kids))
                    kids.append(sub)
                groups.append(members)
            frame.children[key] = (Frame(index, kids), groups)
        return frame

    def evaluate(self, frame: Frame, period: Period) -> dict[str, tuple[int, int, int]]:
        """(met, failed, applicable) lanes per criterion id for every unit of ``frame``."""
        with exact_arithmetic():  # decimal products and differences never round
            return self._evaluate(frame, period)

    def _evaluate(self, frame: Frame, period: Period) -> dict[str, tuple[int, int, int]]:
        refs: dict[str, Lanes] = {}
        out: dict[str, tuple[int, int, int]] = {}
        kinds = frame.kinds
        masks: dict[tuple[str, ...], int] = {}
        for crit in self.order:
            applies = crit.applies_to
            app = masks.get(applies)
            if app is None:
                app = frame.ones if not applies else _lanes(bytes(k in applies for k in kinds))
                masks[applies] = app
            met, failed = self.functions[crit.id](frame, period, refs)
            met &= app
            failed &= app
            refs[crit.id] = (met, failed)
            out[crit.id] = (met, failed, app)
        return out


# -- levels and counts for many units ----------------------------------------------------------


def lane_counts(lanes: Sequence[int], n: int) -> bytes | list[int]:
    """Per unit, how many of ``lanes`` are set: lane-wise sums (255 lanes at a time, so
    no byte overflows), in C."""
    total: bytes | list[int] = bytes(n)
    for k in range(0, len(lanes), 255):
        chunk = sum(lanes[k : k + 255]).to_bytes(n, "little")
        total = chunk if k == 0 else list(map(operator.add, total, chunk))
    return total


def outcome_lane(lanes: tuple[int, int, int], outcome: str) -> int:
    """The lane of units with ``outcome`` ("met", "not_met", "insufficient")."""
    met, failed, app = lanes
    if outcome == "met":
        return met
    if outcome == "not_met":
        return failed
    return app & ~(met | failed)


def _tally_lane(
    cond: Tally, catalog: CriteriaSet, lanes: dict[str, tuple[int, int, int]], n: int
) -> int:
    among = policy_scope(cond.among, catalog.group_members) if cond.among else None
    scope = [c.id for c in catalog.criteria if among is None or c.id in among]
    size = len(scope) + 1
    counts = lane_counts([outcome_lane(lanes[c], cond.outcome) for c in scope], n)
    totals = lane_counts([lanes[c][2] for c in scope], n)
    keys = list(map(operator.add, map(operator.mul, counts, repeat(size)), totals))
    unscoped = attrs.evolve(cond, among=())
    # holds() for each (count, total) that occurs: a handful of pairs, however many units.
    verdicts = {
        key: holds(unscoped, _tally_outcomes(cond.outcome, *divmod(key, size)))[0]
        for key in set(keys)
    }
    return _lanes(bytes(map(verdicts.__getitem__, keys)))


def _tally_outcomes(outcome: str, count: int, total: int) -> dict[str, Outcome]:
    """Outcomes with ``count`` of ``total`` applicable criteria at ``outcome``: what a
    tally over them sees (its own scope is all of them)."""
    want = Outcome(outcome)
    other = Outcome.MET if want is not Outcome.MET else Outcome.NOT_MET
    return {f"c{i}": want if i < count else other for i in range(total)}


def _points_lane(
    cond: Points, catalog: CriteriaSet, lanes: dict[str, tuple[int, int, int]], n: int
) -> int:
    points = catalog.points
    # Exact integers: every figure scaled by the finest power of ten among them.
    figures = [*points.values(), cond.min_points]
    scale = -min(*(int(d.as_tuple().exponent) for d in figures), 0)
    with exact_arithmetic():
        weights = {cid: int(p.scaleb(scale)) for cid, p in points.items()}
        needed = int(cond.min_points.scaleb(scale))
    totals: list[int] = [0] * n
    for cid, weight in weights.items():
        met = lanes[cid][0].to_bytes(n, "little")
        totals = list(map(operator.add, totals, map(operator.mul, met, repeat(weight))))
    return _lanes(bytes(map(needed.__le__, totals)))


def condition_lane(
    cond: Condition, catalog: CriteriaSet, lanes: dict[str, tuple[int, int, int]], n: int
) -> int:
    """The lane of units for which ``cond`` holds (:func:`modelunit.policy.holds` for
    every unit at once)."""
    ones = _lanes(b"\x01" * n)
    match cond:
        case Tally():
            return _tally_lane(cond, catalog, lanes, n)
        case CriteriaOutcomes():
            wanted = [outcome_lane(lanes[c], cond.outcome) for c in cond.criteria]
            found = ones if cond.quantifier == "all" else 0
            for lane in wanted:
                found = found & lane if cond.quantifier == "all" else found | lane
            return found
        case Points():
            return _points_lane(cond, catalog, lanes, n)
        case AllConditions():
            found = ones
            for sub in cond.conditions:
                found &= condition_lane(sub, catalog, lanes, n)
            return found
        case AnyCondition():
            found = 0
            for sub in cond.conditions:
                found |= condition_lane(sub, catalog, lanes, n)
            return found
        case NotCondition():
            return ones ^ condition_lane(cond.condition, catalog, lanes, n)
        case _:
            assert_never(cond)


def level_lanes(catalog: CriteriaSet, lanes: dict[str, tuple[int, int, int]], n: int) -> list[int]:
    """Per level of the policy, then its fallback, the lane of the units at that level:
    :func:`modelunit.policy.decide_level` for every unit at once."""
    ones = _lanes(b"\x01" * n)
    veto = 0
    for cid in catalog.mandatory:
        veto |= lanes[cid][1]
    remaining = ones
    found = []
    for level in catalog.policy.levels:
        allowed = remaining & ~veto if level.honours_veto else remaining
        # Every level of a valid policy has a condition; only the fallback may not.
        assert level.condition is not None, level.id
        reached = allowed & condition_lane(level.condition, catalog, lanes, n) if allowed else 0
        found.append(reached)
        remaining ^= reached
    found.append(remaining)
    return found
