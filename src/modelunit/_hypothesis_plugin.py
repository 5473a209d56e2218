"""Hypothesis entry point: lets ``st.from_type`` build modelunit objects.

Kept apart from :mod:`modelunit.testing` because Hypothesis runs entry points
while it is itself being imported: the strategies are therefore resolved
lazily, on first use.
"""

from __future__ import annotations

from hypothesis import strategies as st

from modelunit.criteria import CriteriaSet
from modelunit.indicators import Indicator
from modelunit.periods import Period


def _hypothesis_setup_hook() -> None:
    def lazy(name: str) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from modelunit import testing  # noqa: PLC0415 - see module docstring

            strategy: st.SearchStrategy[object] = getattr(testing, name)()
            return strategy

        return st.deferred(build)

    st.register_type_strategy(Period, lazy("periods"))
    st.register_type_strategy(CriteriaSet, lazy("criteria_sets"))
    st.register_type_strategy(Indicator, lazy("indicators"))
    # The planner's types are registered by name to keep this hook's imports light.
    from modelunit.rollout.problem import RolloutProblem  # noqa: PLC0415

    st.register_type_strategy(RolloutProblem, lazy("rollout_problems"))
