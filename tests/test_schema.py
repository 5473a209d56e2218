"""The JSON Schemas: shipped in sync with the classes, valid draft 7, accepted by every
bundled file, and refusing what the loaders refuse for a wrong type."""

from __future__ import annotations

import copy
import datetime
import json
import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit import schema as schema_module
from modelunit._numbers import exact_decimal, exact_fraction
from modelunit.catalogs import EvidenceFile, catalog_from_data, list_catalogs, list_examples
from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidArgumentError, InvalidInputError, InvalidValueError
from modelunit.periods import Period
from modelunit.rollout.problem import RolloutProblem
from modelunit.rollout.rebase import MappingTable
from modelunit.scenarios import Scenario, list_scenarios
from modelunit.schema import SCHEMA_KINDS, schema, schema_file, schema_text
from modelunit.serialization import structure
from tests.helpers import as_json

DATA = Path(schema_module.__file__).parent / "data"


def parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return as_json(tomllib.loads(text)) if path.suffix == ".toml" else json.loads(text)


def errors(kind: str, data: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(schema(kind))  # type: ignore[arg-type]
    return sorted(
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    )


# -- the shipped files ---------------------------------------------------------------


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_the_shipped_schema_is_what_the_classes_generate(kind: str) -> None:
    shipped = schema_file(kind).read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert shipped == schema_text(kind), "run: python -m modelunit.schema --write"  # type: ignore[arg-type]


def test_the_write_tool_reports_nothing_stale(capsys: pytest.CaptureFixture[str]) -> None:
    assert schema_module._main([]) == 0
    assert capsys.readouterr().out == "up to date\n"


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_schema_is_valid_draft_7(kind: str) -> None:
    s = schema(kind)  # type: ignore[arg-type]
    assert s["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(s)
    assert s["additionalProperties"] is False
    assert "$schema" in s["properties"]


def test_schema_returns_a_new_dict_each_time() -> None:
    first = schema("catalog")
    first["title"] = "changed"
    assert schema("catalog")["title"] == "modelunit criteria set (catalog)"


def test_an_unknown_kind_names_the_closest() -> None:
    with pytest.raises(InvalidArgumentError, match=r"'scenaro'; did you mean 'scenario'\?"):
        schema("scenaro")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        schema_file("nope")  # type: ignore[arg-type]


def test_rule_kinds_are_tagged_unions_with_every_kind() -> None:
    from modelunit.policy import CONDITION_TYPES
    from modelunit.rules import RULE_TYPES

    defs = schema("catalog")["definitions"]
    assert defs["Rule"]["properties"]["kind"]["enum"] == [r.kind for r in RULE_TYPES]
    assert defs["Condition"]["properties"]["kind"]["enum"] == [c.kind for c in CONDITION_TYPES]
    assert defs["rule.compare"]["required"] == ["kind", "indicator", "op", "value"]


# -- every bundled file validates -----------------------------------------------------


def _bundled() -> list[tuple[str, Path]]:
    found = []
    for folder, names, kind in (
        ("catalogs", list_catalogs(), "catalog"),
        ("examples", list_examples(), "evidence"),
        ("scenarios", list_scenarios(), "scenario"),
    ):
        for name in names:
            path = next((DATA / folder).glob(f"{name}.*"))
            found.append((kind, path))
    return found


@pytest.mark.parametrize(("kind", "path"), _bundled(), ids=lambda v: getattr(v, "name", v))
def test_every_bundled_file_validates_against_its_schema(kind: str, path: Path) -> None:
    assert errors(kind, parse(path)) == []


def test_the_bundled_examples_units_validate_as_units_files() -> None:
    for name in list_examples():
        data = parse(next((DATA / "examples").glob(f"{name}.*")))
        units = {"description": data.get("description", ""), "units": data["units"]}
        assert errors("units", units) == []


def test_the_bundled_scenarios_problems_validate_as_problem_files() -> None:
    for name in list_scenarios():
        data = parse(next((DATA / "scenarios").glob(f"{name}.*")))
        assert errors("problem", data["problem"]) == []


def test_the_bundled_mapping_rows_validate_as_a_mapping_file() -> None:
    from modelunit.geography import ward_mapping_rows
    from modelunit.serialization import unstructure

    table = unstructure(MappingTable(ward_mapping_rows()))
    assert errors("mapping", table) == []


# -- what the loaders refuse for a type error, the schemas refuse too ----------------

CATALOG = {
    "id": "s",
    "version": "1",
    "indicators": [
        {"key": "crimes", "type": "count", "aggregation": "sum"},
        {"key": "rank", "type": "category", "aggregation": "last", "categories": ["a", "b"]},
    ],
    "criteria": [
        {"id": "C1", "mandatory": True, "rule": {"kind": "absent", "indicator": "crimes"}},
        {
            "id": "C2",
            "rule": {
                "kind": "all",
                "rules": [
                    {"kind": "compare", "indicator": "crimes", "op": "<=", "value": "10"},
                    {"kind": "at_least", "indicator": "rank", "level": "b"},
                ],
            },
        },
    ],
    "policy": {
        "levels": [
            {"id": "ok", "condition": {"kind": "tally", "outcome": "met", "min_share": "1/2"}}
        ]
    },
}

# (path into CATALOG, a value of the wrong type or form, what the schema says)
CATALOG_TYPE_ERRORS = [
    (("id",), 5, "is not of type 'string'"),
    (("version",), 1.0, "is not of type 'string'"),
    (("unit_kinds",), "ward", "is not of type 'array'"),
    (("effective_from",), "31/12/2024", "is not valid under any"),
    (("indicators", 0, "type"), "cuont", "is not one of"),
    (("indicators", 0, "key"), "1st", "does not match"),
    (("indicators", 1, "categories"), "a, b", "is not of type 'array'"),
    (("criteria", 0, "mandatory"), "yes", "is not of type 'boolean'"),
    (("criteria", 0, "mandatory"), 1, "is not of type 'boolean'"),
    (("criteria", 0, "points"), "ten", "is not valid under any of the given schemas"),
    (("criteria", 0, "rule", "kind"), "absnet", "is not one of"),
    (("criteria", 0, "rule", "indicatr"), "crimes", "Additional properties"),
    (("criteria", 1, "rule", "rules", 0, "op"), "=>", "is not one of"),
    (("criteria", 1, "rule", "rules", 0, "value"), "ten", "is not valid under any"),
    (("criteria", 1, "rule", "rules", 0, "value"), True, "is not valid under any"),
    (("criteria", 1, "rule", "rules"), {"kind": "absent"}, "is not of type 'array'"),
    (("policy", "levels", 0, "recognised"), "true", "is not of type 'boolean'"),
    (("policy", "levels", 0, "condition", "outcome"), "passed", "is not one of"),
    (("policy", "levels", 0, "condition", "min_share"), "half", "is not valid under any"),
    (("policy", "levels", 0, "condition", "min_count"), "2", "is not valid under any"),
    (("titel_en",), "x", "Additional properties"),
]


def _with(data: dict[str, Any], path: tuple[object, ...], value: object) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def test_the_catalog_used_below_is_valid() -> None:
    assert errors("catalog", CATALOG) == []
    catalog_from_data(CATALOG)


EVIDENCE = {
    "units": [{"id": "w", "kind": "ward"}, {"id": "w/1", "kind": "area", "parent": "w"}],
    "evidence": [
        {
            "id": "e1",
            "unit": "w",
            "indicator": "crimes",
            "period": "2023-Q4",
            "value": 3,
            "recorded_at": "2024-01-05T08:00:00+07:00",
        }
    ],
}
EVIDENCE_TYPE_ERRORS = [
    (("evidence", 0, "period"), "last year", "is not valid under any"),
    (("evidence", 0, "period"), "2023-Q5", "is not valid under any"),
    (("evidence", 0, "period"), True, "is not valid under any"),
    (("evidence", 0, "recorded_at"), "January 2024", "does not match"),
    (("evidence", 0, "recorded_at"), 20240105, "is not of type 'string'"),
    (("evidence", 0, "value"), None, "is not of type"),
    (("evidence", 0, "value"), [3], "is not of type"),
    (("evidence", 0, "id"), 1, "is not of type 'string'"),
    (("evidence", 0, "supersedes"), 7, "is not valid under any"),
    (("evidence", 0, "valeu"), 3, "Additional properties"),
    (("units", 0, "kind"), ["ward"], "is not of type 'string'"),
    (("units",), {"id": "w"}, "is not of type 'array'"),
]


def test_the_evidence_used_below_is_valid() -> None:
    assert errors("evidence", EVIDENCE) == []
    structure(EVIDENCE, EvidenceFile)


PROBLEM = {
    "start": 2027,
    "end": 2030,
    "national_capacity_by_year": {"2027": 5},
    "regions": [{"id": "A", "total": 10, "capacity": 3, "capacity_by_year": {"2028": 2}}],
    "milestones": [{"year": 2030, "share": "100%", "region": "A"}],
}
PROBLEM_TYPE_ERRORS = [
    (("start",), "2027", "is not of type 'integer'"),
    (("regions", 0, "total"), 2.5, "is not of type 'integer'"),
    (("regions", 0, "total"), True, "is not of type 'integer'"),
    (("regions", 0, "capacity"), "3", "is not valid under any"),
    (("regions", 0, "capacity_by_year"), {"next year": 2}, "does not match any of the regexes"),
    (("regions", 0, "capacity_by_year"), {"2028": "2"}, "is not of type 'integer'"),
    (("regions", 0, "recognized"), 2, "Additional properties"),
    (("regions", 0, "cost"), "cheap", "is not valid under any"),
    (("milestones", 0, "share"), "most", "is not valid under any"),
    (("milestones", 0, "share"), "3/0", "is not valid under any"),
    (("milestones", 0, "year"), "2030", "is not of type 'integer'"),
    (("national_capacity",), "none", "is not valid under any"),
]


def test_the_problem_used_below_is_valid() -> None:
    assert errors("problem", PROBLEM) == []
    structure(PROBLEM, RolloutProblem)


# (kind, a valid file, the class its loader structures) -> the type errors above
KINDS = {
    "catalog": (CATALOG, CriteriaSet, CATALOG_TYPE_ERRORS),
    "evidence": (EVIDENCE, EvidenceFile, EVIDENCE_TYPE_ERRORS),
    "problem": (PROBLEM, RolloutProblem, PROBLEM_TYPE_ERRORS),
}
TYPE_ERRORS = [
    (kind, path, value, said)
    for kind, (_, _, cases) in KINDS.items()
    for path, value, said in cases
]


@pytest.mark.parametrize(("kind", "path", "value", "said"), TYPE_ERRORS)
def test_a_file_the_loader_refuses_for_a_type_the_schema_refuses(
    kind: str, path: tuple[object, ...], value: object, said: str
) -> None:
    valid, cls, _ = KINDS[kind]
    data = _with(valid, path, value)
    with pytest.raises(InvalidInputError):
        structure(data, cls)
    found = errors(kind, data)
    assert any(said in e for e in found), found


def test_a_scenario_and_a_mapping_refuse_wrong_types_too() -> None:
    scenario = {"id": "s", "problem": PROBLEM, "assumptions": "one"}
    with pytest.raises(InvalidInputError):
        structure(scenario, Scenario)
    assert errors("scenario", scenario) == ["assumptions: 'one' is not of type 'array'"]
    mapping = {"rows": [{"old_unit": "a", "new_unit": 1, "old_region": "x", "new_region": "y"}]}
    with pytest.raises(InvalidInputError):
        structure(mapping, MappingTable)
    assert errors("mapping", mapping) == ["rows.0.new_unit: 1 is not of type 'string'"]


def test_the_known_gap_a_whole_float_is_an_integer_to_json_schema() -> None:
    # Documented in docs/formats/index.md: the loader refuses 10.0 wards, a schema cannot.
    data = _with(PROBLEM, ("regions", 0, "total"), 10.0)
    with pytest.raises(InvalidInputError, match="expected a whole number"):
        structure(data, RolloutProblem)
    assert errors("problem", data) == []


# -- the text forms: the schema's patterns read what the converter reads ---------------

NUMBER_TEXT = st.from_regex(
    r"\A ?[+-]?(?:[0-9]{1,4}(?:\.[0-9]{0,3})?|\.[0-9]{1,3})(?:[eE][+-]?[0-9])? ?%? ?\Z"
)  # within the limits (at most 60 digits, exponents up to 60): limits are not forms
NEAR_MISSES = st.text(alphabet="0123456789.%/+-eE_ xQH", max_size=8)


def _beyond_limits(exc: InvalidValueError) -> bool:
    # Refused for its size (modelunit.limits), not its form: a schema says nothing of that.
    return "are accepted" in str(exc) or "too long" in str(exc)


def _accepted(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def _form(name: str) -> list[str]:
    return [b["pattern"] for b in schema_module._FORMS[name]["anyOf"] if "pattern" in b]


@given(st.one_of(NUMBER_TEXT, NEAR_MISSES))
def test_decimal_text_is_accepted_by_the_schema_iff_by_the_converter(text: str) -> None:
    (pattern,) = _form("decimal")
    try:
        exact_decimal(text)
        read = True
    except InvalidValueError as exc:
        if _beyond_limits(exc):
            return
        read = False
    if "_" not in text and not text.strip().lower().startswith(("inf", "nan")):
        assert _accepted(pattern, text) == read, text


@given(st.one_of(NUMBER_TEXT, NEAR_MISSES, st.from_regex(r"\A[0-9]{1,3} ?/ ?[0-9]{1,3}\Z")))
def test_share_text_is_accepted_by_the_schema_iff_by_the_converter(text: str) -> None:
    patterns = _form("share")
    try:
        exact_fraction(text)
        read = True
    except InvalidValueError as exc:
        if _beyond_limits(exc):
            return
        read = False
    if "_" not in text:
        assert any(_accepted(p, text) for p in patterns) == read, text


PERIODS = st.one_of(
    st.integers(1000, 9999).map(str),
    st.builds(lambda y, h: f"{y}-H{h}", st.integers(1000, 9999), st.integers(0, 3)),
    st.builds(lambda y, q: f"{y}-Q{q}", st.integers(1000, 9999), st.integers(0, 5)),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1000, 9999), st.integers(0, 13)),
    st.builds(
        lambda a, b: f"{a.isoformat()}/{b.isoformat()}",
        st.dates(datetime.date(1000, 1, 1)),
        st.dates(datetime.date(1000, 1, 1)),
    ),
    NEAR_MISSES,
)


@given(PERIODS)
def test_a_period_text_the_schema_refuses_is_refused_by_the_converter(text: str) -> None:
    (pattern,) = _form("period")
    if not _accepted(pattern, text):
        with pytest.raises(InvalidInputError):
            Period.parse(text)


@given(PERIODS.filter(lambda t: "/" not in t))
def test_a_period_the_converter_reads_the_schema_accepts(text: str) -> None:
    (pattern,) = _form("period")
    try:
        Period.parse(text)
    except InvalidInputError:
        return
    assert _accepted(pattern, text), text


def test_the_forms_read_the_documented_examples() -> None:
    (decimal,) = _form("decimal")
    for text in ("12", "0.05", "5%", "-5%", " 1e3 ", ".5", "1_000", "12.5 %"):
        assert _accepted(decimal, text), text
        assert exact_decimal(text) is not None
    for text in ("3/10", "30%", "0.3", "1"):
        assert any(_accepted(p, text) for p in _form("share"))
        assert isinstance(exact_fraction(text), Fraction)
    assert exact_decimal("12.5 %") == Decimal("0.125")
    instant = schema_module._FORMS["datetime"]["pattern"]
    for text in ("2024-03-31", "2024-03-31T17:00:00+07:00", "2024-03-31 17:00", "2024-03-31T17Z"):
        assert _accepted(instant, text), text
