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

from modelunit._numbers import exact_arithmetic
from modelunit.criteria import CriteriaSet
from modelunit.evidence import Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.lookup import EvidenceIndex
from modelunit.outcomes import Outcome, at_least
from modelunit.periods import Period
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

__all__ = ["Column", "CompiledCatalog", "Frame", "LaneFunction", "Lanes", "needed_columns"]

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


_PLACEHOLDER: dict[str, object] = {
    "count": 0,
    "quantity": Decimal(0),
    "share": Decimal(0),
    "boolean": False,
    "category": 0,
}


class Frame:
    """Columns for a fixed list of units, read from an evidence index.

    Building a frame is the preparation step of batch assessment; evaluating
    compiled criteria over it is the hot path.
    """

    __slots__ = ("children", "columns", "index", "n", "ones", "position", "unit_ids", "units")

    def __init__(self, index: EvidenceIndex, units: Sequence[Unit]) -> None:
        self.index = index
        self.units = tuple(units)
        self.unit_ids = [u.id for u in self.units]
        self.n = len(self.units)
        self.ones = _lanes(b"\x01" * self.n)
        self.position = {u.id: i for i, u in enumerate(self.units)}
        self.columns: dict[tuple[str, Period], Column] = {}
        # Sub-unit kind (None: every kind) -> the sub-units' frame and, per unit, the
        # positions of its sub-units in that frame.
        self.children: dict[str | None, tuple[Frame, list[list[int]]]] = {}

    def column(self, indicator: str, period: Period) -> Column:
        key = (indicator, period)
        col = self.columns.get(key)
        if col is None:
            self.prefetch([key])
            col = self.columns[key]
        return col

    def prefetch(self, keys: Iterable[tuple[str, Period]]) -> None:
        """Read the ``(indicator, period)`` columns not read yet, one pass over the
        records per indicator."""
        periods_of: dict[str, list[Period]] = {}
        for indicator, period in keys:
            if (indicator, period) not in self.columns:
                periods_of.setdefault(indicator, []).append(period)
        for indicator, periods in periods_of.items():
            ind = self.index.indicators[indicator]
            found = self.index.columns(self.unit_ids, indicator, periods)
            for period, (raw, flags) in found.items():
                self.columns[(indicator, period)] = _column(ind, raw, flags)


def _column(ind: Indicator, raw: list[Any], flags: bytearray) -> Column:
    placeholder = _PLACEHOLDER[ind.type]
    if ind.type == "category":
        rank = ind.rank
        values = [placeholder if v is None else rank(str(v)) for v in raw]
    else:
        values = [placeholder if v is None else v for v in raw]
    return Column(values, _lanes(bytes(flags)))


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
        frame = Frame(index, units)
        for key in self.sub_unit_kinds:
            kids: list[Unit] = []
            groups: list[list[int]] = []
            for unit in frame.units:
                members = []
                subs = registry.children(unit.id, key) if registry is not None else ()
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
        kinds = [u.kind for u in frame.units]
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
