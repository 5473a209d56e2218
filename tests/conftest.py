"""Shared test configuration: Hypothesis profiles.

``default`` keeps the suite fast enough for every run; set
``HYPOTHESIS_PROFILE=thorough`` for a long search before a release. ``packaging`` is
for CI's second run of the suite against the built wheel, which checks what was
packaged, not the properties again: few examples each. ``fuzz`` is the long campaign
of ``tests/fuzz``, selected with ``--hypothesis-profile=fuzz``.

Under mutation testing (``scripts/mutation.py``, which runs mutmut; mutmut sets
``MUTANT_UNDER_TEST``) the ``mutation`` profile is loaded: the same examples on every
run, fewer of them, and no example database, so a mutant's verdict does not depend on
earlier runs; and the tests of each mutant run fastest first, so a killed mutant dies
early.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.register_profile("packaging", parent=settings.get_profile("default"), max_examples=5)
# The long fuzz campaign: ``python -m pytest tests/fuzz --hypothesis-profile=fuzz``
# (docs/robustness.md). Each fuzz test runs its share of these examples (tests/fuzz/checks.py).
settings.register_profile("fuzz", parent=settings.get_profile("default"), max_examples=2500)
# Fewer examples than the default: a campaign runs the property tests for every
# surviving mutant, so verdicts are a lower bound on what the default profile would find.
settings.register_profile(
    "mutation",
    parent=settings.get_profile("default"),
    max_examples=20,
    derandomize=True,
    database=None,
)

MUTATION = "MUTANT_UNDER_TEST" in os.environ
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mutation" if MUTATION else "default"))


# Integration tests that take seconds each and reach the core only through paths the
# unit and property tests already cover (processes writing one store at once, notebooks
# run by a kernel, a local Dask cluster). A mutant that survives the rest runs every test
# that calls it, so these would cost most of a campaign's time; under mutmut they are
# left out (a verdict is thus a lower bound). They run as usual everywhere else.
NOT_FOR_MUTANTS = (
    "tests/test_store.py::test_several_processes_write_and_read_at_once",
    "tests/test_notebooks.py::",
    "tests/test_sweep.py::test_a_local_dask_cluster_gives_the_same_result",
    "tests/test_sweep.py::test_a_process_pool",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under mutmut, leave out ``NOT_FOR_MUTANTS`` and run the quickest tests first
    (durations from its stats file)."""
    if not MUTATION:
        return
    kept = [item for item in items if not item.nodeid.startswith(NOT_FOR_MUTANTS)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    stats = Path("mutmut-stats.json")
    if not stats.is_file():
        return
    durations = json.loads(stats.read_text("utf-8")).get("duration_by_test", {})
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
