"""rollout/simulation.py: seeded runs, the binomial model, exact odds, argument errors."""

from __future__ import annotations

import pytest

from modelunit.errors import InvalidArgumentError, ModelUnitError
from modelunit.rollout import Milestone, Region, RolloutProblem, SimulationResult, plan, simulate
from modelunit.serialization import structure, unstructure


def _nghe_an() -> RolloutProblem:
    return RolloutProblem(
        regions=[
            Region("NA", total=16, capacity=8),
            Region("HT", total=10, recognised=5, capacity=5),
        ],
        milestones=[Milestone(2026, "50%"), Milestone(2027, 1)],
        start=2026,
        end=2027,
    )


def test_simulation_is_seeded_and_exact_when_certain():
    p = plan(_nghe_an(), "latest")
    a = simulate(p, "90%", runs=500, seed=3)
    b = simulate(p, "90%", runs=500, seed=3)
    assert a == b
    assert structure(unstructure(a), SimulationResult) == a
    certain = simulate(p, 1, runs=50)
    assert all(o.probability == 1 and o.buffer == 0 for o in certain.odds)
    never = simulate(p, 0, runs=50)
    # Regions in id order: HT is at 50% already, nothing else is reached.
    assert [(o.region, o.year, o.probability) for o in never.odds] == [
        ("HT", 2026, 1),
        ("HT", 2027, 0),
        ("NA", 2026, 0),
        ("NA", 2027, 0),
    ]


def test_simulation_probability_matches_the_binomial_model():
    # NA takes on 8 in 2026 and needs all 8 of them: probability 0.9**8 = 0.430...
    p = plan(_nghe_an(), "latest")
    result = simulate(p, "9/10", runs=20_000, seed=11, confidence="90%")
    odds = {(o.region, o.year): o for o in result.odds}
    assert abs(float(odds["NA", 2026].probability) - 0.9**8) < 0.02
    assert odds["NA", 2026].shortfall_at_confidence == 2  # P(at most 2 short) >= 0.9
    # Two more taken on: P(at least 8 of 10) = 0.930 >= 0.9; one more: 0.775 < 0.9.
    assert odds["NA", 2026].buffer == 2
    assert ("NA", 2026) in {(o.region, o.year) for o in result.at_risk()}


def test_simulation_agrees_with_the_exact_odds():
    from fractions import Fraction

    from modelunit.rollout import exact_odds

    p = plan(_nghe_an(), "latest")
    exact = {(region, year): prob for region, year, _, prob in exact_odds(p, "9/10")}
    assert exact["NA", 2026] == Fraction(9, 10) ** 8
    runs = 20_000
    for o in simulate(p, "9/10", runs=runs, seed=3).odds:
        q = float(exact[o.region, o.year])
        sigma = (q * (1 - q) / runs) ** 0.5
        assert abs(float(o.probability) - q) <= 5 * sigma + 1e-9, (o, q)


def test_simulation_rejects_bad_probabilities():
    p = plan(_nghe_an())
    with pytest.raises(ValueError, match=r"probability in 0\.\.1"):
        simulate(p, "120%")
    with pytest.raises(ValueError, match="runs must be a whole number from 1 to 1,000,000"):
        simulate(p, "1/2", runs=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p_recognised": "120%"}, r"probability in 0\.\.1, got 6/5"),
        ({"p_recognised": "1/2", "confidence": -1}, r"probability in 0\.\.1, got -1"),
        ({"p_recognised": "1/2", "runs": 0}, "runs must be a whole number from 1 to .*, got 0"),
        ({"p_recognised": "1/2", "runs": 2.5}, "runs must be .*, got 2.5"),
        ({"p_recognised": "1/2", "runs": True}, "runs must be .*, got True"),
    ],
)
def test_bad_arguments_are_invalid_argument_errors(kwargs, message):
    p = plan(_nghe_an())
    with pytest.raises(InvalidArgumentError, match=message) as info:
        simulate(p, **kwargs)
    assert isinstance(info.value, ModelUnitError)
    assert isinstance(info.value, ValueError)
