"""rollout/programme.py: milestones from the programme's reported targets."""

from __future__ import annotations

from fractions import Fraction


def test_milestones_from_targets_refuse_conflicts_and_registrations() -> None:
    import pytest

    from modelunit.errors import InvalidProblemError
    from modelunit.rollout import milestones_from_targets
    from modelunit.targets import load_targets

    hcmc = [t for t in load_targets() if t.province_code == "79" and t.year == 2025]
    with pytest.raises(InvalidProblemError) as info:
        milestones_from_targets(hcmc)
    messages = [p.message for p in info.value.problems]
    assert any("conflicts with" in m for m in messages)
    chosen = [t for t in hcmc if t.id == "hcmc-2023-plan-2025"]
    assert [(m.year, m.share, m.region) for m in milestones_from_targets(chosen)] == [
        (2025, Fraction(3, 10), "79")
    ]
    registrations = [t for t in load_targets() if t.kind == "registered"]
    with pytest.raises(InvalidProblemError, match="registration"):
        milestones_from_targets(registrations)
