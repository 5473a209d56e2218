"""Rollout planning: how many units each region takes on each year, and which."""

__all__: list[str] = []
