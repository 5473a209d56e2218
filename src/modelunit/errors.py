"""Every exception modelunit raises.

All of them derive from :class:`ModelUnitError`, and each also derives from the
builtin that fits, so ``except ValueError`` or ``except KeyError`` in caller code
keeps working.

Validation errors collect *every* problem found in one pass and report them
together, each with the file, the record and the field path where it was found:

>>> from modelunit.errors import InvalidCatalogError, Problem
>>> err = InvalidCatalogError(
...     [Problem("criteria[2].rule.indicator", "unknown indicator 'crimes'", record="C03")],
...     source="my-catalog.toml",
... )
>>> print(err)
1 problem in my-catalog.toml:
  - criteria[2].rule.indicator (record 'C03'): unknown indicator 'crimes'
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from modelunit.rollout.feasibility import Diagnosis

__all__ = [
    "GeographySourceError",
    "InfeasiblePlanError",
    "InvalidArgumentError",
    "InvalidCatalogError",
    "InvalidEvidenceError",
    "InvalidInputError",
    "InvalidMappingError",
    "InvalidPeriodError",
    "InvalidProblemError",
    "InvalidRuleError",
    "InvalidValueError",
    "MissingExtraError",
    "ModelUnitError",
    "Problem",
    "UnknownCatalogError",
    "UnknownCriterionError",
    "UnknownIndicatorError",
    "UnknownNameError",
    "UnknownPeriodError",
    "UnknownRecordError",
    "UnknownRegionError",
    "UnknownScenarioError",
    "UnknownUnitError",
    "closest",
]


def __dir__() -> list[str]:
    return __all__


class ModelUnitError(Exception):
    """Base class of every exception raised by modelunit."""


@attrs.frozen
class Problem:
    """One thing wrong with an input, located precisely.

    ``path`` is a field path in the structured data (``criteria[2].rule.value``),
    ``record`` the id of the record it belongs to when there is one, and
    ``source`` the file (or other origin) it came from.
    """

    path: str
    message: str
    record: str | None = None
    source: str | None = None

    def render(self) -> str:
        where = self.path
        if self.record is not None:
            where = f"{where} (record {self.record!r})".lstrip()
        if self.source is not None:
            where = f"{self.source}: {where}" if where else self.source
        return f"{where}: {self.message}" if where else self.message


class InvalidInputError(ModelUnitError, ValueError):
    """Input data is malformed; :attr:`problems` lists everything found.

    Nothing is partially applied when this is raised: loaders build their
    result only after the whole input has been checked.
    """

    problems: tuple[Problem, ...]
    source: str | None

    #: What kind of input this error is about, used in the message.
    what = "input"

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''}"
        if self.source is not None:
            head += f" in {self.source}"
        else:
            head += f" in {self.what}"
        lines = [head + ":"]
        for problem in self.problems:
            shown = problem
            if problem.source == self.source:
                shown = attrs.evolve(problem, source=None)
            lines.append(f"  - {shown.render()}")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.problems, self.source))


def _rebuild(
    cls: type[InvalidInputError], problems: tuple[Problem, ...], source: str | None
) -> InvalidInputError:
    return cls(problems, source=source)


class InvalidCatalogError(InvalidInputError):
    """A criteria set (catalog) is malformed: bad fields, unknown indicators, cycles..."""

    what = "catalog"


class InvalidRuleError(InvalidInputError):
    """A rule is malformed or refers to something that does not exist."""

    what = "rule"


class InvalidEvidenceError(InvalidInputError):
    """Evidence records are malformed or inconsistent with the catalog."""

    what = "evidence"


class InvalidPeriodError(InvalidInputError):
    """A period string could not be understood."""

    what = "period"


class InvalidProblemError(InvalidInputError):
    """A rollout planning problem is malformed."""

    what = "planning problem"


class InvalidMappingError(InvalidInputError):
    """A geography mapping (old units to new) is malformed or incomplete."""

    what = "mapping"


class InvalidValueError(ModelUnitError, ValueError):
    """One value is not in any of its accepted forms.

    Raised by the value readers (numbers, shares, periods, recorded values). Loaders
    catch it and report it as a located :class:`Problem`, with the file, record and
    field; code calling a reader directly gets this error and its message.
    """


class InvalidArgumentError(ModelUnitError, ValueError):
    """A public function was called with an argument outside its documented forms
    (an unknown strategy or method, a probability outside 0..1, a run count of 0...)."""


def closest(name: object, known: Iterable[str], *, n: int = 3) -> tuple[str, ...]:
    """The known names closest to ``name`` (for "did you mean" hints), best first.

    >>> closest("recognized", ["recognised", "region", "total"])
    ('recognised',)
    """
    if not isinstance(name, str) or len(name) < 3:  # too short for a useful guess
        return ()
    return tuple(difflib.get_close_matches(name, sorted(set(known)), n=n, cutoff=0.6))


class UnknownNameError(ModelUnitError, KeyError):
    """Something was asked for by a name (id, code) that the data does not contain.

    ``name`` is what was asked for, ``known`` the names that exist (possibly
    empty when listing them makes no sense), and the message suggests the closest.
    """

    #: What kind of thing the name names, used in the message.
    what = "name"

    def __init__(self, name: str, known: Iterable[str] = (), *, detail: str = "") -> None:
        self.name = name
        self.known = tuple(sorted(set(known)))
        self.detail = detail
        super().__init__(name)

    def __str__(self) -> str:
        text = f"unknown {self.what} {self.name!r}"
        if self.detail:
            text += f" ({self.detail})"
        near = closest(self.name, self.known)
        if near:
            text += f"; did you mean {' or '.join(repr(k) for k in near)}?"
        elif self.known and len(self.known) <= 12:
            text += f"; known: {', '.join(self.known)}"
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_unknown, (type(self), self.name, self.known, self.detail))


def _rebuild_unknown(
    cls: type[UnknownNameError], name: str, known: tuple[str, ...], detail: str
) -> UnknownNameError:
    return cls(name, known, detail=detail)


class UnknownCatalogError(UnknownNameError):
    """No bundled catalog has that name and no file exists at that path."""

    what = "catalog"
    #: The folder of bundled files this name was looked up in (for the message).
    noun = "catalogs"

    def __init__(self, name: str, available: Iterable[str], *, detail: str = "") -> None:
        super().__init__(name, available, detail=detail)

    @property
    def available(self) -> tuple[str, ...]:
        return self.known

    def __str__(self) -> str:
        listed = ", ".join(self.known) or "none"
        return f"no {self.what} named {self.name!r} and no such file; bundled {self.noun}: {listed}"


class UnknownScenarioError(UnknownCatalogError):
    """No bundled scenario has that name and no file exists at that path."""

    what = "scenario"
    noun = "scenarios"


class UnknownUnitError(UnknownNameError):
    """A unit id (or a geography code or name) was asked for that the data does not contain."""

    what = "unit"

    @property
    def unit(self) -> str:
        return self.name


class UnknownCriterionError(UnknownNameError):
    """A criterion id was asked for that the criteria set does not contain."""

    what = "criterion"


class UnknownRegionError(UnknownNameError):
    """A region id was asked for that the planning problem or plan does not contain."""

    what = "region"


class UnknownPeriodError(UnknownNameError):
    """A period was asked for that was not assessed (or is not in the data)."""

    what = "period"


class UnknownIndicatorError(UnknownNameError):
    """An indicator key was asked for that the criteria set does not declare."""

    what = "indicator"


class UnknownRecordError(UnknownNameError):
    """An evidence record id was asked for that the ledger does not contain."""

    what = "evidence record"


class MissingExtraError(ModelUnitError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


class GeographySourceError(MissingExtraError):
    """An optional geography source (the ``vietnam-provinces`` package) is missing or unusable."""


class InfeasiblePlanError(ModelUnitError, ValueError):
    """Raised only on request (``strict=True``) when a rollout cannot meet its floors.

    The planner normally returns a plan carrying a diagnosis instead; this error
    carries the same diagnosis in ``diagnosis``.
    """

    def __init__(self, message: str, diagnosis: Diagnosis) -> None:
        self.diagnosis = diagnosis
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.diagnosis))
