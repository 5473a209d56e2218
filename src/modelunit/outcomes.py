"""The four outcomes of a criterion and the three-valued (Kleene) logic over them.

``MET`` and ``NOT_MET`` are decided outcomes. ``INSUFFICIENT`` means the evidence
needed to decide is missing: it is *unknown*, never silently a failure or a
success. ``NOT_APPLICABLE`` means the criterion does not apply to the unit (for
example a ward-only criterion assessed for a commune).

Combinators follow strong Kleene logic over {NOT_MET < INSUFFICIENT < MET}:
*and* is the minimum, *or* the maximum, *not* swaps MET and NOT_MET.

>>> from modelunit.outcomes import Outcome, kleene_and, kleene_or, kleene_not
>>> kleene_and([Outcome.MET, Outcome.INSUFFICIENT])
<Outcome.INSUFFICIENT: 'insufficient'>
>>> kleene_and([Outcome.NOT_MET, Outcome.INSUFFICIENT])   # decided despite the unknown
<Outcome.NOT_MET: 'not_met'>
>>> kleene_or([Outcome.MET, Outcome.INSUFFICIENT])
<Outcome.MET: 'met'>
>>> kleene_not(Outcome.INSUFFICIENT)
<Outcome.INSUFFICIENT: 'insufficient'>

Counting rules ("at least 2 of 3", "70% of the residential areas") follow the same
logic: met once enough are met, not met once too few can still be, otherwise unknown:

>>> at_least(met=2, failed=0, needed=2, total=3)
<Outcome.MET: 'met'>
>>> at_least(met=1, failed=1, needed=2, total=3)   # the third one decides
<Outcome.INSUFFICIENT: 'insufficient'>
>>> at_least(met=1, failed=2, needed=2, total=3)
<Outcome.NOT_MET: 'not_met'>

These functions are the three-valued laws of the library: the explained evaluator
calls them, and the batch evaluator builds its lookup tables from them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from modelunit._i18n import Lang
from modelunit._texts import text

__all__ = ["Outcome", "at_least", "kleene_and", "kleene_not", "kleene_or"]


def __dir__() -> list[str]:
    return __all__


class Outcome(enum.Enum):
    """What an assessment concluded about one criterion (or one rule)."""

    MET = "met"
    NOT_MET = "not_met"
    INSUFFICIENT = "insufficient"
    NOT_APPLICABLE = "not_applicable"

    @property
    def decided(self) -> bool:
        """True for MET and NOT_MET."""
        return self is Outcome.MET or self is Outcome.NOT_MET

    def label(self, lang: Lang = "en") -> str:
        """The outcome's name for people, in ``lang`` (``"met"``, ``"đạt"``...)."""
        return text(_LABELS[self], lang)

    @property
    def label_en(self) -> str:
        return self.label("en")

    @property
    def label_vi(self) -> str:
        return self.label("vi")


_LABELS = {
    Outcome.MET: "outcome.met",
    Outcome.NOT_MET: "outcome.not_met",
    Outcome.INSUFFICIENT: "outcome.insufficient",
    Outcome.NOT_APPLICABLE: "outcome.not_applicable",
}

# Truth order used by the Kleene operators; NOT_APPLICABLE is handled apart.
_RANK = {Outcome.NOT_MET: 0, Outcome.INSUFFICIENT: 1, Outcome.MET: 2}
_BY_RANK = (Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.MET)


def kleene_and(outcomes: Iterable[Outcome]) -> Outcome:
    """Conjunction: NOT_MET if any is NOT_MET, else INSUFFICIENT if any is, else MET.

    NOT_APPLICABLE operands are ignored; if every operand is NOT_APPLICABLE (or
    there are none) the result is NOT_APPLICABLE.
    """
    rank = 3
    for outcome in outcomes:
        if outcome is Outcome.NOT_APPLICABLE:
            continue
        r = _RANK[outcome]
        if r == 0:
            return Outcome.NOT_MET
        rank = min(rank, r)
    return Outcome.NOT_APPLICABLE if rank == 3 else _BY_RANK[rank]


def kleene_or(outcomes: Iterable[Outcome]) -> Outcome:
    """Disjunction: MET if any is MET, else INSUFFICIENT if any is, else NOT_MET.

    NOT_APPLICABLE operands are ignored as in :func:`kleene_and`.
    """
    rank = -1
    for outcome in outcomes:
        if outcome is Outcome.NOT_APPLICABLE:
            continue
        r = _RANK[outcome]
        if r == 2:
            return Outcome.MET
        rank = max(rank, r)
    return Outcome.NOT_APPLICABLE if rank == -1 else _BY_RANK[rank]


def kleene_not(outcome: Outcome) -> Outcome:
    """Negation: swaps MET and NOT_MET; INSUFFICIENT and NOT_APPLICABLE stay."""
    if outcome is Outcome.MET:
        return Outcome.NOT_MET
    if outcome is Outcome.NOT_MET:
        return Outcome.MET
    return outcome


def at_least(met: int, failed: int, needed: int, total: int) -> Outcome:
    """At least ``needed`` of ``total`` sub-results met, with ``met`` met and ``failed``
    not met (the rest unknown): MET, NOT_MET, or INSUFFICIENT while the unknown ones
    could still decide.

    MET depends only on ``met`` and NOT_MET only on ``failed``, which is what lets the
    batch evaluator count each apart.
    """
    if met >= needed:
        return Outcome.MET
    if total - failed < needed:
        return Outcome.NOT_MET
    return Outcome.INSUFFICIENT
