"""rollout/simulation.py: seeded runs, the binomial model, exact odds, argument errors."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.errors import InvalidArgumentError, ModelUnitError
from modelunit.rollout import (
    Milestone,
    Region,
    RegionPlan,
    RolloutProblem,
    SimulationResult,
    exact_odds,
    plan,
    simulate,
)
from modelunit.rollout.simulation import (
    MAX_RUNS,
    MAX_SIMULATED_UNITS,
    ExactOdds,
    _buffer,
    _GoalOdds,
)
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


# -- exact buffers and odds (issue 9, item 5) ------------------------------------------


def _reference_distribution(recognised, new, t, p, extra=0):
    """P(recognised by the end of year t = k) with Fractions, one unit at a time."""
    dist = [Fraction(1)]
    for s in range(t + 1):
        q = 1 - (1 - p) ** (t - s + 1)
        for _ in range(new[s] + (extra if s == 0 else 0)):
            nxt = [Fraction(0)] * (len(dist) + 1)
            for k, mass in enumerate(dist):
                nxt[k] += mass * (1 - q)
                nxt[k + 1] += mass * q
            dist = nxt
    return [Fraction(0)] * recognised + dist


def _reference_meets(recognised, new, t, target, *, p, extra=0):
    dist = _reference_distribution(recognised, new, t, p, extra)
    return sum(dist[target:], Fraction(0))


def _reference_buffer(recognised, new, total, t, *, target, p, conf):
    available = total - recognised - sum(new[: t + 1])
    for extra in range(available + 1):
        if _reference_meets(recognised, new, t, target, p=p, extra=extra) >= conf:
            return extra
    return available


def _one_region(new, recognised=0, spare=0, milestones=None):
    total = recognised + sum(new) + spare
    years = len(new)
    problem = RolloutProblem(
        regions=[Region("A", total=total, recognised=recognised)],
        milestones=milestones
        or [Milestone(2026 + years - 1, Fraction(recognised + sum(new), total))],
        start=2026,
        end=2026 + years - 1,
    )
    p = plan(problem, "latest", stretch=False)
    return attrs.evolve(p, regions=(attrs.evolve(p.regions[0], new=tuple(new)),))


def test_a_buffer_at_the_edge_of_the_confidence_is_exact():
    # One unit, recognised with probability 1/10, against a confidence of 1/10: exactly
    # met. In floats 1 - (1 - 0.1) is 0.09999999999999998 < 0.1, and the buffer was 1.
    p = _one_region([1], spare=1)
    [odds] = simulate(p, "10%", runs=10, confidence="10%").odds
    assert odds.buffer == 0
    [exact] = exact_odds(p, "10%")
    assert exact.probability == Fraction(1, 10)


@given(
    st.lists(st.integers(0, 4), min_size=1, max_size=3),
    st.integers(0, 3),
    st.integers(0, 4),
    st.data(),
)
def test_buffers_and_odds_are_the_exact_ones(new, recognised, spare, data):
    total = recognised + sum(new) + spare
    t = data.draw(st.integers(0, len(new) - 1))
    target = data.draw(st.integers(0, total))
    # Probabilities and confidences with small denominators tie often: the edge cases.
    p = Fraction(data.draw(st.integers(0, 6)), data.draw(st.sampled_from([1, 2, 3, 6, 10])))
    p = min(p, Fraction(1))
    conf = Fraction(data.draw(st.integers(0, 20)), 20)
    odds = _GoalOdds(tuple(new), t, target - recognised, p)
    num, scale = odds.meets()
    assert Fraction(num, p.denominator**scale) == _reference_meets(recognised, new, t, target, p=p)
    rp = RegionPlan("A", "", total, recognised, tuple(new))
    assert _buffer(rp, t=t, target=target, p=p, conf=conf) == _reference_buffer(
        recognised, new, total, t, target=target, p=p, conf=conf
    )


def test_the_float_filter_decides_far_from_the_confidence_and_defers_near_it(monkeypatch):
    calls = []
    real = _GoalOdds.meets

    def counted(self, extra=0):
        calls.append(extra)
        return real(self, extra)

    monkeypatch.setattr(_GoalOdds, "meets", counted)
    odds = _GoalOdds((30, 30), 1, 40, Fraction(9, 10))
    assert odds.enough(0, Fraction(1, 2))  # P is about 1: floats decide
    assert not odds.enough(0, Fraction(1))
    assert calls == []
    tie = _GoalOdds((1,), 0, 1, Fraction(1, 10))
    assert tie.enough(0, Fraction(1, 10))  # P is exactly 1/10: the integers decide
    assert calls == [0]


def test_exact_odds_are_records_that_unpack_like_the_old_tuples():
    p = plan(_nghe_an(), "latest")
    odds = exact_odds(p, "9/10")
    assert all(isinstance(o, ExactOdds) for o in odds)
    region, year, target, probability = odds[-1]
    assert (region, year, target) == (odds[-1].region, odds[-1].year, odds[-1].target)
    assert probability == odds[-1].probability
    assert structure(unstructure(odds[0]), ExactOdds) == odds[0]


def test_a_large_region_is_simulated_quickly_and_exactly():
    # 1,000 units spread over 12 years with a floor at half of them: the exact weights
    # are numbers of thousands of digits; the buffer is decided without them.
    new = [83] * 12
    p = _one_region(new, spare=MAX_SIMULATED_UNITS - sum(new))
    result = simulate(p, "9999/10000", runs=20, confidence="9999/10000")
    assert [o.buffer for o in result.odds] == [1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": "x"}, "seed must be a whole number .*, got 'x'"),
        ({"seed": 1.5}, "seed must be a whole number .*, got 1.5"),
        ({"seed": None}, "seed must be a whole number .*, got None"),
        ({"seed": True}, "seed must be a whole number .*, got True"),
        ({"seed": [1]}, r"seed must be a whole number .*, got \[1\]"),
        ({"runs": MAX_RUNS + 1}, "runs must be a whole number from 1 to 1,000,000, got 1000001"),
        ({"p_recognised": True}, r"p_recognised: expected a probability in 0\.\.1, got True"),
        ({"p_recognised": "abc"}, r"p_recognised: expected a probability in 0\.\.1, got 'abc'"),
        (
            {"p_recognised": Decimal("Infinity")},
            r"p_recognised: expected a probability .*, got Decimal\('Infinity'\)",
        ),
        ({"confidence": "1/3"}, None),  # fine
        (
            {"confidence": "1/10001"},
            "confidence: 1/10001 is too fine: at most 10,000 as a denominator",
        ),
    ],
)
def test_seed_runs_and_probabilities_are_checked(kwargs, message):
    p = plan(_nghe_an())
    arguments = {"p_recognised": "1/2", "runs": 10, **kwargs}
    if message is None:
        assert simulate(p, **arguments).confidence == Fraction(1, 3)
        return
    with pytest.raises(InvalidArgumentError, match=message):
        simulate(p, **arguments)


def test_the_plan_and_its_size_are_checked():
    with pytest.raises(InvalidArgumentError, match="expected a RolloutPlan, got 'plan'"):
        simulate("plan", "1/2")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="expected a RolloutPlan"):
        exact_odds(None, "1/2")  # type: ignore[arg-type]
    big = plan(
        RolloutProblem(
            regions=[Region("A", total=MAX_SIMULATED_UNITS + 1)],
            milestones=[Milestone(2026, "1%")],
            start=2026,
            end=2026,
        )
    )
    message = "region 'A' has 1,001 units to recognise; .* at most 1,000 per region"
    with pytest.raises(InvalidArgumentError, match=message):
        simulate(big, "1/2", runs=1)
    with pytest.raises(InvalidArgumentError, match=message):
        exact_odds(big, "1/2")
    with pytest.raises(InvalidArgumentError, match=r"p_recognised: expected a probability"):
        exact_odds(plan(_nghe_an()), "150%")


@pytest.mark.parametrize("p", [Fraction(0), Fraction(1), Fraction(1, 3), Fraction(9, 10)])
def test_exact_weights_grow_with_the_buffer_and_are_reused(p):
    # Units 3 + 4 in progress, 5 needed: the search for a buffer asks for more and more
    # misses to spare (a larger cut of the weights), then for fewer again.
    odds = _GoalOdds((3, 4), 1, 5, p)
    for extra in (0, 6, 1, 30, 2):
        num, scale = odds.meets(extra)
        expected = _reference_meets(0, (3 + extra, 4), 1, 5, p=p)
        assert Fraction(num, p.denominator**scale) == expected
    # Hits counted instead (a need below the misses to spare).
    odds = _GoalOdds((6, 6), 1, 2, p)
    assert Fraction(*_scaled(odds.meets(), p)) == _reference_meets(0, (6, 6), 1, 2, p=p)


def _scaled(meets, p):
    num, scale = meets
    return num, p.denominator**scale


def test_a_region_without_a_floor_in_the_horizon_has_no_odds():
    problem = RolloutProblem(
        regions=[Region("A", total=4, capacity=2), Region("B", total=3)],
        milestones=[Milestone(2027, 1, region="A")],
        start=2026,
        end=2027,
    )
    result = simulate(plan(problem), "1/2", runs=5)
    assert [(o.region, o.year) for o in result.odds] == [("A", 2027)]
    assert [(o.region, o.year) for o in exact_odds(plan(problem), "1/2")] == [("A", 2027)]
