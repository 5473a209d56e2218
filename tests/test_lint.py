"""Static checks for authors (issue 14, item 3)."""

from __future__ import annotations

import pathlib
from decimal import Decimal
from fractions import Fraction

import pytest

from modelunit.criteria import CriteriaSet, Criterion, Group
from modelunit.errors import InvalidCatalogError
from modelunit.policy import AllConditions, Level, RecognitionPolicy, Tally
from modelunit.rules import AllOf, Change, Compare, Flag
from tests.helpers import INDICATORS, POLICY, catalog_of, ev, outcome


def rendered(catalog: CriteriaSet, *periods: str) -> list[str]:
    return [p.render() for p in catalog.warnings(periods)]


def test_a_fraction_of_a_case_on_an_absolute_change_is_an_error() -> None:
    # Without the check, 40 -> 39 cases would be "met" for "-5%": -1 <= -0.05.
    with pytest.raises(InvalidCatalogError) as info:
        catalog_of(Change("crimes", "<=", Decimal("-0.05"), baseline="previous"))
    assert [p.path for p in info.value.problems] == ["criteria[0].rule.value"]
    assert "write relative = true for -5%, or a whole number" in info.value.problems[0].message
    relative = Change("crimes", "<=", Decimal("-0.05"), baseline="previous", relative=True)
    assert outcome(relative, ev("crimes", "2022", 40), ev("crimes", "2023", 39)).value == "not_met"


def test_a_group_reusing_a_criterion_id_is_an_error() -> None:
    with pytest.raises(InvalidCatalogError) as info:
        catalog_of(Flag("hq_ok"), groups=(Group("C1"),))
    assert ("groups[0].id", "C1") in [(p.path, p.record) for p in info.value.problems]


def test_never_met_never_failing_and_unreachable() -> None:
    never_met = Compare("crimes", "<", Decimal(0))
    never_fails = Compare("crimes", ">=", Decimal(0))
    assert rendered(catalog_of(never_met, never_fails)) == [
        "criteria[0].rule (record 'C1'): can never be met: crimes < 0 holds for no count",
        "criteria[1].rule (record 'C2'): can never fail (it is never 'not met'): crimes >= 0 "
        "holds for every count",
        "policy.levels[0] (record 'model'): can never be reached, whatever the outcomes of "
        "the criteria",
    ]


def test_a_condition_on_the_fallback_is_never_used() -> None:
    policy = RecognitionPolicy(
        POLICY.levels, fallback=Level("not_yet", Tally("met", min_share=Fraction(1, 2)))
    )
    cat = CriteriaSet(
        id="t",
        version="1",
        indicators=INDICATORS,
        criteria=(Criterion("C1", Flag("hq_ok")),),
        policy=policy,
    )
    assert rendered(cat) == [
        "policy.fallback.condition (record 'not_yet'): is never used: the fallback is "
        "reached when no level is; leave it out",
    ]


def test_a_fixed_annual_baseline_against_a_quarter() -> None:
    cat = catalog_of(Change("crimes", "<", Decimal(0), baseline="2019"))
    assert cat.warnings(["2023"]) == []
    assert [p.path for p in cat.warnings(["2023-Q4"])] == ["criteria[0].rule.baseline"]


def test_parts_of_a_rule_are_checked_too() -> None:
    cat = catalog_of(AllOf((Flag("hq_ok"), Compare("satisfaction", ">", Decimal(1)))))
    assert rendered(cat)[0] == (
        "criteria[0].rule (record 'C1'): can never be met: all of: (hq_ok is true; "
        "satisfaction > 1)"
    )


def test_a_level_needs_a_condition_only_the_fallback_may_omit_it() -> None:
    with pytest.raises(InvalidCatalogError) as info:
        CriteriaSet(
            id="t",
            version="1",
            indicators=INDICATORS,
            criteria=(Criterion("C1", Flag("hq_ok")),),
            policy=RecognitionPolicy((Level("model"),)),
        )
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "policy.levels[0].condition",
            "required field missing (only the fallback may leave it out)",
        )
    ]
    assert AllConditions(()) == AllConditions(())


def test_the_bundled_fallbacks_carry_no_condition_and_round_trip() -> None:
    import modelunit
    from modelunit.serialization import structure, unstructure

    for name in ("cap-kieu-mau-2021", "an-toan-antt-2021", "do-thi-van-minh-2022"):
        cat = modelunit.load_catalog(name)
        assert cat.policy.fallback.condition is None
        assert structure(unstructure(cat), CriteriaSet) == cat
        assert cat.warnings() == []


def _tutorial_with(tmp_path: pathlib.Path, old: str, new: str) -> pathlib.Path:
    import modelunit

    text = (pathlib.Path(modelunit.__file__).parent / "data/catalogs/tutorial.toml").read_text(
        encoding="utf-8"
    )
    assert old in text
    path = tmp_path / "set.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


T2 = 'relative = true, op = "<=", value = "-5%"'


@pytest.mark.parametrize("value", ["-5%", "-100%"])
def test_a_percent_sign_on_an_absolute_change_of_a_count_is_refused_once(
    tmp_path: pathlib.Path, value: str
) -> None:
    import modelunit

    path = _tutorial_with(tmp_path, T2, f'op = "<=", value = "{value}"')
    with pytest.raises(InvalidCatalogError) as info:
        modelunit.load_catalog(str(path))
    assert [(p.path, p.record, p.message) for p in info.value.problems] == [
        (
            "criteria[1].rule.value",
            "T2",
            f"'{value}' on an absolute change of social_order_crimes: a percentage of the "
            "baseline needs relative = true; an absolute change is a number of "
            "social_order_crimes",
        )
    ]


def test_percentage_points_of_a_share_are_an_absolute_change_indeed(
    tmp_path: pathlib.Path,
) -> None:
    import modelunit

    path = _tutorial_with(
        tmp_path,
        'kind = "compare", indicator = "resident_satisfaction", op = ">=", value = "90%"',
        'kind = "change", indicator = "resident_satisfaction", op = ">=", value = "5%"',
    )
    rule = modelunit.load_catalog(str(path)).criterion_map["T3"].rule
    assert (rule.kind, rule.value) == ("change", Decimal("0.05"))
