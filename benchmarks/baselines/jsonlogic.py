"""The json-logic baseline: each criterion as a json-logic rule, evaluated per unit.

json-logic has no three-valued logic, so each rule returns the outcome code (0 not
met, 1 insufficient evidence, 2 met) itself: every leaf checks its values for
``null`` first (``{"===": [{"var": k}, null]}``), then compares; *all*/*any* are
``min``/``max`` over the codes (Kleene and/or), *k of n* counts the codes of its
parts. The rules are generated from modelunit's rule trees (one translation, checked
against the other engines on every unit before anything is timed).

Exactness: json-logic's arithmetic coerces to int/float. Counts stay ints (thresholds
are rewritten over integers: ``(c - b) < (p/q) b`` as ``q (c - b) < p b``); shares are
compared as ``Decimal`` with ``Decimal`` thresholds, which json-logic passes straight
to Python's comparison. Rules it could not evaluate exactly (arithmetic on
decimals) raise :class:`NotImplementedError` rather than give approximate answers.

The PyPI package ``json-logic`` (0.6.3, 2015) does not run on Python 3; this uses its
maintained fork ``json-logic-qubit`` (same import name ``json_logic``, same API).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, assert_never

from json_logic import jsonLogic

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

Logic = Any

PREV = "prev__"


def _var(key: str) -> Logic:
    return {"var": key}


def _null(key: str) -> Logic:
    return {"===": [_var(key), None]}


def _leaf(keys: Sequence[str], condition: Logic) -> Logic:
    missing = _null(keys[0]) if len(keys) == 1 else {"or": [_null(k) for k in keys]}
    return {"if": [missing, 1, condition, 2, 0]}


def _threshold(value: Decimal, ind: Indicator) -> int | Decimal:
    if ind.type == "count":
        if value != value.to_integral_value():
            raise NotImplementedError("non-integral threshold on a count")
        return int(value)
    if ind.type in ("share", "quantity"):
        return value
    raise NotImplementedError(f"comparison on {ind.type}")


def translate(rule: Rule, indicators: dict[str, Indicator]) -> Logic:
    """The json-logic rule giving ``rule``'s outcome code for one unit's flat dict.

    Every rule kind has a branch (the last is ``assert_never``): kinds a flat per-unit
    dict cannot express are refused with :class:`NotImplementedError`.
    """
    match rule:
        case Compare():
            ind = indicators[rule.indicator]
            cond = {rule.op: [_var(rule.indicator), _threshold(rule.value, ind)]}
            return _leaf([rule.indicator], cond)
        case Flag():
            return _leaf([rule.indicator], {"===": [_var(rule.indicator), rule.expected]})
        case Absent():
            return _leaf([rule.indicator], {"!": _var(rule.indicator)})
        case Present():
            return _leaf([rule.indicator], {"!!": _var(rule.indicator)})
        case AtLeastLevel():
            ind = indicators[rule.indicator]
            levels = list(ind.categories[ind.rank(rule.level) :])
            return _leaf([rule.indicator], {"in": [_var(rule.indicator), levels]})
        case Change():
            ind = indicators[rule.indicator]
            if ind.type != "count" or rule.baseline != "previous":
                raise NotImplementedError("exact change on a non-count indicator")
            cur, base = _var(rule.indicator), _var(PREV + rule.indicator)
            frac = Fraction(rule.value)
            delta = {"-": [cur, base]}
            if rule.relative:  # (c - b) op (p/q) b  <=>  q (c - b) op p b
                cond = {rule.op: [{"*": [frac.denominator, delta]}, {"*": [frac.numerator, base]}]}
            elif frac.denominator == 1:
                cond = {rule.op: [delta, frac.numerator]}
            else:
                cond = {rule.op: [{"*": [frac.denominator, delta]}, frac.numerator]}
            return _leaf([rule.indicator, PREV + rule.indicator], cond)
        case Ratio():
            num, den = indicators[rule.numerator], indicators[rule.denominator]
            if num.type != "count" or den.type != "count":
                raise NotImplementedError("exact ratio of non-counts")
            p, q = rule.value_terms
            n, d = _var(rule.numerator), _var(rule.denominator)
            left = {"*": [q, n]}
            right = {"*": [p, d]}
            missing = {"or": [_null(rule.numerator), _null(rule.denominator)]}
            return {
                "if": [
                    missing,
                    1,
                    {"==": [d, 0]},
                    1,
                    {">": [d, 0]},
                    {"if": [{rule.op: [left, right]}, 2, 0]},
                    {"if": [{FLIPPED[rule.op]: [left, right]}, 2, 0]},
                ]
            }
        case AllOf():
            return {"min": [translate(r, indicators) for r in rule.rules]}
        case AnyOf():
            return {"max": [translate(r, indicators) for r in rule.rules]}
        case Not():
            return {"-": [2, translate(rule.rule, indicators)]}
        case KOf() | ShareOf():
            parts = [translate(r, indicators) for r in rule.rules]
            need = rule.needed(len(parts))
            met = {"+": [{"if": [{"==": [p, 2]}, 1, 0]} for p in parts]}
            unknown = {"+": [{"if": [{"==": [p, 1]}, 1, 0]} for p in parts]}
            return {"if": [{">=": [met, need]}, 2, {"<": [{"+": [met, unknown]}, need]}, 0, 1]}
        case SubUnits() | CriterionRef():
            raise NotImplementedError(f"rule kind {rule.kind!r} needs more than one unit's dict")
        case _:
            assert_never(rule)


def compile_catalog(catalog: CriteriaSet) -> list[tuple[str, Logic]]:
    """(criterion id, json-logic rule) for every criterion, in catalog order."""
    indicators = catalog.indicator_map
    return [(c.id, translate(c.rule, indicators)) for c in catalog.criteria]


def assess_all(
    rules: Sequence[tuple[str, Logic]], rows: Sequence[dict[str, Any]]
) -> list[list[int]]:
    """Outcome codes, per unit then per criterion."""
    logic = [r for _, r in rules]
    return [[jsonLogic(r, row) for r in logic] for row in rows]


def codes(rules: Sequence[tuple[str, Logic]], results: Sequence[Sequence[int]]) -> dict[str, bytes]:
    return {cid: bytes(int(r[k]) for r in results) for k, (cid, _) in enumerate(rules)}
