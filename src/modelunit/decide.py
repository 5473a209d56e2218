"""What would decide each gap: ways to make a criterion met, computed from its rule.

For a criterion that is pending or not met, :func:`suggestions` walks its rule and says
which values would make it met: the indicator and period still missing and the values
that would do, or the distance to the threshold of a value already recorded. Nothing is
written by hand; every sentence is built from the rule and the evidence.

>>> import modelunit
>>> cap = modelunit.load_catalog("cap-kieu-mau-2021")
>>> ledger = modelunit.load_evidence("dien-bien-2023")
>>> result = modelunit.assess(cap, ledger, unit="dien-bien", period="2023")
>>> [way.text for way in result.gaps[0].decide]
["party_committee_ranking and peoples_committee_ranking for 2023, each at least 'good'"]

What is computed, rule by rule (``want`` is met for the criterion, and flips under
``not``):

- a leaf gives the one value that decides it: the bound the value must meet (the
  threshold, solved for the value when the rule compares two: a change against its
  baseline, a ratio), the value nearest to the one recorded that meets it, and the
  distance ("19 cases, needs at most 18: 1 fewer"). When both values of a change or a
  ratio are missing the suggestion asks for both and states the relation;
- ``all`` needs every part: the cheapest way of each part, together (and, as
  alternatives, the second-cheapest of one part);
- ``any`` needs one part: the cheapest ways of the parts, each a way;
- ``k_of``, ``share_of`` and ``sub_units`` need enough parts: the cheapest parts not met
  yet, as many as are missing; the note says how far ("17 of 25 residential_area
  sub-units met, needs 18: 1 more; 3 unknown");
- ``criterion`` needs what the referred criterion needs.

*Cheapest* means the fewest values to record or change, then the fewest that change a
value already recorded, then the smallest change; ties go to rule order. At most
:data:`MAX_WAYS` ways are kept per criterion. Every way is checked before it is
returned: with its values in place of the evidence, the rule is evaluated again and must
be met (a way whose values would break another part of the rule is dropped).
"""

from __future__ import annotations

import decimal
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from math import ceil, floor
from typing import TYPE_CHECKING, Final, Literal, assert_never

import attrs

from modelunit import _explain
from modelunit._i18n import Lang
from modelunit._numbers import exact_arithmetic
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.indicators import Indicator, Value
from modelunit.lookup import EvidenceIndex, Missing, Resolved
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.policy import decide_level, points_of
from modelunit.results import Need, NeedOp, RuleTrace, Suggestion
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
    Operator,
    Present,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
)

if TYPE_CHECKING:
    from modelunit.assessment import BatchAssessment

__all__ = [
    "MAX_WALK_DEPTH",
    "MAX_WAYS",
    "Checklist",
    "ChecklistItem",
    "OneStep",
    "RegionChecklist",
    "checklist",
    "suggestions",
    "to_html",
    "what_if",
]


def __dir__() -> list[str]:
    return __all__


MAX_WAYS: Final = 3
"""Ways kept per criterion (and per part of a rule while they are combined)."""

MAX_WALK_DEPTH: Final = 64
"""How deep the walk for ways may nest (rule nodes and references inside combinators).
Rules nest at most MAX_RULE_DEPTH (32) deep; only references inside combinators, chained
criterion to criterion, go deeper. Past it nothing is suggested for the criterion."""

MET, NOT_MET = Outcome.MET, Outcome.NOT_MET

_Key = tuple[str, str, Period]  # (unit, indicator, period)

_NEGATED: Final[Mapping[Operator, Operator]] = {
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "==": "!=",
    "!=": "==",
}


@attrs.frozen
class _Way:
    """Needs keyed by the value they ask for, and notes on the distance."""

    needs: Mapping[_Key, Need]
    notes: tuple[str, ...] = ()

    def cost(self) -> tuple[int, int, Fraction]:
        values = self.needs.values()
        changes = sum(n.current is not None for n in values)
        return len(self.needs), changes, sum((_distance(n) for n in values), Fraction(0))


_DONE = _Way({})


def _join(ways: Iterable[_Way]) -> _Way | None:
    """Every need of every way, or None when two ask different things of one value."""
    needs: dict[_Key, Need] = {}
    notes: list[str] = []
    for way in ways:
        for key, need in way.needs.items():
            if needs.setdefault(key, need) != need:
                return None
        notes.extend(way.notes)
    return _Way(needs, tuple(dict.fromkeys(notes)))


def _cheapest(ways: Iterable[_Way], limit: int = MAX_WAYS) -> list[_Way]:
    unique: dict[tuple[tuple[_Key, Need], ...], _Way] = {}
    for way in ways:
        unique.setdefault(tuple(sorted(way.needs.items(), key=_need_order)), way)
    return sorted(unique.values(), key=_Way.cost)[:limit]


def _need_order(item: tuple[_Key, Need]) -> tuple[str, str, str]:
    (unit, indicator, period), _ = item
    return unit, indicator, str(period)


# -- the walk ------------------------------------------------------------------------------


class _Walk:
    """What the walk reads: the evidence, the set's indicators and criteria."""

    def __init__(self, ctx: _explain.Context, catalog: CriteriaSet, root: Rule) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.indicators = catalog.indicator_map
        self.rules = {c.id: c.rule for c in catalog.criteria}
        self.root = root
        self._read_counts: Counter[_Key] | None = None
        # Outcomes by (node, unit): the walk asks for a node's outcome once from its parent
        # (k_of, sub_units) and again on the way down. Nodes are frozen and held by the set.
        self._outcomes: dict[tuple[int, str], Outcome] = {}
        self._depth = 0

    def at(self, unit: str) -> _explain.Context:
        ctx = self.ctx
        if unit == ctx.unit:
            return ctx
        return _explain.Context(ctx.index, unit, ctx.period, ctx.registry, {})

    def outcome(self, rule: Rule, unit: str) -> Outcome:
        key = (id(rule), unit)
        found = self._outcomes.get(key)
        if found is None:
            found = self._outcomes[key] = _explain.evaluate(rule, self.at(unit)).outcome
        return found

    def ways(self, rule: Rule, want: Outcome, unit: str) -> list[_Way]:
        """Ways to give ``rule`` the outcome ``want`` (met or not met) for ``unit``: []
        when none can, ``[_DONE]`` when it has it already."""
        # A chain of references (up to MAX_CRITERIA long) is followed without recursion;
        # references inside combinators recurse, up to MAX_WALK_DEPTH: past it, nothing
        # is suggested rather than the stack overflowing.
        while isinstance(rule, CriterionRef):
            referred = rule.criterion
            rule = self.rules[referred]
            trace = self.ctx.criteria.get(referred) if unit == self.ctx.unit else None
            if trace is not None:  # its outcome is known: no need to evaluate it again
                self._outcomes.setdefault((id(rule), unit), trace.outcome)
        if self._depth >= MAX_WALK_DEPTH:
            return []
        self._depth += 1
        try:
            return self._ways(rule, want, unit)
        finally:
            self._depth -= 1

    def _ways(self, rule: Rule, want: Outcome, unit: str) -> list[_Way]:
        if self.outcome(rule, unit) is want:
            return [_DONE]
        match rule:
            case Compare():
                op = rule.op if want is MET else _NEGATED[rule.op]
                return self._leaf(unit, rule.indicator, self.ctx.period, op, rule.value)
            case Flag():
                return self._leaf(
                    unit, rule.indicator, self.ctx.period, "==", rule.wanted is (want is MET)
                )
            case Absent() | Present():
                happened = rule.wanted is (want is MET)
                if self.indicators[rule.indicator].type == "boolean":
                    return self._leaf(unit, rule.indicator, self.ctx.period, "==", happened)
                if happened:
                    return self._leaf(unit, rule.indicator, self.ctx.period, ">=", 1)
                return self._leaf(unit, rule.indicator, self.ctx.period, "==", 0)
            case AtLeastLevel():
                op = ">=" if want is MET else "<"
                return self._leaf(unit, rule.indicator, self.ctx.period, op, rule.level)
            case Change():
                return self._change(rule, want, unit)
            case Ratio():
                return self._ratio(rule, want, unit)
            case CriterionRef():
                return self.ways(self.rules[rule.criterion], want, unit)
            case Not():
                return self.ways(rule.rule, NOT_MET if want is MET else MET, unit)
            case AllOf() | AnyOf():
                every = isinstance(rule, AllOf) is (want is MET)
                parts = [self.ways(r, want, unit) for r in rule.rules]
                return _every(parts) if every else _some(parts)
            case KOf() | ShareOf():
                total = len(rule.rules)
                outcomes = [self.outcome(r, unit) for r in rule.rules]
                return self._enough(
                    [(r, unit) for r in rule.rules], outcomes, rule.needed(total), want, ""
                )
            case SubUnits():
                registry = self.ctx.registry
                subs = registry.children(unit, rule.unit_kind) if registry is not None else ()
                if not subs:
                    return []  # nothing to suggest: the unit has no registered sub-units
                outcomes = [self.outcome(rule.rule, s.id) for s in subs]
                of = f"{rule.unit_kind} sub-units" if rule.unit_kind else "sub-units"
                return self._enough(
                    [(rule.rule, s.id) for s in subs], outcomes, rule.needed(len(subs)), want, of
                )
            case _:
                assert_never(rule)

    # -- leaves -----------------------------------------------------------------------------
    def _found(
        self, unit: str, indicator: str, period: Period
    ) -> tuple[Value | None, tuple[str, ...]]:
        found = self.ctx.index.lookup(unit, indicator, period)
        if isinstance(found, Resolved):
            return found.value, ()
        return None, found.evidence

    def _leaf(
        self, unit: str, indicator: str, period: Period, op: Operator, bound: Value | Fraction
    ) -> list[_Way]:
        ind = self.indicators[indicator]
        current, unusable = self._found(unit, indicator, period)
        need = _need(ind, unit, period, op, bound, current=current, unusable=unusable)
        return [] if need is None else [_Way({(unit, indicator, period): need})]

    def _change(self, rule: Change, want: Outcome, unit: str) -> list[_Way]:
        ind = self.indicators[rule.indicator]
        period, base = self.ctx.period, rule.baseline_period(self.ctx.period)
        op = rule.op if want is MET else _NEGATED[rule.op]
        relation: _Relation = "relative_change" if rule.relative else "change"
        current, unusable = self._found(unit, rule.indicator, period)
        baseline, base_unusable = self._found(unit, rule.indicator, base)
        if baseline is not None:
            solved = _solve(relation, op, rule.value, baseline)
            if solved is None:
                return []
            return self._leaf(unit, rule.indicator, period, *solved)
        if current is not None:
            solved = _solve_other(ind, relation, op, rule.value, current)
            if solved is not None:
                need = _need(ind, unit, base, *solved, current=None, unusable=base_unusable)
                return [] if need is None else [_Way({(unit, rule.indicator, base): need})]
        return self._related(
            ind,
            unit,
            current=(period, current, unusable),
            baseline=(base, base_unusable),
            op=op,
            value=rule.value,
            relation=relation,
        )

    def _ratio(self, rule: Ratio, want: Outcome, unit: str) -> list[_Way]:
        period = self.ctx.period
        op = rule.op if want is MET else _NEGATED[rule.op]
        den, den_unusable = self._found(unit, rule.denominator, period)
        if den is not None and den != 0:
            solved = _solve("ratio", op, rule.value, den)
            return [] if solved is None else self._leaf(unit, rule.numerator, period, *solved)
        num, num_unusable = self._found(unit, rule.numerator, period)
        ind = self.indicators[rule.numerator]
        other = self.indicators[rule.denominator]
        # The denominator must be recorded and not 0; the numerator then follows from it.
        above: Operator = ">" if _nonnegative(other) else "!="
        nonzero = _need(other, unit, period, above, 0, current=den, unusable=den_unusable)
        if (
            nonzero is None
            or not self._alone(unit, rule.numerator, period)
            or not self._alone(unit, rule.denominator, period)
        ):
            return []
        need = Need(
            unit,
            rule.numerator,
            period,
            op,
            rule.value,
            current=num,
            relation="ratio",
            against_indicator=rule.denominator,
            against_period=period,
            unusable=num_unusable,
            text="",
        )
        need = attrs.evolve(need, text=_need_text(need, ind))
        return [
            _Way({(unit, rule.numerator, period): need, (unit, rule.denominator, period): nonzero})
        ]

    def _related(
        self,
        ind: Indicator,
        unit: str,
        *,
        current: tuple[Period, Value | None, tuple[str, ...]],
        baseline: tuple[Period, tuple[str, ...]],
        op: Operator,
        value: Decimal,
        relation: _Relation,
    ) -> list[_Way]:
        """Both values of a change are needed: the baseline recorded, the current value in
        the rule's relation to it. Only when nothing else in the rule reads either value,
        so that choosing them cannot change another part."""
        (period, now, unusable), (base, base_unusable) = current, baseline
        if not (self._alone(unit, ind.key, period) and self._alone(unit, ind.key, base)):
            return []
        record = Need(unit, ind.key, base, "any", None, unusable=base_unusable, text="")
        record = attrs.evolve(record, text=_need_text(record, ind))
        need = Need(
            unit,
            ind.key,
            period,
            op,
            value,
            current=now,
            relation=relation,
            against_indicator=ind.key,
            against_period=base,
            unusable=unusable,
            text="",
        )
        need = attrs.evolve(need, text=_need_text(need, ind))
        return [_Way({(unit, ind.key, base): record, (unit, ind.key, period): need})]

    # -- counting rules --------------------------------------------------------------------
    def _enough(
        self,
        parts: Sequence[tuple[Rule, str]],
        outcomes: Sequence[Outcome],
        needed: int,
        want: Outcome,
        of: str,
    ) -> list[_Way]:
        total = len(parts)
        met = sum(o is MET for o in outcomes)
        failed = sum(o is NOT_MET for o in outcomes)
        if want is MET:
            short, candidates = needed - met, [i for i, o in enumerate(outcomes) if o is not MET]
        else:
            # Not met once fewer than `needed` can still be met.
            short = total - needed + 1 - failed
            candidates = [i for i, o in enumerate(outcomes) if o is not NOT_MET]
        if short <= 0:
            return [_DONE]
        options = [
            (i, ways) for i in candidates if (ways := self.ways(parts[i][0], want, parts[i][1]))
        ]
        if len(options) < short:
            return []
        note = _count_note(met, failed, total, needed=needed, short=short, want=want, of=of)
        # The cheapest parts first; alternatives swap in the next cheapest one.
        options.sort(key=lambda item: (item[1][0].cost(), item[0]))
        picks = [options[:short]]
        if len(options) > short:
            picks.append([*options[: short - 1], options[short]])
        found = []
        for pick in picks:
            joined = _join(ways[0] for _, ways in pick)
            if joined is not None:
                found.append(attrs.evolve(joined, notes=(note, *joined.notes)))
        return _cheapest(found)

    # -- what reads what ----------------------------------------------------------------------
    def _alone(self, unit: str, indicator: str, period: Period) -> bool:
        return self._reads[(unit, indicator, period)] <= 1

    @property
    def _reads(self) -> Counter[_Key]:
        """How many times the criterion's rule reads each value (through the criteria
        it refers to and its sub-units too)."""
        if self._read_counts is None:
            self._read_counts = Counter()
            self._count_reads(self.root, self.ctx.unit, self._read_counts)
        return self._read_counts

    def _count_reads(self, rule: Rule, unit: str, into: Counter[_Key]) -> None:
        stack: list[tuple[Rule, str]] = [(rule, unit)]
        while stack:
            node, who = stack.pop()
            for indicator, period in node.reads(self.ctx.period):
                into[(who, indicator, period)] += 1
            if isinstance(node, CriterionRef):
                stack.append((self.rules[node.criterion], who))
            elif isinstance(node, SubUnits):
                registry = self.ctx.registry
                subs = registry.children(who, node.unit_kind) if registry is not None else ()
                stack.extend((node.rule, s.id) for s in subs)
            else:
                stack.extend((child, who) for child in node.children())


def _every(parts: Sequence[list[_Way]]) -> list[_Way]:
    """Ways that give every part its outcome: the cheapest of each, and alternatives
    that take one part's second-cheapest."""
    if any(not ways for ways in parts):
        return []
    choices = [[0] * len(parts)]
    for i, ways in enumerate(parts):
        if len(ways) > 1:
            choices.append([1 if j == i else 0 for j in range(len(parts))])
    found = []
    for choice in choices:
        joined = _join(parts[i][k] for i, k in enumerate(choice))
        if joined is not None:
            found.append(joined)
    return _cheapest(found)


def _some(parts: Sequence[list[_Way]]) -> list[_Way]:
    return _cheapest(way for ways in parts for way in ways)


# -- solving a comparison for one of its values --------------------------------------------

_Relation = Literal["change", "relative_change", "ratio"]


def _solve(
    relation: _Relation, op: Operator, value: Decimal, other: Value
) -> tuple[Operator, Fraction] | None:
    """``(op', bound)`` such that ``x op' bound`` holds exactly when ``x`` compared with
    ``other`` (the baseline, the denominator) as ``relation`` says satisfies ``op value``;
    None when no ``x`` can (a ratio over 0)."""
    o, v = _fraction(other), Fraction(value)
    if relation == "change":  # x - o op v
        return op, o + v
    if relation == "relative_change":  # (x - o) op v * |o|, as Change.holds
        return op, o + v * abs(o)
    if o == 0:  # a ratio over 0 is undefined
        return None
    return (op if o > 0 else FLIPPED[op]), v * o  # x / o op v


def _solve_other(
    ind: Indicator, relation: _Relation, op: Operator, value: Decimal, current: Value
) -> tuple[Operator, Fraction] | None:
    """The baseline that makes the change from it to ``current`` satisfy ``op value``,
    for indicators that are never negative; None when it cannot be solved simply."""
    c, v = _fraction(current), Fraction(value)
    if relation == "change":  # c - b op v  <=>  b FLIPPED(op) c - v
        return FLIPPED[op], c - v
    if not _nonnegative(ind):
        return None
    # (c - b) op v * b with b >= 0  <=>  c op (1 + v) b
    k = 1 + v
    if k == 0:
        return None
    return (FLIPPED[op] if k > 0 else op), c / k


def _fraction(value: Value) -> Fraction:
    assert isinstance(value, int | Decimal)
    assert not isinstance(value, bool)
    return Fraction(value)


def _nonnegative(ind: Indicator) -> bool:
    return ind.type in ("count", "share") or (ind.minimum is not None and ind.minimum >= 0)


# -- one needed value ----------------------------------------------------------------------


def _need(
    ind: Indicator,
    unit: str,
    period: Period,
    op: Operator,
    bound: Value | Fraction,
    *,
    current: Value | None,
    unusable: tuple[str, ...],
) -> Need | None:
    """The need ``value op bound`` in ``ind``'s terms (a count's bound a whole number),
    with the value nearest to ``current`` that meets it; None when no value can."""
    shaped = _shape(ind, op, bound)
    if shaped is None:
        return None
    op2, bound2 = shaped
    suggested = _nearest(ind, op2, bound2, current)
    if suggested is None:
        return None
    need = Need(unit, ind.key, period, op2, bound2, current, suggested, unusable=unusable, text="")
    return attrs.evolve(need, text=_need_text(need, ind))


def _shape(ind: Indicator, op: Operator, bound: Value | Fraction) -> tuple[NeedOp, Value] | None:
    """``op`` and ``bound`` in the indicator's own values, or None if none meets them."""
    if ind.type in ("boolean", "category"):
        if ind.type == "category" and op == "<" and ind.rank(str(bound)) == 0:
            return None  # nothing is below the lowest category
        return op, bound  # type: ignore[return-value]
    assert isinstance(bound, int | Decimal | Fraction)
    assert not isinstance(bound, bool)
    x = Fraction(bound)
    low, high = _range(ind)
    if ind.type == "count":
        # A whole number: strict bounds become inclusive ones.
        if op == "<":
            op, x = "<=", Fraction(ceil(x) - 1)
        elif op == ">":
            op, x = ">=", Fraction(floor(x) + 1)
        elif op == "<=":
            x = Fraction(floor(x))
        elif op == ">=":
            x = Fraction(ceil(x))
        elif op == "==" and x.denominator != 1:
            return None
    fits = {
        "<": low is None or low < x,
        "<=": low is None or low <= x,
        ">": high is None or high > x,
        ">=": high is None or high >= x,
        "==": (low is None or low <= x) and (high is None or x <= high),
        "!=": not (low is not None and low == high == x),
    }[op]
    if not fits:
        return None
    if ind.type == "count":
        return op, int(x)
    return op, _decimal(x, op)


def _decimal(x: Fraction, op: str) -> Decimal:
    """``x`` as a decimal; when it has no exact form, rounded to 4 places towards the
    side that still meets the bound (a slightly stricter need, never a wrong one)."""
    if _terminates(x.denominator):
        with exact_arithmetic():
            return Decimal(x.numerator) / Decimal(x.denominator)
    # Not a finite decimal (1/3): dividing exactly would not end (the exact context
    # would run out of memory before it signals), so round.
    with decimal.localcontext(_ROUNDED):
        approx = Decimal(x.numerator) / Decimal(x.denominator)
        up = op in (">", ">=")
        return approx.quantize(Decimal("0.0001"), rounding=ROUND_CEILING if up else ROUND_FLOOR)


_ROUNDED: Final = decimal.Context(prec=80)


def _terminates(denominator: int) -> bool:
    """Whether a fraction with this (reduced) denominator has a finite decimal form."""
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _range(ind: Indicator) -> tuple[Fraction | None, Fraction | None]:
    if ind.type == "count":
        return Fraction(0), None
    if ind.type == "share":
        return Fraction(0), Fraction(1)
    low = None if ind.minimum is None else Fraction(ind.minimum)
    high = None if ind.maximum is None else Fraction(ind.maximum)
    return low, high


def _step(ind: Indicator, bound: Decimal) -> Decimal:
    """How far past a strict bound a dense value is suggested: one unit in the last place
    shown, at least a hundredth."""
    exponent = bound.normalize().as_tuple().exponent
    place = min(exponent if isinstance(exponent, int) else 0, -2)
    return Decimal(1).scaleb(place)


def _nearest(ind: Indicator, op: NeedOp, bound: Value, current: Value | None) -> Value | None:
    """The value nearest to ``current`` (or to the bound, when there is none) that meets
    ``value op bound``."""
    if ind.type == "boolean":
        if op == "==":
            return bound
        return not bound
    if ind.type == "category":
        rank = ind.rank(str(bound))
        if op == ">=":
            if current is not None and ind.rank(str(current)) >= rank:
                return current
            return bound
        if op == "<":
            return ind.categories[rank - 1]
        if op == "==":
            return bound
        return ind.categories[rank + 1 if rank + 1 < len(ind.categories) else rank - 1]
    assert isinstance(bound, int | Decimal)
    assert not isinstance(bound, bool)
    if current is not None and _meets(ind, op, bound, current):
        return current
    if op in ("<=", ">=", "=="):
        return bound
    step: int | Decimal = 1 if ind.type == "count" else _step(ind, Decimal(bound))
    low, high = _range(ind)
    if op == "<":
        return bound - step if low is None or low <= bound - step else _midpoint(low, bound)
    if op == ">":
        return bound + step if high is None or bound + step <= high else _midpoint(bound, high)
    # "!=": one step away, on whichever side the range allows
    for candidate in (bound + step, bound - step):
        if (low is None or low <= candidate) and (high is None or candidate <= high):
            return candidate
    return None


def _midpoint(a: Fraction | Value, b: Fraction | Value) -> Decimal:
    return _decimal((Fraction(a) + Fraction(b)) / 2, ">=")


def _meets(ind: Indicator, op: NeedOp, bound: Value, value: Value) -> bool:
    """Whether ``value op bound`` (categories by rank)."""
    if op == "any":
        return True
    if ind.type == "category":
        a, b = ind.rank(str(value)), ind.rank(str(bound))
    else:
        a, b = value, bound  # type: ignore[assignment]
    return {
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
        "==": a == b,
        "!=": a != b,
    }[op]


def _distance(need: Need) -> Fraction:
    if (
        isinstance(need.current, int | Decimal)
        and not isinstance(need.current, bool)
        and isinstance(need.suggested, int | Decimal)
        and not isinstance(need.suggested, bool)
    ):
        return abs(Fraction(need.suggested) - Fraction(need.current))
    return Fraction(0)


# -- checking a way, and applying one ------------------------------------------------------


class _WhatIf(EvidenceIndex):
    """The evidence, with some values put in place of what it says."""

    __slots__ = ("_base", "_values")

    def __init__(self, base: EvidenceIndex, values: Mapping[_Key, Value]) -> None:
        # A view over `base`: nothing of its own to build, so no super().__init__.
        self._base = base
        self._values = values
        self.indicators = base.indicators
        self.as_of = base.as_of

    def lookup(
        self, unit: str, indicator: str, period: Period, *, lang: Lang = "en"
    ) -> Resolved | Missing:
        key = (unit, indicator, period)
        if key in self._values:
            return Resolved(self._values[key], ())
        return self._base.lookup(unit, indicator, period, lang=lang)

    def knows(self, unit: str) -> bool:
        return self._base.knows(unit)


def what_if(
    suggestion: Suggestion,
    *,
    indicators: Mapping[str, Indicator],
    choose: Mapping[_Key, Value] | None = None,
) -> dict[_Key, Value] | None:
    """The values a suggestion puts in place, by ``(unit, indicator, period)``.

    A need with a suggested value gives it; a need for any value takes it from
    ``choose``; a need relative to another value is solved once that value is known (the
    nearest value that meets it). None when a relative need cannot be met for the values
    chosen (a strict reduction from a baseline of 0) or a value to choose is not given.
    """
    chosen = dict(choose or {})
    values: dict[_Key, Value] = {}
    relative: list[Need] = []
    for need in suggestion.needs:
        key = (need.unit, need.indicator, need.period)
        if need.relation:
            relative.append(need)
        elif need.op == "any":
            if key not in chosen:
                return None
            values[key] = chosen[key]
        else:
            assert need.suggested is not None
            values[key] = need.suggested
    for need in relative:
        assert need.against_period is not None
        assert isinstance(need.bound, Decimal)
        other = values.get((need.unit, need.against_indicator, need.against_period))
        if other is None:
            return None
        solved = _solve(need.relation, need.op, need.bound, other)  # type: ignore[arg-type]
        if solved is None:
            return None
        ind = indicators[need.indicator]
        shaped = _need(ind, need.unit, need.period, *solved, current=need.current, unusable=())
        if shaped is None or shaped.suggested is None:
            return None
        values[(need.unit, need.indicator, need.period)] = shaped.suggested
    return values


def _samples(ind: Indicator) -> list[Value]:
    """A few values of an indicator, to stand for a value still to be recorded."""
    if ind.type == "count":
        return [20, 1, 0]
    if ind.type == "share":
        return [Decimal("0.5"), Decimal(1), Decimal(0)]
    if ind.type == "boolean":
        return [True, False]
    if ind.type == "category":
        return list(ind.categories)
    low, high = _range(ind)
    found: list[Value] = [Decimal(100), Decimal(1)]
    found += [] if low is None else [_decimal(low, ">=")]
    found += [] if high is None else [_decimal(high, "<=")]
    return [
        v
        for v in found
        if (low is None or low <= Fraction(v)) and (high is None or Fraction(v) <= high)
    ]


def _verified(walk: _Walk, criterion: Criterion, way: _Way) -> Suggestion | None:
    """The way as a suggestion, if the rule is met with its values in place."""
    needs = tuple(way.needs.values())  # in the order the rule reads them
    text = _way_text(needs, walk.indicators, walk.ctx.unit)
    suggestion = Suggestion(needs, text=text, note="; ".join(way.notes))
    open_keys = [(n.unit, n.indicator, n.period) for n in needs if n.op == "any"]
    trials: Iterator[tuple[Value, ...]] = itertools.product(
        *(_samples(walk.indicators[k[1]]) for k in open_keys)
    )
    for trial in itertools.islice(trials, 16):
        values = what_if(
            suggestion, indicators=walk.indicators, choose=dict(zip(open_keys, trial, strict=True))
        )
        if values is None:
            continue
        if _outcome_with(walk, criterion, values) is MET:
            return suggestion
        return None  # the values were feasible and did not do it
    return None


def _outcome_with(walk: _Walk, criterion: Criterion, values: Mapping[_Key, Value]) -> Outcome:
    """The criterion's outcome with ``values`` in place of the evidence (the criteria it
    refers to evaluated again over the same values)."""
    ctx = walk.ctx
    index = _WhatIf(ctx.index, values)
    traces: dict[str, RuleTrace] = {}
    wanted = _referred(walk, criterion.rule)
    # Most rules refer to no criterion: then the set's evaluation order is not needed.
    for crit in walk.catalog.evaluation_order() if wanted else ():
        if crit.id in wanted:
            traces[crit.id] = _explain.evaluate(
                crit.rule, _explain.Context(index, ctx.unit, ctx.period, ctx.registry, traces)
            )
    return _explain.evaluate(
        criterion.rule, _explain.Context(index, ctx.unit, ctx.period, ctx.registry, traces)
    ).outcome


def _referred(walk: _Walk, rule: Rule) -> set[str]:
    """Every criterion ``rule`` refers to, directly or through others."""
    found: set[str] = set()
    stack = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, CriterionRef) and node.criterion not in found:
            found.add(node.criterion)
            stack.append(walk.rules[node.criterion])
        stack.extend(node.children())
    return found


def suggestions(
    criterion: Criterion,
    ctx: _explain.Context,
    catalog: CriteriaSet,
    *,
    known: dict[str, tuple[Suggestion, ...]] | None = None,
) -> tuple[Suggestion, ...]:
    """Ways to make ``criterion`` met for ``ctx.unit`` over ``ctx.period``, cheapest
    first (at most :data:`MAX_WAYS`); empty when it is met, or when no values of the
    evidence could make it met (a rule that can never be met, a unit with no
    sub-units registered).

    A criterion whose rule only refers to another (with the same outcome) has that
    one's ways; ``known`` keeps the ways found by criterion id, so that a chain of such
    references is walked once, not once per link."""
    target = criterion
    by_id = catalog.criterion_map
    outcome = ctx.criteria[criterion.id].outcome if criterion.id in ctx.criteria else None
    while isinstance(target.rule, CriterionRef):
        referred = by_id[target.rule.criterion]
        trace = ctx.criteria.get(referred.id)
        if outcome is None or trace is None or trace.outcome is not outcome:
            break
        target = referred
    if known is not None and target.id in known:
        return known[target.id]
    walk = _Walk(ctx, catalog, target.rule)
    with exact_arithmetic():
        ways = walk.ways(target.rule, MET, ctx.unit)
    found = []
    for way in ways:
        if not way.needs:
            continue
        checked = _verified(walk, target, way)
        if checked is not None:
            found.append(checked)
    if known is not None:
        known[target.id] = tuple(found)
    return tuple(found)


# -- texts (one place, ready for the table of texts) ---------------------------------------

_RELATIONS: Final = {
    "<": "less than",
    "<=": "at most",
    ">": "more than",
    ">=": "at least",
    "==": "",
    "!=": "other than",
}


def _shown(ind: Indicator, value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if ind.type == "category":
        return repr(value)
    if ind.type == "share":
        return _percent(Fraction(value))
    return str(value)


def _percent(x: Fraction) -> str:
    pct = x * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    return f"{format(Decimal(pct.numerator) / Decimal(pct.denominator), '.4g')}%"


def _requirement(ind: Indicator, op: NeedOp, bound: Value | None) -> str:
    if op == "any" or bound is None:
        return "any value"
    words = _RELATIONS[op]
    if ind.type == "category" and op == "<":
        words = "below"
    shown = _shown(ind, bound)
    return f"{words} {shown}" if words else shown


def _amount(ind: Indicator, value: Value) -> str:
    shown = _shown(ind, value)
    return f"{shown} {ind.unit}" if ind.unit and ind.type in ("count", "quantity") else shown


def _gap(ind: Indicator, need: Need) -> str:
    """``1 fewer``, ``5 percentage points more``, ``2 levels up`` ('' when not a number)."""
    if need.current is None or need.suggested is None:
        return ""
    if ind.type == "category":
        steps = ind.rank(str(need.suggested)) - ind.rank(str(need.current))
        return f"{abs(steps)} level{'s' if abs(steps) != 1 else ''} {'up' if steps > 0 else 'down'}"
    if isinstance(need.current, bool) or isinstance(need.suggested, bool):
        return ""
    delta = Fraction(need.suggested) - Fraction(need.current)
    if ind.type == "share":
        points = _percent(abs(delta)).rstrip("%")
        plural = "s" if points != "1" else ""
        return f"{points} percentage point{plural} {'more' if delta > 0 else 'less'}"
    amount = _decimal(abs(delta), ">=") if delta.denominator != 1 else abs(delta.numerator)
    if ind.type == "count":
        return f"{amount} {'more' if delta > 0 else 'fewer'}"
    return f"{amount} {'more' if delta > 0 else 'less'}"


def _need_text(need: Need, ind: Indicator) -> str:
    """One need in words."""
    if need.relation:
        same = need.against_indicator == need.indicator
        other = (
            f"{need.against_period}"
            if same
            else f"{need.against_indicator} for {need.against_period}"
        )
        what = {
            "change": f"its change from {other}",
            "relative_change": f"its change from {other}",
            "ratio": f"its ratio to {other}",
        }[need.relation]
        bound = need.bound
        assert isinstance(bound, Decimal)
        shown = _percent(Fraction(bound)) if need.relation == "relative_change" else str(bound)
        words = _RELATIONS[need.op] if need.op != "any" else ""
        return f"{need.indicator} for {need.period}: {what} {words or '='} {shown}"
    req = _requirement(ind, need.op, need.bound)
    if need.current is None:
        broken = f" (records {', '.join(need.unusable)} give no value)" if need.unusable else ""
        return f"{need.indicator} for {need.period}{broken}: {req}"
    gap = _gap(ind, need)
    return f"{need.indicator} in {need.period}: {_amount(ind, need.current)}, needs {req}" + (
        f": {gap}" if gap else ""
    )


def _way_text(needs: Sequence[Need], indicators: Mapping[str, Indicator], unit: str) -> str:
    """The needs of a way in words; missing values asked for alike are said once
    ("a and b for 2023, each at least 'good'"); values of sub-units are prefixed with
    the sub-unit ("[ra-1] ...")."""
    parts: list[str] = []
    groups: dict[tuple[object, ...], list[Need]] = {}
    for need in needs:
        if need.current is None and not need.relation and not need.unusable:
            key = (
                need.unit,
                need.period,
                need.op,
                str(need.bound),
                indicators[need.indicator].type,
            )
            groups.setdefault(key, []).append(need)
        else:
            groups[("one", id(need))] = [need]
    for group in groups.values():
        first = group[0]
        ind = indicators[first.indicator]
        who = "" if first.unit == unit else f"[{first.unit}] "
        if len(group) == 1:
            parts.append(who + _need_text(first, ind))
            continue
        names = [n.indicator for n in group]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        req = _requirement(ind, first.op, first.bound)
        parts.append(f"{who}{listed} for {first.period}, each {req}")
    return "; ".join(parts)


def _count_note(
    met: int, failed: int, total: int, *, needed: int, short: int, want: Outcome, of: str
) -> str:
    """``17 of 25 residential_area sub-units met, needs 18: 1 more; 3 unknown``."""
    of = of or "parts"
    unknown = total - met - failed
    if want is MET:
        head = f"{met} of {total} {of} met, needs {needed}: {short} more"
    else:
        head = f"{failed} of {total} {of} not met, {total - needed + 1} would fail it: {short} more"
    return head + (f"; {unknown} unknown" if unknown else "")


# -- a checklist per province --------------------------------------------------------------


@attrs.frozen
class ChecklistItem:
    """One value to record or change, and the units that need it."""

    indicator: str
    period: Period
    units: tuple[str, ...]
    action: Literal["collect", "change"]


@attrs.frozen
class OneStep:
    """A unit one criterion away from a better level."""

    unit: str
    criterion: str
    level: str
    now: str


@attrs.frozen
class RegionChecklist:
    """What to do in one region (a province): evidence to collect and values to change,
    with the units each concerns, and the units one criterion from a better level."""

    region: str
    units: int
    items: tuple[ChecklistItem, ...]
    one_step: tuple[OneStep, ...]

    @property
    def one_step_units(self) -> int:
        """How many units are one criterion from a better level."""
        return len({s.unit for s in self.one_step})


@attrs.frozen
class Checklist:
    """Per region, what would decide the gaps of a batch for one period."""

    period: Period
    regions: tuple[RegionChecklist, ...]

    def render(self) -> str:
        return _checklist_text(self)

    def to_records(self) -> list[dict[str, object]]:
        """One plain row per item and per unit one step away (for tables and frames)."""
        rows: list[dict[str, object]] = []
        for r in self.regions:
            for item in r.items:
                rows.extend(
                    {
                        "region": r.region,
                        "period": str(self.period),
                        "kind": item.action,
                        "indicator": item.indicator,
                        "indicator_period": str(item.period),
                        "unit": unit,
                        "criterion": "",
                        "level": "",
                    }
                    for unit in item.units
                )
            rows.extend(
                {
                    "region": r.region,
                    "period": str(self.period),
                    "kind": "one_step",
                    "indicator": "",
                    "indicator_period": "",
                    "unit": s.unit,
                    "criterion": s.criterion,
                    "level": s.level,
                }
                for s in r.one_step
            )
        return rows

    def to_html(self) -> str:
        return to_html(self)


def checklist(batch: BatchAssessment, period: Period | str | int) -> Checklist:
    """Roll a batch's suggestions up per region (:attr:`~modelunit.evidence.Unit.region`;
    units without one under ``""``): which evidence to collect from which units, which
    values to change, and which units are one criterion from a better level.

    Each unit's first (cheapest) way for each gap counts. *One step* means: making that
    one criterion met, the rest as they are, reaches a better level.
    """
    catalog = batch.catalog
    ids = [lv.id for lv in catalog.policy.levels] + [catalog.policy.fallback.id]
    by_region: dict[str, list[str]] = {}
    for unit in batch.units:
        # Sub-units (residential areas) are read through their unit's rules, not
        # assessed against the set: their evidence appears under their unit's gaps.
        if unit.kind in catalog.unit_kinds:
            by_region.setdefault(unit.region or "", []).append(unit.id)
    regions = []
    for region in sorted(by_region):
        items: dict[tuple[str, Period, str], list[str]] = {}
        steps: list[OneStep] = []
        for uid in by_region[region]:
            outcomes = batch.outcomes(uid, period)
            gaps = [c for c, o in outcomes.items() if o in (NOT_MET, Outcome.INSUFFICIENT)]
            if not gaps:
                continue
            result = batch.assessment(uid, period)
            for gap in result.gaps:
                if gap.decide:
                    for need in gap.decide[0].needs:
                        action = "collect" if need.current is None else "change"
                        units = items.setdefault((need.indicator, need.period, action), [])
                        if need.unit not in units:
                            units.append(need.unit)
            now = ids.index(result.level)
            for cid in gaps:
                trial = {**outcomes, cid: MET}
                level, _ = decide_level(
                    catalog.policy,
                    trial,
                    points=points_of(trial, catalog.points),
                    groups=catalog.group_members,
                    mandatory=catalog.mandatory,
                )
                if ids.index(level.id) < now:
                    steps.append(OneStep(uid, cid, level.id, result.level))
        regions.append(
            RegionChecklist(
                region,
                len(by_region[region]),
                tuple(
                    ChecklistItem(ind, per, tuple(units), action)  # type: ignore[arg-type]
                    for (ind, per, action), units in sorted(
                        items.items(), key=lambda kv: (-len(kv[1]), kv[0][0], str(kv[0][1]))
                    )
                ),
                tuple(steps),
            )
        )
    the_period = period if isinstance(period, Period) else catalog.reporting_year.parse(period)
    return Checklist(the_period, tuple(regions))


def _checklist_text(checklist: Checklist) -> str:
    lines = [f"Checklist for {checklist.period}"]
    for r in checklist.regions:
        name = r.region or "(no region)"
        lines.append(f"{name}: {r.units} units, {r.one_step_units} one step from a better level")
        for item in r.items:
            verb = "collect" if item.action == "collect" else "change"
            lines.append(f"  {verb} {item.indicator} for {item.period}: {', '.join(item.units)}")
        for step in r.one_step:
            lines.append(f"  {step.unit}: {step.level} if {step.criterion} is met (now {step.now})")
    return "\n".join(lines)


def to_html(checklist: Checklist) -> str:
    """The checklist as a small HTML table (escaped), for notebooks and reports."""
    from html import escape  # noqa: PLC0415

    rows = []
    for rec in checklist.to_records():
        cells = "".join(f"<td>{escape(str(rec[k]))}</td>" for k in _COLUMNS)
        rows.append(f"<tr>{cells}</tr>")
    head = "".join(f"<th>{escape(k)}</th>" for k in _COLUMNS)
    return (
        f'<table class="modelunit-checklist"><caption>Checklist for '
        f"{escape(str(checklist.period))}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


_COLUMNS: Final = ("region", "kind", "indicator", "indicator_period", "unit", "criterion", "level")
