"""modelunit: criteria, evidence and explained assessments for model-unit programmes,
and an exact rollout planner for their milestones."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("modelunit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
