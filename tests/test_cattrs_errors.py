"""Structuring errors become located problems; each type has its error class."""

from __future__ import annotations

import pytest
from cattrs.errors import ClassValidationError, IterableValidationError

from modelunit._cattrs_errors import error_class_for, problems_from
from modelunit.catalogs import EvidenceFile
from modelunit.criteria import CriteriaSet
from modelunit.errors import (
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidInputError,
    InvalidProblemError,
    InvalidRuleError,
    Problem,
)
from modelunit.evidence import EvidenceLedger
from modelunit.indicators import Indicator
from modelunit.rules import Rule
from modelunit.scenarios import Scenario
from modelunit.serialization import converter


@pytest.mark.parametrize(
    ("cls", "error"),
    [
        (CriteriaSet, InvalidCatalogError),
        (EvidenceLedger, InvalidEvidenceError),
        (EvidenceFile, InvalidEvidenceError),
        (Rule, InvalidRuleError),
        (Scenario, InvalidProblemError),
        (Indicator, InvalidInputError),  # none registered: the generic one
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_each_type_has_its_error_class(cls: object, error: type[InvalidInputError]) -> None:
    assert error_class_for(cls) is error


def _structuring_error(data: object, cls: object) -> BaseException:
    with pytest.raises((ClassValidationError, IterableValidationError)) as info:
        converter.structure(data, cls)  # type: ignore[arg-type]
    return info.value


def test_nested_field_errors_are_flattened_with_their_paths() -> None:
    exc = _structuring_error(
        {"key": "x", "type": "integer", "aggregation": "sum", "x": 1}, Indicator
    )
    assert problems_from(exc, "indicators[0]", "f.toml") == [
        Problem(
            "indicators[0].type",
            "expected one of 'count', 'quantity', 'share', 'boolean', 'category', got 'integer'",
            source="f.toml",
        ),
        Problem("indicators[0]", "unexpected field(s): x", source="f.toml"),
    ]


def test_every_missing_field_of_every_item_is_reported() -> None:
    exc = _structuring_error(
        [{"key": "a", "type": "count", "aggregation": "sum"}, {"type": "count"}],
        list[Indicator],
    )
    assert [(p.path, p.message) for p in problems_from(exc, "indicators")] == [
        ("indicators[1].key", "required field missing"),
        ("indicators[1].aggregation", "required field missing"),
    ]


def test_a_modelunit_error_inside_keeps_its_problems_relative_to_the_whole() -> None:
    inner = InvalidCatalogError(
        [
            Problem("rule.value", "bad", record="C1"),
            Problem("[2].x", "worse"),
            Problem("", "whole", source="other.toml"),
        ]
    )
    assert problems_from(inner, "criteria[0]", "f.toml") == [
        Problem("criteria[0].rule.value", "bad", record="C1", source="f.toml"),
        Problem("criteria[0][2].x", "worse", source="f.toml"),
        Problem("criteria[0]", "whole", source="other.toml"),
    ]


def test_any_other_error_is_one_problem_at_the_path() -> None:
    assert problems_from(ValueError("plain"), "a.b") == [Problem("a.b", "plain")]
    assert problems_from(KeyError("k"), "a") == [Problem("a", "required field missing")]


def test_unexpected_field_names_that_cannot_be_shown_are_quoted() -> None:
    # Found by the fuzz suite: a lone surrogate in a key went into the message as is,
    # and the command line could not print it (a traceback on a non-UTF-8 terminal).
    from modelunit._cattrs_errors import unexpected_fields

    message = unexpected_fields(["\ud800", "a\x00", "titel_en"], ["title_en"])
    assert message == (
        "unexpected field(s): 'a\\x00', titel_en (did you mean 'title_en'?), '\\ud800'"
    )
    message.encode("utf-8")
