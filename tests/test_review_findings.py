"""Regression tests for the findings of the reliability review
(``shared/reviews/reliability.md``), one or more per finding, named by its label.

The planner's findings (B1 the hang, B7 region names, B8 merge rules) are tested in
``tests/rollout/``; each is listed at the end with the test that covers it.
"""

from __future__ import annotations

import decimal
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import modelunit
from modelunit.assessment import assess_batch
from modelunit.catalogs import load_evidence_file
from modelunit.errors import (
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidPeriodError,
    InvalidProblemError,
    InvalidValueError,
    ModelUnitError,
    UnknownUnitError,
)
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry, moment
from modelunit.periods import Period
from modelunit.scenarios import load_scenario

DATA = Path(modelunit.__file__).parent / "data"


def _tutorial() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((DATA / "catalogs" / "tutorial.toml").read_text("utf-8"))


def _write(tmp_path: Path, data: Any, name: str = "file.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def _catalog_problem(tmp_path: Path, data: dict[str, Any]) -> str:
    with pytest.raises(InvalidCatalogError) as info:
        modelunit.load_catalog(_write(tmp_path, data))
    return str(info.value)


# -- 3.1 wrong-typed values silently accepted (16 probes) -------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("criteria", 0, "mandatory"), "false", "expected true or false (without quotes)"),
        (("policy", "levels", 0, "recognised"), "false", "expected true or false (without quotes)"),
        (("criteria", 0, "applies_to"), "ward", "expected a list, got text 'ward'"),
        (("unit_kinds",), "ward", "expected a list, got text 'ward'"),
        (("criteria", 0, "id"), None, "expected text, got None"),
        (("criteria", 0, "id"), 7, "expected text, got 7 (put it in quotes)"),
        (("version",), {"major": 1}, "expected text, got {'major': 1} (dict)"),
        (("criteria", 1, "rule", "relative"), "false", "expected true or false (without quotes)"),
    ],
)
def test_3_1_a_catalog_value_in_the_wrong_form_is_refused(
    tmp_path: Path, where: tuple[Any, ...], value: object, message: str
) -> None:
    data = _tutorial()
    node: Any = data
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    assert message in _catalog_problem(tmp_path, data)


def test_3_1_categories_as_a_string_and_counts_with_a_fraction(tmp_path: Path) -> None:
    data = _tutorial()
    data["indicators"].append(
        {"key": "rank", "type": "category", "aggregation": "last", "categories": "abc"}
    )
    data["criteria"][0]["rule"] = {
        "kind": "k_of",
        "count": 1.9,
        "rules": [{"kind": "absent", "indicator": "serious_crimes"}],
    }
    text = _catalog_problem(tmp_path, data)
    assert "indicators[3].categories: expected a list, got text 'abc'" in text
    assert "criteria[0].rule.count: expected a whole number, got 1.9" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit", 123, "evidence[0].unit: expected text, got 123 (put it in quotes)"),
        ("id", None, "evidence[0].id: expected text, got None"),
        ("source", ["a"], "evidence[0].source: expected text, got ['a'] (list)"),
    ],
)
def test_3_1_an_evidence_value_in_the_wrong_form_is_refused(
    tmp_path: Path, field: str, value: object, message: str
) -> None:
    data = json.loads((DATA / "examples" / "tutorial.json").read_text("utf-8"))
    data["evidence"][0][field] = value
    with pytest.raises(InvalidEvidenceError) as info:
        load_evidence_file(_write(tmp_path, data))
    assert message in str(info.value)


def test_3_1_a_scenario_whose_assumptions_are_a_string_is_refused(tmp_path: Path) -> None:
    data = json.loads((DATA / "scenarios" / "national-2027-2030.json").read_text("utf-8"))
    data["assumptions"] = "abc"
    with pytest.raises(InvalidProblemError, match="assumptions: expected a list, got text"):
        load_scenario(_write(tmp_path, data))


def test_3_1_a_typo_in_a_field_name_suggests_the_field(tmp_path: Path) -> None:
    data = _tutorial()
    data["policy"]["levels"][0]["recognized"] = True
    assert "unexpected field(s): recognized (did you mean 'recognised'?)" in _catalog_problem(
        tmp_path, data
    )


# -- B2 deep nesting; B5 a list at top level; B6 huge integers ---------------------------------


@pytest.mark.parametrize("name", ["deep.json", "deep.toml"])
def test_b2_deep_nesting_is_a_typed_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text("[" * 10_000 + "]" * 10_000)
    else:
        path.write_text("x = " + "[" * 3_000 + "]" * 3_000)
    for load in (modelunit.load_catalog, modelunit.load_evidence, load_scenario):
        with pytest.raises(ModelUnitError, match="nested more than 80 levels"):
            load(path)


def test_b2a_a_rule_nested_too_deep_is_refused_with_its_depth(tmp_path: Path) -> None:
    data = _tutorial()
    rule: dict[str, Any] = {"kind": "absent", "indicator": "serious_crimes"}
    for _ in range(40):
        rule = {"kind": "not", "rule": rule}
    data["criteria"][0]["rule"] = rule
    assert "rules nest 41 levels deep; at most 32" in _catalog_problem(tmp_path, data)


def test_b2b_a_long_chain_of_references_loads_and_assesses(tmp_path: Path) -> None:
    data = _tutorial()
    data["criteria"] = [
        {"id": f"C{i}", "rule": {"kind": "criterion", "criterion": f"C{i - 1}"}}
        if i
        else {"id": "C0", "rule": {"kind": "absent", "indicator": "serious_crimes"}}
        for i in range(1_000)
    ]
    data["policy"] = {"levels": []}
    data.pop("groups", None)
    catalog = modelunit.load_catalog(_write(tmp_path, data))
    ledger = EvidenceLedger(
        (Evidence("e", "u", "serious_crimes", "2023", 0, recorded_at="2024-01-01"),)
    )
    result = modelunit.assess(catalog, ledger, unit="u", period="2023")
    assert result.counts.met == 1_000
    data["criteria"].append({"id": "C1000", "rule": {"kind": "criterion", "criterion": "C999"}})
    assert "1,001 criteria; at most 1,000" in _catalog_problem(tmp_path, data)


def test_b5_a_list_at_top_level_is_a_typed_error(tmp_path: Path) -> None:
    path = _write(tmp_path, [])
    for load in (modelunit.load_evidence, modelunit.load_catalog, load_scenario):
        with pytest.raises(ModelUnitError, match="expected a"):
            load(path)


def test_b6_an_integer_of_5000_digits_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"id": ' + "9" * 5000 + "}")
    with pytest.raises(InvalidCatalogError, match=r"big\.json"):
        modelunit.load_catalog(path)


def test_a_repeated_json_key_is_refused_not_read_as_the_last(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text('{"id": "a", "id": "b"}')
    with pytest.raises(InvalidCatalogError, match="the key 'id' appears twice"):
        modelunit.load_catalog(path)


# -- B3 validated data that crashed assess; the 29 s denial of service ---------------------------


@pytest.mark.parametrize("value", ["1e400", "-1e999999", "1e1000000", "1e99999", "9" * 61])
def test_b3_numbers_beyond_the_limits_are_refused_when_read(value: str) -> None:
    from modelunit.errors import InvalidInputError
    from modelunit.serialization import structure

    with pytest.raises(InvalidInputError, match=r"too large|significant digits"):
        structure(value, decimal.Decimal)


def test_b3_a_huge_count_is_refused_quickly_and_names_its_record(tmp_path: Path) -> None:
    data = json.loads((DATA / "examples" / "tutorial.json").read_text("utf-8"))
    data["evidence"][0]["value"] = "1e1000000"  # 29 s to validate before the limits
    ledger = modelunit.load_evidence(_write(tmp_path, data))
    with pytest.raises(InvalidEvidenceError, match=r"record 'ev-2022-soc'.*expected a whole"):
        modelunit.build_index(modelunit.load_catalog("tutorial"), ledger)


# -- B4 dates at the calendar's edges ------------------------------------------------------------


@pytest.mark.parametrize("text", ["9999-Q4", "9999-12", "9999-H2", "9999-12-01/9999-12-31"])
def test_b4_periods_ending_on_the_last_day_parse(text: str) -> None:
    assert Period.parse(text).end.isoformat() == "9999-12-31"


@pytest.mark.parametrize("text", ["0001", "0001-Q1", "0001-01", "0001-01-01/0001-01-05"])
def test_b4_the_period_before_the_first_day_is_a_typed_error(text: str) -> None:
    with pytest.raises(InvalidPeriodError, match="no period before"):
        Period.parse(text).previous()


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00+05:00", "9999-12-31T23:00-05:00", "yesterday", ""]
)
def test_b4_instants_outside_the_calendar_or_unreadable_are_typed_errors(text: str) -> None:
    with pytest.raises(InvalidValueError):
        moment(text)


# -- 3.2 Vietnamese ids in NFC and NFD; unknown units in the API ---------------------------------

NFC = "Điện Biên"
NFD = unicodedata.normalize("NFD", NFC)


def test_3_2_both_spellings_are_one_unit() -> None:
    assert NFC != NFD
    catalog = modelunit.load_catalog("tutorial")
    ledger = EvidenceLedger(
        (Evidence("e", NFD, "serious_crimes", "2023", 0, recorded_at="2024-01-01"),)
    )
    assert ledger.units() == (NFC,)
    by_nfc = modelunit.assess(catalog, ledger, unit=NFC, period="2023")
    by_nfd = modelunit.assess(catalog, ledger, unit=NFD, period="2023")
    assert by_nfc == by_nfd
    assert by_nfc.result("T1").evidence == ("e",)
    with pytest.raises(InvalidEvidenceError, match="duplicate unit id"):
        UnitRegistry((Unit(NFC), Unit(NFD)))


def test_3_2_an_unknown_unit_is_refused_with_the_closest_ids() -> None:
    catalog = modelunit.load_catalog("tutorial")
    ledger = modelunit.load_evidence("tutorial")
    with pytest.raises(UnknownUnitError, match="did you mean 'phuong-an-hoa'"):
        modelunit.assess(catalog, ledger, unit="phuong-an-hao", period="2023")
    with pytest.raises(UnknownUnitError):
        assess_batch(catalog, ledger, units=["nope"], periods=["2023"])
    # Saying which unit it is (a Unit, or a registry) assesses it without evidence.
    assert modelunit.assess(catalog, ledger, unit=Unit("nope"), period="2023").counts.met == 0


# -- 3.3 exactness and the ambient decimal context ----------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "prec"),
    [(100001, 95001, 4), (10**28 + 1, 10**28 + 1 - 5 * 10**26, 28)],
)
def test_3_3_assess_and_assess_batch_agree_whatever_the_context(
    baseline: int, current: int, prec: int
) -> None:
    catalog = modelunit.load_catalog("tutorial")  # T2: down at least 5% on last year
    ledger = EvidenceLedger(
        (
            Evidence("a", "u", "social_order_crimes", "2022", baseline, recorded_at="2024-01-01"),
            Evidence("b", "u", "social_order_crimes", "2023", current, recorded_at="2024-01-01"),
        )
    )
    with decimal.localcontext() as ctx:
        ctx.prec = prec
        ctx.traps[decimal.Inexact] = True
        single = modelunit.assess(catalog, ledger, unit="u", period="2023").result("T2")
        batch = assess_batch(catalog, ledger, periods=["2023"]).outcome("u", "2023", "T2")
    assert single.outcome is batch is modelunit.Outcome.NOT_MET


# -- 3.4 smaller findings ------------------------------------------------------------------------


def test_3_4_a_lone_surrogate_is_refused_at_the_boundary(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    data = json.dumps(_tutorial(), default=str).replace('"id": "T1"', '"id": "\\ud800"')
    path.write_text(data)
    with pytest.raises(InvalidCatalogError, match="not valid Unicode"):
        modelunit.load_catalog(path)


def test_3_4_a_bom_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_tutorial(), default=str).encode())
    assert modelunit.load_catalog(path).id == "tutorial"


# The planner's findings, covered in tests/rollout/:
#   B1 (a region of 2**62 units hung the planner): tests/rollout/test_problem.py
#   B7 (non-string region names broke plan round-trips): tests/rollout/test_problem.py
#   B8 (MergeRule raised bare ValueError): tests/rollout/test_rebase.py
