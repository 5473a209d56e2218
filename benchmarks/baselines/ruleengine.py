"""The rule-engine baseline: each criterion as a rule-engine expression, per unit.

rule-engine has no three-valued logic, so each expression returns the outcome code
(0 not met, 1 insufficient evidence, 2 met): leaves test their values against
``null`` first, then compare inside a ternary; *all*/*any* are ``$min``/``$max``
over the codes (Kleene and/or), *k of n* counts its parts' codes with ``$sum``.
The expressions are generated from modelunit's rule trees and checked against the
other engines on every unit before anything is timed.

rule-engine computes with ``decimal.Decimal`` (its FLOAT type), so comparisons and
the arithmetic of changes and ratios are exact. Rules are parsed once
(``rule_engine.Rule``) and evaluated per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, assert_never

import rule_engine

from modelunit.criteria import CriteriaSet
from modelunit.indicators import Indicator
from modelunit.rules import (
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
    Present,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
)

PREV = "prev__"


def _leaf(keys: Sequence[str], condition: str) -> str:
    missing = " or ".join(f"{k} == null" for k in keys)
    return f"(({missing}) ? 1 : (({condition}) ? 2 : 0))"


def _num(value: Decimal) -> str:
    text = format(value, "f")
    return f"({text})" if text.startswith("-") else text


def translate(rule: Rule, indicators: dict[str, Indicator]) -> str:
    """A rule-engine expression giving ``rule``'s outcome code for one unit's flat dict.

    Every rule kind has a branch (the last is ``assert_never``): kinds a flat per-unit
    dict cannot express are refused with :class:`NotImplementedError`.
    """
    match rule:
        case Compare():
            return _leaf([rule.indicator], f"{rule.indicator} {rule.op} {_num(rule.value)}")
        case Flag():
            return _leaf([rule.indicator], f"{rule.indicator} == {str(rule.expected).lower()}")
        case Absent():
            return _leaf([rule.indicator], f"not {rule.indicator}")
        case Present():
            return _leaf([rule.indicator], f"not not {rule.indicator}")
        case AtLeastLevel():
            ind = indicators[rule.indicator]
            levels = ", ".join(f"'{c}'" for c in ind.categories[ind.rank(rule.level) :])
            return _leaf([rule.indicator], f"{rule.indicator} in [{levels}]")
        case Change():
            if rule.baseline != "previous":
                raise NotImplementedError("baselines other than the previous year")
            cur, base = rule.indicator, PREV + rule.indicator
            right = f"{_num(rule.value)} * {base}" if rule.relative else _num(rule.value)
            return _leaf([cur, base], f"({cur} - {base}) {rule.op} {right}")
        case Ratio():
            n, d, v = rule.numerator, rule.denominator, _num(rule.value)
            return (
                f"(({n} == null or {d} == null or {d} == 0) ? 1 : ({d} > 0 ? "
                f"(({n} {rule.op} {v} * {d}) ? 2 : 0) : "
                f"(({n} {FLIPPED[rule.op]} {v} * {d}) ? 2 : 0)))"
            )
        case AllOf() | AnyOf():
            fn = "$min" if isinstance(rule, AllOf) else "$max"
            return f"{fn}([{', '.join(translate(r, indicators) for r in rule.rules)}])"
        case Not():
            return f"(2 - {translate(rule.rule, indicators)})"
        case KOf() | ShareOf():
            parts = [translate(r, indicators) for r in rule.rules]
            need = rule.needed(len(parts))
            met = "$sum([" + ", ".join(f"({p} == 2 ? 1 : 0)" for p in parts) + "])"
            unknown = "$sum([" + ", ".join(f"({p} == 1 ? 1 : 0)" for p in parts) + "])"
            return f"({met} >= {need} ? 2 : (({met} + {unknown}) < {need} ? 0 : 1))"
        case SubUnits() | CriterionRef():
            raise NotImplementedError(f"rule kind {rule.kind!r} needs more than one unit's dict")
        case _:
            assert_never(rule)


def compile_catalog(catalog: CriteriaSet) -> list[tuple[str, rule_engine.Rule]]:
    """(criterion id, parsed rule) for every criterion, in catalog order."""
    indicators = catalog.indicator_map
    context = rule_engine.Context(default_value=None)
    return [
        (c.id, rule_engine.Rule(translate(c.rule, indicators), context=context))
        for c in catalog.criteria
    ]


def assess_all(
    rules: Sequence[tuple[str, rule_engine.Rule]], rows: Sequence[dict[str, Any]]
) -> list[list[Any]]:
    """Outcome codes (as rule-engine returns them: Decimal), per unit then per criterion."""
    evaluators = [r.evaluate for _, r in rules]
    return [[ev(row) for ev in evaluators] for row in rows]


def codes(
    rules: Sequence[tuple[str, rule_engine.Rule]], results: Sequence[Sequence[Any]]
) -> dict[str, bytes]:
    return {cid: bytes(int(r[k]) for r in results) for k, (cid, _) in enumerate(rules)}
