"""The explained evaluator: walks a rule for one unit and records why.

This is the reference semantics. The batch evaluator (:mod:`modelunit._batch`) must
agree with it on every outcome; the test suite checks that on generated catalogs and
evidence. Both take the meaning of each comparison from the rule classes
(:meth:`~modelunit.rules.Compare.holds` and its siblings) and the three-valued laws
from :mod:`modelunit.outcomes`, so the two cannot drift apart on either.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from modelunit._numbers import exact_arithmetic
from modelunit.evidence import UnitRegistry
from modelunit.indicators import Value
from modelunit.lookup import EvidenceIndex, Missing, Resolved
from modelunit.outcomes import Outcome, at_least, kleene_and, kleene_not, kleene_or
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

__all__ = ["Context", "evaluate"]

MET, NOT_MET, INSUFFICIENT = Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT

# Texts shown to people are computed at a fixed precision, whatever the caller's context.
_DISPLAY = decimal.Context(prec=28)


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


def _pct(value: Decimal | Fraction) -> str:
    with decimal.localcontext(_DISPLAY):
        if isinstance(value, Fraction):
            value = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{format((value * 100).normalize(), 'f')}%"


def _approx(value: Fraction) -> str:
    """A ratio shown to 4 significant digits. Numbers read from data are within
    1e-60..1e60 (:mod:`modelunit.limits`), so a ratio of two is well within a float."""
    return f"{float(value):.4g}"


def _decided(ok: bool) -> Outcome:
    return MET if ok else NOT_MET


def evaluate(rule: Rule, ctx: Context) -> RuleTrace:
    """Evaluate ``rule`` for ``ctx.unit`` over ``ctx.period`` with an explanation."""
    match rule:
        case Compare():
            return _leaf(
                rule,
                ctx,
                rule.indicator,
                rule.holds,  # type: ignore[arg-type]  # numeric by validation
                lambda v: f"{_fmt(v)}, needs {rule.op} {rule.value}",
            )
        case Flag():
            return _leaf(
                rule,
                ctx,
                rule.indicator,
                rule.holds,
                lambda v: f"{_fmt(v)}, needs {_fmt(rule.expected)}",
            )
        case Absent() | Present():
            boolean = ctx.index.indicators[rule.indicator].type == "boolean"
            if isinstance(rule, Absent):
                wanted = "false" if boolean else "0"
            else:
                wanted = "true" if boolean else "at least 1"
            return _leaf(
                rule, ctx, rule.indicator, rule.holds, lambda v: f"{_fmt(v)}, needs {wanted}"
            )
        case AtLeastLevel():
            ind = ctx.index.indicators[rule.indicator]
            needed = ind.rank(rule.level)
            return _leaf(
                rule,
                ctx,
                rule.indicator,
                lambda v: rule.holds(ind.rank(str(v)), needed),
                lambda v: f"{_fmt(v)}, needs at least {rule.level}",
            )
        case Change():
            return _change(rule, ctx)
        case Ratio():
            return _ratio(rule, ctx)
        case AllOf() | AnyOf():
            return _junction(rule, ctx)
        case Not():
            inner = evaluate(rule.rule, ctx)
            return RuleTrace(
                rule.kind,
                rule.describe(),
                kleene_not(inner.outcome),
                f"negation of: {inner.reason}",
                evidence=inner.evidence,
                children=(inner,),
            )
        case KOf() | ShareOf():
            return _k_of(rule, ctx)
        case SubUnits():
            return _sub_units(rule, ctx)
        case CriterionRef():
            return _reference(rule, ctx)
        case _:
            assert_never(rule)


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
    how = f" ({found.how})" if found.how else ""
    return RuleTrace(
        rule.kind,
        rule.describe(),
        _decided(test(found.value)),
        f"{indicator} in {ctx.period} is {show(found.value)}{how}",
        values=(ComparedValue(indicator, ctx.period, found.value),),
        evidence=found.evidence,
    )


def _reference(rule: CriterionRef, ctx: Context) -> RuleTrace:
    ref = ctx.criteria[rule.criterion]
    if ref.outcome is Outcome.NOT_APPLICABLE:
        # As in the batch evaluator: a criterion that does not apply decides nothing here.
        # (Validation refuses sets where this can happen.)
        reason = f"criterion {rule.criterion} does not apply to {ctx.unit}"
        return RuleTrace(rule.kind, rule.describe(), INSUFFICIENT, reason)
    return RuleTrace(
        rule.kind,
        rule.describe(),
        ref.outcome,
        f"criterion {rule.criterion} is {ref.outcome.label_en}: {ref.reason}",
        evidence=ref.evidence,
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


def _number(value: Value) -> int | Decimal:
    # Validation guarantees numeric indicators here.
    assert isinstance(value, int | Decimal)
    assert not isinstance(value, bool)
    return value


def _baseline_name(rule: Change, base_period: Period) -> str:
    """The baseline period as a change's reason names it, after "vs 25 in": the period
    itself (``2022``, ``2019``), or for the same period of an earlier year, that year
    and, unless it is the calendar year itself, the exact dates ("the same period of
    2023 (2023-01-01/2023-11-30)"). A period is named by the year it ends in, as a
    reporting year is. The one place these words are made."""
    kind = rule.baseline_kind
    match kind:
        case "previous" | "fixed":
            return str(base_period)
        case "same_period":
            named = f"the same period of {base_period.end.year:04d}"
            return named if base_period.kind == "year" else f"{named} ({base_period})"
        case _:
            assert_never(kind)


def _change(rule: Change, ctx: Context) -> RuleTrace:
    base_period = rule.baseline_period(ctx.period)
    found = _two_values(rule, ctx, (rule.indicator, ctx.period), (rule.indicator, base_period))
    if isinstance(found, RuleTrace):
        return found
    cur, base, values, evidence = found
    c, b = _number(cur.value), _number(base.value)
    ok = rule.holds(c, b)
    delta = Fraction(c) - Fraction(b)
    baseline = _baseline_name(rule, base_period)
    if rule.relative:
        pct = (
            _pct(delta / abs(Fraction(b))) if b else ("0%" if delta == 0 else "an increase from 0")
        )
        text = (
            f"{rule.indicator}: {_fmt(cur.value)} in {ctx.period} vs {_fmt(base.value)} in "
            f"{baseline}, change {pct}, needs {rule.op} {_pct(rule.value)}"
        )
    else:
        with exact_arithmetic():
            shown = Decimal(c) - Decimal(b)
        text = (
            f"{rule.indicator}: {_fmt(cur.value)} in {ctx.period} vs {_fmt(base.value)} in "
            f"{baseline}, change {shown:+}, needs {rule.op} {rule.value}"
        )
    return RuleTrace(
        rule.kind, rule.describe(), _decided(ok), text, values=values, evidence=evidence
    )


def _ratio(rule: Ratio, ctx: Context) -> RuleTrace:
    found = _two_values(rule, ctx, (rule.numerator, ctx.period), (rule.denominator, ctx.period))
    if isinstance(found, RuleTrace):
        return found
    num, den, values, evidence = found
    n, d = _number(num.value), _number(den.value)
    ok = rule.holds(n, d)
    if ok is None:
        return RuleTrace(
            rule.kind,
            rule.describe(),
            INSUFFICIENT,
            f"{rule.denominator} is 0 in {ctx.period}: the ratio is undefined",
            values=values,
            evidence=evidence,
        )
    return RuleTrace(
        rule.kind,
        rule.describe(),
        _decided(ok),
        f"{rule.numerator}/{rule.denominator} = {_fmt(num.value)}/{_fmt(den.value)}"
        f" = {_approx(Fraction(n) / Fraction(d))}, needs {rule.op} {rule.value}",
        values=values,
        evidence=evidence,
    )


def _junction(rule: AllOf | AnyOf, ctx: Context) -> RuleTrace:
    conjunction = isinstance(rule, AllOf)
    # The outcome that decides a Kleene and (or) whatever the rest are: short-circuit on it.
    stop = NOT_MET if conjunction else MET
    traces: list[RuleTrace] = []
    for sub in rule.rules:
        t = evaluate(sub, ctx)
        traces.append(t)
        if t.outcome is stop:
            break
    outcome = (kleene_and if conjunction else kleene_or)(t.outcome for t in traces)
    if outcome is stop:
        last = traces[-1]
        skipped = len(rule.rules) - len(traces)
        tail = f" ({skipped} more not needed)" if skipped else ""
        return RuleTrace(
            rule.kind,
            rule.describe(),
            stop,
            f"{last.reason}{tail}",
            evidence=last.evidence,
            children=tuple(traces),
        )
    evidence = tuple(e for t in traces for e in t.evidence)
    if outcome is INSUFFICIENT:
        pending = [t.reason for t in traces if t.outcome is INSUFFICIENT]
        return RuleTrace(
            rule.kind,
            rule.describe(),
            INSUFFICIENT,
            "undecided: " + "; ".join(pending),
            evidence=evidence,
            children=tuple(traces),
        )
    reasons = "; ".join(t.reason for t in traces)
    word = reasons if outcome is MET else f"none met: {reasons}"
    return RuleTrace(
        rule.kind, rule.describe(), outcome, word, evidence=evidence, children=tuple(traces)
    )


def _k_of(rule: KOf | ShareOf, ctx: Context) -> RuleTrace:
    total = len(rule.rules)
    needed = rule.needed(total)
    traces: list[RuleTrace] = []
    met = failed = 0
    for sub in rule.rules:
        t = evaluate(sub, ctx)
        traces.append(t)
        met += t.outcome is MET
        failed += t.outcome is NOT_MET
        if at_least(met, failed, needed, total) is not INSUFFICIENT:
            break  # the rest cannot change the outcome
    evidence = tuple(e for t in traces for e in t.evidence)
    reason = f"{met} of {total} met, {failed} not met, needs {needed}"
    if len(traces) < total:
        reason += f" ({total - len(traces)} not needed)"
    return RuleTrace(
        rule.kind,
        rule.describe(),
        at_least(met, failed, needed, total),
        reason,
        evidence=evidence,
        children=tuple(traces),
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
        t = evaluate(rule.rule, Context(ctx.index, sub.id, ctx.period, ctx.registry, {}))
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
    needed = rule.needed(total)
    met = sum(t.outcome is MET for t in traces)
    failed = sum(t.outcome is NOT_MET for t in traces)
    return RuleTrace(
        rule.kind,
        rule.describe(),
        at_least(met, failed, needed, total),
        f"{met} of {total} sub-units met, {failed} not met, needs {needed}",
        evidence=tuple(e for t in traces for e in t.evidence),
        children=tuple(traces),
    )
