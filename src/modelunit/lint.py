"""Static checks for the people who write criteria sets: mistakes no evidence is needed
to see.

Two are **errors**, reported by :meth:`CriteriaSet.problems()
<modelunit.criteria.CriteriaSet.problems>` with the other validation problems (a set
with them cannot be built or loaded), because they silently change what a set means:

- a percentage on an *absolute* change: ``value = "-5%"`` without ``relative = true`` is
  a change of 0.05 cases, so 40 cases down to 39 would be "met". A catalog file is
  checked for the ``%`` sign itself (except on shares, whose absolute change in
  percentage points is meaningful); in Python, an absolute change of a count by a
  fraction of one case (``Decimal("-0.05")``) is the same mistake;
- a group with the id of a criterion: ``among = ["X"]`` could mean either.

The others are **warnings**, from :meth:`CriteriaSet.warnings()
<modelunit.criteria.CriteriaSet.warnings>` (and printed by ``modelunit validate`` and
``modelunit test``): the set works, but probably not as meant.

- a rule (or a part of one) that can never be met, or never fail;
- a level that no outcomes of the criteria can reach (and a fallback never reached);
- a condition on ``[policy.fallback]``, which is never used;
- a fixed baseline of another length than the period assessed (a quarter against the
  year 2019), for the periods the set's examples use or the ones given.

>>> from decimal import Decimal
>>> from modelunit.criteria import CriteriaSet, Criterion
>>> from modelunit.indicators import Indicator
>>> from modelunit.policy import Level, RecognitionPolicy, Tally
>>> from modelunit.rules import Compare
>>> demo = CriteriaSet(
...     id="demo", version="1", indicators=(Indicator("crimes", "count", "sum"),),
...     criteria=(Criterion("C1", Compare("crimes", "<", Decimal(0))),),
...     policy=RecognitionPolicy((Level("model", Tally("met", min_count=1)),)))
>>> for p in demo.warnings():
...     print(p.render())
criteria[0].rule (record 'C1'): can never be met: crimes < 0 holds for no count
policy.levels[0] (record 'model'): can never be reached, whatever the outcomes of the criteria

What "never" means is worked out from each indicator's values (a count is a whole
number from 0, a share lies in 0..1, a quantity within its ``minimum`` and ``maximum``)
and the rule's logic; parts are taken to vary independently, so a check may miss a
contradiction between two parts reading the same indicator, but never reports one that
is not there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from math import ceil, floor
from typing import TYPE_CHECKING, Final, assert_never

import attrs

from modelunit.errors import Problem
from modelunit.indicators import Indicator
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.policy import AllConditions, level_outlook
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
    Operator,
    Present,
    Ratio,
    Rule,
    ShareOf,
    SubUnits,
    iter_rules,
)

if TYPE_CHECKING:
    from modelunit.criteria import CriteriaSet

__all__ = ["errors", "percent_problems", "possible_outcomes", "rule_outcomes", "warnings"]


def __dir__() -> list[str]:
    return __all__


MET, NOT_MET, INSUFFICIENT = Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT
_ANY: Final = frozenset((MET, NOT_MET, INSUFFICIENT))

_NEGATED: Final[Mapping[Operator, Operator]] = {
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "==": "!=",
    "!=": "==",
}


# -- the values an indicator (or a difference, a ratio) can take ---------------------------


@attrs.frozen
class _Domain:
    """Numbers from ``low`` to ``high`` (inclusive; None: unbounded), whole numbers only
    when ``whole``. Ratios of values are dense, so a range of them is taken whole."""

    low: Fraction | None
    high: Fraction | None
    whole: bool = False

    def _least(self) -> Fraction | None:
        if self.low is None:
            return None
        return Fraction(ceil(self.low)) if self.whole else self.low

    def _most(self) -> Fraction | None:
        if self.high is None:
            return None
        return Fraction(floor(self.high)) if self.whole else self.high

    def some(self, op: Operator, v: Fraction) -> bool:
        """Whether some value ``x`` of the domain has ``x op v``."""
        least, most = self._least(), self._most()
        match op:
            case "<":
                return least is None or least < v
            case "<=":
                return least is None or least <= v
            case ">":
                return most is None or most > v
            case ">=":
                return most is None or most >= v
            case "==":
                fits = (least is None or least <= v) and (most is None or v <= most)
                return fits and (not self.whole or v.denominator == 1)
            case "!=":
                return not (least is not None and least == most == v)
            case _:
                assert_never(op)

    @property
    def nonnegative(self) -> bool:
        return self.low is not None and self.low >= 0


def _domain(ind: Indicator) -> _Domain:
    if ind.type == "count":
        return _Domain(Fraction(0), None, whole=True)
    if ind.type == "share":
        return _Domain(Fraction(0), Fraction(1))
    low = None if ind.minimum is None else Fraction(ind.minimum)
    high = None if ind.maximum is None else Fraction(ind.maximum)
    return _Domain(low, high)


def _minus(a: Fraction | None, b: Fraction | None) -> Fraction | None:
    return None if a is None or b is None else a - b


def _outcomes(*, met: bool, fails: bool) -> frozenset[Outcome]:
    """The outcomes of a rule that can be met (or not) and can fail (or not); missing
    evidence makes any rule insufficient."""
    return frozenset({INSUFFICIENT} | ({MET} if met else set()) | ({NOT_MET} if fails else set()))


def _compared(d: _Domain, op: Operator, v: Fraction) -> frozenset[Outcome]:
    return _outcomes(met=d.some(op, v), fails=d.some(_NEGATED[op], v))


def _change_outcomes(rule: Change, d: _Domain) -> frozenset[Outcome]:
    v = Fraction(rule.value)
    if not rule.relative:
        delta = _Domain(_minus(d.low, d.high), _minus(d.high, d.low), whole=d.whole)
        return _compared(delta, rule.op, v)
    if not d.nonnegative:
        return _ANY  # a baseline of either sign: anything goes
    found: set[Outcome] = {INSUFFICIENT}
    assert d.low is not None
    if d.low == 0:  # a zero baseline: the change holds iff current op 0
        found |= _compared(d, rule.op, Fraction(0))
    if d.high is None or d.high > 0:  # a positive baseline: (current / baseline) - 1
        most = None if d.high is None or d.low == 0 else d.high / d.low - 1
        least = Fraction(-1) if d.high is None or d.low == 0 else d.low / d.high - 1
        found |= _compared(_Domain(least, most), rule.op, v)
    return frozenset(found)


def _ratio_outcomes(rule: Ratio, n: _Domain, d: _Domain) -> frozenset[Outcome]:
    if not (n.nonnegative and d.nonnegative):
        return _ANY
    assert n.low is not None
    assert d.low is not None
    # The smallest non-zero denominator: 1 for whole numbers, else as small as can be.
    smallest = Fraction(1) if d.whole else d.low if d.low > 0 else None
    least = Fraction(0) if n.low == 0 or d.high is None else n.low / d.high
    most = None if n.high is None or smallest is None else n.high / smallest
    if d.high is not None and d.high == 0:
        return frozenset({INSUFFICIENT})  # always divided by 0
    return _compared(_Domain(least, most), rule.op, Fraction(rule.value))


def rule_outcomes(
    rule: Rule,
    indicators: Mapping[str, Indicator],
    criteria: Mapping[str, frozenset[Outcome]] | None = None,
) -> frozenset[Outcome]:
    """The outcomes ``rule`` can have for some evidence (insufficient always: evidence
    can be missing). ``criteria`` gives the outcomes of the criteria it may refer to."""
    return _node_outcomes(rule, indicators, criteria or {}, {})


def _node_outcomes(
    rule: Rule,
    indicators: Mapping[str, Indicator],
    criteria: Mapping[str, frozenset[Outcome]],
    memo: dict[int, frozenset[Outcome]],
) -> frozenset[Outcome]:
    """Outcomes of every node (memoised by identity, for the warnings to read)."""
    # Iterative post-order: rules nest up to MAX_RULE_DEPTH, walked without recursion.
    stack: list[tuple[Rule, bool]] = [(rule, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in memo:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in node.children())
            continue
        memo[id(node)] = _one(node, indicators, criteria, memo)
    return memo[id(rule)]


def _one(
    node: Rule,
    indicators: Mapping[str, Indicator],
    criteria: Mapping[str, frozenset[Outcome]],
    memo: Mapping[int, frozenset[Outcome]],
) -> frozenset[Outcome]:
    kids = [memo[id(c)] for c in node.children()]
    match node:
        case Compare():
            return _compared(_domain(indicators[node.indicator]), node.op, Fraction(node.value))
        case Change():
            return _change_outcomes(node, _domain(indicators[node.indicator]))
        case Ratio():
            return _ratio_outcomes(
                node, _domain(indicators[node.numerator]), _domain(indicators[node.denominator])
            )
        case AtLeastLevel():
            lowest = indicators[node.indicator].categories[0] == node.level
            return _outcomes(met=True, fails=not lowest)
        case Flag() | Absent() | Present():
            return _ANY
        case CriterionRef():
            return criteria.get(node.criterion, _ANY) - {Outcome.NOT_APPLICABLE} | {INSUFFICIENT}
        case AllOf():
            return _outcomes(met=all(MET in k for k in kids), fails=any(NOT_MET in k for k in kids))
        case AnyOf():
            return _outcomes(met=any(MET in k for k in kids), fails=all(NOT_MET in k for k in kids))
        case Not():
            (inner,) = kids
            return _outcomes(met=NOT_MET in inner, fails=MET in inner)
        case KOf() | ShareOf():
            total = len(kids)
            needed = node.needed(total)
            can_meet = sum(MET in k for k in kids)
            can_fail = sum(NOT_MET in k for k in kids)
            return _outcomes(met=can_meet >= needed, fails=can_fail > total - needed)
        case SubUnits():
            (inner,) = kids
            # Any number of sub-units (at least one) may be registered.
            if node.share is not None:
                none_needed = node.share == 0
                return _outcomes(
                    met=none_needed or MET in inner, fails=not none_needed and NOT_MET in inner
                )
            count = node.count or 0
            # More needed than there are sub-units fails whatever they do.
            return _outcomes(met=count == 0 or MET in inner, fails=count > 0)
        case _:
            assert_never(node)


def possible_outcomes(catalog: CriteriaSet) -> dict[str, frozenset[Outcome]]:
    """Criterion id -> the outcomes its rule can have (not counting *not applicable*)."""
    indicators = catalog.indicator_map
    found: dict[str, frozenset[Outcome]] = {}
    for crit in catalog.evaluation_order():
        found[crit.id] = rule_outcomes(crit.rule, indicators, found)
    return found


# -- errors --------------------------------------------------------------------------------


def errors(catalog: CriteriaSet) -> list[Problem]:
    """The static checks that are errors (see the module's documentation)."""
    found: list[Problem] = []
    criterion_ids = {c.id for c in catalog.criteria}
    for i, group in enumerate(catalog.groups):
        if group.id in criterion_ids:
            found.append(
                Problem(
                    f"groups[{i}].id",
                    f"group {group.id!r} has the id of a criterion: a tally's `among` "
                    "could mean either; rename one",
                    record=group.id,
                )
            )
    indicators = catalog.indicator_map
    for i, crit in enumerate(catalog.criteria):
        for path, node in iter_rules(crit.rule):
            if not isinstance(node, Change) or node.relative:
                continue
            ind = indicators.get(node.indicator)
            # A fraction of one case: a share written where a number of cases was meant.
            if ind is None or ind.type != "count" or not 0 < abs(node.value) < 1:
                continue
            where = f"criteria[{i}].rule.{path}.value" if path else f"criteria[{i}].rule.value"
            found.append(Problem(where, _fractional_change(node), record=crit.id))
    return found


def percent_problems(data: Mapping[str, object]) -> list[Problem]:
    """A catalog *file's* absolute changes written as percentages (``value = "-5%"``
    without ``relative = true``): the ``%`` sign shows a share was meant, whatever the
    number (``"-100%"`` would silently mean one case fewer). Changes of a share are left
    alone: their absolute change in percentage points is meaningful. Read from the data
    as written, before the values are parsed; an item too malformed to read is skipped
    (its own problem is reported)."""
    types: dict[object, object] = {}
    indicators = data.get("indicators")
    if isinstance(indicators, list):
        types = {i.get("key"): i.get("type") for i in indicators if isinstance(i, Mapping)}
    criteria = data.get("criteria")
    if not isinstance(criteria, list):
        return []
    found: list[Problem] = []
    for i, crit in enumerate(criteria):
        if not isinstance(crit, Mapping):
            continue
        stack: list[tuple[str, object]] = [(f"criteria[{i}].rule", crit.get("rule"))]
        while stack:
            path, node = stack.pop()
            if not isinstance(node, Mapping):
                continue
            rules = node.get("rules")
            if isinstance(rules, list):
                stack.extend((f"{path}.rules[{j}]", r) for j, r in reversed(list(enumerate(rules))))
            stack.append((f"{path}.rule", node.get("rule")))
            value, indicator = node.get("value"), node.get("indicator")
            if (
                node.get("kind") == "change"
                and node.get("relative") in (None, False)
                and isinstance(value, str)
                and "%" in value
                and types.get(indicator, "share") != "share"
            ):
                found.append(
                    Problem(
                        f"{path}.value",
                        f"{value!r} on an absolute change of {indicator}: a percentage of "
                        f"the baseline needs relative = true; an absolute change is a "
                        f"number of {indicator}",
                        record=str(crit.get("id", "")) or None,
                    )
                )
    return found


def _fractional_change(rule: Change) -> str:
    pct = f"{format((rule.value * 100).normalize(), 'f')}%"
    return (
        f"an absolute change of {rule.value} {rule.indicator}, a fraction of one: a count "
        f"changes by whole numbers, so this reads as a share; write relative = true for "
        f"{pct}, or a whole number"
    )


# -- warnings ------------------------------------------------------------------------------


def warnings(catalog: CriteriaSet, periods: Iterable[Period] = ()) -> list[Problem]:
    """The static checks that are warnings, in document order. ``periods`` are periods
    the set will be assessed for (the examples' periods are always checked)."""
    found: list[Problem] = []
    found += _constant_rules(catalog)
    found += _unreachable_levels(catalog)
    if catalog.policy.fallback.condition not in (None, AllConditions(())):
        found.append(
            Problem(
                "policy.fallback.condition",
                "is never used: the fallback is reached when no level is; leave it out",
                record=catalog.policy.fallback.id,
            )
        )
    year = catalog.reporting_year
    wanted = [(f"example {e.id!r}", e.assessed_period(year)) for e in catalog.examples]
    wanted += [(f"period {p}", p) for p in periods]
    found += _baseline_lengths(catalog, wanted)
    return found


def _constant_rules(catalog: CriteriaSet) -> list[Problem]:
    indicators = catalog.indicator_map
    known: dict[str, frozenset[Outcome]] = {}
    found: list[Problem] = []
    position = {c.id: i for i, c in enumerate(catalog.criteria)}
    reported: list[tuple[int, Problem]] = []
    for crit in catalog.evaluation_order():
        memo: dict[int, frozenset[Outcome]] = {}
        known[crit.id] = _node_outcomes(crit.rule, indicators, known, memo)
        # Report the topmost parts that are constant: their parents follow from them.
        stack: list[tuple[str, Rule, bool]] = [("", crit.rule, False)]
        while stack:
            path, node, parent_constant = stack.pop()
            outcomes = memo[id(node)]
            constant = MET not in outcomes or NOT_MET not in outcomes
            if constant and not parent_constant:
                where = f"criteria[{position[crit.id]}].rule" + (f".{path}" if path else "")
                problem = Problem(where, _constant_text(node, outcomes, indicators), crit.id)
                reported.append((position[crit.id], problem))
            kids = node.children()
            for j in range(len(kids) - 1, -1, -1):
                step = node.branch if node.branch == "rule" else f"{node.branch}[{j}]"
                stack.append((f"{path}.{step}" if path else step, kids[j], constant))
    found += [p for _, p in sorted(reported, key=lambda item: item[0])]
    return found


def _constant_text(
    node: Rule, outcomes: frozenset[Outcome], indicators: Mapping[str, Indicator]
) -> str:
    never = "met" if MET not in outcomes else "fail"
    head = "can never be met" if never == "met" else "can never fail (it is never 'not met')"
    if isinstance(node, Compare):
        kind = indicators[node.indicator].type
        holds = "holds for no" if never == "met" else "holds for every"
        return f"{head}: {node.describe()} {holds} {kind}"
    return f"{head}: {node.describe()}"


def _unreachable_levels(catalog: CriteriaSet) -> list[Problem]:
    possible = possible_outcomes(catalog)
    ids = [lv.id for lv in catalog.policy.levels] + [catalog.policy.fallback.id]
    reached: set[str] = set()
    for kind in catalog.unit_kinds or ("",):
        outcomes = {
            c.id: INSUFFICIENT if c.applies(kind) else Outcome.NOT_APPLICABLE
            for c in catalog.criteria
        }
        outlook = level_outlook(
            catalog.policy,
            outcomes,
            points=catalog.points,
            groups=catalog.group_members,
            mandatory=catalog.mandatory,
            possible=possible,
        )
        reached.update(outlook.possible)
    found = []
    for i, level in enumerate(catalog.policy.levels):
        if level.id not in reached:
            found.append(
                Problem(
                    f"policy.levels[{i}]",
                    "can never be reached, whatever the outcomes of the criteria",
                    record=level.id,
                )
            )
    if ids[-1] not in reached:
        found.append(
            Problem(
                "policy.fallback",
                "is never reached: some level before it holds whatever the outcomes",
                record=ids[-1],
            )
        )
    return found


def _baseline_lengths(catalog: CriteriaSet, periods: Sequence[tuple[str, Period]]) -> list[Problem]:
    """A fixed baseline compared with a period of another kind (a quarter against a year),
    for indicators whose values add up or combine over the period (not ``last``)."""
    found = []
    indicators = catalog.indicator_map
    for i, crit in enumerate(catalog.criteria):
        for path, node in iter_rules(crit.rule):
            # Only a fixed baseline keeps its length whatever the period assessed.
            if not isinstance(node, Change) or node.baseline_kind != "fixed":
                continue
            ind = indicators.get(node.indicator)
            if ind is None or ind.aggregation == "last":
                continue
            base = node.baseline_period(periods[0][1]) if periods else None
            if base is None:
                continue
            clashes = [(what, p) for what, p in periods if p.kind != base.kind]
            if not clashes:
                continue
            what, period = clashes[0]
            where = f"criteria[{i}].rule" + (f".{path}" if path else "")
            found.append(
                Problem(
                    f"{where}.baseline",
                    f"compares a {period.kind} ({period}, {what}) with the fixed baseline "
                    f"{base}, a {base.kind}: {ind.aggregation} of {node.indicator} over "
                    "periods of different lengths",
                    record=crit.id,
                )
            )
    return found
