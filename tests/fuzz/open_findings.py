"""Escapes the fuzz suite finds in the planner (``modelunit.rollout``) that are reported
and not yet fixed there (the planner is being changed on another branch).

Each open finding has an id, what it is, and how it is recognised, so that the fuzz
suite keeps passing while it is open **and counts it** (a Hypothesis event ``open
finding P1``...) instead of hiding it; ``tests/fuzz/test_open_findings.py`` holds one
strict ``xfail`` reproducer per finding, which starts to fail (XPASS) the day the
planner is fixed: then delete the finding here and its reproducer there.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import event

from modelunit.errors import InvalidMappingError, InvalidProblemError, ModelUnitError
from modelunit.rollout import RolloutProblem

SENTINEL = 1 << 60
"""The planner's "no national cap" (``rollout._compile.INF``); demands near it hang."""


@dataclass(frozen=True)
class Finding:
    """An open finding: its id, what it is, and whether an exception is an instance of it
    (given the object that was being round-tripped, if any)."""

    id: str
    summary: str
    matches: Callable[[BaseException, object], bool]


def _raised_in(exc: BaseException, module: str) -> bool:
    """Whether the innermost modelunit frame of ``exc``'s traceback is in ``module``
    (``"rollout/plan.py"``)."""
    frames = [
        f.filename.replace("\\", "/")
        for f in traceback.extract_tb(exc.__traceback__)
        if "/modelunit/" in f.filename.replace("\\", "/")
    ]
    return bool(frames) and frames[-1].endswith(f"/modelunit/{module}")


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc``, what caused it, and the exceptions grouped in any of them."""
    found: list[BaseException] = []
    todo = [exc]
    while todo:
        e = todo.pop()
        if e in found:
            continue
        found.append(e)
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
        todo += list(getattr(e, "exceptions", ()))
    return found


def _unprintable_problem(exc: BaseException, built: object = None) -> bool:
    return any(
        isinstance(e, InvalidProblemError | InvalidMappingError)
        and any(not _encodable(p.path) or not _encodable(p.message) for p in e.problems)
        for e in _causes(exc)
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


FINDINGS: tuple[Finding, ...] = (
    Finding(
        "P1",
        "structure(x, RolloutPlan) with x not a table (a list, text, a number, null) "
        "raises AttributeError ('... has no attribute keys')",
        lambda exc, _: (
            isinstance(exc, AttributeError) and _raised_in(exc, "rollout/_serialization_hooks.py")
        ),
    ),
    Finding(
        "P2",
        "structure(data, RolloutPlan) accepts a region whose yearly allocation ('new') "
        "has more or fewer years than the plan; using the plan (unstructure, national, "
        "to_table) raises ValueError from zip(strict=True)",
        lambda exc, _: (
            isinstance(exc, ValueError)
            and "zip() argument" in str(exc)
            and _raised_in(exc, "rollout/plan.py")
        ),
    ),
    Finding(
        "P3",
        "planner errors quote input text as is: a problem's unknown field name goes into "
        "its path and message, a merge rule's threshold into its message (a lone "
        "surrogate then makes the message unprintable)",
        _unprintable_problem,
    ),
    Finding(
        "P5",
        "planner objects accept values their own structure() refuses or changes, so they "
        "do not round-trip: a region name that is not text (the review's B7: the plan is "
        "then refused) or not in NFC (the plan comes back with the NFC name), mapping-row "
        "ids that are not valid text or not in NFC (the rebase)",
        lambda exc, built: (
            type(built).__module__.startswith("modelunit.rollout.")
            and (isinstance(exc, ModelUnitError | NormalisedError))
        ),
    ),
)


class NormalisedError(AssertionError):
    """An object came back from its round trip equal only up to Unicode normalisation."""


def open_finding(exc: BaseException, *, built: object = None) -> Finding | None:
    """The open planner finding ``exc`` is an instance of, if any (counted as an event);
    ``built`` is the object being round-tripped when ``exc`` was raised."""
    for finding in FINDINGS:
        if finding.matches(exc, built):
            event(f"open finding {finding.id}")
            return finding
    return None


def skip_if_open(problem: RolloutProblem) -> bool:
    """True (and counted) for a problem that would hang the planner (open finding P4:
    with ``level`` or ``proportional``, a national demand beyond 2**60 units, from a
    region's units or its capacity).

    The bound checked is half the sentinel, on every whole number of the problem and on
    the sum of the regions' units, so that only problems far beyond any real one are
    left out."""
    numbers = [problem.national_cap or 0, *problem.national_cap_by_year.values()]
    numbers.append(sum(r.total for r in problem.regions if isinstance(r.total, int)))
    for r in problem.regions:
        numbers += [r.total, r.capacity or 0, r.minimum]
        numbers += [*r.capacity_by_year.values(), *r.minimum_by_year.values()]
    if any(isinstance(n, int) and abs(n) >= SENTINEL // 2 for n in numbers):
        event("open finding P4")
        return True
    return False
