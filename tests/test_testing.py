"""The strategies shipped in modelunit.testing: valid output, arguments checked when a
strategy is built, names that say what a draw is, types, st.from_type for every public
type, the entry-point plugin, shrinking."""

from __future__ import annotations

import inspect
import json
import pkgutil
import subprocess
import sys
import typing
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

import modelunit
from modelunit import _hypothesis_plugin, testing
from modelunit.criteria import CriteriaSet
from modelunit.evidence import Evidence
from modelunit.rollout import Milestone, Region, RolloutProblem, diagnose, plan
from modelunit.serialization import from_json, to_json
from modelunit.testing import (
    criteria_sets,
    evidence_lists,
    indicators,
    ledgers,
    milestone_lists,
    periods,
    regions,
    rollout_problems,
    rules,
    unit_registries,
    values,
)
from modelunit.testing._types import strategy_types
from tests.helpers import public_attrs_types


@given(criteria_sets())
def test_criteria_sets_are_valid_and_assessable(catalog: CriteriaSet) -> None:
    assert catalog.problems() == []
    result = modelunit.assess(
        catalog, modelunit.EvidenceLedger(), unit=modelunit.Unit("u"), period="2023"
    )
    assert result.counts.total == len(catalog.criteria)


@given(rollout_problems())
def test_rollout_problems_are_valid(problem: RolloutProblem) -> None:
    assert isinstance(problem, RolloutProblem)
    assert problem.start == 2027


@given(rollout_problems(feasible=True))
def test_feasible_problems_are_feasible(problem: RolloutProblem) -> None:
    assert diagnose(problem).feasible
    result = plan(problem)
    assert result.feasible
    assert result.missed == ()


@given(rollout_problems(feasible=False))
def test_infeasible_problems_are_infeasible(problem: RolloutProblem) -> None:
    result = plan(problem)
    assert not result.feasible or result.missed != ()


@given(rollout_problems(national_capacity=False, max_regions=2, min_years=3))
def test_ranges_are_honoured(problem: RolloutProblem) -> None:
    assert problem.national_capacity is None
    assert len(problem.regions) <= 2
    assert len(problem.years) >= 3


# -- arguments are checked when the strategy is built ---------------------------------------


def _inds() -> tuple[Any, ...]:
    return modelunit.load_catalog("tutorial").indicators


def _catalog() -> CriteriaSet:
    return modelunit.load_catalog("tutorial")


BAD_ARGUMENTS: list[tuple[str, Callable[[], object]]] = [
    ("years reversed", lambda: periods(min_year=2030, max_year=2020)),
    ("unknown period kind", lambda: periods(kinds=("decade",))),
    ("kinds as a string", lambda: periods(kinds="year")),
    ("unknown value type", lambda: indicators(types=("colour",))),
    ("nothing to refer to", lambda: rules([], max_depth=1)),
    ("negative depth", lambda: rules(list(_inds()), max_depth=-1)),
    ("criteria reversed", lambda: criteria_sets(min_criteria=3, max_criteria=2)),
    ("no indicators", lambda: criteria_sets(max_indicators=0)),
    ("a count as text", lambda: criteria_sets(max_criteria="3")),  # type: ignore[arg-type]
    ("a count as a bool", lambda: criteria_sets(max_criteria=True)),
    ("units reversed", lambda: unit_registries(min_units=2, max_units=1)),
    ("sub-units reversed", lambda: unit_registries(min_sub_units=3, max_sub_units=1)),
    ("no units", lambda: evidence_lists(_catalog(), units=())),
    ("units as a string", lambda: ledgers(_catalog(), units="unit-0")),
    ("not a catalog", lambda: ledgers("tutorial")),  # type: ignore[arg-type]
    ("regions reversed", lambda: rollout_problems(min_regions=0, max_regions=-1)),
    ("no years", lambda: rollout_problems(max_years=0)),
    ("years reversed", lambda: rollout_problems(min_years=3, max_years=2)),
    ("feasible as text", lambda: rollout_problems(feasible="yes")),  # type: ignore[arg-type]
    ("horizon reversed", lambda: regions(start=2030, end=2027)),
    ("negative size", lambda: milestone_lists(max_size=-1)),
    ("more milestones than pairs", lambda: milestone_lists(start=2027, end=2027, min_size=3)),
]


@pytest.mark.parametrize(("case", "build"), BAD_ARGUMENTS, ids=[c for c, _ in BAD_ARGUMENTS])
def test_bad_arguments_raise_invalid_argument_when_built(
    case: str, build: Callable[[], st.SearchStrategy[Any]]
) -> None:
    # As st.integers(5, 2).validate() does: here the call itself already refuses.
    with pytest.raises(InvalidArgument):
        build().validate()


STRATEGY_FOR_A_VALUE: list[tuple[str, Callable[[], object]]] = [
    ("ledgers(catalog)", lambda: ledgers(criteria_sets())),  # type: ignore[arg-type]
    ("evidence_lists(catalog)", lambda: evidence_lists(criteria_sets())),  # type: ignore[arg-type]
    ("values(indicator)", lambda: values(indicators())),  # type: ignore[arg-type]
    ("rules(indicators)", lambda: rules(st.lists(indicators()))),  # type: ignore[arg-type]
    ("rules([strategy])", lambda: rules([indicators()])),  # type: ignore[list-item]
    ("regions(region_id)", lambda: regions(region_id=st.just("R1"))),  # type: ignore[arg-type]
    ("max_criteria", lambda: criteria_sets(max_criteria=st.integers(1, 3))),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("case", "build"), STRATEGY_FOR_A_VALUE, ids=[c for c, _ in STRATEGY_FOR_A_VALUE]
)
def test_a_strategy_where_a_value_is_expected_is_refused_clearly(
    case: str, build: Callable[[], object]
) -> None:
    with pytest.raises(InvalidArgument, match=r"got a strategy .*draw the value first"):
        build()


# -- names say what one draw is; every strategy is typed ---------------------------------------


def test_each_draw_is_what_the_name_says() -> None:
    assert isinstance(find(regions(), lambda r: True), Region)
    drawn = find(milestone_lists(min_size=1), lambda ms: True)
    assert isinstance(drawn, list)
    assert all(isinstance(m, Milestone) for m in drawn)
    records = find(evidence_lists(_catalog()), lambda rs: len(rs) > 0)
    assert all(isinstance(r, Evidence) for r in records)


def test_the_old_list_names_are_deprecated_aliases() -> None:
    with pytest.warns(
        DeprecationWarning, match=r"milestones\(\) is deprecated: use milestone_lists"
    ):
        old = testing.milestones(max_size=2)
    assert isinstance(find(old, lambda ms: True), list)
    with pytest.warns(DeprecationWarning, match=r"evidence_records\(\) is deprecated"):
        old_records = testing.evidence_records(_catalog())
    assert isinstance(find(old_records, lambda rs: True), list)


PUBLIC_STRATEGIES = [
    getattr(testing, name) for name in testing.__all__ if inspect.isfunction(getattr(testing, name))
]


@pytest.mark.parametrize("strategy", PUBLIC_STRATEGIES, ids=lambda f: f.__name__)
def test_every_strategy_is_typed_with_what_it_draws(strategy: Callable[..., Any]) -> None:
    hints = typing.get_type_hints(strategy)
    returned = hints["return"]
    assert typing.get_origin(returned) is st.SearchStrategy, strategy.__name__
    (drawn,) = typing.get_args(returned)
    assert drawn is not Any, strategy.__name__
    positional = [
        p
        for p in inspect.signature(strategy).parameters.values()
        if p.kind is not p.KEYWORD_ONLY and p.name not in ("catalog", "indicator", "indicators")
    ]
    assert positional == [], strategy.__name__


def test_examples_shrink_to_the_simplest() -> None:
    problem = find(rollout_problems(), lambda p: True)
    assert [(r.id, r.total) for r in problem.regions] == [("R00", 0)]
    assert problem.milestones == ()
    catalog = find(criteria_sets(), lambda c: True)
    assert len(catalog.criteria) == 1
    assert str(find(periods(), lambda p: True)) == "2015"


@given(st.data())
def test_ledgers_fit_their_catalog(data: st.DataObject) -> None:
    catalog = data.draw(criteria_sets(max_criteria=3))
    ledger = data.draw(ledgers(catalog, units=["a", "b"]))
    assert {r.unit for r in ledger} <= {"a", "b"}
    modelunit.build_index(catalog, ledger)  # every value fits its indicator


# -- st.from_type for every public type --------------------------------------------------------

PUBLIC_TYPES = public_attrs_types()
# A Region read alone (not inside a RolloutProblem) does not turn JSON's text year keys
# back into years: from_json(to_json(Region(..., capacity_by_year={2027: 0})), Region)
# refuses "2027". A planner bug, reported; the round trip is checked for every other type.
ROUND_TRIP_BUGS = {"modelunit.rollout.problem.Region"}


def test_the_plugin_and_the_strategies_cover_every_public_type() -> None:
    listed = {f"{m}.{n}" for m, names in _hypothesis_plugin.TYPES.items() for n in names}
    assert sorted(listed ^ set(PUBLIC_TYPES)) == []
    assert sorted(set(strategy_types()) ^ set(PUBLIC_TYPES)) == []


@pytest.mark.parametrize("name", sorted(PUBLIC_TYPES))
def test_from_type_builds_valid_values_of_every_public_type(name: str) -> None:
    cls = PUBLIC_TYPES[name]

    @settings(
        max_examples=8,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.from_type(cls))
    def check(value: object) -> None:
        assert type(value) is cls
        if name not in ROUND_TRIP_BUGS:
            assert from_json(to_json(value), cls) == value

    check()


def test_text_is_drawn_in_nfc_as_the_loaders_keep_it() -> None:
    # Found by the round-trip test above: U+F900 (a compatibility ideograph) drawn in a
    # reason became U+8C48 once read back.
    from modelunit.rollout.selection import UnitSelection

    with pytest.raises(NoSuchExample):
        find(
            st.from_type(UnitSelection),
            lambda value: unicodedata.normalize("NFC", value.reason) != value.reason,
            settings=settings(max_examples=2000, database=None),
        )


def test_builds_of_a_downstream_class_with_public_fields() -> None:
    import attrs

    @attrs.frozen
    class Report:
        catalog: CriteriaSet
        first: Evidence
        region: Region

    attrs.resolve_types(Report)  # annotations are strings here (from __future__ import ...)

    @settings(max_examples=5, database=None, deadline=None)
    @given(st.builds(Report))
    def check(report: Report) -> None:
        assert isinstance(report.first, Evidence)
        assert report.catalog.problems() == []

    check()


_PROBE = """
import sys
import hypothesis
from hypothesis import strategies as st
loaded = sorted(m for m in sys.modules if m.startswith("modelunit"))
from modelunit.evidence import Evidence, UnitRegistry
before = "modelunit.testing" in sys.modules
value = st.from_type(Evidence).example()
print(json.dumps([loaded, before, type(value).__name__, "modelunit.testing" in sys.modules]))
"""


def test_the_plugin_imports_nothing_and_registers_types_imported_later() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + _PROBE],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded, testing_before, drawn, testing_after = json.loads(out)
    assert loaded == ["modelunit", "modelunit._hypothesis_plugin", "modelunit._version"]
    assert (testing_before, drawn, testing_after) == (False, "Evidence", True)


def test_types_imported_before_hypothesis_are_registered_too() -> None:
    code = (
        "from modelunit.rollout.problem import Milestone\n"
        "from hypothesis import strategies as st\n"
        "print(type(st.from_type(Milestone).example()).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "Milestone\n"


# -- the package ---------------------------------------------------------------------------------


def test_without_hypothesis_the_message_names_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "import modelunit\n"
        "from modelunit.errors import MissingExtraError\n"
        "for attempt in (lambda: modelunit.testing, lambda: __import__('modelunit.testing')):\n"
        "    try:\n"
        "        attempt()\n"
        "    except MissingExtraError as exc:\n"
        "        print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert (
        out.splitlines()
        == [
            "modelunit.testing needs Hypothesis: install the 'testing' extra "
            "(pip install 'modelunit[testing]', or pip install '.[testing]' from a checkout)"
        ]
        * 2
    )


def test_dir_lists_the_public_submodules() -> None:
    public = {
        m.name for m in pkgutil.iter_modules(modelunit.__path__) if not m.name.startswith("_")
    }
    listed = set(dir(modelunit))
    assert public <= listed
    assert set(modelunit.__all__) <= listed
    assert dir(modelunit) == sorted(dir(modelunit))


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        modelunit.nope  # noqa: B018


def test_the_downstream_suite_imports_only_the_public_api() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).parent / "downstream"
    files = sorted(root.glob("*.py"))
    imported: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                if node.module == "modelunit":
                    imported.update(f"modelunit.{a.name}" for a in node.names)
    private = sorted(
        m
        for m in imported
        if m.split(".")[0] == "tests"
        or (m != "__future__" and any(part.startswith("_") for part in m.split(".")))
    )
    assert len(files) >= 2
    assert "modelunit.testing" in imported
    assert private == []


def test_rules_refuse_a_negative_depth() -> None:
    from tests.helpers import INDICATORS

    with pytest.raises(InvalidArgument, match="max_depth must be >= 0, got -1"):
        rules(INDICATORS, max_depth=-1)


@settings(max_examples=30)
@given(st.data())
def test_rules_of_depth_zero_are_leaves_of_what_the_indicators_allow(data: st.DataObject) -> None:
    from modelunit.indicators import Indicator
    from modelunit.rules import Absent, Flag, Present

    booleans = [Indicator("b", "boolean", "last")]
    rule = data.draw(rules(booleans, max_depth=0))
    # Only booleans: no comparison, change, ratio, level or reference can be made.
    assert isinstance(rule, Flag | Absent | Present)
    assert rule.indicator == "b"


def test_rules_without_sub_units_never_draw_them() -> None:
    from hypothesis.errors import NoSuchExample

    from modelunit.rules import SubUnits, iter_rules
    from tests.helpers import INDICATORS

    with pytest.raises(NoSuchExample):
        find(
            rules(INDICATORS, max_depth=2, criteria=("C1",)),
            lambda r: any(isinstance(n, SubUnits) for _, n in iter_rules(r)),
            settings=settings(max_examples=200, database=None),
        )


def test_a_kind_the_scope_cannot_make_is_none() -> None:
    from modelunit.rules import AllOf, CriterionRef, SubUnits
    from modelunit.testing._assessment import _kind_strategy, _Scope
    from tests.helpers import INDICATORS

    scope = _Scope(list(INDICATORS), (), None)
    assert _kind_strategy(CriterionRef, scope, None, None) is None
    assert _kind_strategy(AllOf, scope, None, None) is None
    assert _kind_strategy(SubUnits, scope, rules(INDICATORS, max_depth=0), None) is None
    refs = _Scope(list(INDICATORS), ("C1",), None)
    assert _kind_strategy(CriterionRef, refs, None, None) is not None
