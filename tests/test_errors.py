"""Errors: one base, the fitting builtin, located problems, did-you-mean, pickling."""

from __future__ import annotations

import pickle

import pytest

from modelunit import errors
from modelunit.errors import (
    GeographySourceError,
    InfeasiblePlanError,
    InvalidArgumentError,
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidInputError,
    InvalidMappingError,
    InvalidPeriodError,
    InvalidProblemError,
    InvalidRuleError,
    InvalidStoreError,
    InvalidValueError,
    MissingExtraError,
    ModelUnitError,
    Problem,
    UnknownCatalogError,
    UnknownCriterionError,
    UnknownIndicatorError,
    UnknownNameError,
    UnknownPeriodError,
    UnknownRecordError,
    UnknownRegionError,
    UnknownScenarioError,
    UnknownUnitError,
    UnknownVersionError,
    closest,
)
from modelunit.rollout.feasibility import Diagnosis

# -- Problem ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("criteria[2].rule", "bad"), "criteria[2].rule: bad"),
        (Problem("criteria[2].rule", "bad", record="C3"), "criteria[2].rule (record 'C3'): bad"),
        (Problem("id", "bad", source="set.toml"), "set.toml: id: bad"),
        (
            Problem("value", "bad", record="e1", source="ev.json"),
            "ev.json: value (record 'e1'): bad",
        ),
        (Problem("", "bad", record="e1"), "(record 'e1'): bad"),
        (Problem("", "bad", source="set.toml"), "set.toml: bad"),
        (Problem("", "bad"), "bad"),
    ],
)
def test_a_problem_renders_with_what_it_knows(problem: Problem, text: str) -> None:
    assert problem.render() == text


def test_an_input_error_lists_every_problem() -> None:
    err = InvalidCatalogError(
        [
            Problem("id", "a criteria set needs an id"),
            Problem("criteria[0].rule", "unknown indicator 'x'", record="C1"),
        ]
    )
    assert str(err) == (
        "2 problems in catalog:\n"
        "  - id: a criteria set needs an id\n"
        "  - criteria[0].rule (record 'C1'): unknown indicator 'x'"
    )
    assert err.source is None
    assert len(err.problems) == 2


def test_an_input_error_names_its_source_once() -> None:
    err = InvalidEvidenceError(
        [
            Problem("records[0].value", "bad", source="ev.json"),
            Problem("units[1].parent", "unknown", source="units.json"),
        ],
        source="ev.json",
    )
    assert str(err) == (
        "2 problems in ev.json:\n"
        "  - records[0].value: bad\n"
        "  - units.json: units[1].parent: unknown"
    )


@pytest.mark.parametrize(
    ("cls", "what"),
    [
        (InvalidInputError, "input"),
        (InvalidCatalogError, "catalog"),
        (InvalidRuleError, "rule"),
        (InvalidEvidenceError, "evidence"),
        (InvalidPeriodError, "period"),
        (InvalidProblemError, "planning problem"),
        (InvalidMappingError, "mapping"),
        (InvalidStoreError, "evidence store"),
    ],
)
def test_each_input_error_says_what_kind_of_input(cls: type[InvalidInputError], what: str) -> None:
    assert str(cls([Problem("x", "bad")])) == f"1 problem in {what}:\n  - x: bad"


# -- the class tree --------------------------------------------------------------------------

BUILTIN: dict[type[ModelUnitError], type[Exception]] = {
    InvalidInputError: ValueError,
    InvalidCatalogError: ValueError,
    InvalidRuleError: ValueError,
    InvalidEvidenceError: ValueError,
    InvalidPeriodError: ValueError,
    InvalidProblemError: ValueError,
    InvalidMappingError: ValueError,
    InvalidStoreError: ValueError,
    InvalidValueError: ValueError,
    InvalidArgumentError: ValueError,
    InfeasiblePlanError: ValueError,
    UnknownNameError: KeyError,
    UnknownCatalogError: KeyError,
    UnknownScenarioError: KeyError,
    UnknownUnitError: KeyError,
    UnknownCriterionError: KeyError,
    UnknownRegionError: KeyError,
    UnknownPeriodError: KeyError,
    UnknownRecordError: KeyError,
    UnknownIndicatorError: KeyError,
    UnknownVersionError: KeyError,
    MissingExtraError: ImportError,
    GeographySourceError: ImportError,
}


def _error_classes() -> set[type[BaseException]]:
    found = {getattr(errors, name) for name in errors.__all__}
    return {c for c in found if isinstance(c, type) and issubclass(c, BaseException)}


def test_the_table_lists_every_error_class() -> None:
    assert _error_classes() == {ModelUnitError, *BUILTIN}


@pytest.mark.parametrize("cls", list(BUILTIN), ids=lambda c: c.__name__)
def test_every_error_is_a_modelunit_error_and_its_builtin(cls: type[ModelUnitError]) -> None:
    assert issubclass(cls, ModelUnitError)
    assert issubclass(cls, BUILTIN[cls])


# -- pickling --------------------------------------------------------------------------------

PROBLEMS = (Problem("a[0]", "bad", record="r", source="f.toml"), Problem("b", "worse"))

EXAMPLES: list[ModelUnitError] = [
    *(cls(PROBLEMS, source="f.toml") for cls in BUILTIN if issubclass(cls, InvalidInputError)),
    *(
        cls("C01", ("C1", "C2"), detail="not in this set")
        for cls in BUILTIN
        if issubclass(cls, UnknownNameError)
    ),
    InvalidValueError("expected a number, got 'x'"),
    InvalidArgumentError("unknown strategy 'fastest'"),
    MissingExtraError("install modelunit[geo]"),
    GeographySourceError("vietnam-provinces is not installed"),
]


def test_the_examples_cover_every_error_class_but_the_planners() -> None:
    assert {type(e) for e in EXAMPLES} == set(BUILTIN) - {InfeasiblePlanError}


@pytest.mark.parametrize("err", EXAMPLES, ids=lambda e: type(e).__name__)
def test_every_error_pickles(err: ModelUnitError) -> None:
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert back.args == err.args
    for attr in ("problems", "source", "name", "known", "detail"):
        assert getattr(back, attr, None) == getattr(err, attr, None)


def test_an_infeasible_plan_error_pickles_with_its_diagnosis() -> None:
    err = InfeasiblePlanError("floors cannot be met", Diagnosis(feasible=False))
    back = pickle.loads(pickle.dumps(err))
    assert (str(back), back.diagnosis) == (str(err), err.diagnosis)


# -- unknown names ---------------------------------------------------------------------------


def test_closest_names_best_first() -> None:
    assert closest("recognized", ["recognised", "region", "total"]) == ("recognised",)
    assert closest("C1x", ["C1y", "C1", "C2", "C1y"]) == ("C1", "C1y")
    assert len(closest("aaaa", [f"aaa{i}" for i in range(9)])) == 3
    assert len(closest("aaaa", [f"aaa{i}" for i in range(9)], n=2)) == 2
    assert closest("zzz", ["recognised", "region"]) == ()
    assert closest(42, ["42"]) == ()


def test_an_unknown_name_suggests_the_closest() -> None:
    err = UnknownCriterionError("C01", ["C1", "C2", "C10"])
    assert str(err) == "unknown criterion 'C01'; did you mean 'C1' or 'C10'?"
    assert (err.name, err.known, err.args) == ("C01", ("C1", "C10", "C2"), ("C01",))


def test_an_unknown_name_lists_a_few_known_names_when_none_is_close() -> None:
    assert str(UnknownUnitError("zz", ["w1", "w2"])) == "unknown unit 'zz'; known: w1, w2"
    many = [f"w{i}" for i in range(13)]
    assert str(UnknownUnitError("zz", many)) == "unknown unit 'zz'"
    assert str(UnknownRecordError("zz")) == "unknown evidence record 'zz'"


def test_an_unknown_name_carries_its_detail() -> None:
    err = UnknownPeriodError("2022", ["2019-H1"], detail="not assessed in this batch")
    assert str(err) == "unknown period '2022' (not assessed in this batch); known: 2019-H1"
    assert UnknownUnitError("w9", ()).unit == "w9"
    assert str(UnknownRegionError("north")) == "unknown region 'north'"


def test_an_unknown_catalog_lists_the_bundled_names() -> None:
    err = UnknownCatalogError("tutorail", ["tutorial", "cap-kieu-mau-2021"])
    assert err.available == ("cap-kieu-mau-2021", "tutorial")
    assert str(err) == (
        "no catalog named 'tutorail' and no such file; "
        "bundled catalogs: cap-kieu-mau-2021, tutorial"
    )
    assert str(UnknownScenarioError("x", [])) == (
        "no scenario named 'x' and no such file; bundled scenarios: none"
    )
