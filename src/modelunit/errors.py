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

from collections.abc import Iterable

import attrs

__all__ = [
    "InfeasiblePlanError",
    "InvalidCatalogError",
    "InvalidEvidenceError",
    "InvalidInputError",
    "InvalidMappingError",
    "InvalidPeriodError",
    "InvalidProblemError",
    "InvalidRuleError",
    "ModelUnitError",
    "Problem",
    "UnknownCatalogError",
    "UnknownUnitError",
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


class UnknownCatalogError(ModelUnitError, KeyError):
    """No bundled catalog has that name and no file exists at that path."""

    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name = name
        self.available = tuple(sorted(available))
        super().__init__(name)

    def __str__(self) -> str:
        listed = ", ".join(self.available) or "none"
        return f"no catalog named {self.name!r} and no such file; bundled catalogs: {listed}"


class UnknownUnitError(ModelUnitError, KeyError):
    """A unit id was asked for that the data does not contain."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        super().__init__(unit)

    def __str__(self) -> str:
        return f"unknown unit {self.unit!r}"


class InfeasiblePlanError(ModelUnitError, ValueError):
    """Raised only on request (``strict=True``) when a rollout cannot meet its floors.

    The planner normally returns a plan carrying a diagnosis instead; this error
    carries the same diagnosis in :attr:`diagnosis`.
    """

    def __init__(self, message: str, diagnosis: object) -> None:
        self.diagnosis = diagnosis
        super().__init__(message)
