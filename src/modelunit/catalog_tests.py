"""Run the examples a catalog carries, and say what they cover.

:func:`run_examples` assesses each example (:mod:`modelunit.catalog_examples`) and
compares the outcomes and the level with what the example expects. It also reports
**coverage**: for every criterion and every part of its rule (each node of the rule
tree, by its path), which outcomes (met, not met, insufficient, and at the top not
applicable) the examples produce, which possible ones none does and why:

- *short-circuited*: an ``all`` stopped at an earlier part that was not met (an
  ``any`` at one that was met, a ``k_of`` once decided), so this part was not evaluated;
- *not reached*: a part above it was not evaluated, or a ``sub_units`` rule had no
  sub-units to evaluate;
- *not applicable*: the criterion does not apply to the example's unit kind;
- *no example gives it*: the part was evaluated, never with that outcome.

Outcomes that a static check shows to be impossible (a rule that can never fail) are
not counted as missing. Levels are covered too: which examples reach each one.

>>> import modelunit
>>> report = run_examples(modelunit.load_catalog("tutorial"))
>>> report.passed, len(report.examples)
(True, 4)
>>> print(report.render().splitlines()[0])
tutorial 1.0: 4 examples, 4 passed, 0 failed
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from modelunit import lint
from modelunit.assessment import assess
from modelunit.catalog_examples import CatalogExample
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.errors import Problem
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.indicators import Value
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.results import Assessment, RuleTrace
from modelunit.rules import KOf, Not, Rule, ShareOf, SubUnits, iter_rules

__all__ = [
    "BranchCoverage",
    "ExampleReport",
    "ExampleResult",
    "LevelCoverage",
    "Mismatch",
    "example_evidence",
    "run_examples",
]


def __dir__() -> list[str]:
    return __all__


#: When an example's records are taken to have been recorded (they are all current).
RECORDED_AT: Final = datetime(2000, 1, 1)

_ORDER: Final = (Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.NOT_APPLICABLE)


def _frozen(value: Mapping[str, Outcome]) -> Mapping[str, Outcome]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Mismatch:
    """Something an example expected and did not get."""

    what: str  # a criterion id, "level" or "settled"
    expected: str
    got: str
    explanation: str = ""


@attrs.frozen
class ExampleResult:
    """One example run: the level reached, every outcome, and what did not match."""

    id: str
    level: str
    settled: bool
    outcomes: Mapping[str, Outcome] = attrs.field(converter=_frozen, hash=False)
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.mismatches


@attrs.frozen
class BranchCoverage:
    """The outcomes the examples give one part of a criterion's rule.

    ``path`` is the part's place in the rule (``""`` for the whole rule, ``rules[1]``,
    ``rule``...); ``possible`` the outcomes it can have; ``exercised`` those some example
    gives it; ``reasons`` why each possible outcome no example gives is missing.
    """

    criterion: str
    path: str
    kind: str
    description: str
    possible: tuple[Outcome, ...]
    exercised: tuple[Outcome, ...]
    reasons: tuple[str, ...] = ()

    @property
    def missing(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.possible if o not in self.exercised)


@attrs.frozen
class LevelCoverage:
    """Which examples reach a level (none: ``reason`` says why)."""

    level: str
    examples: tuple[str, ...]
    reason: str = ""


@attrs.frozen
class ExampleReport:
    """The examples of a catalog run: results, coverage, levels and static warnings."""

    catalog: str
    version: str
    examples: tuple[ExampleResult, ...]
    branches: tuple[BranchCoverage, ...]
    levels: tuple[LevelCoverage, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every example gives what it expects."""
        return all(e.passed for e in self.examples)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.examples if not e.passed)

    @property
    def coverage(self) -> Fraction:
        """The share of possible outcomes of all parts that some example gives."""
        possible = sum(len(b.possible) for b in self.branches)
        covered = sum(len(b.possible) - len(b.missing) for b in self.branches)
        return Fraction(covered, possible) if possible else Fraction(1)

    def render(self, *, every_branch: bool = False) -> str:
        """The report in words; parts fully covered are listed only with
        ``every_branch``."""
        return _render(self, every_branch=every_branch)


# -- running ---------------------------------------------------------------------------------


def example_evidence(
    catalog: CriteriaSet, example: CatalogExample
) -> tuple[Unit, EvidenceLedger, UnitRegistry]:
    """The unit, the evidence and the units an example describes."""
    kind = example.unit_kind or (catalog.unit_kinds[0] if catalog.unit_kinds else "ward")
    unit = Unit(example.unit, kind=kind)
    subs = tuple(Unit(s.id, kind=s.kind, parent=unit.id) for s in example.sub_units)
    records: list[Evidence] = []
    period = example.assessed_period(catalog.reporting_year)

    def add(who: str, indicator: str, period: Period, value: Value) -> None:
        records.append(
            Evidence(
                f"{example.id}:{len(records) + 1}",
                who,
                indicator,
                period,
                value,
                recorded_at=RECORDED_AT,
                source=f"example {example.id}",
            )
        )

    for key, value in example.values.items():
        add(unit.id, key, period, value)
    for sub in example.sub_units:
        for key, value in sub.values.items():
            add(sub.id, key, period, value)
    for rec in example.evidence:
        add(rec.unit or unit.id, rec.indicator, rec.period or period, rec.value)
    return unit, EvidenceLedger(tuple(records)), UnitRegistry((unit, *subs))


def run_examples(catalog: CriteriaSet) -> ExampleReport:
    """Run every example of ``catalog``: results, coverage and the static warnings."""
    results = []
    seen: dict[tuple[str, str], set[Outcome]] = {}
    skipped: dict[tuple[str, str], dict[str, list[str]]] = {}
    reached: dict[str, list[str]] = {}
    for example in catalog.examples:
        unit, ledger, registry = example_evidence(catalog, example)
        period = example.assessed_period(catalog.reporting_year)
        result = assess(catalog, ledger, unit=unit, period=period, units=registry)
        results.append(_compare(example, result))
        reached.setdefault(result.level, []).append(example.id)
        for crit in catalog.criteria:
            r = result.result(crit.id)
            if r.trace is None:  # not applicable: nothing below the top was evaluated
                _mark(seen, crit.id, "", Outcome.NOT_APPLICABLE)
                for path, _ in _parts(crit.rule, ""):
                    if path:
                        _skip(skipped, crit.id, path, f"not applicable to {unit.kind}", example.id)
                continue
            _walk(crit, r.trace, example.id, seen=seen, skipped=skipped)
    branches = tuple(_coverage(catalog, seen, skipped))
    return ExampleReport(
        catalog=catalog.id,
        version=catalog.version,
        examples=tuple(results),
        branches=branches,
        levels=tuple(_levels(catalog, reached)),
        warnings=tuple(catalog.warnings()),
    )


def _compare(example: CatalogExample, result: Assessment) -> ExampleResult:
    mismatches = []
    for cid, expected in example.expect.items():
        got = result.result(cid)
        if got.outcome.value != expected:
            mismatches.append(Mismatch(cid, expected, got.outcome.value, got.explanation))
    if example.level is not None and result.level != example.level:
        why = "; ".join(
            f"{c.level}: {'reached' if c.reached else 'not reached'} ({c.reason})"
            for c in result.level_checks
        )
        mismatches.append(Mismatch("level", example.level, result.level, why))
    if example.settled is not None and result.settled is not example.settled:
        why = result.outlook.describe() if result.outlook is not None else ""
        mismatches.append(Mismatch("settled", _yes(example.settled), _yes(result.settled), why))
    return ExampleResult(
        example.id,
        result.level,
        result.settled,
        {r.criterion: r.outcome for r in result.results},
        tuple(mismatches),
    )


def _yes(flag: bool) -> str:
    return "true" if flag else "false"


def _mark(seen: dict[tuple[str, str], set[Outcome]], cid: str, path: str, o: Outcome) -> None:
    seen.setdefault((cid, path), set()).add(o)


def _skip(
    skipped: dict[tuple[str, str], dict[str, list[str]]],
    cid: str,
    path: str,
    reason: str,
    example: str,
) -> None:
    skipped.setdefault((cid, path), {}).setdefault(reason, []).append(example)


def _step(rule: Rule, i: int) -> str:
    return rule.branch if rule.branch == "rule" else f"{rule.branch}[{i}]"


def _join(path: str, step: str) -> str:
    return f"{path}.{step}" if path else step


def _parts(rule: Rule, path: str) -> list[tuple[str, Rule]]:
    """Every node under (and including) ``rule``, with its path, in document order."""
    return [(_join(path, p) if p else path, node) for p, node in iter_rules(rule)]


def _walk(
    crit: Criterion,
    trace: RuleTrace,
    example: str,
    *,
    seen: dict[tuple[str, str], set[Outcome]],
    skipped: dict[tuple[str, str], dict[str, list[str]]],
) -> None:
    """Record the outcome of every node evaluated, and why the others were not."""
    stack = [(crit.rule, trace, "")]
    while stack:
        node, t, where = stack.pop()
        _mark(seen, crit.id, where, t.outcome)
        kids = node.children()
        if not kids:
            continue
        if isinstance(node, SubUnits):
            inner = _join(where, "rule")
            if not t.children:
                for sub_path, _ in _parts(node.rule, inner):
                    _skip(skipped, crit.id, sub_path, "not reached: no sub-units", example)
            stack.extend((node.rule, child, inner) for child in t.children)
            continue
        if isinstance(node, Not):
            stack.append((node.rule, t.children[0], _join(where, "rule")))
            continue
        for i, child in enumerate(kids):
            step = _join(where, _step(node, i))
            if i < len(t.children):
                stack.append((child, t.children[i], step))
                continue
            counting = isinstance(node, KOf | ShareOf)
            reason = (
                "short-circuited: decided before it"
                if counting
                else (
                    f"short-circuited: decided by {_join(where, _step(node, len(t.children) - 1))}"
                )
            )
            _skip(skipped, crit.id, step, reason, example)
            for sub_path, _ in _parts(child, step)[1:]:
                _skip(
                    skipped, crit.id, sub_path, f"not reached: {step} was short-circuited", example
                )


def _coverage(
    catalog: CriteriaSet,
    seen: Mapping[tuple[str, str], set[Outcome]],
    skipped: Mapping[tuple[str, str], Mapping[str, list[str]]],
) -> list[BranchCoverage]:
    indicators = catalog.indicator_map
    possible_of = catalog.possible_outcomes
    found = []
    for crit in catalog.criteria:
        kinds_applied = {k for k in catalog.unit_kinds if crit.applies(k)}
        can_be_na = bool(crit.applies_to) and kinds_applied != set(catalog.unit_kinds)
        for path, node in _parts(crit.rule, ""):
            possible = set(lint.rule_outcomes(node, indicators, possible_of))
            if path == "" and can_be_na:
                possible.add(Outcome.NOT_APPLICABLE)
            exercised = seen.get((crit.id, path), set())
            reasons = []
            if not exercised:
                for reason, examples in skipped.get((crit.id, path), {}).items():
                    reasons.append(f"{reason} (in {', '.join(dict.fromkeys(examples))})")
                if not reasons:
                    reasons.append("no example reaches it")
            else:
                reasons.extend(
                    f"no example gives it {o.label_en}"
                    for o in _ORDER
                    if o in possible and o not in exercised
                )
            found.append(
                BranchCoverage(
                    criterion=crit.id,
                    path=path,
                    kind=node.kind,
                    description=node.describe(),
                    possible=tuple(o for o in _ORDER if o in possible),
                    exercised=tuple(o for o in _ORDER if o in exercised),
                    reasons=tuple(reasons) if set(possible) - exercised else (),
                )
            )
    return found


def _levels(catalog: CriteriaSet, reached: Mapping[str, list[str]]) -> list[LevelCoverage]:
    never = {p.record for p in catalog.warnings() if p.path.startswith("policy.")}
    found = []
    for level in (*catalog.policy.levels, catalog.policy.fallback):
        examples = tuple(reached.get(level.id, ()))
        reason = ""
        if not examples:
            reason = "can never be reached" if level.id in never else "no example reaches it"
        found.append(LevelCoverage(level.id, examples, reason))
    return found


# -- texts (one place, ready for the table of texts) -------------------------------------------


def _render(report: ExampleReport, *, every_branch: bool) -> str:
    n = len(report.examples)
    failed = len(report.failed)
    lines = [
        f"{report.catalog} {report.version}: {n} example{'s' if n != 1 else ''}, "
        f"{n - failed} passed, {failed} failed"
    ]
    for ex in report.examples:
        lines.append(f"  {'PASS' if ex.passed else 'FAIL'} {ex.id}: {ex.level}")
        for m in ex.mismatches:
            why = f" ({m.explanation})" if m.explanation else ""
            lines.append(f"    {m.what}: expected {m.expected}, got {m.got}{why}")
    possible = sum(len(b.possible) for b in report.branches)
    covered = sum(len(b.possible) - len(b.missing) for b in report.branches)
    pct = f"{float(report.coverage) * 100:.0f}%"
    lines.append(f"coverage: {covered} of {possible} outcomes of rule parts ({pct})")
    for b in report.branches:
        if b.missing or every_branch:
            where = f"{b.criterion}.{b.path}" if b.path else b.criterion
            got = ", ".join(o.label_en for o in b.exercised) or "nothing"
            lines.append(f"  {where} ({b.kind}: {b.description}): {got}")
            lines.extend(f"    missing: {r}" for r in b.reasons)
    levels = []
    for lv in report.levels:
        if lv.examples:
            levels.append(f"{lv.level} ({', '.join(lv.examples)})")
        else:
            levels.append(f"{lv.level} ({lv.reason})")
    lines.append(f"levels: {'; '.join(levels)}")
    lines.extend(f"warning: {p.render()}" for p in report.warnings)
    return "\n".join(lines)
