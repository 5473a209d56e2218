"""Declarative rules: how a criterion is decided from evidence.

Rules are small frozen objects that nest. Each serialises to a table with a
``kind`` tag, so a catalog written in TOML or JSON states them as data and
nothing in a data file is ever executed.

Leaf rules read indicators:

============== ==============================================================
``compare``    an indicator against a value (``crimes <= 10``)
``change``     change against the previous period or a fixed baseline period,
               absolute or relative (``down at least 5% from 2019``)
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
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Literal

import attrs

from modelunit._numbers import format_share
from modelunit.indicators import Indicator
from modelunit.periods import Period

__all__ = [
    "Absent",
    "AllOf",
    "AnyOf",
    "AtLeastLevel",
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
]


def __dir__() -> list[str]:
    return __all__


Operator = Literal["<", "<=", ">", ">=", "==", "!="]
"""Comparison operators; numbers are compared exactly."""

_OPERATORS = ("<", "<=", ">", ">=", "==", "!=")
_op_validator = attrs.validators.in_(_OPERATORS)


def _rules_tuple(value: object) -> tuple[Rule, ...]:
    return tuple(value)  # type: ignore[arg-type]


@attrs.frozen
class Compare:
    """``indicator op value`` for the assessed period."""

    kind: ClassVar[str] = "compare"
    indicator: str
    op: Operator = attrs.field(validator=_op_validator)
    value: Decimal
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"{self.indicator} {self.op} {self.value}"


@attrs.frozen
class Change:
    """Change of an indicator against a baseline period, compared with ``value``.

    ``baseline`` is ``"previous"`` (the period before the assessed one) or a
    fixed period such as ``"2019"``. With ``relative=False`` the change is
    ``current - baseline``; with ``relative=True`` it is that difference divided
    by the baseline, evaluated exactly as ``current - baseline op value * baseline``
    so that a zero baseline is well defined: none before and none now meets a
    reduction target (``0 <= 0``), and any case now counts as an increase.
    ``value`` is a signed
    number: "down at least 5%" is ``relative=True, op="<=", value=-0.05``;
    "fewer than last year" is ``op="<", value=0``.
    """

    kind: ClassVar[str] = "change"
    indicator: str
    op: Operator = attrs.field(validator=_op_validator)
    value: Decimal
    baseline: str = "previous"
    relative: bool = False
    label: str | None = None

    def baseline_period(self, period: Period) -> Period:
        if self.baseline == "previous":
            return period.previous()
        return Period.parse(self.baseline)

    def describe(self) -> str:
        if self.label:
            return self.label
        against = "previous period" if self.baseline == "previous" else self.baseline
        what = "relative change" if self.relative else "change"
        value = str(self.value)
        if self.relative:
            value = f"{format((self.value * 100).normalize(), 'f')}%"
        return f"{self.indicator} {what} vs {against} {self.op} {value}"


@attrs.frozen
class Ratio:
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

    def describe(self) -> str:
        return self.label or f"{self.numerator} / {self.denominator} {self.op} {self.value}"


@attrs.frozen
class AtLeastLevel:
    """An ordered-category indicator is at least ``level``."""

    kind: ClassVar[str] = "at_least"
    indicator: str
    level: str
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"{self.indicator} at least {self.level!r}"


@attrs.frozen
class Flag:
    """A boolean indicator equals ``expected``."""

    kind: ClassVar[str] = "flag"
    indicator: str
    expected: bool = True
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"{self.indicator} is {'true' if self.expected else 'false'}"


@attrs.frozen
class Absent:
    """No events: a count indicator is 0 or a boolean indicator is false."""

    kind: ClassVar[str] = "absent"
    indicator: str
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"no {self.indicator}"


@attrs.frozen
class Present:
    """At least one event: a count indicator is above 0 or a boolean is true."""

    kind: ClassVar[str] = "present"
    indicator: str
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"some {self.indicator}"


@attrs.frozen
class AllOf:
    """Every sub-rule is met (Kleene *and*)."""

    kind: ClassVar[str] = "all"
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def describe(self) -> str:
        return self.label or "all of: (" + "; ".join(r.describe() for r in self.rules) + ")"


@attrs.frozen
class AnyOf:
    """At least one sub-rule is met (Kleene *or*)."""

    kind: ClassVar[str] = "any"
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def describe(self) -> str:
        return self.label or "any of: (" + "; ".join(r.describe() for r in self.rules) + ")"


@attrs.frozen
class Not:
    """The sub-rule is not met (Kleene *not*)."""

    kind: ClassVar[str] = "not"
    rule: Rule
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"not ({self.rule.describe()})"


@attrs.frozen
class KOf:
    """At least ``count`` of the sub-rules are met."""

    kind: ClassVar[str] = "k_of"
    count: int
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def describe(self) -> str:
        inner = "; ".join(r.describe() for r in self.rules)
        return self.label or f"at least {self.count} of {len(self.rules)}: ({inner})"


@attrs.frozen
class ShareOf:
    """At least ``share`` of the sub-rules are met; the count needed is rounded up."""

    kind: ClassVar[str] = "share_of"
    share: Fraction
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple)
    label: str | None = None

    def describe(self) -> str:
        inner = "; ".join(r.describe() for r in self.rules)
        return self.label or f"at least {format_share(self.share)} of {len(self.rules)}: ({inner})"


@attrs.frozen
class SubUnits:
    """A unit's sub-units (of ``unit_kind``, or all) meet ``rule``, enough of them.

    Give ``share`` (rounded up exactly: 70% of 25 sub-units needs 18) or
    ``count``. A unit with no registered sub-units cannot be judged and gets
    insufficient evidence.
    """

    kind: ClassVar[str] = "sub_units"
    rule: Rule
    share: Fraction | None = None
    count: int | None = None
    unit_kind: str | None = None
    label: str | None = None

    def describe(self) -> str:
        if self.label:
            return self.label
        need = format_share(self.share) if self.share is not None else str(self.count)
        of = f"{self.unit_kind} sub-units" if self.unit_kind else "sub-units"
        return f"at least {need} of {of} meet ({self.rule.describe()})"


@attrs.frozen
class CriterionRef:
    """The outcome of another criterion of the same set, for the same unit."""

    kind: ClassVar[str] = "criterion"
    criterion: str
    label: str | None = None

    def describe(self) -> str:
        return self.label or f"criterion {self.criterion}"


Rule = (
    Compare
    | Change
    | Ratio
    | AtLeastLevel
    | Flag
    | Absent
    | Present
    | AllOf
    | AnyOf
    | Not
    | KOf
    | ShareOf
    | SubUnits
    | CriterionRef
)
"""Any rule."""

RULE_TYPES: tuple[type[Rule], ...] = (
    Compare,
    Change,
    Ratio,
    AtLeastLevel,
    Flag,
    Absent,
    Present,
    AllOf,
    AnyOf,
    Not,
    KOf,
    ShareOf,
    SubUnits,
    CriterionRef,
)


def iter_rules(rule: Rule) -> Iterator[tuple[str, Rule]]:
    """Every rule node with its path relative to ``rule`` (``""`` for the root)."""
    stack: list[tuple[str, Rule]] = [("", rule)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, AllOf | AnyOf | KOf | ShareOf):
            for i in range(len(node.rules) - 1, -1, -1):
                stack.append((f"{path}.rules[{i}]" if path else f"rules[{i}]", node.rules[i]))
        elif isinstance(node, Not | SubUnits):
            stack.append((f"{path}.rule" if path else "rule", node.rule))


def referenced_indicators(rule: Rule) -> set[str]:
    """Keys of every indicator the rule reads."""
    found: set[str] = set()
    for _, node in iter_rules(rule):
        if isinstance(node, Ratio):
            found.update((node.numerator, node.denominator))
        elif isinstance(node, Compare | Change | AtLeastLevel | Flag | Absent | Present):
            found.add(node.indicator)
    return found


def referenced_criteria(rule: Rule) -> set[str]:
    """Ids of every criterion the rule refers to (outside sub-unit rules too)."""
    return {node.criterion for _, node in iter_rules(rule) if isinstance(node, CriterionRef)}


_NUMERIC = ("count", "quantity", "share")


def rule_problems(
    rule: Rule,
    indicators: dict[str, Indicator],
    criteria: set[str] | None = None,
) -> list[tuple[str, str]]:
    """(path, message) for each way ``rule`` does not fit the declared indicators.

    ``criteria`` is the set of criterion ids that :class:`CriterionRef` may name;
    ``None`` skips that check.
    """
    found: list[tuple[str, str]] = []

    def need(path: str, field: str, key: str, types: tuple[str, ...]) -> Indicator | None:
        where = f"{path}.{field}" if path else field
        ind = indicators.get(key)
        if ind is None:
            found.append((where, f"unknown indicator {key!r}"))
            return None
        if ind.type not in types:
            found.append(
                (where, f"indicator {key!r} is a {ind.type}; expected {' or '.join(types)}")
            )
            return None
        return ind

    for path, node in iter_rules(rule):

        def at(field: str, path: str = path) -> str:
            return f"{path}.{field}" if path else field

        if isinstance(node, Compare):
            ind = need(path, "indicator", node.indicator, _NUMERIC)
            if ind is not None and ind.type == "count" and node.value < 0:
                found.append((at("value"), f"a count is never negative; got {node.value}"))
            if ind is not None and ind.type == "share" and not 0 <= node.value <= 1:
                found.append((at("value"), f"a share lies in 0..1; got {node.value}"))
        elif isinstance(node, Change):
            need(path, "indicator", node.indicator, ("count", "quantity", "share"))
            if node.baseline != "previous":
                try:
                    Period.parse(node.baseline)
                except ValueError:
                    found.append(
                        (at("baseline"), f"expected 'previous' or a period, got {node.baseline!r}")
                    )
        elif isinstance(node, Ratio):
            need(path, "numerator", node.numerator, _NUMERIC)
            need(path, "denominator", node.denominator, _NUMERIC)
        elif isinstance(node, AtLeastLevel):
            ind = need(path, "indicator", node.indicator, ("category",))
            if ind is not None and node.level not in ind.categories:
                found.append(
                    (
                        at("level"),
                        f"{node.level!r} is not a category of {ind.key!r} "
                        f"({', '.join(ind.categories)})",
                    )
                )
        elif isinstance(node, Flag):
            need(path, "indicator", node.indicator, ("boolean",))
        elif isinstance(node, Absent | Present):
            need(path, "indicator", node.indicator, ("count", "boolean"))
        elif isinstance(node, AllOf | AnyOf):
            if not node.rules:
                found.append((at("rules"), f"'{node.kind}' needs at least one rule"))
        elif isinstance(node, KOf):
            if not 0 <= node.count <= len(node.rules):
                found.append(
                    (
                        at("count"),
                        f"needs 0..{len(node.rules)} (the number of rules), got {node.count}",
                    )
                )
        elif isinstance(node, ShareOf):
            if not 0 <= node.share <= 1:
                found.append((at("share"), f"a share lies in 0..1; got {node.share}"))
            if not node.rules:
                found.append((at("rules"), "'share_of' needs at least one rule"))
        elif isinstance(node, SubUnits):
            if (node.share is None) == (node.count is None):
                found.append((at("share"), "give exactly one of 'share' and 'count'"))
            if node.share is not None and not 0 <= node.share <= 1:
                found.append((at("share"), f"a share lies in 0..1; got {node.share}"))
            if node.count is not None and node.count < 0:
                found.append((at("count"), f"a count is never negative; got {node.count}"))
            if referenced_criteria(node.rule):
                found.append(
                    (at("rule"), "a sub-unit rule cannot refer to criteria of the parent unit")
                )
        elif (
            isinstance(node, CriterionRef)
            and criteria is not None
            and node.criterion not in criteria
        ):
            found.append((at("criterion"), f"unknown criterion {node.criterion!r}"))
    return found
