"""One converter round-trips every public type, exactly; bad data names its paths."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import modelunit
from modelunit.criteria import CriteriaSet
from modelunit.errors import (
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidInputError,
    InvalidRuleError,
)
from modelunit.evidence import Evidence, EvidenceLedger
from modelunit.periods import Period, ReportingYear
from modelunit.results import Assessment
from modelunit.rules import Change, Rule
from modelunit.serialization import from_json, structure, to_json, unstructure
from modelunit.testing import criteria_sets, evidence_lists, periods, rules
from tests.helpers import INDICATORS

catalog_and_evidence = criteria_sets(max_criteria=4).flatmap(
    lambda c: evidence_lists(c).map(lambda r: (c, r))
)


def round_trip(obj: object, cls: type) -> object:
    # Through real JSON text, so nothing survives that JSON cannot carry.
    return from_json(to_json(obj), cls)


@given(criteria_sets())
def test_criteria_sets_round_trip(catalog: CriteriaSet) -> None:
    assert round_trip(catalog, CriteriaSet) == catalog


@given(rules(INDICATORS, max_depth=3, criteria=("C1",), sub_units=True))
def test_rules_round_trip(rule: Rule) -> None:
    assert round_trip(rule, Rule) == rule  # type: ignore[arg-type]


@given(periods(kinds=("year", "half", "quarter", "month", "range")))
def test_periods_round_trip(p: Period) -> None:
    assert round_trip(p, Period) == p


@given(catalog_and_evidence)
def test_evidence_and_assessments_round_trip(data: tuple[CriteriaSet, list[Evidence]]) -> None:
    catalog, records = data
    book = EvidenceLedger(tuple(records))
    assert round_trip(book, EvidenceLedger) == book
    for rec in records:
        assert round_trip(rec, Evidence) == rec
    result = modelunit.assess(
        catalog, book, unit=modelunit.Unit("unit-0"), period="2023", as_of="2024-03-01"
    )
    assert round_trip(result, Assessment) == result


@given(st.fractions(min_value=0, max_value=10))
def test_fractions_stay_exact(value: Fraction) -> None:
    assert structure(unstructure(value), Fraction) == value


def test_exact_forms() -> None:
    assert unstructure(Fraction(3, 10)) == "3/10"
    assert structure("30%", Fraction) == Fraction(3, 10)
    assert structure(0.1, Fraction) == Fraction(1, 10)
    assert structure("0.05", Decimal) == Decimal("0.05")
    assert structure("2024-01-31", date) == date(2024, 1, 31)
    assert structure("2024-01-31T10:00:00", datetime) == datetime(2024, 1, 31, 10)
    assert unstructure(Period.parse("2023-Q4")) == "2023-Q4"


def test_rules_serialise_as_tagged_tables() -> None:
    from modelunit.rules import Absent, ShareOf

    rule = ShareOf(Fraction(7, 10), (Absent("serious"),))
    assert unstructure(rule) == {
        "kind": "share_of",
        "share": "7/10",
        "rules": [{"kind": "absent", "indicator": "serious"}],
    }


@given(criteria_sets(reporting_year=True))
def test_criteria_sets_with_a_reporting_year_round_trip(catalog: CriteriaSet) -> None:
    assert round_trip(catalog, CriteriaSet) == catalog


def test_baselines_serialise_as_written() -> None:
    # Defaults are left out, so files and stored rules from before read the same.
    assert unstructure(Change("c", "<", Decimal(0))) == {
        "kind": "change",
        "indicator": "c",
        "op": "<",
        "value": "0",
    }
    three_back = Change("c", "<", Decimal(0), baseline="same_period", years_back=3)
    assert unstructure(three_back) == {
        "kind": "change",
        "indicator": "c",
        "op": "<",
        "value": "0",
        "baseline": "same_period",
        "years_back": 3,
    }
    assert structure(unstructure(three_back), Rule) == three_back  # type: ignore[arg-type]
    assert unstructure(ReportingYear("12-15", "12-14")) == {"start": "12-15", "end": "12-14"}


@pytest.mark.parametrize(
    ("years_back", "message"),
    [
        ("2", "expected a whole number (without quotes), got '2'"),
        (True, "expected a whole number, got True"),
        (2.0, "expected a whole number, got 2.0 (write it without '.0')"),
    ],
)
def test_years_back_is_read_strictly(years_back: object, message: str) -> None:
    data = {
        "kind": "change",
        "indicator": "c",
        "op": "<",
        "value": "0",
        "baseline": "same_period",
        "years_back": years_back,
    }
    with pytest.raises(InvalidRuleError) as info:
        structure(data, Rule)  # type: ignore[arg-type]
    assert [(p.path, p.message) for p in info.value.problems] == [("years_back", message)]


def test_structure_errors_list_every_path() -> None:
    data = {
        "id": "x",
        "version": "1",
        "indicators": [{"key": "a", "type": "count", "aggregation": "total"}],
        "criteria": [
            {"id": "C1", "rule": {"kind": "compare", "indicator": "a", "op": "=<", "value": "1"}},
            {"id": "C2", "rule": {"kind": "magic"}},
            {"id": "C3", "rule": {"kind": "flag"}, "colour": "red"},
        ],
        "policy": {"levels": []},
    }
    with pytest.raises(InvalidCatalogError) as info:
        structure(data, CriteriaSet, source="x.json")
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "indicators[0].aggregation",
            "expected one of 'sum', 'last', 'max', 'min', 'any', 'all', got 'total'",
        ),
        ("criteria[0].rule.op", "expected one of '<', '<=', '>', '>=', '==', '!=', got '=<'"),
        (
            "criteria[1].rule",
            "unknown rule kind 'magic'; expected one of: absent, all, any, at_least, change, "
            "compare, criterion, flag, k_of, not, present, ratio, share_of, sub_units",
        ),
        ("criteria[2].rule.indicator", "required field missing"),
        ("criteria[2]", "unexpected field(s): colour"),
    ]
    assert str(info.value).startswith("5 problems in x.json:\n  - indicators[0].aggregation")


def test_semantic_errors_after_structure_keep_the_source() -> None:
    data = {
        "id": "x",
        "version": "1",
        "indicators": [],
        "criteria": [{"id": "C1", "rule": {"kind": "flag", "indicator": "nope"}}],
        "policy": {"levels": []},
    }
    with pytest.raises(InvalidCatalogError) as info:
        structure(data, CriteriaSet, source="x.toml")
    assert info.value.source == "x.toml"
    assert [(p.path, p.record) for p in info.value.problems] == [
        ("criteria[0].rule.indicator", "C1")
    ]


def test_bad_json_text() -> None:
    with pytest.raises(InvalidEvidenceError, match="line 1 column 2"):
        from_json("{oops", EvidenceLedger, source="e.json")


def test_errors_pickle() -> None:
    import pickle

    err = InvalidInputError([modelunit.errors.Problem("a", "b")], source="s")
    again = pickle.loads(pickle.dumps(err))
    assert (again.problems, again.source, str(again)) == (err.problems, err.source, str(err))


def test_json_keeps_vietnamese_text() -> None:
    text = to_json(modelunit.load_catalog("tutorial"))
    assert "Tội phạm về trật tự xã hội" in text
    assert json.loads(text)["id"] == "tutorial"


def test_unreadable_items_do_not_hide_other_problems() -> None:
    data = {
        "id": "x",
        "version": "1",
        "indicators": [
            {"key": "a", "type": "count", "aggregation": "sum"},
            {"key": "b", "type": "count", "aggregation": "total"},
        ],
        "criteria": [
            {"id": "C1", "rule": {"kind": "magic"}},
            {"id": "C2", "rule": {"kind": "flag", "indicator": "a"}},
            {"id": "C3", "rule": {"kind": "absent", "indicator": "b"}},
            {"id": "C2", "rule": {"kind": "criterion", "criterion": "C9"}},
        ],
        "policy": {"levels": []},
    }
    with pytest.raises(InvalidCatalogError) as info:
        structure(data, CriteriaSet)
    assert [(p.path, p.record, p.message) for p in info.value.problems] == [
        (
            "indicators[1].aggregation",
            None,
            "expected one of 'sum', 'last', 'max', 'min', 'any', 'all', got 'total'",
        ),
        (
            "criteria[0].rule",
            None,
            "unknown rule kind 'magic'; expected one of: absent, all, any, at_least, change, "
            "compare, criterion, flag, k_of, not, present, ratio, share_of, sub_units",
        ),
        ("criteria[3].id", "C2", "duplicate id 'C2' (first at criteria[1])"),
        ("criteria[1].rule.indicator", "C2", "indicator 'a' is a count; expected boolean"),
        # C3's unknown indicator 'b' only repeats indicators[1]'s failure: left out.
        ("criteria[3].rule.criterion", "C2", "unknown criterion 'C9'"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested more than"),
        ('{"id": ' + "9" * 5000 + "}", "Exceeds the limit"),
        ('{"id": "a", "id": "b"}', "the key 'id' appears twice"),
        (b"\xff\xfe\x00", "not UTF-8, -16 or -32 text"),
        ("\ufeff{}", "Unexpected UTF-8 BOM"),
    ],
)
def test_from_json_reads_text_as_files_are_read(text: str | bytes, message: str) -> None:
    # Found by the fuzz suite: from_json let RecursionError, ValueError and
    # UnicodeDecodeError escape, and kept the last of a repeated key.
    with pytest.raises(InvalidCatalogError, match=message) as info:
        from_json(text, CriteriaSet, source="c.json")
    assert info.value.source == "c.json"


def test_from_json_reads_bytes_in_any_json_encoding() -> None:
    catalog = modelunit.load_catalog("tutorial")
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        assert from_json(to_json(catalog).encode(encoding), CriteriaSet) == catalog


def test_structure_reports_data_nested_too_deep_for_messages_or_recursion() -> None:
    # Found by the fuzz suite: a 'kind' holding a table nested 3,000 deep raised
    # RecursionError while its repr was written into the message.
    from modelunit.policy import Tally

    deep: object = 1
    for _ in range(3_000):
        deep = {"a": deep}
    # Refused before any work, as a file that deep is...
    with pytest.raises(InvalidInputError, match="nested more than 80 levels deep"):
        structure({"kind": deep}, Tally)
    with pytest.raises(InvalidCatalogError, match="nested more than 80 levels deep"):
        structure([deep], CriteriaSet)
    # ...and past that check, a deep value is cut short in the message.
    from modelunit.serialization import structure_parsed

    with pytest.raises(InvalidInputError, match=r"got \{'a': \{'a': \{'a': \{\.\.\.\}\}\}\}"):
        structure_parsed({"kind": deep}, Tally)
    with pytest.raises(InvalidCatalogError, match="expected a criteria-set table, got"):
        structure_parsed([deep], CriteriaSet)
    with pytest.raises(InvalidInputError, match="<a number of about 5000 digits>"):
        structure(10**5000, bool)


def test_what_structure_accepts_reads_back_from_its_json() -> None:
    # Found by the fuzz campaign: a criterion whose rule nests 200 deep was structured
    # from data, and its own JSON was then refused; a value of 5,000 digits was read,
    # and to_json raised ValueError.
    from modelunit.criteria import Criterion
    from modelunit.lookup import Resolved

    rule: dict[str, object] = {"kind": "flag", "indicator": "x"}
    for _ in range(199):
        rule = {"kind": "all", "rules": [rule]}
    with pytest.raises(InvalidInputError, match="nested more than 80 levels deep"):
        structure({"id": "C1", "rule": rule}, Criterion)
    with pytest.raises(InvalidInputError, match="more than 60 digits"):
        structure({"value": 10**5000, "evidence": [], "how": "x"}, Resolved)
