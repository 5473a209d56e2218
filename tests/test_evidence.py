"""The evidence ledger is append-only: corrections supersede, history stays, as-of works."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import modelunit
from modelunit.errors import InvalidEvidenceError
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry, moment
from modelunit.rules import Compare
from modelunit.testing import criteria_sets, evidence_lists
from tests.helpers import catalog_of, ev, ledger

D = Decimal


def test_supersede_history_and_as_of() -> None:
    a = ev("crimes", "2023", 31, id="a", at="2024-01-10")
    b = ev("crimes", "2023", 29, id="b", at="2024-02-01", supersedes="a")
    c = ev("crimes", "2023", 30, id="c", at="2024-03-01", supersedes="b")
    book = ledger(c, a, b)
    assert [r.id for r in book.records] == ["a", "b", "c"]
    assert [r.id for r in book.current()] == ["c"]
    assert [r.id for r in book.history("c")] == ["a", "b", "c"]
    assert book.superseded_by("a") == "b"
    assert [r.id for r in book.as_of("2024-02-01").current()] == ["b"]
    assert [r.id for r in book.as_of(date(2024, 1, 31)).current()] == ["a"]
    assert len(book.as_of("2023-12-31")) == 0


def test_assessment_as_of_uses_only_what_was_recorded() -> None:
    catalog = catalog_of(Compare("crimes", "<=", D(30)))
    book = ledger(
        ev("crimes", "2023", 31, id="a", at="2024-01-10"),
        ev("crimes", "2023", 29, id="b", at="2024-02-01", supersedes="a"),
    )
    before = modelunit.assess(catalog, book, unit="w", period="2023", as_of="2024-01-31")
    after = modelunit.assess(catalog, book, unit="w", period="2023")
    assert before.result("C1").outcome is modelunit.Outcome.NOT_MET
    assert before.result("C1").evidence == ("a",)
    assert before.as_of == datetime(2024, 1, 31, 23, 59, 59, 999999)
    assert after.result("C1").outcome is modelunit.Outcome.MET
    assert after.result("C1").evidence == ("b",)


def test_append_returns_a_new_ledger() -> None:
    book = ledger(ev("crimes", "2023", 1, id="a"))
    bigger = book.append(ev("crimes", "2022", 2, id="b"))
    assert len(book) == 1
    assert len(bigger) == 2


def test_inconsistencies_are_all_reported() -> None:
    recs = [
        ev("crimes", "2023", 1, id="a", at="2024-02-01"),
        ev("crimes", "2023", 1, id="a", at="2024-02-02"),
        ev("crimes", "2022", 1, id="b", at="2024-03-01", supersedes="a"),
        ev("crimes", "2023", 1, id="c", at="2024-01-01", supersedes="a"),
        ev("crimes", "2023", 1, id="d", at="2024-04-01", supersedes="zz"),
    ]
    with pytest.raises(InvalidEvidenceError) as info:
        EvidenceLedger(tuple(recs))
    # Records are in recording order: c, a, a (duplicate), b, d.
    assert [(p.path, p.record, p.message) for p in info.value.problems] == [
        ("records[2].id", "a", "duplicate evidence id 'a'"),
        (
            "records[0].supersedes",
            "c",
            "corrects 'a', which was recorded later (2024-02-01T00:00:00)",
        ),
        (
            "records[3].supersedes",
            "b",
            "a correction must be for the same unit, indicator and period as 'a' (w, crimes, 2023)",
        ),
        (
            "records[3].supersedes",
            "b",
            "'a' is already superseded by 'c'; supersede that record instead",
        ),
        ("records[4].supersedes", "d", "supersedes unknown record 'zz'"),
    ]


def test_superseding_twice_is_refused() -> None:
    recs = (
        ev("crimes", "2023", 1, id="a", at="2024-01-01"),
        ev("crimes", "2023", 2, id="b", at="2024-01-02", supersedes="a"),
        ev("crimes", "2023", 3, id="c", at="2024-01-03", supersedes="a"),
    )
    with pytest.raises(InvalidEvidenceError, match="already superseded by 'b'"):
        EvidenceLedger(recs)


def test_bad_values_are_errors_naming_the_record() -> None:
    catalog = catalog_of(Compare("crimes", "<=", D(1)))
    book = ledger(
        ev("crimes", "2023", -3, id="neg"),
        ev("crimes", "2022", "many", id="txt"),
        ev("satisfaction", "2023", D("1.2"), id="big"),
    )
    with pytest.raises(InvalidEvidenceError) as info:
        modelunit.assess(catalog, book, unit="w", period="2023")
    # Same recording time: records are in id order.
    assert [(p.record, p.message) for p in info.value.problems] == [
        ("big", "a share must be between 0 and 1 (0% to 100%), got Decimal('1.2')"),
        ("neg", "a count cannot be negative, got -3"),
        ("txt", "expected a whole number >= 0, got 'many'"),
    ]


def test_moment_normalises_to_naive_utc() -> None:
    aware = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    assert moment(aware) == datetime(2024, 1, 1, 7, 0)
    assert moment("2024-01-01T07:00:00+07:00") == datetime(2024, 1, 1, 0, 0)


def test_registry_children_and_errors() -> None:
    reg = UnitRegistry((Unit("w"), Unit("b", parent="w"), Unit("a", parent="w", kind="x")))
    assert [u.id for u in reg.children("w")] == ["a", "b"]
    assert [u.id for u in reg.children("w", "x")] == ["a"]
    with pytest.raises(InvalidEvidenceError, match="unknown parent unit 'q'"):
        UnitRegistry((Unit("w", parent="q"),))
    with pytest.raises(KeyError):
        reg.get("nope")


@given(
    criteria_sets(max_criteria=3).flatmap(lambda c: evidence_lists(c).map(lambda r: (c, r))),
    st.randoms(),
)
def test_ledger_is_independent_of_record_order(
    data: tuple[object, list[Evidence]], rnd: random.Random
) -> None:
    _, records = data
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert EvidenceLedger(tuple(records)) == EvidenceLedger(tuple(shuffled))


def test_value_is_the_one_declared_with_indicators() -> None:
    from modelunit import evidence, indicators

    assert evidence.Value is indicators.Value


def test_a_record_by_id_and_the_whole_ledger() -> None:
    from modelunit.errors import UnknownRecordError

    first, second = ev("hq_ok", "2023", True, id="r1"), ev("hq_ok", "2024", False, id="r2")
    book = EvidenceLedger.from_records(iter([first, second]))
    assert book == ledger(first, second)
    assert (len(book), list(book)) == (2, [first, second])
    assert book.get("r2") is second
    with pytest.raises(UnknownRecordError, match="r3") as info:
        book.get("r3")
    assert isinstance(info.value, KeyError)
    assert book.as_of(None) is book


def test_a_unit_id_is_registered_once() -> None:
    with pytest.raises(InvalidEvidenceError) as info:
        UnitRegistry((Unit("w"), Unit("a", parent="w"), Unit("w", kind="commune")))
    assert [(p.path, p.record, p.message) for p in info.value.problems] == [
        ("units[2].id", "w", "duplicate unit id 'w'")
    ]
