"""Shared test configuration: Hypothesis profiles.

``default`` keeps the suite fast enough for every run; set
``HYPOTHESIS_PROFILE=thorough`` for a long search before a release. ``packaging`` is
for CI's second run of the suite against the built wheel, which checks what was
packaged, not the properties again: few examples each. ``fuzz`` is the long campaign
of ``tests/fuzz``, selected with ``--hypothesis-profile=fuzz``.
"""

from __future__ import annotations

import os

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
