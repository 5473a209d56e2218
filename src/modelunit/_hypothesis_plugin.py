"""Hypothesis entry point: lets ``st.from_type`` build modelunit objects.

Kept apart from :mod:`modelunit.testing` because Hypothesis runs entry points
while it is itself being imported: this module imports nothing at its top (so
importing it first, as ``pytest src/modelunit`` does, cannot make a cycle), and
the strategies are resolved lazily, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st  # noqa: PLC0415 - see the module docstring

    from modelunit.criteria import CriteriaSet  # noqa: PLC0415
    from modelunit.indicators import Indicator  # noqa: PLC0415
    from modelunit.periods import Period, ReportingYear  # noqa: PLC0415
    from modelunit.rollout.problem import RolloutProblem  # noqa: PLC0415

    def lazy(name: str) -> SearchStrategy[object]:
        def build() -> SearchStrategy[object]:
            from modelunit import testing  # noqa: PLC0415 - see the module docstring

            strategy: SearchStrategy[object] = getattr(testing, name)()
            return strategy

        return st.deferred(build)

    st.register_type_strategy(Period, lazy("periods"))
    st.register_type_strategy(ReportingYear, lazy("reporting_years"))
    st.register_type_strategy(CriteriaSet, lazy("criteria_sets"))
    st.register_type_strategy(Indicator, lazy("indicators"))
    st.register_type_strategy(RolloutProblem, lazy("rollout_problems"))
