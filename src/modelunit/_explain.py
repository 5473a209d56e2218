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

from modelunit._i18n import Lang
from modelunit._numbers import exact_arithmetic
from modelunit._texts import text
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
    """Everything a rule may read for one unit and period, and the language of the
    reasons written for it (:mod:`modelunit._texts`)."""

    __slots__ = ("criteria", "index", "lang", "period", "registry", "unit")

    def __init__(
        self,
        index: EvidenceIndex,
        unit: str,
        period: Period,
        registry: UnitRegistry | None,
        criteria: Mapping[str, RuleTrace],
        *,
        lang: Lang = "en",
    ) -> None:
        self.index = index
        self.unit = unit
        self.period = period
        self.registry = registry
        self.criteria = criteria
        self.lang: Lang = lang


def _fmt(value: Value | Fraction, lang: Lang = "en") -> str:
    if isinstance(value, bool):
        return text("value.true" if value else "value.false", lang)
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
    lang = ctx.lang
    match rule:
        case Compare():
            return _leaf(
                rule,
                ctx,
                rule.indicator,
                rule.holds,  # type: ignore[arg-type]  # numeric by validation
                f"{rule.op} {rule.value}",
            )
        case Flag():
            return _leaf(rule, ctx, rule.indicator, rule.holds, _fmt(rule.expected, lang))
        case Absent() | Present():
            boolean = ctx.index.indicators[rule.indicator].type == "boolean"
            if isinstance(rule, Absent):
                wanted = text("value.false", lang) if boolean else "0"
            else:
                wanted = (
                    text("value.true", lang) if boolean else text("reason.at_least", lang, what=1)
                )
            return _leaf(rule, ctx, rule.indicator, rule.holds, wanted)
        case AtLeastLevel():
            ind = ctx.index.indicators[rule.indicator]
            needed = ind.rank(rule.level)
            return _leaf(
                rule,
                ctx,
                rule.indicator,
                lambda v: rule.holds(ind.rank(str(v)), needed),
                text("reason.at_least", lang, what=rule.level),
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
                text("reason.negation", lang, reason=inner.reason),
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
    need: str,
) -> RuleTrace:
    found = ctx.index.lookup(ctx.unit, indicator, ctx.period, lang=ctx.lang)
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
        text(
            "reason.value",
            ctx.lang,
            indicator=indicator,
            period=ctx.period,
            value=_fmt(found.value, ctx.lang),
            need=need,
            how=how,
        ),
        values=(ComparedValue(indicator, ctx.period, found.value),),
        evidence=found.evidence,
    )


def _reference(rule: CriterionRef, ctx: Context) -> RuleTrace:
    ref = ctx.criteria[rule.criterion]
    if ref.outcome is Outcome.NOT_APPLICABLE:
        # As in the batch evaluator: a criterion that does not apply decides nothing here.
        # (Validation refuses sets where this can happen.)
        reason = text(
            "reason.reference_not_applicable", ctx.lang, criterion=rule.criterion, unit=ctx.unit
        )
        return RuleTrace(rule.kind, rule.describe(), INSUFFICIENT, reason)
    return RuleTrace(
        rule.kind,
        rule.describe(),
        ref.outcome,
        text(
            "reason.reference",
            ctx.lang,
            criterion=rule.criterion,
            outcome=ref.outcome.label(ctx.lang),
            reason=ref.reason,
        ),
        evidence=ref.evidence,
    )


def _two_values(
    rule: Change | Ratio,
    ctx: Context,
    first: tuple[str, Period],
    second: tuple[str, Period],
) -> RuleTrace | tuple[Resolved, Resolved, tuple[ComparedValue, ...], tuple[str, ...]]:
    """Look up the two values a rule compares; an insufficient trace if either is missing."""
    a = ctx.index.lookup(ctx.unit, first[0], first[1], lang=ctx.lang)
    b = ctx.index.lookup(ctx.unit, second[0], second[1], lang=ctx.lang)
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


def _baseline_name(rule: Change, base_period: Period, lang: Lang = "en") -> str:
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
            named = text("reason.same_period", lang, year=f"{base_period.end.year:04d}")
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
    baseline = _baseline_name(rule, base_period, ctx.lang)
    if rule.relative:
        change = (
            _pct(delta / abs(Fraction(b)))
            if b
            else ("0%" if delta == 0 else text("reason.increase_from_zero", ctx.lang))
        )
        threshold = _pct(rule.value)
    else:
        with exact_arithmetic():
            change = f"{Decimal(c) - Decimal(b):+}"
        threshold = str(rule.value)
    reason = text(
        "reason.change",
        ctx.lang,
        indicator=rule.indicator,
        current=_fmt(cur.value),
        period=ctx.period,
        baseline=_fmt(base.value),
        baseline_period=baseline,
        change=change,
        op=rule.op,
        threshold=threshold,
    )
    return RuleTrace(
        rule.kind, rule.describe(), _decided(ok), reason, values=values, evidence=evidence
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
            text(
                "reason.ratio_undefined", ctx.lang, denominator=rule.denominator, period=ctx.period
            ),
            values=values,
            evidence=evidence,
        )
    return RuleTrace(
        rule.kind,
        rule.describe(),
        _decided(ok),
        text(
            "reason.ratio",
            ctx.lang,
            numerator=rule.numerator,
            denominator=rule.denominator,
            a=_fmt(num.value),
            b=_fmt(den.value),
            ratio=_approx(Fraction(n) / Fraction(d)),
            op=rule.op,
            threshold=rule.value,
        ),
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
        reason = (
            text("reason.more_not_needed", ctx.lang, reason=last.reason, count=skipped)
            if skipped
            else last.reason
        )
        return RuleTrace(
            rule.kind,
            rule.describe(),
            stop,
            reason,
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
            text("reason.undecided", ctx.lang, reasons="; ".join(pending)),
            evidence=evidence,
            children=tuple(traces),
        )
    reasons = "; ".join(t.reason for t in traces)
    word = reasons if outcome is MET else text("reason.none_met", ctx.lang, reasons=reasons)
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
    reason = text("reason.k_of", ctx.lang, met=met, total=total, failed=failed, needed=needed)
    if len(traces) < total:
        reason = text("reason.not_needed", ctx.lang, reason=reason, count=total - len(traces))
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
        of = (
            text("reason.sub_units_of_kind", ctx.lang, kind=rule.unit_kind)
            if rule.unit_kind
            else text("reason.sub_units", ctx.lang)
        )
        reason = text("reason.no_sub_units", ctx.lang, sub_units=of, unit=ctx.unit)
        return RuleTrace(rule.kind, rule.describe(), INSUFFICIENT, reason)
    traces = []
    for sub in subs:
        t = evaluate(
            rule.rule, Context(ctx.index, sub.id, ctx.period, ctx.registry, {}, lang=ctx.lang)
        )
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
    unknown = total - met - failed
    return RuleTrace(
        rule.kind,
        rule.describe(),
        at_least(met, failed, needed, total),
        text(
            "reason.sub_units_counted_unknown" if unknown else "reason.sub_units_counted",
            ctx.lang,
            met=met,
            total=total,
            failed=failed,
            unknown=unknown,
            needed=needed,
        ),
        evidence=tuple(e for t in traces for e in t.evidence),
        children=tuple(traces),
    )
