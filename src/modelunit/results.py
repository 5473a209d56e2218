"""Result objects of an assessment: they explain themselves and cite evidence."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

import attrs

from modelunit._checks import as_id
from modelunit._i18n import Lang
from modelunit._texts import text
from modelunit.errors import UnknownCriterionError
from modelunit.indicators import Value
from modelunit.outcomes import Outcome
from modelunit.periods import Period

__all__ = [
    "Assessment",
    "ComparedValue",
    "Counts",
    "CriterionResult",
    "Gap",
    "LevelCheck",
    "RuleTrace",
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


@attrs.frozen
class Gap:
    """A criterion standing between the unit and full recognition, and what to do."""

    criterion: str
    outcome: Outcome
    reason: str
    mandatory: bool = False
    missing: tuple[str, ...] = ()  # indicators with no usable evidence


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
        lines = [
            f"{self.unit} ({self.unit_kind}), {self.period}{as_of}: {self.catalog} {self.version}",
            text("explain.result", lang, summary=self.summary(lang)),
        ]
        lines.extend(f"  {check.render(lang)}" for check in self.level_checks)
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
        return "\n".join(lines)
