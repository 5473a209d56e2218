"""The level outlook (issue 14, item 1): a level must not look decided when pending
criteria could still change it."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from modelunit.outcomes import Outcome
from modelunit.policy import (
    AllConditions,
    AnyCondition,
    CriteriaOutcomes,
    Level,
    NotCondition,
    Points,
    RecognitionPolicy,
    Tally,
    decide_level,
    holds,
    level_outlook,
    points_of,
)
from tests.helpers import POLICY

MET, NOT_MET, PENDING = Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT

# The new-rural revocation rule: revoked when 50% or more of the criteria fail, or
# 30-50% fail including the security criterion (here C07).
REVOKED_WHEN = AnyCondition(
    (
        Tally("not_met", min_share=Fraction(1, 2)),
        AllConditions(
            (Tally("not_met", min_share=Fraction(3, 10)), CriteriaOutcomes(("C07",), "not_met"))
        ),
    )
)
REVOCATION = RecognitionPolicy(
    (Level("kept", NotCondition(REVOKED_WHEN)),), fallback=Level("revoked")
)


def nineteen(failing: tuple[int, ...], pending: tuple[int, ...]) -> dict[str, Outcome]:
    return {
        f"C{i:02d}": NOT_MET if i in failing else PENDING if i in pending else MET
        for i in range(1, 20)
    }


def test_revocation_rule_five_failing_with_security_one_pending_is_kept_for_now() -> None:
    outcomes = nineteen(failing=(1, 2, 3, 4, 7), pending=(12,))
    level, _ = decide_level(REVOCATION, outcomes)
    assert level.id == "kept"  # what the policy says today, unchanged
    outlook = level_outlook(REVOCATION, outcomes)
    assert (outlook.level, outlook.settled) == ("kept", False)
    assert (outlook.best, outlook.worst) == ("kept", "revoked")
    assert outlook.possible == ("kept", "revoked")
    assert outlook.deciding == ("C12",)
    assert outlook.describe() == "kept for now; revoked if C12 is not met"


def test_revocation_rule_without_security_failing_is_settled() -> None:
    # 5 of 19 fail, not security: a sixth failure is 6/19 >= 30% but C07 is met.
    outlook = level_outlook(REVOCATION, nineteen(failing=(1, 2, 3, 4, 5), pending=(12,)))
    assert (outlook.level, outlook.settled, outlook.deciding) == ("kept", True, ())
    assert outlook.describe() == "kept (settled)"


def test_revocation_rule_security_pending_decides() -> None:
    outlook = level_outlook(REVOCATION, nineteen(failing=(1, 2, 3, 4, 5), pending=(7,)))
    assert outlook.describe() == "kept for now; revoked if C07 is not met"


def test_interchangeable_pending_criteria_are_counted_together() -> None:
    # 21 of 22 style: basically met now; all pending met -> model; one failing -> not yet.
    outcomes = {"C1": MET, "C2": PENDING, "C3": PENDING}
    outlook = level_outlook(POLICY, outcomes)
    assert outlook.possible == ("model", "basically_met", "not_yet")
    assert outlook.level == "not_yet"  # two pending: more than the one basically_met allows
    assert outlook.describe() == (
        "not_yet for now; model if C2 and C3 are met; basically_met if 1 of C2, C3 are met"
    )


def test_level_defined_over_pending_counts_keeps_working() -> None:
    # "21 of 22 met, the rest pending" reaches basically_met; it is not settled.
    outcomes = {f"C{i}": MET for i in range(1, 22)} | {"C22": PENDING}
    level, _ = decide_level(POLICY, outcomes)
    outlook = level_outlook(POLICY, outcomes)
    assert level.id == outlook.level == "basically_met"
    assert outlook.describe() == (
        "basically_met for now; model if C22 is met; not_yet if C22 is not met"
    )


def test_a_rule_that_cannot_fail_is_not_assumed_to() -> None:
    outcomes = {"C1": MET, "C2": PENDING}
    possible = {"C2": frozenset({MET, PENDING})}
    assert level_outlook(POLICY, outcomes, possible=possible).worst == "basically_met"
    assert level_outlook(POLICY, outcomes).worst == "not_yet"


def test_past_the_limit_the_range_is_bounded_never_narrower() -> None:
    outcomes = {"C1": MET, "C2": PENDING, "C3": PENDING}
    exact = level_outlook(POLICY, outcomes)
    bounded = level_outlook(POLICY, outcomes, limit=1)
    assert (bounded.exact, bounded.paths) == (False, ())
    assert set(exact.possible) <= set(bounded.possible)
    assert bounded.settled is False
    assert bounded.level == exact.level


def _completions(outcomes: dict[str, Outcome]) -> list[dict[str, Outcome]]:
    pending = [c for c, o in outcomes.items() if o is PENDING]
    return [
        outcomes | dict(zip(pending, choice, strict=True))
        for choice in itertools.product((MET, NOT_MET, PENDING), repeat=len(pending))
    ]


_ids = [f"C{i:02d}" for i in range(1, 8)]
# Points, a group scope, a veto and a level that ignores it: every part of the counting.
POINTS = {cid: Decimal(p) for cid, p in zip(_ids, (5, 3, 3, 2, 2, 1, 1), strict=True)}
GROUPS = {"g1": frozenset({"C02", "C03", "C04"})}
MANDATORY = ("C01",)
SCORED = RecognitionPolicy(
    (
        Level(
            "gold", AllConditions((Points(Decimal(12)), Tally("met", min_count=2, among=("g1",))))
        ),
        Level("silver", Tally("not_met", max_share=Fraction(1, 3))),
        Level("bronze", Tally("met", min_count=1, among=("C06", "C07")), honours_veto=False),
    )
)
POLICIES = [POLICY, REVOCATION, SCORED]


def _level(policy: RecognitionPolicy, outcomes: dict[str, Outcome]) -> str:
    return decide_level(
        policy,
        outcomes,
        points=points_of(outcomes, POINTS),
        groups=GROUPS,
        mandatory=MANDATORY,
    )[0].id


@given(
    st.sampled_from(POLICIES),
    st.lists(st.sampled_from((MET, NOT_MET, PENDING)), min_size=7, max_size=7),
)
def test_outlook_is_exactly_the_levels_of_all_completions(
    policy: RecognitionPolicy, values: list[Outcome]
) -> None:
    """A settled level never changes when pending evidence arrives, whatever arrives; and
    every level called possible is reached by some completion."""
    outcomes = dict(zip(_ids, values, strict=True))
    outlook = level_outlook(policy, outcomes, points=POINTS, groups=GROUPS, mandatory=MANDATORY)
    reached = {_level(policy, c) for c in _completions(outcomes)}
    assert set(outlook.possible) == reached
    assert outlook.settled == (reached == {outlook.level})
    assert outlook.level == _level(policy, outcomes)
    for path in outlook.paths:
        # Applying a path's steps reaches its level.
        # Steps over the same interchangeable criteria take different ones of them.
        trial = dict(outcomes)
        taken: set[str] = set()
        for step in path.steps:
            free = [cid for cid in step.among if cid not in taken]
            assert len(free) >= step.count
            for cid in free[: step.count]:
                trial[cid] = step.outcome
                taken.add(cid)
        assert _level(policy, trial) == path.level


# -- the same law on evidence: a settled assessment never changes as evidence arrives ------

import modelunit  # noqa: E402
from modelunit.assessment import assess  # noqa: E402
from modelunit.evidence import Evidence, EvidenceLedger, Unit  # noqa: E402

TUTORIAL = modelunit.load_catalog("tutorial")
_KEYS = (
    ("serious_crimes", "2023"),
    ("social_order_crimes", "2023"),
    ("social_order_crimes", "2022"),
    ("resident_satisfaction", "2023"),
)
_value = {
    "serious_crimes": st.integers(0, 2),
    "social_order_crimes": st.integers(0, 30),
    "resident_satisfaction": st.sampled_from(["0.85", "0.9", "0.95"]),
}


def _ledger(values: dict[tuple[str, str], object]) -> EvidenceLedger:
    from decimal import Decimal

    return EvidenceLedger(
        tuple(
            Evidence(
                f"e{i}",
                "w",
                ind,
                per,
                Decimal(v) if isinstance(v, str) else v,
                "2024-01-10",
            )
            for i, ((ind, per), v) in enumerate(values.items())
        )
    )


@given(st.data())
def test_a_settled_level_never_changes_when_pending_evidence_arrives(data: st.DataObject) -> None:
    full = {k: data.draw(_value[k[0]]) for k in _KEYS}
    known = data.draw(st.sets(st.sampled_from(_KEYS)))
    before = assess(
        TUTORIAL, _ledger({k: full[k] for k in _KEYS if k in known}), unit=Unit("w"), period="2023"
    )
    after = assess(TUTORIAL, _ledger(full), unit=Unit("w"), period="2023")
    assert before.outlook is not None
    assert after.level in before.outlook.possible
    if before.settled:
        assert after.level == before.level


# -- past the limit: the bounded range, against an oracle built from brute force ----------
#
# Past ``limit`` the outlook evaluates each level once over ranges: every atomic condition
# (a tally, named criteria, points) is true in all completions, in none, or "either", and
# compound conditions combine those in Kleene logic. The oracle finds each atomic
# condition's value by trying every completion with the public ``holds``, then combines
# them the same way; the outlook must give exactly its levels, and never fewer than the
# exact enumeration.

_FIVE = ("C1", "C2", "C3", "C4", "C5")
_FIVE_POINTS = {"C1": Decimal(4), "C2": Decimal(3), "C3": Decimal(2), "C4": Decimal(1)}
_FIVE_GROUPS = {"g": frozenset({"C2", "C3"})}
NA = Outcome.NOT_APPLICABLE


@st.composite
def _tallies(draw: st.DrawFn) -> Tally:
    counts = sorted(draw(st.lists(st.integers(0, 5), min_size=2, max_size=2)))
    shares = sorted(draw(st.lists(st.integers(0, 4), min_size=2, max_size=2)))
    among = draw(st.sampled_from(((), ("g",), ("C1", "C4"), ("g", "C5"))))
    return Tally(
        draw(st.sampled_from(("met", "not_met", "insufficient"))),
        min_count=draw(st.sampled_from((None, counts[0]))),
        max_count=draw(st.sampled_from((None, counts[1]))),
        min_share=draw(st.sampled_from((None, Fraction(shares[0], 4)))),
        max_share=draw(st.sampled_from((None, Fraction(shares[1], 4)))),
        among=among,
    )


_atoms = st.one_of(
    _tallies(),
    st.builds(
        CriteriaOutcomes,
        st.lists(st.sampled_from(_FIVE), min_size=1, max_size=3, unique=True).map(tuple),
        st.sampled_from(("met", "not_met", "insufficient")),
        st.sampled_from(("all", "any")),
    ),
    st.integers(0, 11).map(lambda p: Points(Decimal(p))),
)
_conditions = st.recursive(
    _atoms,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AllConditions(tuple(cs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AnyCondition(tuple(cs))),
        inner.map(NotCondition),
    ),
    max_leaves=5,
)


def _kleene(values: list[bool | None], *, all_of: bool) -> bool | None:
    if (not all_of) in values:
        return not all_of
    return None if None in values else all_of


def _oracle_value(cond: object, completions: list[dict[str, Outcome]]) -> bool | None:
    match cond:
        case AllConditions():
            return _kleene([_oracle_value(c, completions) for c in cond.conditions], all_of=True)
        case AnyCondition():
            return _kleene([_oracle_value(c, completions) for c in cond.conditions], all_of=False)
        case NotCondition():
            inner = _oracle_value(cond.condition, completions)
            return None if inner is None else not inner
    seen = {
        holds(cond, c, points=points_of(c, _FIVE_POINTS), groups=_FIVE_GROUPS)[0]  # type: ignore[arg-type]
        for c in completions
    }
    return seen.pop() if len(seen) == 1 else None


def _completions_within(
    outcomes: dict[str, Outcome], possible: dict[str, frozenset[Outcome]]
) -> list[dict[str, Outcome]]:
    pending = [c for c, o in outcomes.items() if o is PENDING]
    options = [
        [o for o in (MET, NOT_MET, PENDING) if o is PENDING or o in possible.get(c, {MET, NOT_MET})]
        for c in pending
    ]
    return [
        outcomes | dict(zip(pending, pick, strict=True)) for pick in itertools.product(*options)
    ]


def _oracle_levels(
    policy: RecognitionPolicy,
    outcomes: dict[str, Outcome],
    mandatory: tuple[str, ...],
    possible: dict[str, frozenset[Outcome]],
) -> tuple[str, ...]:
    completions = _completions_within(outcomes, possible)
    vetoes = {any(c[m] is NOT_MET for m in mandatory) for c in completions}
    veto = vetoes.pop() if len(vetoes) == 1 else None
    found = []
    for level in policy.levels:
        reach = _oracle_value(level.condition, completions)
        if level.honours_veto:
            reach = _kleene([reach, None if veto is None else not veto], all_of=True)
        if reach is not False:
            found.append(level.id)
        if reach is True:
            break
    else:
        found.append(policy.fallback.id)
    now = decide_level(
        policy,
        outcomes,
        points=points_of(outcomes, _FIVE_POINTS),
        groups=_FIVE_GROUPS,
        mandatory=mandatory,
    )[0].id
    order = [lv.id for lv in (*policy.levels, policy.fallback)]
    return tuple(sorted({*found, now}, key=order.index))


# More examples than the profile's: the cases that tell a range apart (a narrowed pending
# criterion inside a tally's scope, say) are rarely among the first few, and the mutation
# profile runs few, in a fixed order.
@settings(max_examples=150)
@given(
    st.lists(
        st.builds(Level, st.sampled_from(("a", "b", "c")), _conditions, honours_veto=st.booleans()),
        min_size=1,
        max_size=3,
        unique_by=lambda lv: lv.id,
    ),
    st.lists(st.sampled_from((MET, NOT_MET, PENDING, PENDING, NA)), min_size=5, max_size=5),
    st.lists(st.sampled_from(_FIVE), max_size=2, unique=True).map(tuple),
    st.dictionaries(
        st.sampled_from(_FIVE),
        st.sampled_from((frozenset({MET}), frozenset({NOT_MET}), frozenset())),
    ),
)
def test_past_the_limit_the_bounded_levels_are_the_oracles(
    levels: list[Level],
    values: list[Outcome],
    mandatory: tuple[str, ...],
    possible: dict[str, frozenset[Outcome]],
) -> None:
    policy = RecognitionPolicy(tuple(levels))
    outcomes = dict(zip(_FIVE, values, strict=True))
    narrowed = {c: frozenset({*o, PENDING}) for c, o in possible.items()}
    common = {"points": _FIVE_POINTS, "groups": _FIVE_GROUPS, "mandatory": mandatory}
    bounded = level_outlook(policy, outcomes, possible=narrowed, limit=0, **common)
    exact = level_outlook(policy, outcomes, possible=narrowed, **common)
    assert bounded.level == exact.level
    if PENDING in values:
        assert bounded.exact is False
        assert bounded.possible == _oracle_levels(policy, outcomes, mandatory, possible)
        assert set(exact.possible) <= set(bounded.possible)
    else:
        assert bounded == exact  # nothing pending: one combination, exact at any limit


def test_a_path_names_the_criteria_in_catalog_order() -> None:
    # Catalog order is not the ids' order: C2 comes first.
    two = RecognitionPolicy((Level("model", Tally("met", min_count=2)),))
    (path,) = level_outlook(two, {"C2": PENDING, "C1": PENDING}).paths
    assert [(s.outcome, s.count, s.among) for s in path.steps] == [(MET, 2, ("C2", "C1"))]
    # C1 is named by the condition, C3 and C2 are not: two classes, met as one step.
    named = RecognitionPolicy(
        (Level("model", AllConditions((Tally("met", min_count=3), CriteriaOutcomes(("C1",))))),)
    )
    outlook = level_outlook(named, {"C3": PENDING, "C1": PENDING, "C2": PENDING})
    (path,) = outlook.paths
    assert [(s.outcome, s.count, s.among) for s in path.steps] == [(MET, 3, ("C3", "C1", "C2"))]


def test_points_tell_criteria_apart_only_when_a_condition_counts_points() -> None:
    # The policy counts criteria, not points: the three pending criteria are alike, and
    # the path to the model level is "2 of C1, C2, C3 met", whatever their points.
    policy = RecognitionPolicy((Level("model", Tally("met", min_count=2)),))
    pending = {"C1": PENDING, "C2": PENDING, "C3": PENDING}
    outlook = level_outlook(policy, pending, points={"C1": Decimal(1), "C2": Decimal(2)})
    (path,) = outlook.paths
    assert [(s.outcome, s.count, s.among) for s in path.steps] == [(MET, 2, ("C1", "C2", "C3"))]


def test_any_of_named_pending_criteria_holds_only_once_one_is_met() -> None:
    policy = RecognitionPolicy(
        (Level("model", CriteriaOutcomes(("C1",), "met", quantifier="any")),)
    )
    outlook = level_outlook(policy, {"C1": PENDING, "C2": MET})
    assert (outlook.level, outlook.settled, outlook.possible) == (
        "not_yet",
        False,
        ("model", "not_yet"),
    )


def test_a_bounded_tally_counts_no_met_criterion_among_those_that_can_only_stay_pending() -> None:
    # C1 can neither be met nor fail: at most one criterion (C2) is ever met, so the
    # model level (at most one met) holds whatever happens, bounded or exact.
    policy = RecognitionPolicy((Level("model", Tally("met", max_count=1)),))
    outcomes = {"C1": PENDING, "C2": MET}
    stuck = {"C1": frozenset({PENDING})}
    for limit in (0, 100):
        outlook = level_outlook(policy, outcomes, possible=stuck, limit=limit)
        assert (outlook.level, outlook.settled, outlook.possible) == ("model", True, ("model",))
        assert outlook.exact is (limit > 0)


def test_the_deciding_criteria_are_listed_in_catalog_order() -> None:
    # Catalog order is not the ids' order: C2 comes first, exact or bounded.
    two = RecognitionPolicy((Level("model", Tally("met", min_count=2)),))
    for limit in (0, 100):
        outlook = level_outlook(two, {"C2": PENDING, "C1": PENDING}, limit=limit)
        assert (outlook.deciding, outlook.exact) == (("C2", "C1"), limit > 0)


def test_exactly_limit_combinations_are_still_enumerated() -> None:
    # Two interchangeable pending criteria are one class of 6 combinations (0, 1 or 2
    # met, and of the rest 0 up to all not met): enumerated at a limit of 6, not of 5.
    two = RecognitionPolicy((Level("model", Tally("met", min_count=2)),))
    pending = {"C1": PENDING, "C2": PENDING}
    exact = level_outlook(two, pending, limit=6)
    assert (exact.level, exact.possible, exact.exact) == ("not_yet", ("model", "not_yet"), True)
    (path,) = exact.paths
    assert [(s.outcome, s.count, s.among) for s in path.steps] == [(MET, 2, ("C1", "C2"))]
    bounded = level_outlook(two, pending, limit=5)
    assert (bounded.possible, bounded.exact, bounded.paths) == (("model", "not_yet"), False, ())
