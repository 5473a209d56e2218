"""Declarative rules: how a criterion is decided from evidence.

Rules are small frozen objects that nest. Each serialises to a table with a
``kind`` tag, so a catalog written in TOML or JSON states them as data and
nothing in a data file is ever executed.

Leaf rules read indicators:

============== ==============================================================
``compare``    an indicator against a value (``crimes <= 10``)
``change``     change against the previous period, the same period of an earlier
               year or a fixed baseline period, absolute or relative (``down at
               least 5% from 2019``, ``down on the same period of last year``)
``ratio``      one indicator divided by another, against a value
``at_least``   an ordered category at least a level (emulation ranking)
``flag``       a boolean indicator is true (or false)
``absent``     no events: a count is 0 or a boolean is false
``present``    at least one event, or a boolean is true
============== ==============================================================

Combinators follow three-valued (Kleene) logic and short-circuit:
``all``, ``any``, ``not``, ``k_of`` (at least k sub-rules met) and ``share_of``
(at least a share of sub-rules met, rounded up exactly: 70% of 25 needs 18).
``sub_units`` applies a rule to each of a unit's sub-units (residential areas of
a ward) and needs a share or number of them to meet it. ``criterion`` reuses
another criterion's outcome.

>>> from decimal import Decimal
>>> from modelunit.rules import AllOf, Change, Compare
>>> rule = AllOf((
...     Compare("serious_crimes", "==", Decimal(0)),
...     Change("social_order_crimes", "<", Decimal(0), baseline="previous"),
... ))
>>> print(rule.describe())
all of: (serious_crimes == 0; social_order_crimes change vs previous period < 0)

The set of rule kinds is declared once, by the :data:`Rule` union; :data:`RULE_TYPES`
and everything that lists kinds (the converter, the strategies of
:mod:`modelunit.testing`) derive from it. Each class carries what generic walkers
need (``children()``, ``reads()``, its own validation in
:meth:`~Compare.problems`, and for threshold combinators :meth:`~KOf.needed`), and the
exact scalar meaning of its comparison (``holds``), which both evaluators use.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Set
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Final, Literal, assert_never, get_args

import attrs

from modelunit._checks import as_id, one_of
from modelunit._numbers import ceil_share, exact_arithmetic, finite_problem, format_share
from modelunit.errors import closest
from modelunit.indicators import Indicator, Value
from modelunit.limits import MAX_RULE_DEPTH, MAX_RULE_NODES
from modelunit.periods import Period

__all__ = [
    "BASELINE_KINDS",
    "BASELINE_WORDS",
    "COMPARISONS",
    "FLIPPED",
    "OPERATORS",
    "RULE_TYPES",
    "Absent",
    "AllOf",
    "AnyOf",
    "AtLeastLevel",
    "BaselineKind",
    "Change",
    "Compare",
    "CriterionRef",
    "Flag",
    "KOf",
    "Not",
    "Operator",
    "Present",
    "Ratio",
    "Rule",
    "ShareOf",
    "SubUnits",
    "iter_rules",
    "referenced_criteria",
    "referenced_indicators",
    "rule_problems",
    "rule_size",
]


def __dir__() -> list[str]:
    return __all__


# -- operators ---------------------------------------------------------------------------

Operator = Literal["<", "<=", ">", ">=", "==", "!="]
"""Comparison operators; numbers are compared exactly."""

OPERATORS: Final[tuple[Operator, ...]] = get_args(Operator)
"""Every operator, in declaration order."""

COMPARISONS: Final[Mapping[Operator, Callable[[Any, Any], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
"""``COMPARISONS[op](a, b)`` is ``a op b``: the one operator table both evaluators use."""

FLIPPED: Final[Mapping[Operator, Operator]] = {
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "==": "==",
    "!=": "!=",
}
"""``a op b`` is ``b FLIPPED[op] a``; also what ``op`` becomes when both sides are
multiplied by a negative number."""

_op_validator = one_of(OPERATORS)

# Value types a rule may read, by what it does with them.
_NUMERIC: Final = ("count", "quantity", "share")
_EVENTFUL: Final = ("count", "boolean")

Problems = Iterator[tuple[str, str]]
"""(field, message) pairs for one rule node (the field relative to the node)."""


def _rules_tuple(value: object) -> tuple[Rule, ...]:
    return tuple(value)  # type: ignore[arg-type]


def _exact(value: int | Decimal | Fraction) -> Fraction:
    # Arithmetic on Fractions is exact whatever the thread's decimal context says.
    return value if isinstance(value, Fraction) else Fraction(value)


def _indicator(
    indicators: Mapping[str, Indicator], field: str, key: str, types: tuple[str, ...]
) -> tuple[Indicator | None, list[tuple[str, str]]]:
    """The declared indicator ``key`` if it exists and has one of ``types``."""
    ind = indicators.get(key)
    if ind is None:
        return None, [(field, f"unknown indicator {key!r}")]
    if ind.type not in types:
        return None, [(field, f"indicator {key!r} is a {ind.type}; expected {' or '.join(types)}")]
    return ind, []


class _Node:
    """What every rule class offers generic walkers; each class overrides what applies.

    ``composite`` says whether the class combines sub-rules; ``branch`` names the field
    that holds them (``"rules"``, a list, or ``"rule"``, one), for field paths.
    """

    __slots__ = ()
    kind: ClassVar[str]
    composite: ClassVar[bool] = False
    branch: ClassVar[str] = ""

    def children(self) -> tuple[Rule, ...]:
        """The sub-rules, in order (none for a leaf)."""
        return ()

    def indicators(self) -> tuple[str, ...]:
        """Keys of the indicators this node itself reads (not its sub-rules')."""
        return ()

    def reads(self, period: Period) -> tuple[tuple[str, Period], ...]:
        """The (indicator, period) values this node reads when assessing ``period``."""
        return tuple((key, period) for key in self.indicators())

    @property
    def _text(self) -> str:
        raise NotImplementedError  # each rule class describes itself

    def describe(self) -> str:
        """The rule in words (its ``label`` when it has one); computed once per rule."""
        return self._text


# -- leaves ------------------------------------------------------------------------------


@attrs.frozen
class Compare(_Node):
    """``indicator op value`` for the assessed period."""

    kind: ClassVar[str] = "compare"
    indicator: str
    op: Operator = attrs.field(validator=_op_validator)
    value: Decimal
    label: str | None = None

    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    def holds(self, value: int | Decimal) -> bool:
        """Whether ``value op self.value`` (exact)."""
        return COMPARISONS[self.op](value, self.value)

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        ind, found = _indicator(indicators, "indicator", self.indicator, _NUMERIC)
        yield from found
        problem = finite_problem(self.value)
        if problem is not None:
            yield "value", problem
            return  # no bound below can be compared with it
        if ind is not None and ind.type == "count" and self.value < 0:
            yield "value", f"a count is never negative; got {self.value}"
        if ind is not None and ind.type == "share" and not 0 <= self.value <= 1:
            yield "value", f"a share lies in 0..1; got {self.value}"

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"{self.indicator} {self.op} {self.value}"


BaselineKind = Literal["previous", "same_period", "fixed"]
"""What a :class:`Change` compares with: the one declaration of the baseline kinds.

- ``previous``: the period just before, of the same length
  (:meth:`~modelunit.periods.Period.previous`);
- ``same_period``: the same period ``years_back`` years earlier, *cùng kỳ*
  (:meth:`~modelunit.periods.Period.same_period`);
- ``fixed``: one period named in the rule, whatever the assessed period (``"2019"``).
"""

BASELINE_KINDS: Final[tuple[BaselineKind, ...]] = get_args(BaselineKind)
"""Every baseline kind, in declaration order (derived from :data:`BaselineKind`)."""

BASELINE_WORDS: Final[tuple[str, ...]] = tuple(k for k in BASELINE_KINDS if k != "fixed")
"""The words a ``baseline`` may be; any other baseline is the text of a fixed period."""


@attrs.frozen
class Change(_Node):
    """Change of an indicator against a baseline period, compared with ``value``.

    ``baseline`` is ``"previous"`` (the period before the assessed one, of the same
    length), ``"same_period"`` (the same period ``years_back`` years earlier: the same
    quarter, month or dates of last year by default) or a fixed period such as
    ``"2019"`` (see :data:`BaselineKind`). With ``relative=False`` the change is
    ``current - baseline``; with ``relative=True`` it is that difference divided
    by the size of the baseline, evaluated exactly as
    ``current - baseline op value * |baseline|`` so that a zero baseline is well
    defined: none before and none now meets a reduction target (``0 <= 0``), and any
    case now counts as an increase.
    ``value`` is a signed number: "down at least 5%" is ``relative=True, op="<=",
    value=-0.05``; "fewer than last year" is ``op="<", value=0``.

    >>> from decimal import Decimal
    >>> rule = Change("crimes", "<", Decimal(0), baseline="same_period")
    >>> str(rule.baseline_period(Period.parse("2024-01-01/2024-11-30")))
    '2023-01-01/2023-11-30'
    >>> print(rule.describe())
    crimes change vs same period of previous year < 0
    """

    kind: ClassVar[str] = "change"
    indicator: str
    op: Operator = attrs.field(validator=_op_validator)
    value: Decimal
    baseline: str = "previous"
    relative: bool = False
    label: str | None = None
    years_back: int = 1

    @property
    def baseline_kind(self) -> BaselineKind:
        """Which kind of baseline ``baseline`` names."""
        if self.baseline == "previous":
            return "previous"
        if self.baseline == "same_period":
            return "same_period"
        return "fixed"

    def baseline_period(self, period: Period) -> Period:
        """The period the assessed ``period`` is compared with."""
        kind = self.baseline_kind
        match kind:
            case "previous":
                return period.previous()
            case "same_period":
                return period.same_period(self.years_back)
            case "fixed":
                return Period.parse(self.baseline)
            case _:
                assert_never(kind)

    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    def reads(self, period: Period) -> tuple[tuple[str, Period], ...]:
        return ((self.indicator, period), (self.indicator, self.baseline_period(period)))

    @property
    def value_terms(self) -> tuple[int, int]:
        """``(p, q)`` with ``value = p/q``, ``q > 0``: a relative change holds iff
        ``q * (current - baseline) op p * |baseline|``, the form both evaluators compute."""
        frac = Fraction(self.value)
        return frac.numerator, frac.denominator

    def holds(self, current: int | Decimal, baseline: int | Decimal) -> bool:
        """Whether the change from ``baseline`` to ``current`` meets the rule (exact).

        A relative change is measured against the baseline's size, ``|baseline|``, so
        that a negative quantity that grows towards zero has gone *up*.
        """
        compare = COMPARISONS[self.op]
        c, b = _exact(current), _exact(baseline)
        if self.relative:
            p, q = self.value_terms
            return compare(q * (c - b), p * abs(b))
        return compare(c - b, _exact(self.value))

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        yield from _indicator(indicators, "indicator", self.indicator, _NUMERIC)[1]
        problem = finite_problem(self.value)
        if problem is not None:
            yield "value", problem
        kind = self.baseline_kind
        match kind:
            case "previous":
                pass
            case "same_period":
                if type(self.years_back) is not int or not 1 <= self.years_back <= 9998:
                    yield (
                        "years_back",
                        f"a whole number of years, 1 to 9998; got {self.years_back!r}",
                    )
            case "fixed":
                yield from _fixed_baseline_problems(self.baseline)
            case _:
                assert_never(kind)
        if kind != "same_period" and self.years_back != 1:
            yield (
                "years_back",
                (
                    f"years_back applies to baseline = 'same_period' only; "
                    f"this baseline is {self.baseline!r}"
                ),
            )

    @functools.cached_property
    def _text(self) -> str:
        if self.label:
            return self.label
        kind = self.baseline_kind
        match kind:
            case "previous":
                against = "previous period"
            case "same_period":
                n = self.years_back
                against = (
                    "same period of previous year" if n == 1 else f"same period {n} years earlier"
                )
            case "fixed":
                against = self.baseline
            case _:
                assert_never(kind)
        what = "relative change" if self.relative else "change"
        value = str(self.value)
        if self.relative:
            with exact_arithmetic():  # whatever the caller's context, once and for all
                value = f"{format(self.value.scaleb(2).normalize(), 'f')}%"
        return f"{self.indicator} {what} vs {against} {self.op} {value}"


def _fixed_baseline_problems(baseline: str) -> Problems:
    """A fixed baseline must be a period; a word is a misspelt baseline kind."""
    try:
        Period.parse(baseline)
    except ValueError:
        words = ", ".join(repr(w) for w in BASELINE_WORDS)
        if baseline.replace("_", "").replace("-", "").replace(" ", "").isalpha():
            near = closest(baseline, BASELINE_WORDS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            yield "baseline", f"unknown baseline {baseline!r}{hint}; expected {words} or a period"
        else:
            yield "baseline", f"expected {words} or a period such as '2019', got {baseline!r}"


@attrs.frozen
class Ratio(_Node):
    """``numerator / denominator op value``, compared exactly by cross-multiplying.

    A zero denominator leaves the ratio undefined, which is reported as
    insufficient evidence with that reason.
    """

    kind: ClassVar[str] = "ratio"
    numerator: str
    denominator: str
    op: Operator = attrs.field(validator=_op_validator)
    value: Decimal
    label: str | None = None

    def indicators(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    @property
    def value_terms(self) -> tuple[int, int]:
        """``(p, q)`` with ``value = p/q``, ``q > 0``: ``n / d op p / q`` iff ``q n op p d``
        when ``d > 0``, and ``q n FLIPPED[op] p d`` when ``d < 0``."""
        frac = Fraction(self.value)
        return frac.numerator, frac.denominator

    def holds(self, numerator: int | Decimal, denominator: int | Decimal) -> bool | None:
        """Whether ``numerator / denominator op value`` (exact); None when ``denominator``
        is 0 (the ratio is undefined)."""
        n, d = _exact(numerator), _exact(denominator)
        if d == 0:
            return None
        p, q = self.value_terms
        op = self.op if d > 0 else FLIPPED[self.op]
        return COMPARISONS[op](q * n, p * d)

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        yield from _indicator(indicators, "numerator", self.numerator, _NUMERIC)[1]
        yield from _indicator(indicators, "denominator", self.denominator, _NUMERIC)[1]
        problem = finite_problem(self.value)
        if problem is not None:
            yield "value", problem

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"{self.numerator} / {self.denominator} {self.op} {self.value}"


@attrs.frozen
class AtLeastLevel(_Node):
    """An ordered-category indicator is at least ``level``."""

    kind: ClassVar[str] = "at_least"
    indicator: str
    level: str
    label: str | None = None

    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    def holds(self, rank: int, needed: int) -> bool:
        """Whether a value of ``rank`` reaches the level of rank ``needed``."""
        return rank >= needed

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        ind, found = _indicator(indicators, "indicator", self.indicator, ("category",))
        yield from found
        if ind is not None and self.level not in ind.categories:
            listed = ", ".join(ind.categories)
            yield "level", f"{self.level!r} is not a category of {ind.key!r} ({listed})"

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"{self.indicator} at least {self.level!r}"


@attrs.frozen
class Flag(_Node):
    """A boolean indicator equals ``expected``."""

    kind: ClassVar[str] = "flag"
    indicator: str
    expected: bool = True
    label: str | None = None

    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    @property
    def wanted(self) -> bool:
        """The truth value of the indicator that meets the rule."""
        return self.expected

    def holds(self, value: Value) -> bool:
        return bool(value) is self.wanted

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        yield from _indicator(indicators, "indicator", self.indicator, ("boolean",))[1]

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"{self.indicator} is {'true' if self.expected else 'false'}"


class _Events(_Node):
    """What ``absent`` and ``present`` share: one count or boolean indicator, judged by
    whether anything happened (a count above 0, a boolean true)."""

    __slots__ = ()
    #: The truth of "something happened" that meets the rule.
    wanted: ClassVar[bool]
    indicator: str

    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    def holds(self, value: Value) -> bool:
        return bool(value) is self.wanted

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        yield from _indicator(indicators, "indicator", self.indicator, _EVENTFUL)[1]


@attrs.frozen
class Absent(_Events):
    """No events: a count indicator is 0 or a boolean indicator is false."""

    kind: ClassVar[str] = "absent"
    wanted: ClassVar[bool] = False
    indicator: str
    label: str | None = None

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"no {self.indicator}"


@attrs.frozen
class Present(_Events):
    """At least one event: a count indicator is above 0 or a boolean is true."""

    kind: ClassVar[str] = "present"
    wanted: ClassVar[bool] = True
    indicator: str
    label: str | None = None

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"some {self.indicator}"


@attrs.frozen
class CriterionRef(_Node):
    """The outcome of another criterion of the same set, for the same unit."""

    kind: ClassVar[str] = "criterion"
    criterion: str = attrs.field(converter=as_id)
    label: str | None = None

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        if criteria is not None and self.criterion not in criteria:
            yield "criterion", f"unknown criterion {self.criterion!r}"

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"criterion {self.criterion}"


# -- combinators -------------------------------------------------------------------------


def _joined(rules: tuple[Rule, ...]) -> str:
    return "; ".join(r.describe() for r in rules)


@attrs.frozen
class AllOf(_Node):
    """Every sub-rule is met (Kleene *and*)."""

    kind: ClassVar[str] = "all"
    composite: ClassVar[bool] = True
    branch: ClassVar[str] = "rules"
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def children(self) -> tuple[Rule, ...]:
        return self.rules

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        if not self.rules:
            yield "rules", f"'{self.kind}' needs at least one rule"

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"all of: ({_joined(self.rules)})"


@attrs.frozen
class AnyOf(_Node):
    """At least one sub-rule is met (Kleene *or*)."""

    kind: ClassVar[str] = "any"
    composite: ClassVar[bool] = True
    branch: ClassVar[str] = "rules"
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def children(self) -> tuple[Rule, ...]:
        return self.rules

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        if not self.rules:
            yield "rules", f"'{self.kind}' needs at least one rule"

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"any of: ({_joined(self.rules)})"


@attrs.frozen
class Not(_Node):
    """The sub-rule is not met (Kleene *not*)."""

    kind: ClassVar[str] = "not"
    composite: ClassVar[bool] = True
    branch: ClassVar[str] = "rule"
    rule: Rule
    label: str | None = None

    def children(self) -> tuple[Rule, ...]:
        return (self.rule,)

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        return iter(())

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"not ({self.rule.describe()})"


@attrs.frozen
class KOf(_Node):
    """At least ``count`` of the sub-rules are met."""

    kind: ClassVar[str] = "k_of"
    composite: ClassVar[bool] = True
    branch: ClassVar[str] = "rules"
    count: int
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def children(self) -> tuple[Rule, ...]:
        return self.rules

    def needed(self, total: int) -> int:
        """How many of ``total`` sub-results must be met."""
        return self.count

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        if not 0 <= self.count <= len(self.rules):
            yield "count", f"needs 0..{len(self.rules)} (the number of rules), got {self.count}"

    @functools.cached_property
    def _text(self) -> str:
        return self.label or f"at least {self.count} of {len(self.rules)}: ({_joined(self.rules)})"


@attrs.frozen
class ShareOf(_Node):
    """At least ``share`` of the sub-rules are met; the count needed is rounded up."""

    kind: ClassVar[str] = "share_of"
    composite: ClassVar[bool] = True
    branch: ClassVar[str] = "rules"
    share: Fraction
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def children(self) -> tuple[Rule, ...]:
        return self.rules

    def needed(self, total: int) -> int:
        """How many of ``total`` sub-results must be met: the share, rounded up."""
        return ceil_share(self.share, total)

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        if not 0 <= self.share <= 1:
            yield "share", f"a share lies in 0..1; got {self.share}"
        if not self.rules:
            yield "rules", "'share_of' needs at least one rule"

    @functools.cached_property
    def _text(self) -> str:
        share = format_share(self.share)
        return self.label or f"at least {share} of {len(self.rules)}: ({_joined(self.rules)})"


@attrs.frozen
class SubUnits(_Node):
    """A unit's sub-units (of ``unit_kind``, or all) meet ``rule``, enough of them.

    Give ``share`` (rounded up exactly: 70% of 25 sub-units needs 18) or
    ``count``. A unit with no registered sub-units cannot be judged and gets
    insufficient evidence.
    """

    kind: ClassVar[str] = "sub_units"
    composite: ClassVar[bool] = True
    branch: ClassVar[str] = "rule"
    rule: Rule
    share: Fraction | None = None
    count: int | None = None
    unit_kind: str | None = attrs.field(default=None, converter=as_id)
    label: str | None = None

    def children(self) -> tuple[Rule, ...]:
        return (self.rule,)

    def needed(self, total: int) -> int:
        """How many of ``total`` sub-units must meet the rule."""
        if self.share is not None:
            return ceil_share(self.share, total)
        return self.count or 0

    def problems(self, indicators: Mapping[str, Indicator], criteria: Set[str] | None) -> Problems:
        if (self.share is None) == (self.count is None):
            yield "share", "give exactly one of 'share' and 'count'"
        if self.share is not None and not 0 <= self.share <= 1:
            yield "share", f"a share lies in 0..1; got {self.share}"
        if self.count is not None and self.count < 0:
            yield "count", f"a count is never negative; got {self.count}"
        if referenced_criteria(self.rule):
            yield "rule", "a sub-unit rule cannot refer to criteria of the parent unit"

    @functools.cached_property
    def _text(self) -> str:
        if self.label:
            return self.label
        need = format_share(self.share) if self.share is not None else str(self.count)
        of = f"{self.unit_kind} sub-units" if self.unit_kind else "sub-units"
        return f"at least {need} of {of} meet ({self.rule.describe()})"


Rule = (
    Compare
    | Change
    | Ratio
    | AtLeastLevel
    | Flag
    | Absent
    | Present
    | CriterionRef
    | AllOf
    | AnyOf
    | Not
    | KOf
    | ShareOf
    | SubUnits
)
"""Any rule: the one declaration of the set of rule kinds."""

RULE_TYPES: Final[tuple[type[Rule], ...]] = get_args(Rule)
"""Every rule class, in declaration order (derived from :data:`Rule`)."""


# -- generic walks -----------------------------------------------------------------------


def iter_rules(rule: Rule) -> Iterator[tuple[str, Rule]]:
    """Every rule node with its path relative to ``rule`` (``""`` for the root), depth first."""
    stack: list[tuple[str, Rule]] = [("", rule)]
    while stack:
        path, node = stack.pop()
        yield path, node
        kids = node.children()
        for i in range(len(kids) - 1, -1, -1):
            step = node.branch if node.branch == "rule" else f"{node.branch}[{i}]"
            stack.append((f"{path}.{step}" if path else step, kids[i]))


def rule_size(rule: Rule) -> tuple[int, int]:
    """(depth, number of nodes) of a rule tree, without recursion (a leaf: (1, 1))."""
    deepest = nodes = 0
    stack: list[tuple[Rule, int]] = [(rule, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children())
    return deepest, nodes


def referenced_indicators(rule: Rule) -> set[str]:
    """Keys of every indicator the rule reads (in any period)."""
    return {key for _, node in iter_rules(rule) for key in node.indicators()}


def referenced_criteria(rule: Rule) -> set[str]:
    """Ids of every criterion the rule refers to (outside sub-unit rules too)."""
    return {node.criterion for _, node in iter_rules(rule) if isinstance(node, CriterionRef)}


def rule_problems(
    rule: Rule,
    indicators: Mapping[str, Indicator],
    criteria: Set[str] | None = None,
) -> list[tuple[str, str]]:
    """(path, message) for each way ``rule`` does not fit the declared indicators.

    ``criteria`` is the set of criterion ids that :class:`CriterionRef` may name;
    ``None`` skips that check. A rule deeper than :data:`~modelunit.limits.MAX_RULE_DEPTH`
    or larger than :data:`~modelunit.limits.MAX_RULE_NODES` is reported as such, and
    nothing more is checked in it.
    """
    depth, nodes = rule_size(rule)
    if depth > MAX_RULE_DEPTH:
        return [("", f"rules nest {depth} levels deep; at most {MAX_RULE_DEPTH}")]
    if nodes > MAX_RULE_NODES:
        return [("", f"a rule of {nodes:,} parts; at most {MAX_RULE_NODES:,}")]
    return [
        (f"{path}.{field}" if path else field, message)
        for path, node in iter_rules(rule)
        for field, message in node.problems(indicators, criteria)
    ]
