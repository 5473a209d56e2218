"""The limits modelunit enforces on its inputs, before any work is done.

Every file, every value and every object built through the public API is checked
against these bounds, so that no input can make modelunit hang, exhaust memory, run
quadratically or crash on recursion: past a limit it raises a typed
:class:`~modelunit.errors.ModelUnitError` that names the field and the limit. The
bounds are far beyond any real programme (a national criteria set has tens of
criteria; Vietnam has 3,321 commune-level units), and each says why it is where it is.

>>> from modelunit import limits
>>> limits.MAX_DIGITS, limits.MAX_EXPONENT, limits.MAX_RULE_DEPTH
(60, 60, 32)

The planner's limits (units per region, regions, years) are in
:mod:`modelunit.rollout.problem`; ``docs/limits.md`` lists both.
"""

from __future__ import annotations

from datetime import date
from typing import Final

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_CRITERIA",
    "MAX_DIGITS",
    "MAX_DOCUMENT_DEPTH",
    "MAX_EXPONENT",
    "MAX_INDICATORS",
    "MAX_RULE_DEPTH",
    "MAX_RULE_NODES",
    "MAX_TEXT",
]


def __dir__() -> list[str]:
    return __all__


MAX_RULE_DEPTH: Final = 32
"""Levels of rules inside rules in one criterion. Real pass rules nest 2 to 4 levels;
evaluating and explaining a rule recurses once per level."""

MAX_DOCUMENT_DEPTH: Final = 2 * MAX_RULE_DEPTH + 16
"""Nesting of a JSON or TOML document (objects and arrays inside each other): 80. A
criteria set written out takes 2 levels per level of rule nesting and 2 more around
its rules, so a criterion at :data:`MAX_RULE_DEPTH` reads back from its own JSON, with
room to spare; it stays far below Python's recursion limit, which the standard parsers
would otherwise hit with a ``RecursionError``."""

MAX_RULE_NODES: Final = 10_000
"""Rule nodes in one criterion (every leaf and combinator)."""

MAX_CRITERIA: Final = 1_000
"""Criteria in one set (the model-unit set has 22, new-rural communes 19). Chains of
criterion references are at most this long and are walked without recursion."""

MAX_INDICATORS: Final = 1_000
"""Indicators declared by one set."""

MAX_DIGITS: Final = 60
"""Significant digits of a number read from data (a count, quantity, share, threshold
or points). Exact arithmetic on such numbers is cheap; a 1,000,000-digit number would
make it slow."""

MAX_EXPONENT: Final = 60
"""The largest power of ten a number read from data may reach, and the smallest
(``1e60`` and ``1e-60`` are accepted, ``1e61`` is not). Bounding the exponent keeps
``"1e1000000"`` from turning into a million-digit integer."""

MAX_TEXT: Final = 10_000
"""Characters in one text value (an id, a title, a note, a source)."""

FIRST_DAY: Final = date(1, 1, 1)
"""The first day a period or an instant may touch (the calendar's first)."""

LAST_DAY: Final = date(9999, 12, 31)
"""The last day a period or an instant may touch (the calendar's last). Arithmetic
that would step outside (the year before 0001, the day after 9999-12-31) is an
:class:`~modelunit.errors.InvalidPeriodError`."""
