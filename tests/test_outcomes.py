"""Kleene (strong three-valued) logic laws for the outcome combinators."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modelunit.outcomes import Outcome, kleene_and, kleene_not, kleene_or

MET, NOT_MET, UNKNOWN, NA = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.INSUFFICIENT,
    Outcome.NOT_APPLICABLE,
)
three = st.sampled_from((MET, NOT_MET, UNKNOWN))
four = st.sampled_from(tuple(Outcome))


def test_truth_tables() -> None:
    assert kleene_and([MET, MET]) is MET
    assert kleene_and([MET, UNKNOWN]) is UNKNOWN
    assert kleene_and([NOT_MET, UNKNOWN]) is NOT_MET
    assert kleene_or([NOT_MET, UNKNOWN]) is UNKNOWN
    assert kleene_or([MET, UNKNOWN]) is MET
    assert kleene_or([NOT_MET, NOT_MET]) is NOT_MET
    assert kleene_not(UNKNOWN) is UNKNOWN
    assert kleene_and([NA, MET]) is MET
    assert kleene_and([NA, NA]) is NA
    assert kleene_or([]) is NA


def test_labels_are_in_english_by_default() -> None:
    assert [o.label() for o in Outcome] == [
        "met",
        "not met",
        "insufficient evidence",
        "not applicable",
    ]
    assert [o.label() for o in Outcome] == [o.label_en for o in Outcome]


@given(three, three)
def test_commutative(a: Outcome, b: Outcome) -> None:
    assert kleene_and([a, b]) is kleene_and([b, a])
    assert kleene_or([a, b]) is kleene_or([b, a])


@given(three, three, three)
def test_associative_and_distributive(a: Outcome, b: Outcome, c: Outcome) -> None:
    assert kleene_and([a, kleene_and([b, c])]) is kleene_and([kleene_and([a, b]), c])
    assert kleene_or([a, kleene_or([b, c])]) is kleene_or([kleene_or([a, b]), c])
    assert kleene_and([a, kleene_or([b, c])]) is kleene_or([kleene_and([a, b]), kleene_and([a, c])])


@given(three, three)
def test_de_morgan(a: Outcome, b: Outcome) -> None:
    assert kleene_not(kleene_and([a, b])) is kleene_or([kleene_not(a), kleene_not(b)])
    assert kleene_not(kleene_or([a, b])) is kleene_and([kleene_not(a), kleene_not(b)])


@given(three)
def test_identity_annihilator_involution(a: Outcome) -> None:
    assert kleene_and([a, MET]) is a
    assert kleene_or([a, NOT_MET]) is a
    assert kleene_and([a, NOT_MET]) is NOT_MET
    assert kleene_or([a, MET]) is MET
    assert kleene_not(kleene_not(a)) is a


@given(three)
def test_excluded_middle_does_not_hold_for_unknown(a: Outcome) -> None:
    # Strong Kleene logic: "a or not a" is unknown when a is unknown.
    expected = UNKNOWN if a is UNKNOWN else MET
    assert kleene_or([a, kleene_not(a)]) is expected


@given(st.lists(four))
def test_not_applicable_is_ignored(outcomes: list[Outcome]) -> None:
    decided = [o for o in outcomes if o is not NA]
    if decided:
        assert kleene_and(outcomes) is kleene_and(decided)
        assert kleene_or(outcomes) is kleene_or(decided)
    else:
        assert kleene_and(outcomes) is NA


def test_labels() -> None:
    assert MET.label_vi == "đạt"
    assert UNKNOWN.label_en == "insufficient evidence"
    assert MET.decided
    assert not UNKNOWN.decided


def test_the_deciding_operand_ends_the_reading() -> None:
    rest = iter([UNKNOWN, MET, NOT_MET, UNKNOWN])
    assert kleene_or(rest) is MET
    assert list(rest) == [NOT_MET, UNKNOWN]
    rest = iter([MET, NA, NOT_MET, MET])
    assert kleene_and(rest) is NOT_MET
    assert list(rest) == [MET]


def test_nothing_but_not_applicable_is_not_applicable() -> None:
    assert kleene_or([NA, NA]) is NA
    assert kleene_or([NA, NOT_MET]) is NOT_MET
    assert kleene_not(NA) is NA
    assert kleene_not(MET) is NOT_MET
    assert kleene_not(NOT_MET) is MET


def test_at_least_at_its_edges() -> None:
    from modelunit.outcomes import at_least

    assert at_least(met=2, failed=0, needed=2, total=4) is MET
    assert at_least(met=1, failed=2, needed=2, total=4) is UNKNOWN  # one open can still do it
    assert at_least(met=1, failed=3, needed=2, total=4) is NOT_MET
    assert at_least(met=0, failed=4, needed=0, total=4) is MET  # nothing needed
    assert at_least(met=0, failed=0, needed=5, total=4) is NOT_MET  # more than there are


def test_every_outcome_has_labels_and_says_whether_it_is_decided() -> None:
    assert [(o.label_en, o.label_vi, o.decided) for o in Outcome] == [
        ("met", "đạt", True),
        ("not met", "chưa đạt", True),
        ("insufficient evidence", "chưa đủ căn cứ", False),
        ("not applicable", "không áp dụng", False),
    ]
