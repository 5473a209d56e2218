"""Apportionment, ward selection, geography rebase and simulation."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.errors import InvalidMappingError, InvalidProblemError
from modelunit.rollout import (
    METHODS,
    MappingRow,
    MergeRule,
    Milestone,
    Region,
    RolloutProblem,
    SimulationResult,
    UnitReadiness,
    apportion,
    plan,
    rebase_plan,
    rebase_problem,
    rebase_recognised,
    select_units,
    simulate,
)
from modelunit.serialization import structure, unstructure

weights_st = st.lists(st.integers(0, 50), min_size=1, max_size=8)


@given(st.integers(0, 60), weights_st, st.sampled_from(METHODS))
def test_apportionment_hands_out_exactly_the_total(total, weights, method):
    seats = apportion(total, weights, method)
    if sum(weights) == 0:
        assert seats == [0] * len(weights)
        return
    assert sum(seats) == total
    assert all(s == 0 for s, w in zip(seats, weights, strict=True) if w == 0)


@given(st.integers(0, 60), weights_st)
def test_largest_remainder_satisfies_quota(total, weights):
    seats = apportion(total, weights, "largest_remainder")
    wsum = sum(weights)
    if wsum == 0:
        return
    for s, w in zip(seats, weights, strict=True):
        quota = Fraction(total * w, wsum)
        assert quota - 1 < s < quota + 1


@given(st.integers(0, 60), weights_st, st.sampled_from(["webster", "dhondt"]))
def test_divisor_methods_are_house_monotone(total, weights, method):
    before = apportion(total, weights, method)
    after = apportion(total + 1, weights, method)
    if sum(weights):
        assert all(a >= b for a, b in zip(after, before, strict=True))


@given(st.integers(0, 60), weights_st)
def test_dhondt_never_gives_less_than_the_lower_quota(total, weights):
    wsum = sum(weights)
    if wsum == 0:
        return
    for s, w in zip(apportion(total, weights, "dhondt"), weights, strict=True):
        assert s >= total * w // wsum


def test_alabama_paradox_of_largest_remainder():
    # The classic example: one more seat in the house costs party C a seat.
    weights = [6, 6, 2]
    assert apportion(10, weights, "largest_remainder") == [4, 4, 2]
    assert apportion(11, weights, "largest_remainder") == [5, 5, 1]
    # Webster is house-monotone: 11 seats never take one away from the 10-seat result.
    assert apportion(10, weights, "webster") == [5, 4, 1]  # three-way tie: first listed wins
    assert apportion(11, weights, "webster") == [5, 5, 1]


@given(st.integers(0, 60), weights_st, st.sampled_from(METHODS), st.data())
def test_apportionment_respects_caps(total, weights, method, data):
    caps = data.draw(st.lists(st.integers(0, 20), min_size=len(weights), max_size=len(weights)))
    seats = apportion(total, weights, method, caps=caps)
    assert all(0 <= s <= c for s, c in zip(seats, caps, strict=True))
    room = sum(c for c, w in zip(caps, weights, strict=True) if w > 0)
    assert sum(seats) == min(total, room)


def test_apportionment_rejects_unknown_methods():
    with pytest.raises(ValueError, match="unknown apportionment method 'borda'"):
        apportion(3, [1, 2], "borda")  # type: ignore[arg-type]


# --- selection ------------------------------------------------------------------------


def _assessment(unit, outcomes):
    results = [
        SimpleNamespace(mandatory=mandatory, outcome=SimpleNamespace(value=value))
        for mandatory, value in outcomes
    ]
    values = [v for _, v in outcomes]
    counts = SimpleNamespace(
        met=values.count("met"),
        not_met=values.count("not_met"),
        insufficient=values.count("insufficient"),
        not_applicable=values.count("not_applicable"),
        applicable=len(values) - values.count("not_applicable"),
    )
    return SimpleNamespace(unit=unit, counts=counts, results=results)


def test_readiness_from_an_assessment_like_object():
    a = _assessment(
        "Hưng Dũng",
        [(True, "met"), (True, "insufficient"), (False, "not_met"), (False, "not_applicable")],
    )
    r = UnitReadiness.from_assessment(a, region="NA")
    assert r == UnitReadiness(
        "Hưng Dũng", "NA", criteria_missing=2, mandatory_unmet=1, insufficient=1
    )


def test_readiness_from_the_core_engine_types():
    results = pytest.importorskip("modelunit.results")
    outcomes = pytest.importorskip("modelunit.outcomes")
    counts = results.Counts(met=20, not_met=1, insufficient=1, not_applicable=0)
    rows = [
        SimpleNamespace(mandatory=True, outcome=outcomes.Outcome.MET),
        SimpleNamespace(mandatory=True, outcome=outcomes.Outcome.INSUFFICIENT),
        SimpleNamespace(mandatory=False, outcome=outcomes.Outcome.NOT_MET),
    ]
    a = SimpleNamespace(unit="Hưng Dũng", counts=counts, results=rows)
    r = UnitReadiness.from_assessment(a, region="NA")
    assert (r.criteria_missing, r.mandatory_unmet, r.insufficient) == (2, 1, 1)


def test_selection_is_most_ready_first_with_ties_by_unit_id():
    problem = RolloutProblem(
        regions=[Region("NA", total=5, recognised=1, capacity=2)],
        milestones=[Milestone(2027, 1)],
        start=2026,
        end=2027,
    )
    p = plan(problem, "earliest")
    units = [
        UnitReadiness("d", "NA", criteria_missing=1),
        UnitReadiness("c", "NA", criteria_missing=1),
        UnitReadiness("b", "NA", criteria_missing=0, mandatory_unmet=0),
        UnitReadiness("a", "NA", criteria_missing=1, mandatory_unmet=1),
        UnitReadiness("e", "NA", criteria_missing=5),
    ]
    chosen = select_units(p, units, region="NA")
    assert [(s.unit, s.year, s.rank) for s in chosen] == [
        ("b", 2026, 1),
        ("c", 2026, 2),
        ("d", 2027, 3),
        ("e", 2027, 4),
        ("a", None, 5),
    ]
    assert chosen[-1].reason == (
        "rank 5 of 5: 1 criterion missing, 1 mandatory unmet; the plan takes on 4 units by 2027"
    )
    assert structure(unstructure(chosen[0]), type(chosen[0])) == chosen[0]
    assert structure(unstructure(units[0]), UnitReadiness) == units[0]


def test_selection_errors_list_every_problem():
    problem = RolloutProblem(regions=[Region("NA", total=5)], milestones=[], start=2026, end=2026)
    p = plan(problem)
    with pytest.raises(InvalidProblemError) as info:
        select_units(
            p,
            [UnitReadiness("a", "HN"), UnitReadiness("b", "NA"), UnitReadiness("b", "NA")],
            region="NA",
        )
    assert [x.path for x in info.value.problems] == ["readiness[0].region", "readiness[2].unit"]
    with pytest.raises(InvalidProblemError, match="unknown region id 'XX'"):
        select_units(p, [], region="XX")


# --- rebase ---------------------------------------------------------------------------

MAPPING = [
    MappingRow("a1", "X1", "A", "X"),
    MappingRow("a2", "X1", "A", "X"),
    MappingRow("a3", "X2", "A", "X"),
    MappingRow("b1", "X2", "B", "X"),
    MappingRow("b2", "Y1", "B", "Y"),
    MappingRow("b3", "Y1", "B", "Y"),
    MappingRow("b4", "Y1", "B", "Y"),
]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (MergeRule("all"), {"X": 1, "Y": 0}),
        (MergeRule("any"), {"X": 2, "Y": 1}),
        (MergeRule("share", "1/2"), {"X": 2, "Y": 0}),
        (MergeRule("share", "2/3"), {"X": 1, "Y": 0}),
        (MergeRule("share", "1/3"), {"X": 2, "Y": 1}),
    ],
)
def test_merge_rules(rule, expected):
    r = rebase_recognised(MAPPING, ["a1", "a2", "b1", "b4"], rule)
    assert {k: r.recognised.get(k, 0) for k in ("X", "Y")} == expected
    assert r.totals == {"X": 2, "Y": 1}
    assert structure(unstructure(r), type(r)) == r


def test_merge_rule_errors():
    with pytest.raises(InvalidMappingError, match="expected a share in"):
        MergeRule("share")
    with pytest.raises(InvalidMappingError, match="unknown merge rule"):
        MergeRule("most")  # type: ignore[arg-type]


def test_mapping_errors_are_all_listed():
    bad = [*MAPPING, MappingRow("a1", "Z9", "C", "Z"), MappingRow("c1", "X1", "C", "Y")]
    with pytest.raises(InvalidMappingError) as info:
        rebase_recognised(bad, ["a1", "zz"])
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("mapping[7].old_region", "old unit 'a1' is in 'C' here but in 'A' at mapping[0]"),
        ("mapping[8].new_region", "new unit 'X1' is in 'Y' here but in 'X' at mapping[0]"),
        ("recognised[1]", "unknown old unit 'zz' (not in the mapping)"),
    ]


def test_rebase_problem_and_plan():
    old = RolloutProblem(
        regions=[Region("A", total=3, recognised=2), Region("B", total=4, recognised=2)],
        milestones=[Milestone(2026, "50%"), Milestone(2030, 1), Milestone(2027, 1, region="A")],
        start=2026,
        end=2030,
        national_cap=3,
    )
    new = rebase_problem(
        old, MAPPING, ["a1", "a2", "b1", "b4"], MergeRule("any"), capacity={"X": 1}, start=2027
    )
    assert [(r.id, r.total, r.recognised, r.capacity) for r in new.regions] == [
        ("X", 2, 2, 1),
        ("Y", 1, 1, None),
    ]
    assert new.start == 2027
    assert [m.region for m in new.milestones] == [None, None]
    old_plan = plan(old, "level")
    new_plan = rebase_plan(old_plan, MAPPING, ["a1", "a2", "b1", "b4"], MergeRule("all"))
    assert new_plan.strategy == "level"
    assert [(r.region, r.recognised) for r in new_plan.regions] == [("X", 1), ("Y", 0)]
    with pytest.raises(InvalidMappingError) as info:
        rebase_problem(
            old, [*MAPPING[:-1], MappingRow("q", "Q", "Q", "Q")], ["a1"], capacity={"W": 1}
        )
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("mapping[6].old_region", "unknown region id 'Q'"),
        ("problem.regions[1].total", "the mapping has 3 old units for 'B', the problem 4"),
    ]


# --- simulation -----------------------------------------------------------------------


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
    with pytest.raises(ValueError, match="runs must be positive"):
        simulate(p, "1/2", runs=0)
