"""Recognition policies: levels reached from per-criterion outcomes.

A :class:`RecognitionPolicy` is an ordered list of :class:`Level` s, best first, each
reached when its condition holds over the outcomes of a criteria set's criteria.
Conditions are written over outcome counts or shares (:class:`Tally`), named criteria
(:class:`CriteriaOutcomes`), points (:class:`Points`), and combine with
:class:`AllConditions`, :class:`AnyCondition` and :class:`NotCondition`:

>>> from fractions import Fraction
>>> from modelunit.outcomes import Outcome
>>> from modelunit.policy import AllConditions, Level, RecognitionPolicy, Tally, decide_level
>>> policy = RecognitionPolicy((
...     Level("model", Tally("met", min_share=Fraction(1)), title_en="model unit"),
...     Level(
...         "basically_met",
...         AllConditions((Tally("met", min_count=2), Tally("not_met", max_count=0))),
...         title_en="basically met",
...     ),
... ))
>>> outcomes = {"C1": Outcome.MET, "C2": Outcome.MET, "C3": Outcome.INSUFFICIENT}
>>> level, checks = decide_level(policy, outcomes)
>>> level.id, [(c.level, c.reached) for c in checks]
('basically_met', [('model', False), ('basically_met', True)])

This module holds the policy language, its validation (:func:`policy_problems`) and
its evaluation (:func:`holds`, :func:`decide_level`) together. The set of condition
kinds is declared once, by the :data:`Condition` union.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Final, Literal, assert_never, get_args

import attrs

from modelunit._checks import as_id, as_ids, one_of
from modelunit._i18n import Lang, Titled
from modelunit._numbers import exact_arithmetic, format_share
from modelunit._texts import text
from modelunit.errors import Problem
from modelunit.outcomes import Outcome
from modelunit.results import LevelCheck

__all__ = [
    "CONDITION_TYPES",
    "OUTCOME_NAMES",
    "AllConditions",
    "AnyCondition",
    "Condition",
    "CriteriaOutcomes",
    "Level",
    "NotCondition",
    "OutcomeName",
    "Points",
    "RecognitionPolicy",
    "Tally",
    "decide_level",
    "holds",
    "policy_problems",
]


def __dir__() -> list[str]:
    return __all__


OutcomeName = Literal["met", "not_met", "insufficient"]
"""The outcomes a condition can count (not applicable criteria are never counted)."""

OUTCOME_NAMES: Final[tuple[OutcomeName, ...]] = get_args(OutcomeName)


@attrs.frozen
class Tally:
    """Bounds on how many criteria (in scope) have an outcome.

    Counts and shares are over the *applicable* criteria in scope: ``among``
    lists criterion or group ids (empty: every criterion). Every bound given
    must hold; bounds are inclusive. Shares compare exactly.
    """

    kind: ClassVar[str] = "tally"
    outcome: OutcomeName = attrs.field(validator=one_of(OUTCOME_NAMES))
    min_count: int | None = None
    max_count: int | None = None
    min_share: Fraction | None = None
    max_share: Fraction | None = None
    among: tuple[str, ...] = attrs.field(default=(), converter=as_ids)

    def describe(self, lang: Lang = "en") -> str:
        return text(
            "condition.tally",
            lang,
            outcome=Outcome(self.outcome).label(lang),
            scope=self._scope(lang),
            bounds=self._bounds(lang),
        )

    def _scope(self, lang: Lang = "en") -> str:
        return text("condition.among", lang, ids=", ".join(self.among)) if self.among else ""

    def _bounds(self, lang: Lang = "en") -> str:
        bounds = []
        if self.min_count is not None:
            bounds.append(f">= {self.min_count}")
        if self.max_count is not None:
            bounds.append(f"<= {self.max_count}")
        if self.min_share is not None:
            bounds.append(f">= {format_share(self.min_share)}")
        if self.max_share is not None:
            bounds.append(f"<= {format_share(self.max_share)}")
        joiner = f" {text('word.and', lang)} "
        return joiner.join(bounds) or text("condition.any_number", lang)


@attrs.frozen
class CriteriaOutcomes:
    """Named criteria have an outcome: ``all`` of them, or ``any`` of them."""

    kind: ClassVar[str] = "criteria"
    criteria: tuple[str, ...] = attrs.field(converter=as_ids)
    outcome: OutcomeName = attrs.field(default="met", validator=one_of(OUTCOME_NAMES))
    quantifier: Literal["all", "any"] = attrs.field(default="all", validator=one_of(("all", "any")))

    def describe(self, lang: Lang = "en") -> str:
        quantifier = (
            "condition.quantifier_all" if self.quantifier == "all" else "condition.quantifier_any"
        )
        return text(
            "condition.criteria",
            lang,
            quantifier=text(quantifier, lang),
            criteria=", ".join(self.criteria),
            outcome=Outcome(self.outcome).label(lang),
        )


@attrs.frozen
class Points:
    """The points of met criteria add up to at least ``min_points``."""

    kind: ClassVar[str] = "points"
    min_points: Decimal

    def describe(self, lang: Lang = "en") -> str:
        return text("condition.points", lang, points=self.min_points)


@attrs.frozen
class AllConditions:
    """Every condition holds."""

    kind: ClassVar[str] = "all"
    conditions: tuple[Condition, ...]

    def describe(self, lang: Lang = "en") -> str:
        joiner = f" {text('word.and', lang)} "
        return joiner.join(f"({c.describe(lang)})" for c in self.conditions)


@attrs.frozen
class AnyCondition:
    """At least one condition holds."""

    kind: ClassVar[str] = "any"
    conditions: tuple[Condition, ...]

    def describe(self, lang: Lang = "en") -> str:
        joiner = f" {text('word.or', lang)} "
        return joiner.join(f"({c.describe(lang)})" for c in self.conditions)


@attrs.frozen
class NotCondition:
    """The condition does not hold."""

    kind: ClassVar[str] = "not"
    condition: Condition

    def describe(self, lang: Lang = "en") -> str:
        return text("condition.not", lang, condition=self.condition.describe(lang))


Condition = Tally | CriteriaOutcomes | Points | AllConditions | AnyCondition | NotCondition
"""A recognition-policy condition: the one declaration of the set of condition kinds."""

CONDITION_TYPES: Final[tuple[type[Condition], ...]] = get_args(Condition)
"""Every condition class, in declaration order (derived from :data:`Condition`)."""


@attrs.frozen
class Level(Titled):
    """A recognition level, reached when its ``condition`` holds.

    ``honours_veto`` (the default) makes the level unreachable when a
    mandatory criterion is not met. ``recognised`` says whether reaching the
    level counts as recognition (for planning and reporting).
    """

    id: str = attrs.field(converter=as_id)
    condition: Condition
    title_vi: str = ""
    title_en: str = ""
    recognised: bool = False
    honours_veto: bool = True


@attrs.frozen
class RecognitionPolicy:
    """Ordered levels, best first; the first whose condition holds is the result.

    When none holds, the unit is at ``fallback`` ("not yet met").
    """

    levels: tuple[Level, ...]
    fallback: Level = Level(
        "not_yet", AllConditions(()), title_vi="chưa đạt", title_en="not yet met"
    )


# -- validation --------------------------------------------------------------------------


def policy_problems(
    policy: RecognitionPolicy, criteria: Collection[str], groups: Collection[str] = ()
) -> list[Problem]:
    """Every inconsistency in ``policy``: ``criteria`` are the criterion ids it may name,
    ``groups`` the group ids (a tally's ``among`` may name either; a ``criteria``
    condition names criteria). Paths are relative to the criteria set
    (``policy.levels[0].condition...``), in document order."""
    found: list[Problem] = []
    levels = [*policy.levels, policy.fallback]
    for i, level in enumerate(levels):
        base = f"policy.levels[{i}]" if i < len(policy.levels) else "policy.fallback"
        stack: list[tuple[str, Condition]] = [(f"{base}.condition", level.condition)]
        while stack:
            path, cond = stack.pop()
            for field, message in _condition_problems(cond, criteria, groups):
                found.append(Problem(f"{path}.{field}", message, record=level.id))
            if isinstance(cond, AllConditions | AnyCondition):
                subs = [(f"{path}.conditions[{j}]", c) for j, c in enumerate(cond.conditions)]
                stack.extend(reversed(subs))  # popped in document order
            elif isinstance(cond, NotCondition):
                stack.append((f"{path}.condition", cond.condition))
    return found


def _condition_problems(
    cond: Condition, criteria: Collection[str], groups: Collection[str]
) -> list[tuple[str, str]]:
    """(field, message) for one condition node (not its sub-conditions)."""
    match cond:
        case Tally():
            found = [
                ("among", f"unknown criterion or group {n!r}")
                for n in cond.among
                if n not in criteria and n not in groups
            ]
            for field in ("min_count", "max_count"):
                count = getattr(cond, field)
                if count is not None and count < 0:
                    found.append((field, f"cannot be negative: {count}"))
            for field in ("min_share", "max_share"):
                share = getattr(cond, field)
                if share is not None and not 0 <= share <= 1:
                    found.append((field, f"a share lies in 0..1; got {share}"))
            return found
        case CriteriaOutcomes():
            found = [] if cond.criteria else [("criteria", "name at least one criterion")]
            for n in cond.criteria:
                if n in groups and n not in criteria:
                    found.append(
                        (
                            "criteria",
                            f"{n!r} is a group; name its criteria, or use a tally "
                            "with among = [group]",
                        )
                    )
                elif n not in criteria:
                    found.append(("criteria", f"unknown criterion {n!r}"))
            return found
        case Points() | AllConditions() | AnyCondition() | NotCondition():
            return []
        case _:
            assert_never(cond)


# -- evaluation --------------------------------------------------------------------------


def _scope(among: Iterable[str], groups: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Criterion ids named by ``among`` (criterion ids, or group ids for all their criteria)."""
    ids: set[str] = set()
    for name in among:
        ids.update(groups.get(name, (name,)))
    return frozenset(ids)


def holds(
    cond: Condition,
    outcomes: Mapping[str, Outcome],
    *,
    points: Decimal = Decimal(0),
    groups: Mapping[str, frozenset[str]] | None = None,
    lang: Lang = "en",
) -> tuple[bool, str]:
    """Whether ``cond`` holds over ``outcomes`` (criterion id -> outcome), and a short
    reason with the figures compared (in ``lang``). ``groups`` maps group ids to their
    criteria, for ``among``; ``points`` are the points of the met criteria."""
    groups = groups or {}
    match cond:
        case Tally():
            scope = _scope(cond.among, groups) if cond.among else frozenset(outcomes)
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
            reason = text(
                "level.tally",
                lang,
                count=n,
                total=total,
                outcome=want.label(lang),
                bounds=cond._bounds(lang),
            )
            return ok, reason
        case CriteriaOutcomes():
            want = Outcome(cond.outcome)
            hits = [c for c in cond.criteria if outcomes.get(c) is want]
            ok = len(hits) == len(cond.criteria) if cond.quantifier == "all" else bool(hits)
            misses = [c for c in cond.criteria if c not in hits]
            label = want.label(lang)
            if cond.quantifier == "all":
                detail = (
                    text("level.all_are", lang)
                    if ok
                    else text("level.not_all", lang, outcome=label, criteria=", ".join(misses))
                )
            else:
                detail = (
                    f"{', '.join(hits)} {label}" if ok else text("level.none", lang, outcome=label)
                )
            return ok, f"{cond.describe(lang)}: {detail}"
        case Points():
            reason = text("level.points", lang, points=points, needed=cond.min_points)
            return points >= cond.min_points, reason
        case AllConditions():
            reasons = []
            for sub in cond.conditions:
                ok, why = holds(sub, outcomes, points=points, groups=groups, lang=lang)
                reasons.append(why)
                if not ok:
                    return False, why
            return True, "; ".join(reasons) or text("level.always", lang)
        case AnyCondition():
            reasons = []
            for sub in cond.conditions:
                ok, why = holds(sub, outcomes, points=points, groups=groups, lang=lang)
                if ok:
                    return True, why
                reasons.append(why)
            return False, "; ".join(reasons) or text("level.no_condition", lang)
        case NotCondition():
            ok, why = holds(cond.condition, outcomes, points=points, groups=groups, lang=lang)
            return not ok, text("condition.not", lang, condition=why)
        case _:
            assert_never(cond)


def points_of(outcomes: Mapping[str, Outcome], points: Mapping[str, Decimal]) -> Decimal:
    """The points of the met criteria (``points``: criterion id -> its points), exactly."""
    with exact_arithmetic():
        return sum((p for cid, p in points.items() if outcomes.get(cid) is Outcome.MET), Decimal(0))


def decide_level(
    policy: RecognitionPolicy,
    outcomes: Mapping[str, Outcome],
    *,
    points: Decimal = Decimal(0),
    groups: Mapping[str, frozenset[str]] | None = None,
    mandatory: Collection[str] = (),
    lang: Lang = "en",
) -> tuple[Level, tuple[LevelCheck, ...]]:
    """The first level reached, with a check (reached or why not) for each level tried,
    its reason written in ``lang``.

    ``mandatory`` are the ids of the criteria whose failure vetoes every level that
    honours vetoes.
    """
    vetoes = [cid for cid in mandatory if outcomes.get(cid) is Outcome.NOT_MET]
    checks: list[LevelCheck] = []
    for level in policy.levels:
        if level.honours_veto and vetoes:
            reason = text("level.vetoed", lang, criteria=", ".join(vetoes))
            checks.append(LevelCheck(level.id, reached=False, reason=reason))
            continue
        ok, why = holds(level.condition, outcomes, points=points, groups=groups, lang=lang)
        checks.append(LevelCheck(level.id, reached=ok, reason=why))
        if ok:
            return level, tuple(checks)
    fallback = policy.fallback
    checks.append(LevelCheck(fallback.id, reached=True, reason=text("level.fallback", lang)))
    return fallback, tuple(checks)
