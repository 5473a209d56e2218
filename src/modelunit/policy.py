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

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Final, Literal, assert_never, get_args

import attrs

from modelunit._checks import as_id, as_ids, one_of
from modelunit._i18n import Lang, Titled
from modelunit._numbers import ceil_share, exact_arithmetic, finite_problem, format_share
from modelunit._texts import text
from modelunit.errors import Problem
from modelunit.limits import MAX_LEVEL_SCENARIOS
from modelunit.outcomes import Outcome
from modelunit.results import LevelCheck, LevelOutlook, LevelPath, PathStep

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
    "level_outlook",
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

    def accepted(self, total: int) -> tuple[int, int] | None:
        """The counts ``n`` (of ``total`` applicable criteria in scope) for which every
        bound holds, as an inclusive range ``(low, high)``; None when there are none.

        The one statement of what the bounds mean: evaluation (:func:`holds`) and the
        level outlook (:func:`level_outlook`) both read it.
        """
        low, high = 0, total
        if self.min_count is not None:
            low = max(low, self.min_count)
        if self.max_count is not None:
            high = min(high, self.max_count)
        if self.min_share is not None:
            if total == 0:
                return None  # a share of nothing reaches no minimum
            low = max(low, ceil_share(self.min_share, total))
        if self.max_share is not None:
            # n / total <= share, exactly; with no criteria the share is 0.
            if total > 0:
                high = min(high, self.max_share.numerator * total // self.max_share.denominator)
            elif self.max_share < 0:
                return None
        return (low, high) if low <= high else None

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
    level counts as recognition (for planning and reporting). Every level of a policy
    needs a condition; the fallback, reached when no level is, needs none.
    """

    id: str = attrs.field(converter=as_id)
    condition: Condition | None = None
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
    fallback: Level = Level("not_yet", title_vi="chưa đạt", title_en="not yet met")


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
        if level.condition is None:
            if i < len(policy.levels):
                found.append(
                    Problem(
                        f"{base}.condition",
                        "required field missing (only the fallback may leave it out)",
                        record=level.id,
                    )
                )
            continue
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
        case Points():
            problem = finite_problem(cond.min_points)
            return [] if problem is None else [("min_points", problem)]
        case AllConditions() | AnyCondition() | NotCondition():
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
            accepted = cond.accepted(total)
            ok = accepted is not None and accepted[0] <= n <= accepted[1]
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
        ok, why = holds(_condition(level), outcomes, points=points, groups=groups, lang=lang)
        checks.append(LevelCheck(level.id, reached=ok, reason=why))
        if ok:
            return level, tuple(checks)
    fallback = policy.fallback
    checks.append(LevelCheck(fallback.id, reached=True, reason=text("level.fallback", lang)))
    return fallback, tuple(checks)


def _condition(level: Level) -> Condition:
    # Validation gives every level of a policy a condition; only the fallback has none.
    assert level.condition is not None, level.id
    return level.condition


# -- what pending criteria could still change ----------------------------------------------
#
# Every pending criterion may turn out met or not met, or stay pending. Criteria that
# every condition sees alike (the same tally scopes, named by the same conditions, the
# same veto and points, the same possible outcomes) are interchangeable: only how many
# of them turn out each way matters. So the outlook enumerates, per class of such
# criteria, how many are met and how many not met, and evaluates the policy on counts.
# Past MAX_LEVEL_SCENARIOS combinations it evaluates the policy once over ranges of
# counts, in three-valued logic: that range of levels is never narrower than the exact.

_MET, _FAILED, _PENDING = 0, 1, 2  # which count of a class a node reads

_Split = tuple[int, int]  # (met, not met) among a class's members; the rest stay pending


@attrs.frozen
class _Class:
    members: tuple[str, ...]
    can_meet: bool
    can_fail: bool

    def splits(self) -> list[_Split]:
        n = len(self.members)
        return [
            (met, failed)
            for met in range(n + 1 if self.can_meet else 1)
            for failed in range(n - met + 1 if self.can_fail else 1)
        ]

    def count(self, split: _Split, which: int) -> int:
        if which == _PENDING:
            return len(self.members) - split[0] - split[1]
        return split[which]

    def span(self, which: int) -> tuple[int, int]:
        """The least and most members that can have that outcome."""
        n = len(self.members)
        if which == _MET:
            return 0, n if self.can_meet else 0
        if which == _FAILED:
            return 0, n if self.can_fail else 0
        return (0 if self.can_meet or self.can_fail else n), n


_WHICH = {Outcome.MET: _MET, Outcome.NOT_MET: _FAILED, Outcome.INSUFFICIENT: _PENDING}

_Tri = bool | None  # three-valued: True, False, or None for "either"


class _Counted:
    """A policy compiled to work on the counts of each class of pending criteria."""

    def __init__(
        self,
        policy: RecognitionPolicy,
        outcomes: Mapping[str, Outcome],
        *,
        points: Mapping[str, Decimal],
        groups: Mapping[str, frozenset[str]],
        mandatory: Collection[str],
        possible: Mapping[str, frozenset[Outcome]],
    ) -> None:
        self.policy = policy
        self.outcomes = outcomes
        self.points = points
        self.groups = groups
        pending = [c for c, o in outcomes.items() if o is Outcome.INSUFFICIENT]
        self.tallies: list[Tally] = []
        self.named: list[CriteriaOutcomes] = []
        uses_points = False
        for level in policy.levels:
            stack = [_condition(level)]
            while stack:
                cond = stack.pop()
                if isinstance(cond, Tally):
                    self.tallies.append(cond)
                elif isinstance(cond, CriteriaOutcomes):
                    self.named.append(cond)
                elif isinstance(cond, Points):
                    uses_points = True
                elif isinstance(cond, AllConditions | AnyCondition):
                    stack.extend(cond.conditions)
                elif isinstance(cond, NotCondition):
                    stack.append(cond.condition)
        everyone = frozenset(outcomes)
        self.scopes = [_scope(t.among, groups) if t.among else everyone for t in self.tallies]
        vetoes = frozenset(mandatory)
        by_signature: dict[tuple[object, ...], list[str]] = {}
        for cid in pending:
            can = possible.get(cid, frozenset(Outcome))
            signature = (
                tuple(cid in s for s in self.scopes),
                tuple(cid in n.criteria for n in self.named),
                cid in vetoes,
                points.get(cid, Decimal(0)) if uses_points else Decimal(0),
                Outcome.MET in can,
                Outcome.NOT_MET in can,
            )
            by_signature.setdefault(signature, []).append(cid)
        self.classes = [
            _Class(tuple(ids), bool(sig[4]), bool(sig[5])) for sig, ids in by_signature.items()
        ]
        pending_set = frozenset(pending)
        self.in_scope = [
            [i for i, c in enumerate(self.classes) if c.members[0] in s] for s in self.scopes
        ]
        self.decided = [
            [o for cid, o in outcomes.items() if cid in s and cid not in pending_set]
            for s in self.scopes
        ]
        self.in_named = [
            [i for i, c in enumerate(self.classes) if c.members[0] in n.criteria]
            for n in self.named
        ]
        self.point_of = [points.get(c.members[0], Decimal(0)) for c in self.classes]
        with exact_arithmetic():
            self.base_points = sum(
                (p for cid, p in points.items() if outcomes.get(cid) is Outcome.MET), Decimal(0)
            )
        self.vetoed = any(outcomes.get(cid) is Outcome.NOT_MET for cid in mandatory)
        self.veto_classes = [i for i, c in enumerate(self.classes) if c.members[0] in vetoes]
        # Per tally, what no combination changes: the outcome counted, how many decided
        # criteria in scope have it, how many are in scope, and the counts accepted.
        self.tally_at = {id(t): k for k, t in enumerate(self.tallies)}
        self.named_at = {id(n): k for k, n in enumerate(self.named)}
        self.which = [_WHICH[Outcome(t.outcome)] for t in self.tallies]
        self.base = [
            sum(o is Outcome(t.outcome) for o in self.decided[k])
            for k, t in enumerate(self.tallies)
        ]
        self.accepted = [
            t.accepted(
                sum(o is not Outcome.NOT_APPLICABLE for o in self.decided[k])
                + sum(len(self.classes[i].members) for i in self.in_scope[k])
            )
            for k, t in enumerate(self.tallies)
        ]
        self.named_decided = [
            [outcomes.get(c) for c in n.criteria if c not in pending_set] for n in self.named
        ]

    # -- one combination of outcomes --------------------------------------------------
    def level(self, splits: tuple[_Split, ...]) -> int:
        """Index of the level reached (the fallback is ``len(policy.levels)``)."""
        vetoed = self.vetoed or any(splits[i][1] for i in self.veto_classes)
        for i, level in enumerate(self.policy.levels):
            if level.honours_veto and vetoed:
                continue
            if self._holds(_condition(level), splits):
                return i
        return len(self.policy.levels)

    def _holds(self, cond: Condition, splits: tuple[_Split, ...]) -> bool:
        match cond:
            case Tally():
                k = self.tally_at[id(cond)]
                accepted = self.accepted[k]
                if accepted is None:
                    return False
                which = self.which[k]
                n = self.base[k] + sum(
                    self.classes[i].count(splits[i], which) for i in self.in_scope[k]
                )
                return accepted[0] <= n <= accepted[1]
            case CriteriaOutcomes():
                k = self.named_at[id(cond)]
                want = Outcome(cond.outcome)
                which = _WHICH[want]
                classes = self.in_named[k]
                decided = self.named_decided[k]
                if cond.quantifier == "all":
                    return all(o is want for o in decided) and all(
                        self.classes[i].count(splits[i], which) == len(self.classes[i].members)
                        for i in classes
                    )
                return any(o is want for o in decided) or any(
                    self.classes[i].count(splits[i], which) > 0 for i in classes
                )
            case Points():
                with exact_arithmetic():
                    total_points = self.base_points + sum(
                        (self.point_of[i] * s[0] for i, s in enumerate(splits)), Decimal(0)
                    )
                return total_points >= cond.min_points
            case AllConditions():
                return all(self._holds(c, splits) for c in cond.conditions)
            case AnyCondition():
                return any(self._holds(c, splits) for c in cond.conditions)
            case NotCondition():
                return not self._holds(cond.condition, splits)
            case _:
                assert_never(cond)

    # -- every combination at once, over ranges ----------------------------------------
    def bounded(self) -> list[int]:
        """Indices of the levels some combination may reach (never too few)."""
        if self.vetoed:
            veto: _Tri = True
        elif any(self.classes[i].can_fail for i in self.veto_classes):
            veto = None
        else:
            veto = False
        found: list[int] = []
        for i, level in enumerate(self.policy.levels):
            reach = self._range(_condition(level))
            if level.honours_veto:
                reach = _and(reach, _not(veto))
            if reach is not False:
                found.append(i)
            if reach is True:
                return found
        return [*found, len(self.policy.levels)]

    def _range(self, cond: Condition) -> _Tri:
        match cond:
            case Tally():
                k = self.tally_at[id(cond)]
                which = self.which[k]
                low = self.base[k] + sum(self.classes[i].span(which)[0] for i in self.in_scope[k])
                high = self.base[k] + sum(self.classes[i].span(which)[1] for i in self.in_scope[k])
                accepted = self.accepted[k]
                if accepted is None or high < accepted[0] or low > accepted[1]:
                    return False
                return True if accepted[0] <= low and high <= accepted[1] else None
            case CriteriaOutcomes():
                k = self.named_at[id(cond)]
                want = Outcome(cond.outcome)
                which = _WHICH[want]
                classes = [self.classes[i] for i in self.in_named[k]]
                decided = self.named_decided[k]
                if cond.quantifier == "all":
                    if any(o is not want for o in decided) or any(
                        c.span(which)[1] < len(c.members) for c in classes
                    ):
                        return False
                    forced = all(c.span(which)[0] == len(c.members) for c in classes)
                    return True if forced else None
                if any(o is want for o in decided) or any(c.span(which)[0] > 0 for c in classes):
                    return True
                return False if all(c.span(which)[1] == 0 for c in classes) else None
            case Points():
                with exact_arithmetic():
                    pairs = zip(self.point_of, self.classes, strict=True)
                    most = self.base_points + sum(
                        (p * c.span(_MET)[1] for p, c in pairs), Decimal(0)
                    )
                if self.base_points >= cond.min_points:
                    return True
                return None if most >= cond.min_points else False
            case AllConditions():
                result: _Tri = True
                for c in cond.conditions:
                    result = _and(result, self._range(c))
                return result
            case AnyCondition():
                result = False
                for c in cond.conditions:
                    result = _or(result, self._range(c))
                return result
            case NotCondition():
                return _not(self._range(cond.condition))
            case _:
                assert_never(cond)


def _and(a: _Tri, b: _Tri) -> _Tri:
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def _or(a: _Tri, b: _Tri) -> _Tri:
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def _not(a: _Tri) -> _Tri:
    return None if a is None else not a


def level_outlook(
    policy: RecognitionPolicy,
    outcomes: Mapping[str, Outcome],
    *,
    points: Mapping[str, Decimal] | None = None,
    groups: Mapping[str, frozenset[str]] | None = None,
    mandatory: Collection[str] = (),
    possible: Mapping[str, frozenset[Outcome]] | None = None,
    limit: int = MAX_LEVEL_SCENARIOS,
) -> LevelOutlook:
    """The level ``policy`` gives ``outcomes`` now, and what the pending ones could make it.

    ``points`` maps criterion ids to their points (for ``points`` conditions);
    ``possible`` narrows the outcomes a pending criterion can still take (from
    :func:`modelunit.lint.possible_outcomes`: a rule that can never fail is never
    assumed to). Up to ``limit`` combinations are enumerated exactly; past it the range
    is bounded (see :class:`~modelunit.results.LevelOutlook`).

    >>> from modelunit.outcomes import Outcome
    >>> policy = RecognitionPolicy((
    ...     Level("model", Tally("met", min_share=Fraction(1))),
    ...     Level("basically_met", AllConditions((
    ...         Tally("met", min_count=2), Tally("not_met", max_count=0)))),
    ... ))
    >>> outlook = level_outlook(
    ...     policy, {"C1": Outcome.MET, "C2": Outcome.MET, "C3": Outcome.INSUFFICIENT})
    >>> outlook.settled, outlook.best, outlook.worst
    (False, 'model', 'not_yet')
    >>> outlook.describe()
    'basically_met for now; model if C3 is met; not_yet if C3 is not met'
    """
    if Outcome.INSUFFICIENT not in outcomes.values():
        # Nothing pending: the level is settled, and deciding it is all there is to do.
        level, _ = decide_level(
            policy,
            outcomes,
            points=points_of(outcomes, points or {}),
            groups=groups,
            mandatory=mandatory,
        )
        return LevelOutlook(level.id, best=level.id, worst=level.id, possible=(level.id,))
    model = _Counted(
        policy,
        outcomes,
        points=points or {},
        groups=groups or {},
        mandatory=mandatory,
        possible=possible or {},
    )
    ids = [lv.id for lv in policy.levels] + [policy.fallback.id]
    none: tuple[_Split, ...] = tuple((0, 0) for _ in model.classes)
    now = model.level(none)
    choices = [c.splits() for c in model.classes]
    combinations = 1
    for options in choices:
        combinations *= len(options)
        if combinations > limit:
            reachable = sorted(set(model.bounded()) | {now})
            deciding = tuple(m for c in model.classes for m in c.members)
            return _outlook(ids, now, reachable, deciding, (), exact=False, order=outcomes)
    reached: dict[tuple[_Split, ...], int] = {
        splits: model.level(splits) for splits in itertools.product(*choices)
    }
    reachable = sorted(set(reached.values()))
    deciding_classes = [i for i in range(len(model.classes)) if _matters(reached, i)]
    deciding = tuple(m for i in deciding_classes for m in model.classes[i].members)
    paths = []
    for target in reachable:
        if target == now:
            continue
        cheapest = min(
            (s for s, lv in reached.items() if lv == target),
            key=lambda s: (sum(a + b for a, b in s), sum(b for _, b in s), s),
        )
        paths.append(LevelPath(ids[target], _steps(model.classes, cheapest, outcomes)))
    return _outlook(ids, now, reachable, deciding, tuple(paths), exact=True, order=outcomes)


def _steps(
    classes: Sequence[_Class], splits: tuple[_Split, ...], order: Mapping[str, Outcome]
) -> tuple[PathStep, ...]:
    """The outcomes of a combination, as steps: whole classes that turn out alike are one
    step ("C01, C06 and C07 are met"), in catalog order; part of a class, a count of it."""
    rank = {cid: i for i, cid in enumerate(order)}
    whole: dict[Outcome, list[str]] = {Outcome.MET: [], Outcome.NOT_MET: []}
    partial: list[PathStep] = []
    for cls, (met, failed) in zip(classes, splits, strict=True):
        for outcome, count in ((Outcome.MET, met), (Outcome.NOT_MET, failed)):
            if count == len(cls.members):
                whole[outcome].extend(cls.members)
            elif count:
                partial.append(PathStep(outcome, count, cls.members))
    steps = [
        PathStep(outcome, len(ids), tuple(sorted(ids, key=rank.__getitem__)))
        for outcome, ids in whole.items()
        if ids
    ]
    return (*partial, *steps)


def _matters(reached: Mapping[tuple[_Split, ...], int], i: int) -> bool:
    """Whether class ``i``'s outcomes change the level for some outcomes of the others."""
    seen: dict[tuple[_Split, ...], int] = {}
    for splits, level in reached.items():
        rest = splits[:i] + splits[i + 1 :]
        if seen.setdefault(rest, level) != level:
            return True
    return False


def _outlook(
    ids: list[str],
    now: int,
    reachable: list[int],
    deciding: tuple[str, ...],
    paths: tuple[LevelPath, ...],
    *,
    exact: bool,
    order: Mapping[str, Outcome],
) -> LevelOutlook:
    rank = {cid: i for i, cid in enumerate(order)}
    return LevelOutlook(
        level=ids[now],
        settled=reachable == [now],
        best=ids[reachable[0]],
        worst=ids[reachable[-1]],
        possible=tuple(ids[i] for i in reachable),
        deciding=tuple(sorted(deciding, key=rank.__getitem__)),
        paths=paths,
        exact=exact,
    )
