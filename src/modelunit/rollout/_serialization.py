"""Converter hooks for the rollout planner's types."""

from __future__ import annotations

import cattrs


def configure(conv: cattrs.Converter) -> None:
    """Register the rollout types' hooks on ``conv`` (unions and the like)."""
