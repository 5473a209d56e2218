"""Result objects of an assessment: they explain themselves and cite evidence."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final, Literal, get_args

import attrs

from modelunit._checks import as_id
from modelunit._i18n import Lang
from modelunit._texts import text
from modelunit.errors import UnknownCriterionError
from modelunit.indicators import Value
from modelunit.outcomes import Outcome
from modelunit.periods import Period

__all__ = [
    "NEED_OPS",
    "Assessment",
    "ComparedValue",
    "Counts",
    "CriterionResult",
    "Gap",
    "LevelCheck",
    "LevelOutlook",
    "LevelPath",
    "Need",
    "NeedOp",
    "PathStep",
    "RuleTrace",
    "Suggestion",
]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class ComparedValue:
    """A value a rule read: indicator, period, and the value (None when missing)."""

    indicator: str
    period: Period
    value: Value | None


@attrs.frozen
class RuleTrace:
    """How one rule node was decided: outcome, reason, values, evidence, sub-rules.

    Combinators short-circuit, so ``children`` holds only the sub-rules that
    were needed to decide.
    """

    kind: str
    description: str
    outcome: Outcome
    reason: str
    values: tuple[ComparedValue, ...] = ()
    evidence: tuple[str, ...] = ()
    children: tuple[RuleTrace, ...] = ()
    unit: str | None = None

    def render(self, indent: int = 0, *, lang: Lang = "en") -> str:
        """The trace as an indented tree, one line per node (outcome labels in ``lang``;
        the reasons are in the language the assessment was made in)."""
        pad = "  " * indent
        who = f"[{self.unit}] " if self.unit else ""
        cite = ""
        if self.evidence and not self.children:
            cite = f" [{text('explain.evidence', lang, ids=', '.join(self.evidence))}]"
        label = self.outcome.label(lang)
        lines = [f"{pad}- {who}{self.description}: {label} ({self.reason}){cite}"]
        lines.extend(child.render(indent + 1, lang=lang) for child in self.children)
        return "\n".join(lines)


@attrs.frozen
class CriterionResult:
    """The outcome for one criterion, why, and the evidence that decided it."""

    criterion: str
    outcome: Outcome
    explanation: str
    evidence: tuple[str, ...] = ()
    mandatory: bool = False
    group: str = ""
    points: Decimal | None = None
    trace: RuleTrace | None = None


@attrs.frozen
class Counts:
    """How many criteria had each outcome."""

    met: int = 0
    not_met: int = 0
    insufficient: int = 0
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        return self.met + self.not_met + self.insufficient

    @property
    def total(self) -> int:
        return self.applicable + self.not_applicable

    def of(self, outcome: Outcome) -> int:
        return int(getattr(self, outcome.value))

    def summary(self, lang: Lang = "en") -> str:
        """``"21/22 met, 1 pending"`` style summary (``"21/22 đạt, 1 chưa đủ căn cứ"``)."""
        parts = [text("summary.met", lang, met=self.met, applicable=self.applicable)]
        if self.not_met:
            parts.append(text("summary.not_met", lang, count=self.not_met))
        if self.insufficient:
            parts.append(text("summary.pending", lang, count=self.insufficient))
        if self.not_applicable:
            parts.append(text("summary.not_applicable", lang, count=self.not_applicable))
        return ", ".join(parts)


NeedOp = Literal["<", "<=", ">", ">=", "==", "!=", "any"]
"""How a needed value must compare with its bound (``"any"``: any value, once recorded)."""

NEED_OPS: Final[tuple[NeedOp, ...]] = get_args(NeedOp)


@attrs.frozen
class Need:
    """One value a :class:`Suggestion` asks for: ``unit``'s ``indicator`` over ``period``
    must satisfy ``value op bound`` (categories compare by their declared order).

    ``current`` is what the evidence gives now (None: nothing usable); ``suggested`` a
    value that meets the need, the nearest to ``current`` (None when the need is
    ``"any"`` or relative). A *relative* need (``relation`` is ``"change"``,
    ``"relative_change"`` or ``"ratio"``) compares the value with another one that is
    still missing, ``against_indicator`` over ``against_period``, as the rule does:
    ``value - other op bound``, ``(value - other) / |other| op bound`` or
    ``value / other op bound``. ``unusable`` lists records that exist for this value but
    give none (they conflict, or their sub-periods do not cover the period). ``text``
    says it in words ("19 cases, needs at most 18: 1 fewer").
    """

    unit: str
    indicator: str
    period: Period
    op: NeedOp
    bound: Value | None
    current: Value | None = None
    suggested: Value | None = None
    relation: Literal["", "change", "relative_change", "ratio"] = ""
    against_indicator: str = ""
    against_period: Period | None = None
    unusable: tuple[str, ...] = ()
    text: str = ""


@attrs.frozen
class Suggestion:
    """A way to make a criterion met: every need in :attr:`needs` holds at once.

    Computed from the rule (:mod:`modelunit.decide`), and checked: with the suggested
    values in place of the evidence, the rule is met. ``note`` gives the distance for
    counting rules ("17 of 25 sub-units met, needs 18: 1 more; 3 unknown").
    """

    needs: tuple[Need, ...]
    text: str = ""
    note: str = ""

    @property
    def cost(self) -> int:
        """How many values it asks for."""
        return len(self.needs)


@attrs.frozen
class Gap:
    """A criterion standing between the unit and full recognition, and what to do.

    ``decide`` lists ways to make it met (the cheapest first: fewest values to record or
    change), computed from its rule; empty when no value of the evidence could.
    """

    criterion: str
    outcome: Outcome
    reason: str
    mandatory: bool = False
    missing: tuple[str, ...] = ()  # indicators with no usable evidence
    decide: tuple[Suggestion, ...] = ()


@attrs.frozen
class LevelCheck:
    """Whether one recognition level was reached, and why (not)."""

    level: str
    reached: bool
    reason: str

    def render(self, lang: Lang = "en") -> str:
        """``model: not reached (21/22 met; needs >= 100%)``: the level, whether it was
        reached (in ``lang``) and the reason (in the language of the assessment)."""
        reached = text("level.reached" if self.reached else "level.not_reached", lang)
        return f"{self.level}: {reached} ({self.reason})"


@attrs.frozen
class PathStep:
    """``count`` of the pending criteria ``among`` turn out ``outcome``."""

    outcome: Outcome
    count: int
    among: tuple[str, ...]

    def describe(self) -> str:
        return _step_text(self)


@attrs.frozen
class LevelPath:
    """The fewest pending outcomes that lead to ``level`` (the other criteria pending
    still, or as they are)."""

    level: str
    steps: tuple[PathStep, ...]

    def describe(self) -> str:
        return _path_text(self)


@attrs.frozen
class LevelOutlook:
    """The level as the policy decides it now, and whether pending criteria could still
    change it.

    Every pending criterion may turn out met or not met, or stay pending (unless a static
    check shows it can never be met, or never fail); :attr:`possible` are the levels some
    such completion reaches, best first, :attr:`best` and :attr:`worst` the ends.
    :attr:`settled` says no completion changes :attr:`level`. :attr:`deciding` are the
    pending criteria whose outcome can change the level, and :attr:`paths` the fewest
    pending outcomes that lead to each other possible level.

    Criteria are taken to turn out independently of each other. When two read the same
    evidence some combinations cannot happen, so :attr:`possible` can be wider than the
    evidence allows, never narrower: a level is never called settled when it is not.
    :attr:`exact` is False when there were too many combinations to enumerate
    (:data:`~modelunit.limits.MAX_LEVEL_SCENARIOS`) and the range was bounded instead:
    still never narrower, and then without :attr:`paths`.
    """

    level: str
    settled: bool = True
    best: str = ""
    worst: str = ""
    possible: tuple[str, ...] = ()
    deciding: tuple[str, ...] = ()
    paths: tuple[LevelPath, ...] = ()
    exact: bool = True

    def describe(self) -> str:
        """``basically_met for now; model if C22 is met; not_yet if C22 is not met``."""
        return _outlook_text(self)


@attrs.frozen
class Assessment:
    """One unit assessed against one criteria-set version for one period.

    It round-trips through :mod:`modelunit.serialization`, so an assessment can
    be stored as JSON and read back unchanged.
    """

    catalog: str
    version: str
    unit: str
    unit_kind: str
    period: Period
    as_of: datetime | None
    results: tuple[CriterionResult, ...]
    counts: Counts
    points: Decimal
    level: str
    level_title_vi: str
    level_title_en: str
    recognised: bool
    level_checks: tuple[LevelCheck, ...]
    gaps: tuple[Gap, ...]
    outlook: LevelOutlook | None = None
    #: The day whose version in force was chosen (:func:`~modelunit.assessment.assess_in_force`);
    #: None when the version was given.
    in_force_on: date | None = None

    @property
    def settled(self) -> bool:
        """Whether no pending criterion can change the level (see :attr:`outlook`)."""
        return self.outlook is None or self.outlook.settled

    def __repr__(self) -> str:  # the full record is explain(), to_records() or JSON
        of = f"{self.unit} {self.period} ({self.catalog} {self.version})"
        return f"<Assessment {of}: {self.summary()}>"

    def _repr_html_(self) -> str:
        from modelunit import display  # noqa: PLC0415 - the notebook view, on demand

        return display.html(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per criterion (:func:`modelunit.frames.assessment_records`)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.assessment_records(self)

    def to_pandas(self) -> Any:
        """:meth:`to_records` as a pandas DataFrame (extra ``pandas``)."""
        from modelunit import frames  # noqa: PLC0415 - on demand

        return frames.to_pandas(self)

    def result(self, criterion: str) -> CriterionResult:
        """The result for one criterion (:class:`~modelunit.errors.UnknownCriterionError`,
        a ``KeyError``, if the set has no such criterion)."""
        wanted = as_id(criterion)
        for r in self.results:
            if r.criterion == wanted:
                return r
        raise UnknownCriterionError(criterion, (r.criterion for r in self.results))

    def by_outcome(self, outcome: Outcome) -> tuple[str, ...]:
        return tuple(r.criterion for r in self.results if r.outcome is outcome)

    def level_title(self, lang: Lang = "en") -> str:
        """The title of the level reached in ``lang``, else the other language, else its id."""
        first, second = (
            (self.level_title_vi, self.level_title_en)
            if lang == "vi"
            else (self.level_title_en, self.level_title_vi)
        )
        return first or second or self.level

    def summary(self, lang: Lang = "en") -> str:
        """One line: counts and level, e.g. ``21/22 met, 1 pending: basically met``
        (``21/22 đạt, 1 chưa đủ căn cứ: Cơ bản đạt`` in Vietnamese)."""
        title = self.level_title_vi if lang == "vi" else self.level_title_en
        return f"{self.counts.summary(lang)}: {title or self.level}"

    def explain(self, *, max_evidence: int = 8, lang: Lang = "en") -> str:
        """A multi-line, human-readable account of every criterion and the level.

        Each criterion cites its evidence ids; beyond ``max_evidence`` of them
        (a criterion over many sub-units) the rest are counted, not listed.
        The full list is always in :attr:`CriterionResult.evidence`. The frame (labels,
        "Result", "mandatory") is written in ``lang``; the reasons are in the language
        the assessment was made in (``assess(..., lang=...)``).
        """
        as_of = ""
        if self.as_of is not None:
            shown = (
                self.as_of.date().isoformat()
                if self.as_of.time() == time.max
                else self.as_of.isoformat(sep=" ")
            )
            as_of = f" {text('explain.as_of', lang, moment=shown)}"
        in_force = (
            f" ({text('explain.in_force', lang, date=self.in_force_on)})"
            if self.in_force_on is not None
            else ""
        )
        lines = [
            f"{self.unit} ({self.unit_kind}), {self.period}{as_of}: {self.catalog} "
            f"{self.version}{in_force}",
            text("explain.result", lang, summary=self.summary(lang)),
        ]
        lines.extend(f"  {check.render(lang)}" for check in self.level_checks)
        if self.outlook is not None and not self.outlook.settled:
            lines.append(f"  {_outlook_line(self.outlook, lang)}")
        gaps = {g.criterion: g for g in self.gaps}
        mandatory = f" ({text('explain.mandatory', lang)})"
        for r in self.results:
            cite = ""
            if r.evidence:
                listed = ", ".join(r.evidence[:max_evidence])
                more = len(r.evidence) - max_evidence
                if more > 0:
                    listed = text("explain.more", lang, ids=listed, count=more)
                cite = f" [{text('explain.evidence', lang, ids=listed)}]"
            flag = mandatory if r.mandatory else ""
            lines.append(f"{r.criterion}{flag}: {r.outcome.label(lang)}: {r.explanation}{cite}")
            gap = gaps.get(r.criterion)
            if gap is not None and gap.decide:
                lines.extend(f"  {_way_line(i, way, lang)}" for i, way in enumerate(gap.decide))
        return "\n".join(lines)


# -- texts (one place, ready for the table of texts) ------------------------------------


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else "".join(ids)


def _step_text(step: PathStep) -> str:
    outcome = step.outcome.label_en
    if len(step.among) == 1:
        return f"{step.among[0]} is {outcome}"
    if step.count == len(step.among):
        return f"{_ids(step.among)} are {outcome}"
    return f"{step.count} of {', '.join(step.among)} are {outcome}"


def _path_text(path: LevelPath) -> str:
    return f"{path.level} if {' and '.join(s.describe() for s in path.steps)}"


def _outlook_text(outlook: LevelOutlook) -> str:
    if outlook.settled:
        return f"{outlook.level} (settled)"
    parts = [f"{outlook.level} for now"]
    if outlook.paths:
        parts.extend(p.describe() for p in outlook.paths)
    else:
        parts.append(
            f"between {outlook.best} and {outlook.worst} once {_ids(outlook.deciding)} are decided"
        )
    return "; ".join(parts)


def _outlook_line(outlook: LevelOutlook, lang: Lang = "en") -> str:
    return f"{text('explain.not_settled', lang)}: {outlook.describe()}"


def _way_line(index: int, way: Suggestion, lang: Lang = "en") -> str:
    lead = text("explain.would_be_met" if index == 0 else "explain.or_with", lang)
    note = f" ({way.note})" if way.note else ""
    return f"{lead}: {way.text}{note}"
