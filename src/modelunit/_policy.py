"""Recognition-policy conditions evaluated over per-criterion outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from modelunit.criteria import (
    AllConditions,
    AnyCondition,
    Condition,
    CriteriaOutcomes,
    CriteriaSet,
    Level,
    NotCondition,
    Points,
    Tally,
)
from modelunit.outcomes import Outcome
from modelunit.results import LevelCheck


def holds(
    cond: Condition,
    outcomes: Mapping[str, Outcome],
    catalog: CriteriaSet,
    points: Decimal,
) -> tuple[bool, str]:
    """Whether ``cond`` holds, and a short reason with the figures compared."""
    if isinstance(cond, Tally):
        scope = catalog.scope(cond.among) if cond.among else frozenset(outcomes)
        applicable = [
            o for cid, o in outcomes.items() if cid in scope and o is not Outcome.NOT_APPLICABLE
        ]
        want = Outcome(cond.outcome)
        n = sum(o is want for o in applicable)
        total = len(applicable)
        share = Fraction(n, total) if total else Fraction(0)
        ok = True
        if cond.min_count is not None:
            ok &= n >= cond.min_count
        if cond.max_count is not None:
            ok &= n <= cond.max_count
        if cond.min_share is not None:
            ok &= total > 0 and share >= cond.min_share
        if cond.max_share is not None:
            ok &= share <= cond.max_share
        return ok, f"{n}/{total} {want.label_en}; needs {cond.describe().split(': ', 1)[1]}"
    if isinstance(cond, CriteriaOutcomes):
        want = Outcome(cond.outcome)
        hits = [c for c in cond.criteria if outcomes.get(c) is want]
        ok = len(hits) == len(cond.criteria) if cond.quantifier == "all" else bool(hits)
        misses = [c for c in cond.criteria if c not in hits]
        if cond.quantifier == "all":
            detail = "all are" if ok else f"not {want.label_en}: {', '.join(misses)}"
        else:
            detail = f"{', '.join(hits)} {want.label_en}" if ok else f"none {want.label_en}"
        return ok, f"{cond.describe()}: {detail}"
    if isinstance(cond, Points):
        return points >= cond.min_points, f"{points} points; needs >= {cond.min_points}"
    if isinstance(cond, AllConditions):
        reasons = []
        for sub in cond.conditions:
            ok, why = holds(sub, outcomes, catalog, points)
            reasons.append(why)
            if not ok:
                return False, why
        return True, "; ".join(reasons) or "always"
    if isinstance(cond, AnyCondition):
        reasons = []
        for sub in cond.conditions:
            ok, why = holds(sub, outcomes, catalog, points)
            if ok:
                return True, why
            reasons.append(why)
        return False, "; ".join(reasons) or "no condition"
    assert isinstance(cond, NotCondition)
    ok, why = holds(cond.condition, outcomes, catalog, points)
    return not ok, f"not ({why})"


def decide_level(
    catalog: CriteriaSet, outcomes: Mapping[str, Outcome], points: Decimal
) -> tuple[Level, tuple[LevelCheck, ...]]:
    """The first level reached, with a check (reached or why not) for each level tried."""
    vetoes = [
        c.id for c in catalog.criteria if c.mandatory and outcomes.get(c.id) is Outcome.NOT_MET
    ]
    checks: list[LevelCheck] = []
    for level in catalog.policy.levels:
        if level.honours_veto and vetoes:
            checks.append(
                LevelCheck(
                    level.id, reached=False, reason=f"vetoed: mandatory {', '.join(vetoes)} not met"
                )
            )
            continue
        ok, why = holds(level.condition, outcomes, catalog, points)
        checks.append(LevelCheck(level.id, reached=ok, reason=why))
        if ok:
            return level, tuple(checks)
    fallback = catalog.policy.fallback
    checks.append(LevelCheck(fallback.id, reached=True, reason="no higher level reached"))
    return fallback, tuple(checks)
