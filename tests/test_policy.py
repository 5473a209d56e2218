"""Recognition policies: conditions (``holds``), levels (``decide_level``), points,
validation (``policy_problems``), and the recognition rules of real regulations
through ``assess``."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import modelunit
from modelunit.criteria import CriteriaSet, Criterion, Group
from modelunit.evidence import Unit, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.policy import (
    CONDITION_TYPES,
    AllConditions,
    AnyCondition,
    Condition,
    CriteriaOutcomes,
    Level,
    NotCondition,
    Points,
    RecognitionPolicy,
    Tally,
    decide_level,
    holds,
    points_of,
    policy_problems,
)
from modelunit.results import LevelCheck
from modelunit.rules import Compare, Flag
from tests.helpers import catalog_of, ev, evidence_22, ledger, problems_of, twenty_two

D = Decimal
MET, NOT_MET, UNKNOWN, NA = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.INSUFFICIENT,
    Outcome.NOT_APPLICABLE,
)

# One of each outcome; D does not apply and is never counted.
OUTCOMES = {"A": MET, "B": NOT_MET, "C": UNKNOWN, "D": NA}


# -- holds: each condition kind ------------------------------------------------------------


class TestTally:
    @pytest.mark.parametrize(
        ("tally", "expected"),
        [
            (Tally("met", min_count=1), (True, "1/3 met; needs >= 1")),
            (Tally("met", min_count=2), (False, "1/3 met; needs >= 2")),
            (Tally("not_met", max_count=0), (False, "1/3 not met; needs <= 0")),
            (Tally("insufficient", max_count=1), (True, "1/3 insufficient evidence; needs <= 1")),
            (Tally("met", min_share=Fraction(1, 3)), (True, "1/3 met; needs >= 33.3333%")),
            (Tally("met", min_share=Fraction(1, 2)), (False, "1/3 met; needs >= 50%")),
            (Tally("met", max_share=Fraction(1, 3)), (True, "1/3 met; needs <= 33.3333%")),
            (Tally("met", max_share=Fraction(1, 4)), (False, "1/3 met; needs <= 25%")),
            (Tally("met"), (True, "1/3 met; needs any number")),
        ],
    )
    def test_bounds_are_inclusive_and_over_applicable_criteria(
        self, tally: Tally, expected: tuple[bool, str]
    ) -> None:
        assert holds(tally, OUTCOMES) == expected

    def test_every_bound_given_must_hold(self) -> None:
        both = Tally("met", min_count=1, max_share=Fraction(1, 4))
        assert holds(both, OUTCOMES) == (False, "1/3 met; needs >= 1 and <= 25%")

    def test_a_minimum_share_of_nothing_is_not_reached(self) -> None:
        only_na = {"A": NA, "B": NA}
        assert holds(Tally("met", min_share=Fraction(0)), only_na) == (
            False,
            "0/0 met; needs >= 0%",
        )
        assert holds(Tally("met", max_share=Fraction(0)), only_na) == (True, "0/0 met; needs <= 0%")

    def test_among_criterion_ids(self) -> None:
        assert holds(Tally("met", min_share=Fraction(1), among=("A", "D")), OUTCOMES) == (
            True,
            "1/1 met; needs >= 100%",
        )

    def test_among_group_ids_expands_to_their_criteria(self) -> None:
        groups = {"G": frozenset({"A", "B"}), "H": frozenset({"C"})}
        assert holds(Tally("met", min_count=1, max_share=Fraction(1, 2)), OUTCOMES, groups=groups)[
            0
        ]
        in_g = Tally("not_met", min_share=Fraction(1, 2), among=("G",))
        assert holds(in_g, OUTCOMES, groups=groups) == (True, "1/2 not met; needs >= 50%")
        # A group and a criterion id together; C is in H, so H and C name the same one.
        mixed = Tally("met", max_count=0, among=("H", "C"))
        assert holds(mixed, OUTCOMES, groups=groups) == (True, "0/1 met; needs <= 0")

    def test_a_group_id_without_groups_names_no_criterion(self) -> None:
        assert holds(Tally("met", min_count=1, among=("G",)), OUTCOMES) == (
            False,
            "0/0 met; needs >= 1",
        )


def test_a_share_of_one_criterion_is_rounded_down_to_whole_criteria() -> None:
    # At most half of one criterion is none of it: n / 1 <= 1/2 only for n = 0.
    at_most_half = Tally("met", max_share=Fraction(1, 2))
    assert at_most_half.accepted(1) == (0, 0)
    assert holds(at_most_half, {"A": MET}) == (False, "1/1 met; needs <= 50%")
    assert holds(at_most_half, {"A": NOT_MET}) == (True, "0/1 met; needs <= 50%")


def test_a_negative_maximum_share_of_nothing_is_not_reached() -> None:
    # With no criteria the share is 0, which is above any negative maximum (validation
    # refuses such a share in a policy; the bounds still mean what they say).
    below_zero = Tally("met", max_share=Fraction(-1, 2))
    assert below_zero.accepted(0) is None
    assert holds(below_zero, {"A": NA}) == (False, "0/0 met; needs <= -50%")


class TestCriteriaOutcomes:
    def test_all_of_the_named_criteria(self) -> None:
        assert holds(CriteriaOutcomes(("A",)), OUTCOMES) == (True, "all of A met: all are")
        assert holds(CriteriaOutcomes(("A", "B", "C")), OUTCOMES) == (
            False,
            "all of A, B, C met: not met: B, C",
        )

    def test_any_of_the_named_criteria(self) -> None:
        assert holds(CriteriaOutcomes(("B", "C"), "not_met", "any"), OUTCOMES) == (
            True,
            "any of B, C not met: B not met",
        )
        assert holds(CriteriaOutcomes(("A", "C"), "not_met", "any"), OUTCOMES) == (
            False,
            "any of A, C not met: none not met",
        )

    def test_a_criterion_without_an_outcome_does_not_have_one(self) -> None:
        assert not holds(CriteriaOutcomes(("Z",)), OUTCOMES)[0]
        assert not holds(CriteriaOutcomes(("D",), "insufficient"), OUTCOMES)[0]


def test_points_at_least() -> None:
    assert holds(Points(D(14)), OUTCOMES, points=D(14)) == (True, "14 points; needs >= 14")
    assert holds(Points(D("14.5")), OUTCOMES, points=D(14)) == (False, "14 points; needs >= 14.5")
    assert holds(Points(D(1)), OUTCOMES) == (False, "0 points; needs >= 1")


def test_points_and_not_are_said_in_the_language_asked() -> None:
    assert holds(Points(D(3)), OUTCOMES, points=D(2), lang="vi") == (False, "2 điểm; cần >= 3")
    assert holds(NotCondition(Points(D(3))), OUTCOMES, points=D(2), lang="vi") == (
        True,
        "không (2 điểm; cần >= 3)",
    )


class TestCombinations:
    yes = Tally("met", min_count=1)  # holds: "1/3 met; needs >= 1"
    no = Tally("met", min_count=3)  # fails: "1/3 met; needs >= 3"

    def test_all_gives_the_first_failure_or_every_reason(self) -> None:
        assert holds(AllConditions((self.yes, self.no, self.no)), OUTCOMES) == (
            False,
            "1/3 met; needs >= 3",
        )
        assert holds(AllConditions((self.yes, self.yes)), OUTCOMES) == (
            True,
            "1/3 met; needs >= 1; 1/3 met; needs >= 1",
        )
        assert holds(AllConditions(()), OUTCOMES) == (True, "always")

    def test_any_gives_the_first_success_or_every_reason(self) -> None:
        assert holds(AnyCondition((self.no, self.yes)), OUTCOMES) == (True, "1/3 met; needs >= 1")
        assert holds(AnyCondition((self.no, self.no)), OUTCOMES) == (
            False,
            "1/3 met; needs >= 3; 1/3 met; needs >= 3",
        )
        assert holds(AnyCondition(()), OUTCOMES) == (False, "no condition")

    def test_not(self) -> None:
        assert holds(NotCondition(self.no), OUTCOMES) == (True, "not (1/3 met; needs >= 3)")
        assert holds(NotCondition(self.yes), OUTCOMES) == (False, "not (1/3 met; needs >= 1)")

    def test_points_and_groups_reach_nested_conditions(self) -> None:
        groups = {"G": frozenset({"B"})}
        nested = NotCondition(
            AnyCondition((Points(D(10)), Tally("met", min_count=1, among=("G",))))
        )
        assert holds(nested, OUTCOMES, points=D(9), groups=groups)[0]
        assert not holds(nested, OUTCOMES, points=D(10), groups=groups)[0]
        assert not holds(nested, OUTCOMES, groups={"G": frozenset({"A"})})[0]


EXAMPLES: tuple[Condition, ...] = (
    Tally("met"),
    CriteriaOutcomes(("A",)),
    Points(D(0)),
    AllConditions(()),
    AnyCondition(()),
    NotCondition(Points(D(1))),
)


def test_the_tests_above_cover_every_condition_kind() -> None:
    assert {type(c) for c in EXAMPLES} == set(CONDITION_TYPES)
    # Each is decided and explained without error.
    assert [holds(c, OUTCOMES)[0] for c in EXAMPLES] == [True, True, True, True, False, True]


def test_every_condition_describes_itself() -> None:
    tally = Tally("not_met", max_count=0, min_share=Fraction(1, 4), among=("G1", "C2"))
    assert tally.describe() == "criteria not met among G1, C2: <= 0 and >= 25%"
    assert Tally("insufficient").describe() == "criteria insufficient evidence: any number"
    both = Tally("met", min_count=2, max_share=Fraction(9, 10))
    assert both.describe() == "criteria met: >= 2 and <= 90%"
    assert Points(D("12.5")).describe() == "points >= 12.5"
    named = CriteriaOutcomes(("A", "B"), outcome="not_met", quantifier="any")
    assert named.describe() == "any of A, B not met"
    combined = AllConditions((Points(D(1)), AnyCondition((named, NotCondition(Tally("met"))))))
    assert combined.describe() == (
        "(points >= 1) and ((any of A, B not met) or (not (criteria met: any number)))"
    )
    assert AllConditions(()).describe() == ""
    assert NotCondition(named).describe() == "not (any of A, B not met)"
    # In Vietnamese all the way down, the scope of a tally included.
    nested = AllConditions((Points(D(1)), AnyCondition((named, NotCondition(tally)))))
    assert nested.describe("vi") == (
        "(điểm >= 1) và ((một trong A, B chưa đạt) hoặc "
        "(không (tiêu chí chưa đạt trong số G1, C2: <= 0 và >= 25%)))"
    )


# -- decide_level ----------------------------------------------------------------------------

LADDER = RecognitionPolicy(
    (
        Level("gold", Tally("met", min_share=Fraction(1)), recognised=True),
        Level("silver", Tally("not_met", max_count=0), recognised=True),
        Level("bronze", Tally("met", min_count=1), honours_veto=False),
    ),
    fallback=Level("none", AllConditions(()), title_en="none yet"),
)


def test_the_first_level_reached_wins_with_a_check_per_level_tried() -> None:
    level, checks = decide_level(LADDER, {"A": MET, "C": UNKNOWN})
    assert level.id == "silver"
    assert checks == (
        LevelCheck("gold", reached=False, reason="1/2 met; needs >= 100%"),
        LevelCheck("silver", reached=True, reason="0/2 not met; needs <= 0"),
    )


def test_a_failed_mandatory_criterion_vetoes_the_levels_that_honour_vetoes() -> None:
    level, checks = decide_level(
        LADDER, {"A": MET, "B": NOT_MET, "E": NOT_MET}, mandatory=("B", "C", "E")
    )
    assert level.id == "bronze"
    assert [(c.level, c.reached, c.reason) for c in checks] == [
        ("gold", False, "vetoed: mandatory B, E not met"),
        ("silver", False, "vetoed: mandatory B, E not met"),
        ("bronze", True, "1/3 met; needs >= 1"),
    ]


def test_a_veto_is_said_in_the_language_asked() -> None:
    _, checks = decide_level(LADDER, {"A": MET, "B": NOT_MET}, mandatory=("B",), lang="vi")
    assert [(c.level, c.reached, c.reason) for c in checks] == [
        ("gold", False, "bị phủ quyết: tiêu chí bắt buộc B chưa đạt"),
        ("silver", False, "bị phủ quyết: tiêu chí bắt buộc B chưa đạt"),
        ("bronze", True, "1/2 đạt; cần >= 1"),
    ]


def test_a_pending_mandatory_criterion_vetoes_nothing() -> None:
    level, _ = decide_level(LADDER, {"A": MET, "B": UNKNOWN}, mandatory=("B",))
    assert level.id == "silver"


def test_the_fallback_when_no_level_is_reached() -> None:
    level, checks = decide_level(LADDER, {"A": NOT_MET}, mandatory=("A",))
    assert level is LADDER.fallback
    assert level.title() == "none yet"
    assert [(c.level, c.reached) for c in checks] == [
        ("gold", False),
        ("silver", False),
        ("bronze", False),
        ("none", True),
    ]
    assert checks[-1].reason == "no higher level reached"


def test_the_default_fallback_is_not_yet() -> None:
    level, checks = decide_level(RecognitionPolicy(()), {"A": MET})
    assert (level.id, level.title("vi"), level.title("en"), level.recognised) == (
        "not_yet",
        "chưa đạt",
        "not yet met",
        False,
    )
    assert [(c.level, c.reached) for c in checks] == [("not_yet", True)]


def test_points_and_groups_are_passed_to_the_conditions() -> None:
    policy = RecognitionPolicy(
        (Level("p", AllConditions((Points(D(5)), Tally("met", min_count=1, among=("G",))))),)
    )
    groups = {"G": frozenset({"A"})}
    assert decide_level(policy, {"A": MET}, points=D(5), groups=groups)[0].id == "p"
    assert decide_level(policy, {"A": MET}, points=D(4), groups=groups)[0].id == "not_yet"
    assert decide_level(policy, {"A": MET}, points=D(5))[0].id == "not_yet"


# -- points_of -------------------------------------------------------------------------------


def test_points_count_only_met_criteria() -> None:
    points = {"A": D(3), "B": D(4), "C": D(5), "D": D(6)}
    assert points_of(OUTCOMES, points) == D(3)
    assert points_of({"A": MET, "B": MET, "Z": MET}, points) == D(7)
    assert points_of({}, points) == D(0)


def test_points_are_exact_under_a_low_ambient_precision() -> None:
    points = {f"C{i}": D("1000.001") for i in range(3)}
    outcomes = dict.fromkeys(points, MET)
    with decimal.localcontext(prec=3) as ambient:
        total = points_of(outcomes, points)
        assert decimal.getcontext() is ambient
        assert ambient.prec == 3
    assert total == D("3000.003")
    assert str(total) == "3000.003"


# -- policy_problems -------------------------------------------------------------------------


def _problems(*conditions: Condition, fallback: Condition | None = None) -> list[tuple[str, ...]]:
    levels = tuple(Level(f"L{i}", c) for i, c in enumerate(conditions))
    policy = (
        RecognitionPolicy(levels)
        if fallback is None
        else RecognitionPolicy(levels, fallback=Level("F", fallback))
    )
    found = policy_problems(policy, {"C1", "C2"}, {"G"})
    return [(p.path, p.record or "", p.message) for p in found]


def test_a_consistent_policy_has_no_problems() -> None:
    assert (
        _problems(
            Tally("met", min_count=0, max_count=3, min_share=Fraction(0), max_share=Fraction(1)),
            Tally("met", among=("C1", "G")),
            CriteriaOutcomes(("C1", "C2"), "not_met", "any"),
            NotCondition(AnyCondition((Points(D(1)), AllConditions(())))),
        )
        == []
    )


@pytest.mark.parametrize(
    ("condition", "field", "message"),
    [
        (Tally("met", among=("C1", "nope")), "among", "unknown criterion or group 'nope'"),
        (Tally("met", min_count=-1), "min_count", "cannot be negative: -1"),
        (Tally("met", max_count=-2), "max_count", "cannot be negative: -2"),
        (Tally("met", min_share=Fraction(3, 2)), "min_share", "a share lies in 0..1; got 3/2"),
        (Tally("met", max_share=Fraction(-1, 2)), "max_share", "a share lies in 0..1; got -1/2"),
        (CriteriaOutcomes(()), "criteria", "name at least one criterion"),
        (CriteriaOutcomes(("C1", "C9")), "criteria", "unknown criterion 'C9'"),
    ],
)
def test_each_problem_names_its_field_and_level(
    condition: Condition, field: str, message: str
) -> None:
    assert _problems(Tally("met"), condition) == [
        (f"policy.levels[1].condition.{field}", "L1", message)
    ]


def test_every_problem_of_a_condition_is_reported() -> None:
    found = _problems(Tally("met", min_count=-1, max_share=Fraction(2), among=("x", "y")))
    assert found == [
        ("policy.levels[0].condition.among", "L0", "unknown criterion or group 'x'"),
        ("policy.levels[0].condition.among", "L0", "unknown criterion or group 'y'"),
        ("policy.levels[0].condition.min_count", "L0", "cannot be negative: -1"),
        ("policy.levels[0].condition.max_share", "L0", "a share lies in 0..1; got 2"),
    ]


def test_nested_conditions_and_the_fallback_have_paths() -> None:
    nested = AllConditions(
        (Points(D(1)), AnyCondition((Tally("met"), NotCondition(CriteriaOutcomes(("C9",))))))
    )
    found = _problems(nested, fallback=Tally("met", among=("zz",)))
    assert sorted(found) == [
        (
            "policy.fallback.condition.among",
            "F",
            "unknown criterion or group 'zz'",
        ),
        (
            "policy.levels[0].condition.conditions[1].conditions[1].condition.criteria",
            "L0",
            "unknown criterion 'C9'",
        ),
    ]


def test_policy_references_are_checked() -> None:
    policy = RecognitionPolicy(
        (
            Level("x", CriteriaOutcomes(("C9",))),
            Level("y", Tally("met", min_share=Fraction(3, 2), among=("nope",))),
        )
    )
    found = problems_of(policy=policy)
    assert [(p, m) for p, _, m in found] == [
        ("policy.levels[0].condition.criteria", "unknown criterion 'C9'"),
        ("policy.levels[1].condition.among", "unknown criterion or group 'nope'"),
        ("policy.levels[1].condition.min_share", "a share lies in 0..1; got 3/2"),
    ]


def test_criteria_outcomes_cannot_name_a_group() -> None:
    found = problems_of(
        groups=(Group("G1"),),
        criteria=(Criterion("C1", Flag("hq_ok"), group="G1"),),
        policy=RecognitionPolicy((Level("all", CriteriaOutcomes(("G1",))),)),
    )
    assert found == [
        (
            "policy.levels[0].condition.criteria",
            "all",
            "'G1' is a group; name its criteria, or use a tally with among = [group]",
        )
    ]


# -- recognition rules through assess ----------------------------------------------------------


def test_22_of_22_is_a_model_unit() -> None:
    result = modelunit.assess(
        twenty_two(), evidence_22(dict.fromkeys(range(1, 23), True)), unit="w", period="2023"
    )
    assert result.level == "model"
    assert result.recognised
    assert result.summary() == "22/22 met: model unit"
    assert result.points == D(110)
    assert result.gaps == ()


def test_21_met_one_pending_is_basically_met() -> None:
    result = modelunit.assess(
        twenty_two(), evidence_22(dict.fromkeys(range(1, 22), True)), unit="w", period="2023"
    )
    assert result.counts.summary() == "21/22 met, 1 pending"
    assert result.level == "basically_met"
    assert result.summary("vi") == "21/22 đạt, 1 chưa đủ căn cứ: cơ bản đạt"
    assert [(g.criterion, g.outcome, g.missing) for g in result.gaps] == [
        ("C22", Outcome.INSUFFICIENT, ("c22",))
    ]
    assert [(c.level, c.reached) for c in result.level_checks] == [
        ("model", False),
        ("basically_met", True),
    ]


def test_21_met_one_failed_is_not_yet() -> None:
    values = dict.fromkeys(range(1, 23), True) | {22: False}
    result = modelunit.assess(twenty_two(), evidence_22(values), unit="w", period="2023")
    assert result.level == "not_yet"
    assert result.level_checks[-1].reason == "no higher level reached"


def test_mandatory_failure_vetoes_every_honouring_level() -> None:
    values = dict.fromkeys(range(1, 23), True) | {1: False}
    catalog = twenty_two()
    lenient = attrs.evolve(
        catalog,
        policy=RecognitionPolicy((Level("lenient", Tally("met", min_count=20), recognised=True),)),
    )
    result = modelunit.assess(lenient, evidence_22(values), unit="w", period="2023")
    assert result.level == "not_yet"
    assert result.level_checks[0].reason == "vetoed: mandatory C1 not met"
    no_veto = attrs.evolve(
        lenient,
        policy=RecognitionPolicy(
            (Level("lenient", Tally("met", min_count=20), honours_veto=False),)
        ),
    )
    assert (
        modelunit.assess(no_veto, evidence_22(values), unit="w", period="2023").level == "lenient"
    )


def test_revocation_rule_of_new_rural_communes() -> None:
    """Revoked when 30-50% fail including one of a named set, or 50% or more fail."""
    inds = tuple(modelunit.indicators.Indicator(f"c{i}", "boolean", "last") for i in range(1, 11))
    crits = tuple(Criterion(f"C{i}", Flag(f"c{i}")) for i in range(1, 11))
    revoked = AnyCondition(
        (
            AllConditions(
                (
                    Tally("not_met", min_share=Fraction(3, 10), max_share=Fraction(1, 2)),
                    CriteriaOutcomes(("C9", "C10"), "not_met", "any"),
                )
            ),
            Tally("not_met", min_share=Fraction(1, 2)),
        )
    )
    catalog = CriteriaSet(
        id="ntm",
        version="1",
        indicators=inds,
        criteria=crits,
        policy=RecognitionPolicy(
            (Level("revoked", revoked),), fallback=Level("kept", AllConditions(()))
        ),
    )

    def level(failing: set[int]) -> str:
        book = evidence_22({i: i not in failing for i in range(1, 11)})
        return modelunit.assess(catalog, book, unit="w", period="2023").level

    assert level({1, 2, 3}) == "kept"  # 30% failing, none of the named set
    assert level({1, 2, 9}) == "revoked"  # 30% including C9
    assert level({1, 2, 3, 4, 5}) == "revoked"  # 50%
    assert level({1, 9}) == "kept"  # 20%


def test_civilized_ward_all_nine_and_ninety_percent_satisfied() -> None:
    inds = (
        *(modelunit.indicators.Indicator(f"c{i}", "boolean", "last") for i in range(1, 10)),
        modelunit.indicators.Indicator("satisfied", "share", "last"),
    )
    crits = (
        *(Criterion(f"C{i}", Flag(f"c{i}"), group="criteria") for i in range(1, 10)),
        Criterion("S", Compare("satisfied", ">=", D("0.9")), group="conditions"),
    )
    policy = RecognitionPolicy(
        (
            Level(
                "civilized",
                AllConditions(
                    (
                        Tally("met", min_share=Fraction(1), among=("criteria",)),
                        CriteriaOutcomes(("S",)),
                    )
                ),
                recognised=True,
            ),
        )
    )
    catalog = CriteriaSet(
        id="dtvm",
        version="2022",
        indicators=inds,
        criteria=crits,
        policy=policy,
        groups=(Group("criteria"), Group("conditions")),
    )

    def level(share: str) -> str:
        recs = [ev(f"c{i}", "2023", True) for i in range(1, 10)]
        return modelunit.assess(
            catalog, ledger(*recs, ev("satisfied", "2023", share)), unit="w", period="2023"
        ).level

    assert level("90%") == "civilized"
    assert level("89.9%") == "not_yet"


def test_points_and_not_conditions() -> None:
    catalog = catalog_of(Flag("hq_ok"), Compare("crimes", "<=", D(1)))
    catalog = attrs.evolve(
        catalog,
        criteria=tuple(attrs.evolve(c, points=D(7)) for c in catalog.criteria),
        policy=RecognitionPolicy(
            (
                Level(
                    "gold",
                    AllConditions(
                        (Points(D(14)), NotCondition(Tally("insufficient", min_count=1)))
                    ),
                ),
                Level("silver", Points(D(7))),
            )
        ),
    )
    book = ledger(ev("hq_ok", "2023", True), ev("crimes", "2023", 5))
    result = modelunit.assess(catalog, book, unit="w", period="2023")
    assert (result.points, result.level) == (D(7), "silver")


def test_not_applicable_criteria_are_left_out_of_shares() -> None:
    catalog = catalog_of(Flag("hq_ok"), Flag("incident", expected=False))
    catalog = attrs.evolve(
        catalog,
        criteria=(catalog.criteria[0], attrs.evolve(catalog.criteria[1], applies_to=("ward",))),
    )
    units = UnitRegistry((Unit("x", kind="commune"),))
    result = modelunit.assess(
        catalog, ledger(ev("hq_ok", "2023", True, unit="x")), unit="x", period="2023", units=units
    )
    assert result.result("C2").outcome is Outcome.NOT_APPLICABLE
    assert result.result("C2").explanation == "applies to ward, not commune"
    assert result.counts.summary() == "1/1 met, 1 not applicable"
    assert result.level == "model"


def test_the_points_of_nothing_met_are_a_decimal_zero() -> None:
    # Not the integer 0 that sum() starts from: points are exact decimals throughout.
    zero = points_of({"C1": Outcome.NOT_MET}, {"C1": Decimal(5)})
    assert (type(zero), zero) == (Decimal, Decimal(0))
    assert type(points_of({}, {})) is Decimal


def test_a_level_without_a_condition_is_named_in_the_problem() -> None:
    policy = RecognitionPolicy((Level("model", None), Level("basic", Tally("met", min_count=1))))
    assert problems_of(policy=policy) == [
        (
            "policy.levels[0].condition",
            "model",
            "required field missing (only the fallback may leave it out)",
        )
    ]
