"""Converter hooks for the core types (criteria, rules, evidence, assessments)."""

from __future__ import annotations

import cattrs


def configure_core(conv: cattrs.Converter) -> None:
    """Register the core types' hooks on ``conv`` (tagged unions, enums)."""
