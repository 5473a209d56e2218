"""What would decide each gap (issue 14, item 2): computed from the rule, and true."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import modelunit
from modelunit.assessment import assess, assess_batch
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.decide import checklist, what_if
from modelunit.evidence import Unit
from modelunit.indicators import Indicator
from modelunit.outcomes import Outcome
from modelunit.periods import Period
from modelunit.policy import Level, RecognitionPolicy, Tally
from modelunit.results import Need
from modelunit.rules import AllOf, AnyOf, AtLeastLevel, Change, Compare, KOf, Not, Rule
from modelunit.serialization import to_json
from tests.helpers import ev, ledger

CASES = Indicator("crimes", "count", "sum", unit="cases")
SURVEY = Indicator("satisfaction", "share", "last")
RANKING = Indicator(
    "ranking", "category", "last", categories=("not_completed", "completed", "good", "excellent")
)
INDICATORS = (CASES, SURVEY, RANKING)
ONE_LEVEL = RecognitionPolicy((Level("model", Tally("met", min_share=Fraction(1))),))


def set_of(*rules: Rule) -> CriteriaSet:
    crits = tuple(Criterion(f"C{i}", r) for i, r in enumerate(rules, start=1))
    return CriteriaSet(id="d", version="1", indicators=INDICATORS, criteria=crits, policy=ONE_LEVEL)


def ways(rule: Rule, *records: object) -> list[str]:
    result = assess(set_of(rule), ledger(*records), unit=Unit("w"), period="2023")  # type: ignore[arg-type]
    gaps = {g.criterion: g for g in result.gaps}
    return [w.text for w in gaps["C1"].decide] if "C1" in gaps else []


def test_distance_to_a_threshold_in_cases() -> None:
    assert ways(Compare("crimes", "<=", Decimal(18)), ev("crimes", "2023", 19)) == [
        "crimes in 2023: 19 cases, needs at most 18: 1 fewer"
    ]


def test_five_percent_fewer_than_2019_solves_for_this_year() -> None:
    rule = Change("crimes", "<=", Decimal("-0.05"), baseline="2019", relative=True)
    # 40 in 2019: 5% fewer is at most 38; 39 is 1 too many.
    assert ways(rule, ev("crimes", "2019", 40), ev("crimes", "2023", 39)) == [
        "crimes in 2023: 39 cases, needs at most 38: 1 fewer"
    ]


def test_missing_rankings_are_asked_for_once() -> None:
    rule = AllOf((AtLeastLevel("ranking", "good"), Compare("satisfaction", ">=", Decimal("0.9"))))
    assert ways(rule) == ["ranking for 2023: at least 'good'; satisfaction for 2023: at least 90%"]


def test_any_gives_one_way_per_part_cheapest_first() -> None:
    rule = AnyOf(
        (Compare("crimes", "<=", Decimal(18)), Compare("satisfaction", ">=", Decimal("0.9")))
    )
    assert ways(rule, ev("crimes", "2023", 25), ev("satisfaction", "2023", Decimal("0.85"))) == [
        "satisfaction in 2023: 85%, needs at least 90%: 5 percentage points more",
        "crimes in 2023: 25 cases, needs at most 18: 7 fewer",
    ]


def test_not_flips_what_is_wanted() -> None:
    assert ways(Not(Compare("crimes", ">", Decimal(3))), ev("crimes", "2023", 5)) == [
        "crimes in 2023: 5 cases, needs at most 3: 2 fewer"
    ]


def test_a_met_criterion_has_no_gap_and_an_impossible_one_no_way() -> None:
    assert ways(Compare("crimes", "<=", Decimal(18)), ev("crimes", "2023", 3)) == []
    # A strict reduction from a baseline of zero cannot be met by any value.
    rule = Change("crimes", "<", Decimal(0), baseline="2019")
    assert ways(rule, ev("crimes", "2019", 0), ev("crimes", "2023", 0)) == []


def test_sub_units_say_how_far_and_how_many_are_unknown() -> None:
    cat = modelunit.load_catalog("an-toan-antt-2021")
    ledger_ = modelunit.load_evidence("residential-areas-example")
    units = modelunit.load_units("residential-areas-example")
    result = assess(cat, ledger_, unit="phuong-chua-du", period="2023", units=units)
    gap = {g.criterion: g for g in result.gaps}["A3"]
    assert [(w.text, w.note) for w in gap.decide] == [
        (
            "[phuong-chua-du/kdc-18] ra_crime_contained for 2023: true",
            "17 of 25 residential_area sub-units met, needs 18: 1 more; 1 unknown",
        ),
        (
            "[phuong-chua-du/kdc-20] ra_party_cell_resolution in 2023: false, needs true",
            "17 of 25 residential_area sub-units met, needs 18: 1 more; 1 unknown",
        ),
    ]
    explained = result.result("A3").explanation
    assert "17 of 25 sub-units met, 7 not met, 1 unknown, needs 18" in explained


def test_checklist_per_region_text_records_and_html() -> None:
    cat = modelunit.load_catalog("cap-kieu-mau-2021")
    evidence = modelunit.load_evidence("nghe-an-2023")
    units = modelunit.load_units("nghe-an-2023")
    batch = assess_batch(cat, evidence, registry=units, periods=["2023"])
    made = checklist(batch, "2023")
    assert made.render().splitlines() == [
        "Checklist for 2023",
        "(no region): 16 units, 4 one step from a better level",
        "  collect party_committee_ranking for 2023: nghe-an-phuong-14, nghe-an-phuong-15, "
        "nghe-an-phuong-16",
        "  collect peoples_committee_ranking for 2023: nghe-an-phuong-14, nghe-an-phuong-15, "
        "nghe-an-phuong-16",
        "  change peoples_committee_ranking for 2023: nghe-an-phuong-13",
        "  nghe-an-phuong-13: model if C22 is met (now not_yet)",
        "  nghe-an-phuong-14: model if C22 is met (now basically_met)",
        "  nghe-an-phuong-15: model if C22 is met (now basically_met)",
        "  nghe-an-phuong-16: model if C22 is met (now basically_met)",
    ]
    region = made.regions[0]
    assert (region.units, region.one_step_units) == (16, 4)
    rows = made.to_records()
    assert len(rows) == 3 + 3 + 1 + 4
    assert rows[-1] == {
        "region": "",
        "period": "2023",
        "kind": "one_step",
        "indicator": "",
        "indicator_period": "",
        "unit": "nghe-an-phuong-16",
        "criterion": "C22",
        "level": "model",
    }
    html = made.to_html()
    assert html.count("<tr>") == 1 + len(rows)
    assert '"one_step_units"' not in to_json(made)  # a property, not a field
    assert '"one_step"' in to_json(made)


# -- the law: every suggestion, applied to the evidence, makes the criterion met ---------

RULES: list[Rule] = [
    Compare("crimes", "<=", Decimal(18)),
    Change("crimes", "<=", Decimal("-0.05"), baseline="previous", relative=True),
    Change("crimes", "<", Decimal(0), baseline="2019"),
    AllOf((AtLeastLevel("ranking", "good"), Compare("satisfaction", ">=", Decimal("0.9")))),
    AnyOf((Compare("crimes", "==", Decimal(0)), Compare("satisfaction", ">", Decimal("0.95")))),
    KOf(
        2,
        (
            Compare("crimes", "<", Decimal(10)),
            AtLeastLevel("ranking", "excellent"),
            Not(Compare("satisfaction", "<", Decimal("0.8"))),
        ),
    ),
]

maybe_count = st.none() | st.integers(0, 60)
SHARES = [Decimal(x) / 100 for x in (0, 50, 79, 80, 89, 90, 96, 100)]
maybe_share = st.none() | st.sampled_from(SHARES)
maybe_rank = st.none() | st.sampled_from(RANKING.categories)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(
    st.sampled_from(RULES),
    st.fixed_dictionaries(
        {
            ("crimes", "2023"): maybe_count,
            ("crimes", "2022"): maybe_count,
            ("crimes", "2019"): maybe_count,
            ("satisfaction", "2023"): maybe_share,
            ("ranking", "2023"): maybe_rank,
        }
    ),
    st.integers(0, 60),
)
def test_every_suggestion_applied_makes_the_criterion_met(
    rule: Rule, values: dict[tuple[str, str], object], chosen: int
) -> None:
    catalog = set_of(rule)
    base = {("w", i, Period.parse(p)): v for (i, p), v in values.items() if v is not None}
    records = ledger(*(ev(i, str(p), v) for (_, i, p), v in base.items()))
    result = assess(catalog, records, unit=Unit("w"), period="2023")
    gaps = {g.criterion: g for g in result.gaps}
    if result.result("C1").outcome is Outcome.MET:
        assert "C1" not in gaps
        return
    for way in gaps["C1"].decide:
        # A need for any value takes a value chosen freely (a baseline): any will do.
        choose = {
            (n.unit, n.indicator, n.period): _any_value(catalog.indicator_map[n.indicator], chosen)
            for n in way.needs
            if n.op == "any"
        }
        applied = what_if(way, indicators=catalog.indicator_map, choose=choose)
        if applied is None:
            continue  # infeasible for this choice (a strict fall from 0): nothing claimed
        after = base | applied
        records = ledger(*(ev(i, str(p), v) for (_, i, p), v in after.items()))
        again = assess(catalog, records, unit=Unit("w"), period="2023")
        assert again.result("C1").outcome is Outcome.MET, (way.text, after)
        for need in way.needs:
            assert isinstance(need, Need)


def _any_value(ind: Indicator, chosen: int) -> object:
    if ind.type == "count":
        return chosen
    if ind.type == "share":
        return Decimal(chosen % 101) / 100
    return ind.categories[chosen % len(ind.categories)]


def test_a_chain_of_1000_references_is_walked_once_without_recursion() -> None:
    # The longest chain a set may have (MAX_CRITERIA): C0 decides, C1..C999 refer on.
    from modelunit.rules import Absent, CriterionRef

    crits = (
        Criterion("C0", Absent("crimes")),
        *tuple(Criterion(f"C{i}", CriterionRef(f"C{i - 1}")) for i in range(1, 1000)),
    )
    chain = CriteriaSet(
        id="chain", version="1", indicators=INDICATORS, criteria=crits, policy=ONE_LEVEL
    )
    result = assess(chain, ledger(ev("crimes", "2023", 2)), unit=Unit("w"), period="2023")
    texts = {w.text for g in result.gaps for w in g.decide}
    assert len(result.gaps) == 1000
    assert texts == {"crimes in 2023: 2 cases, needs 0: 2 fewer"}
    assert all(len(g.decide) == 1 for g in result.gaps)


def test_references_inside_combinators_past_the_walk_depth_suggest_nothing() -> None:
    from modelunit.decide import MAX_WALK_DEPTH
    from modelunit.rules import CriterionRef

    n = MAX_WALK_DEPTH + 10
    crits = (
        Criterion("C0", Compare("crimes", "<=", Decimal(0))),
        *tuple(
            Criterion(
                f"C{i}", AnyOf((CriterionRef(f"C{i - 1}"), Compare("crimes", "<", Decimal(0))))
            )
            for i in range(1, n)
        ),
    )
    deep = CriteriaSet(
        id="deep", version="1", indicators=INDICATORS, criteria=crits, policy=ONE_LEVEL
    )
    result = assess(deep, ledger(ev("crimes", "2023", 2)), unit=Unit("w"), period="2023")
    decided = {g.criterion: [w.text for w in g.decide] for g in result.gaps}
    assert decided["C0"] == ["crimes in 2023: 2 cases, needs at most 0: 2 fewer"]
    assert decided["C1"] == ["crimes in 2023: 2 cases, needs at most 0: 2 fewer"]
    assert decided[f"C{n - 1}"] == []  # deeper than the walk goes: nothing, no crash
