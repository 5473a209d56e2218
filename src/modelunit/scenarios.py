"""Planning scenarios: a rollout problem with the assumptions and sources behind it.

Bundled scenarios state the national problem on the real geography, so that
planning runs out of the box:

>>> from modelunit.scenarios import list_scenarios, load_scenario
>>> list_scenarios()
('national-2024-2030-63', 'national-2027-2030')
>>> scenario = load_scenario("national-2027-2030")
>>> len(scenario.problem.regions), sum(r.total for r in scenario.problem.regions)
(34, 687)
>>> scenario.problem.start, scenario.problem.end, scenario.problem.baseline_year
(2027, 2030, 2026)

Every scenario lists its assumptions (``scenario.assumptions``): the baseline
recognised counts and the yearly capacities are not published figures.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from modelunit import _data
from modelunit._cattrs_errors import ERROR_FOR
from modelunit.errors import InvalidProblemError, UnknownScenarioError
from modelunit.rollout.problem import RolloutProblem
from modelunit.serialization import structure

__all__ = ["Scenario", "list_scenarios", "load_scenario"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Scenario:
    """A named rollout problem, with what it assumes and where its figures come from."""

    id: str
    problem: RolloutProblem
    title: str = ""
    description: str = ""
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


ERROR_FOR[Scenario] = InvalidProblemError


def list_scenarios() -> tuple[str, ...]:
    """Names of the bundled scenarios, sorted."""
    return _data.bundled_names("scenarios")


def load_scenario(source: str | Path) -> Scenario:
    """Load a scenario from a ``.toml``/``.json`` file or by bundled name.

    A file holding only a rollout problem (``regions``, ``milestones``,
    ``start``, ``end``...) is read as a scenario named after the file.
    """
    data, name = _data.read_source(
        source, "scenarios", what=InvalidProblemError, unknown=UnknownScenarioError
    )
    if isinstance(data, dict) and "id" not in data:
        # Structured as the problem it is, so that paths in errors are the file's own.
        problem = structure(data, RolloutProblem, source=name)
        return Scenario(id=Path(source).stem, problem=problem)
    return structure(data, Scenario, source=name)
