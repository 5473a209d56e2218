"""The explained evaluator: walks a rule for one unit and records why.

This is the reference semantics. The compiled batch evaluator
(:mod:`modelunit._compiled`) must agree with it on every outcome; the test
suite checks that on generated catalogs and evidence.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from modelunit._index import EvidenceIndex, Missing, Resolved
from modelunit._numbers import ceil_share
from modelunit.evidence import UnitRegistry, Value
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import ComparedValue, RuleTrace
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

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

MET, NOT_MET, INSUFFICIENT = Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT


class Context:
    """Everything a rule may read for one unit and period."""

    __slots__ = ("criteria", "index", "period", "registry", "unit")

    def __init__(
        self,
        index: EvidenceIndex,
        unit: str,
        period: Period,
        registry: UnitRegistry | None,
        criteria: Mapping[str, RuleTrace],
    ) -> None:
        self.index = index
        self.unit = unit
        self.period = period
        self.registry = registry
        self.criteria = criteria


def _fmt(value: Value | Fraction) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _pct(value: Decimal) -> str:
    return f"{format((value * 100).normalize(), 'f')}%"


def _decided(ok: bool) -> Outcome:
    return MET if ok else NOT_MET


def evaluate(rule: Rule, ctx: Context) -> RuleTrace:
    """Evaluate ``rule`` for ``ctx.unit`` over ``ctx.period`` with an explanation."""
    if isinstance(rule, Compare):
        return _leaf(
            rule,
            ctx,
            rule.indicator,
            lambda v: OPS[rule.op](v, rule.value),
            lambda v: f"{_fmt(v)}, needs {rule.op} {rule.value}",
        )
    if isinstance(rule, Flag):
        return _leaf(
            rule,
            ctx,
            rule.indicator,
            lambda v: v is rule.expected,
            lambda v: f"{_fmt(v)}, needs {_fmt(rule.expected)}",
        )
    if isinstance(rule, Absent):
        none = "false" if ctx.index.indicators[rule.indicator].type == "boolean" else "0"
        return _leaf(
            rule, ctx, rule.indicator, lambda v: not v, lambda v: f"{_fmt(v)}, needs {none}"
        )
    if isinstance(rule, Present):
        some = "true" if ctx.index.indicators[rule.indicator].type == "boolean" else "at least 1"
        return _leaf(rule, ctx, rule.indicator, bool, lambda v: f"{_fmt(v)}, needs {some}")
    if isinstance(rule, AtLeastLevel):
        ind = ctx.index.indicators[rule.indicator]
        need = ind.rank(rule.level)
        return _leaf(
            rule,
            ctx,
            rule.indicator,
            lambda v: ind.rank(str(v)) >= need,
            lambda v: f"{_fmt(v)}, needs at least {rule.level}",
        )
    if isinstance(rule, Change):
        return _change(rule, ctx)
    if isinstance(rule, Ratio):
        return _ratio(rule, ctx)
    if isinstance(rule, AllOf | AnyOf):
        return _junction(rule, ctx)
    if isinstance(rule, Not):
        inner = evaluate(rule.rule, ctx)
        out = {MET: NOT_MET, NOT_MET: MET}.get(inner.outcome, inner.outcome)
        return RuleTrace(
            rule.kind,
            rule.describe(),
            out,
            f"negation of: {inner.reason}",
            evidence=inner.evidence,
            children=(inner,),
        )
    if isinstance(rule, KOf | ShareOf):
        return _k_of(rule, ctx)
    if isinstance(rule, SubUnits):
        return _sub_units(rule, ctx)
    if isinstance(rule, CriterionRef):
        ref = ctx.criteria[rule.criterion]
        return RuleTrace(
            rule.kind,
            rule.describe(),
            ref.outcome,
            f"criterion {rule.criterion} is {ref.outcome.label_en}: {ref.reason}",
            evidence=ref.evidence,
        )
    raise TypeError(f"not a rule: {rule!r}")  # pragma: no cover - guarded by types


def _leaf(
    rule: Compare | Flag | Absent | Present | AtLeastLevel,
    ctx: Context,
    indicator: str,
    test: Callable[[Value], bool],
    show: Callable[[Value], str],
) -> RuleTrace:
    found = ctx.index.lookup(ctx.unit, indicator, ctx.period)
    if isinstance(found, Missing):
        return RuleTrace(
            rule.kind,
            rule.describe(),
            INSUFFICIENT,
            found.reason,
            values=(ComparedValue(indicator, ctx.period, None),),
            evidence=found.evidence,
        )
    ok = test(found.value)
    how = f" ({found.how})" if found.how else ""
    return RuleTrace(
        rule.kind,
        rule.describe(),
        _decided(ok),
        f"{indicator} in {ctx.period} is {show(found.value)}{how}",
        values=(ComparedValue(indicator, ctx.period, found.value),),
        evidence=found.evidence,
    )


def _two_values(
    rule: Change | Ratio,
    ctx: Context,
    first: tuple[str, Period],
    second: tuple[str, Period],
) -> RuleTrace | tuple[Resolved, Resolved, tuple[ComparedValue, ...], tuple[str, ...]]:
    """Look up the two values a rule compares; an insufficient trace if either is missing."""
    a = ctx.index.lookup(ctx.unit, first[0], first[1])
    b = ctx.index.lookup(ctx.unit, second[0], second[1])
    values = tuple(
        ComparedValue(key, period, found.value if isinstance(found, Resolved) else None)
        for (key, period), found in ((first, a), (second, b))
    )
    evidence = a.evidence + b.evidence
    if isinstance(a, Resolved) and isinstance(b, Resolved):
        return a, b, values, evidence
    missing = "; ".join(m.reason for m in (a, b) if isinstance(m, Missing))
    return RuleTrace(
        rule.kind, rule.describe(), INSUFFICIENT, missing, values=values, evidence=evidence
    )


def _change(rule: Change, ctx: Context) -> RuleTrace:
    base_period = rule.baseline_period(ctx.period)
    found = _two_values(rule, ctx, (rule.indicator, ctx.period), (rule.indicator, base_period))
    if isinstance(found, RuleTrace):
        return found
    cur, base, values, evidence = found
    c, b = Decimal(cur.value), Decimal(base.value)
    delta = c - b
    if rule.relative:
        ok = OPS[rule.op](delta, rule.value * b)
        pct = _pct(delta / b) if b else ("0%" if delta == 0 else "an increase from 0")
        text = (
            f"{rule.indicator}: {_fmt(cur.value)} in {ctx.period} vs {_fmt(base.value)} in "
            f"{base_period}, change {pct}, needs {rule.op} {_pct(rule.value)}"
        )
    else:
        ok = OPS[rule.op](delta, rule.value)
        text = (
            f"{rule.indicator}: {_fmt(cur.value)} in {ctx.period} vs {_fmt(base.value)} in "
            f"{base_period}, change {delta:+}, needs {rule.op} {rule.value}"
        )
    return RuleTrace(
        rule.kind, rule.describe(), _decided(ok), text, values=values, evidence=evidence
    )


def _ratio(rule: Ratio, ctx: Context) -> RuleTrace:
    found = _two_values(rule, ctx, (rule.numerator, ctx.period), (rule.denominator, ctx.period))
    if isinstance(found, RuleTrace):
        return found
    num, den, values, evidence = found
    n, d = Decimal(num.value), Decimal(den.value)
    if d == 0:
        return RuleTrace(
            rule.kind,
            rule.describe(),
            INSUFFICIENT,
            f"{rule.denominator} is 0 in {ctx.period}: the ratio is undefined",
            values=values,
            evidence=evidence,
        )
    ok = OPS[rule.op](n, rule.value * d) if d > 0 else OPS[rule.op](-n, -rule.value * d)
    ratio = Fraction(n) / Fraction(d)
    return RuleTrace(
        rule.kind,
        rule.describe(),
        _decided(ok),
        f"{rule.numerator}/{rule.denominator} = {_fmt(num.value)}/{_fmt(den.value)}"
        f" = {float(ratio):.4g}, needs {rule.op} {rule.value}",
        values=values,
        evidence=evidence,
    )


def _junction(rule: AllOf | AnyOf, ctx: Context) -> RuleTrace:
    stop = NOT_MET if isinstance(rule, AllOf) else MET
    traces: list[RuleTrace] = []
    unknown = False
    for sub in rule.rules:
        t = evaluate(sub, ctx)
        traces.append(t)
        if t.outcome is stop:
            skipped = len(rule.rules) - len(traces)
            tail = f" ({skipped} more not needed)" if skipped else ""
            return RuleTrace(
                rule.kind,
                rule.describe(),
                stop,
                f"{t.reason}{tail}",
                evidence=t.evidence,
                children=tuple(traces),
            )
        if t.outcome is INSUFFICIENT:
            unknown = True
    evidence = tuple(e for t in traces for e in t.evidence)
    if unknown:
        pending = [t.reason for t in traces if t.outcome is INSUFFICIENT]
        return RuleTrace(
            rule.kind,
            rule.describe(),
            INSUFFICIENT,
            "undecided: " + "; ".join(pending),
            evidence=evidence,
            children=tuple(traces),
        )
    other = MET if stop is NOT_MET else NOT_MET
    reasons = "; ".join(t.reason for t in traces)
    word = reasons if other is MET else f"none met: {reasons}"
    return RuleTrace(
        rule.kind, rule.describe(), other, word, evidence=evidence, children=tuple(traces)
    )


def _threshold(met: int, unknown: int, need: int) -> Outcome:
    if met >= need:
        return MET
    if met + unknown < need:
        return NOT_MET
    return INSUFFICIENT


def _k_of(rule: KOf | ShareOf, ctx: Context) -> RuleTrace:
    total = len(rule.rules)
    need = rule.count if isinstance(rule, KOf) else ceil_share(rule.share, total)
    traces: list[RuleTrace] = []
    met = failed = 0
    for sub in rule.rules:
        t = evaluate(sub, ctx)
        traces.append(t)
        met += t.outcome is MET
        failed += t.outcome is NOT_MET
        # Short-circuit as soon as the rest cannot change the outcome.
        if met >= need or total - failed < need:
            break
    unknown = total - met - failed
    out = _threshold(met, unknown, need)
    evidence = tuple(e for t in traces for e in t.evidence)
    reason = f"{met} of {total} met, {failed} not met, needs {need}"
    if len(traces) < total:
        reason += f" ({total - len(traces)} not needed)"
    return RuleTrace(
        rule.kind, rule.describe(), out, reason, evidence=evidence, children=tuple(traces)
    )


def _sub_units(rule: SubUnits, ctx: Context) -> RuleTrace:
    subs = ctx.registry.children(ctx.unit, rule.unit_kind) if ctx.registry is not None else ()
    if not subs:
        of = f"{rule.unit_kind} sub-units" if rule.unit_kind else "sub-units"
        return RuleTrace(
            rule.kind, rule.describe(), INSUFFICIENT, f"no {of} of {ctx.unit} are registered"
        )
    traces = []
    for sub in subs:
        sub_ctx = Context(ctx.index, sub.id, ctx.period, ctx.registry, {})
        t = evaluate(rule.rule, sub_ctx)
        traces.append(
            RuleTrace(
                t.kind,
                t.description,
                t.outcome,
                t.reason,
                t.values,
                t.evidence,
                t.children,
                unit=sub.id,
            )
        )
    total = len(subs)
    need = ceil_share(rule.share, total) if rule.share is not None else int(rule.count or 0)
    met = sum(t.outcome is MET for t in traces)
    failed = sum(t.outcome is NOT_MET for t in traces)
    out = _threshold(met, total - met - failed, need)
    evidence = tuple(e for t in traces for e in t.evidence)
    return RuleTrace(
        rule.kind,
        rule.describe(),
        out,
        f"{met} of {total} sub-units met, {failed} not met, needs {need}",
        evidence=evidence,
        children=tuple(traces),
    )
