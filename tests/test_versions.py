"""Versions of a criteria set: ``diff`` and its summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from modelunit.criteria import CriteriaSet, Criterion, Group, Provenance
from modelunit.indicators import Indicator
from modelunit.policy import Level, RecognitionPolicy, Tally
from modelunit.rules import Compare, Flag
from modelunit.versions import CatalogDiff, CriterionChange, diff
from tests.helpers import INDICATORS, catalog_of

D = Decimal


class TestDiff:
    def test_added_removed_changed(self) -> None:
        old = catalog_of(Flag("hq_ok"), Compare("crimes", "<", D(5)))
        new = attrs.evolve(
            old,
            version="2",
            criteria=(
                attrs.evolve(old.criteria[0], mandatory=True),
                Criterion("C3", Compare("crimes", "<", D(4))),
            ),
        )
        d = diff(old, new)
        assert d.added == ("C3",)
        assert d.removed == ("C2",)
        assert [(c.criterion, c.fields) for c in d.changed] == [("C1", ("mandatory",))]
        assert not d.policy_changed
        assert d.summary() == (
            "t 1 -> t 2\n  added criteria: C3\n  removed criteria: C2\n  changed C1: mandatory"
        )

    def test_no_changes(self) -> None:
        c = catalog_of(Flag("hq_ok"))
        assert diff(c, c).unchanged
        assert diff(c, c).summary() == "t 1 -> t 1: no changes"


BASE = catalog_of(Flag("hq_ok"), Compare("crimes", "<", D(5)))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title_vi", "Bộ tiêu chí"),
        ("title_en", "Criteria"),
        ("description", "what it is for"),
        ("effective_from", date(2024, 1, 1)),
        ("effective_to", date(2030, 12, 31)),
        ("unit_kinds", ("ward", "commune")),
        ("provenance", Provenance(document="Circular 1/2021")),
    ],
)
def test_each_set_level_field_that_changed_is_listed(field: str, value: object) -> None:
    d = diff(BASE, attrs.evolve(BASE, **{field: value}))  # type: ignore[arg-type]
    assert d.set_changed == (field,)
    assert not d.unchanged
    assert (d.added, d.removed, d.changed, d.policy_changed) == ((), (), (), False)


def test_groups_are_a_set_level_field() -> None:
    grouped = attrs.evolve(
        BASE,
        groups=(Group("G"),),
        criteria=tuple(attrs.evolve(c, group="G") for c in BASE.criteria),
    )
    d = diff(BASE, grouped)
    assert d.set_changed == ("groups",)
    assert [(c.criterion, c.fields) for c in d.changed] == [
        ("C1", ("group",)),
        ("C2", ("group",)),
    ]


def test_several_set_fields_in_declaration_order() -> None:
    d = diff(BASE, attrs.evolve(BASE, unit_kinds=("commune",), title_en="T", description="x"))
    assert d.set_changed == ("title_en", "description", "unit_kinds")


def test_id_and_version_are_the_versions_compared_not_changes() -> None:
    d = diff(BASE, attrs.evolve(BASE, id="other", version="9"))
    assert d.unchanged
    assert (d.old, d.new, d.set_changed) == ("t 1", "other 9", ())


def test_indicators_added_removed_and_changed() -> None:
    by_key = {i.key: i for i in INDICATORS}
    indicators = (
        *(i for i in INDICATORS if i.key not in ("budget", "households")),
        attrs.evolve(by_key["households"], title_en="Households"),
        Indicator("patrols", "count", "sum"),
        Indicator("arrests", "count", "sum"),
    )
    d = diff(BASE, attrs.evolve(BASE, indicators=indicators))
    assert d.indicators_added == ("arrests", "patrols")
    assert d.indicators_removed == ("budget",)
    assert d.indicators_changed == ("households",)
    assert (d.added, d.removed, d.changed, d.set_changed) == ((), (), (), ())
    assert not d.unchanged


def test_a_changed_policy() -> None:
    policy = RecognitionPolicy((Level("all", Tally("met", min_share=Fraction(9, 10))),))
    d = diff(BASE, attrs.evolve(BASE, policy=policy))
    assert d.policy_changed
    assert not d.unchanged
    assert d.summary() == "t 1 -> t 1\n  recognition policy changed"


def test_criteria_fields_are_listed_in_declaration_order() -> None:
    changed = attrs.evolve(
        BASE.criteria[1], rule=Compare("crimes", "<", D(4)), points=D(2), title_en="Crimes"
    )
    d = diff(BASE, attrs.evolve(BASE, criteria=(BASE.criteria[0], changed)))
    assert d.changed == (CriterionChange("C2", ("rule", "title_en", "points")),)


def test_results_are_sorted_by_id() -> None:
    old = catalog_of(Flag("hq_ok"))
    new = CriteriaSet(
        id="t",
        version="2",
        indicators=INDICATORS,
        criteria=(
            Criterion("Z", Flag("hq_ok")),
            Criterion("B", Flag("hq_ok")),
            Criterion("M", Flag("hq_ok")),
        ),
        policy=old.policy,
    )
    d = diff(new, old)
    assert d.removed == ("B", "M", "Z")
    assert diff(old, new).added == ("B", "M", "Z")


def test_summary_lists_every_kind_of_change() -> None:
    d = CatalogDiff(
        old="t 1",
        new="t 2",
        added=("C3", "C4"),
        removed=("C2",),
        changed=(CriterionChange("C1", ("rule", "points")), CriterionChange("C5", ("group",))),
        indicators_added=("patrols",),
        indicators_removed=("budget", "serious"),
        indicators_changed=("households",),
        policy_changed=True,
        set_changed=("title_en", "groups"),
    )
    assert d.summary() == (
        "t 1 -> t 2\n"
        "  added criteria: C3, C4\n"
        "  removed criteria: C2\n"
        "  changed C1: rule, points\n"
        "  changed C5: group\n"
        "  added indicators: patrols\n"
        "  removed indicators: budget, serious\n"
        "  changed indicators: households\n"
        "  recognition policy changed\n"
        "  set fields changed: title_en, groups"
    )


def test_summary_of_set_fields_alone() -> None:
    d = diff(BASE, attrs.evolve(BASE, effective_to=date(2030, 1, 1)))
    assert d.summary() == "t 1 -> t 1\n  set fields changed: effective_to"


# -- the version in force (issue 14, item 4) ------------------------------------------------

from modelunit.assessment import assess_in_force, compare_versions  # noqa: E402
from modelunit.errors import InvalidCatalogError, UnknownVersionError  # noqa: E402
from modelunit.evidence import Unit  # noqa: E402
from modelunit.rules import Change  # noqa: E402
from modelunit.versions import CatalogFamily  # noqa: E402
from tests.helpers import catalog_of, ev, ledger  # noqa: E402

FEWER = catalog_of(
    Change("crimes", "<", Decimal(0)), Flag("hq_ok"), effective_from=date(2021, 7, 13)
)
FEWER = attrs.evolve(FEWER, version="2021.1")
FIVE_PERCENT = attrs.evolve(
    catalog_of(Change("crimes", "<=", Decimal("-0.05"), relative=True)),
    version="2024.1",
    effective_from=date(2024, 1, 1),
)
FAMILY = CatalogFamily((FIVE_PERCENT, FEWER))
# 24 cases in 2023 against 25 in 2022: fewer (-4%), not 5% fewer.
CASES = ledger(
    ev("crimes", "2022", 25),
    ev("crimes", "2023", 24),
    ev("crimes", "2024", 24),
    ev("hq_ok", "2023", True),
)


def test_the_version_in_force_is_the_one_on_the_periods_last_day() -> None:
    assert [FAMILY.in_force(p).version for p in ("2023", "2023-Q4", "2024-Q1", "2030")] == [
        "2021.1",
        "2021.1",
        "2024.1",
        "2024.1",
    ]
    assert FAMILY.in_force(date(2023, 12, 31)).version == "2021.1"
    # A period spanning the change goes by its last day.
    assert FAMILY.in_force("2023-07-01/2024-06-30").version == "2024.1"
    with pytest.raises(UnknownVersionError, match="takes effect on 2021-07-13"):
        FAMILY.in_force("2020")


def test_assessing_records_the_version_and_the_day() -> None:
    r = assess_in_force(FAMILY, CASES, unit=Unit("w"), period="2023")
    assert (r.version, r.in_force_on, r.result("C1").outcome.value) == (
        "2021.1",
        date(2023, 12, 31),
        "met",
    )
    assert r.explain().splitlines()[0] == "w (ward), 2023: t 2021.1 (in force on 2023-12-31)"
    explicit = assess_in_force(FAMILY, CASES, unit=Unit("w"), period="2023", version="2024.1")
    assert (explicit.version, explicit.in_force_on, explicit.result("C1").outcome.value) == (
        "2024.1",
        None,
        "not_met",
    )
    with pytest.raises(UnknownVersionError, match=r"did you mean '2024\.1'"):
        FAMILY.version("2024.2")


def test_an_outcome_by_outcome_comparison_says_what_moved() -> None:
    cmp = compare_versions(FEWER, FIVE_PERCENT, CASES, unit=Unit("w"), period="2023")
    assert [o.criterion for o in cmp.changes] == ["C1", "C2"]
    assert cmp.render().splitlines() == [
        "w 2023: model under 2021.1, not_yet under 2024.1",
        "  C1 met under 2021.1, not met under 2024.1: the rule moved from crimes change vs "
        "previous period < 0 to crimes relative change vs previous period <= -5%",
        "  C2 only under 2021.1: met (hq_ok is true)",
        "  0 other criteria have the same outcome under both",
    ]


def test_a_family_refuses_overlaps_mixed_ids_and_missing_dates() -> None:
    overlapping = attrs.evolve(FEWER, effective_to=date(2024, 6, 30))
    with pytest.raises(InvalidCatalogError) as info:
        CatalogFamily((overlapping, FIVE_PERCENT))
    assert [p.message for p in info.value.problems] == [
        "2021.1 is in force until 2024-06-30, after 2024.1 takes effect on 2024-01-01: "
        "versions must not overlap"
    ]
    with pytest.raises(InvalidCatalogError) as info:
        CatalogFamily((FEWER, attrs.evolve(FIVE_PERCENT, id="u", effective_from=None)))
    assert sorted(p.path for p in info.value.problems) == [
        "versions[0].effective_from",  # sorted first: it has no date
        "versions[1].id",
    ]


def _moved(value: int, *, as_of: str | None = None) -> list[str]:
    """The criteria whose outcome differs between the versions when 2023's 24 cases
    (against 25 in 2022) are corrected to ``value`` on 1 March 2024."""
    book = ledger(
        ev("crimes", "2022", 25),
        ev("crimes", "2023", 24, id="first"),
        ev("crimes", "2023", value, at="2024-03-01", supersedes="first"),
        ev("hq_ok", "2023", True),
    )
    cmp = compare_versions(FEWER, FIVE_PERCENT, book, unit=Unit("w"), period="2023", as_of=as_of)
    return [o.criterion for o in cmp.changes]


def test_comparing_versions_reads_both_as_of_the_same_moment() -> None:
    # As of February the correction does not count: 24 against 25 is fewer (the old
    # version's rule) but not 5% fewer (the new one's), whatever it was corrected to.
    assert _moved(20, as_of="2024-02-01") == _moved(26, as_of="2024-02-01") == ["C1", "C2"]
    assert _moved(20) == ["C2"]  # -20%: met under both
    assert _moved(26) == ["C2"]  # +4%: not met under both


def test_comparing_versions_reads_sub_units_from_the_registry_under_both() -> None:
    from modelunit.evidence import UnitRegistry
    from modelunit.rules import SubUnits

    rule = SubUnits(Flag("hq_ok"), count=1)
    old = attrs.evolve(catalog_of(rule, Flag("hq_ok")), version="1")
    new = attrs.evolve(catalog_of(rule), version="2")
    registry = UnitRegistry((Unit("w"), Unit("a", kind="residential_area", parent="w")))
    book = ledger(ev("hq_ok", "2023", True, unit="a"), ev("hq_ok", "2023", False))
    cmp = compare_versions(old, new, book, unit="w", period="2023", units=registry)
    # C1 (one sub-unit's headquarters in order) is met under both: only C2 moved.
    assert [o.criterion for o in cmp.changes] == ["C2"]
    assert cmp.render().splitlines()[0] == "w 2023: not_yet under 1, model under 2"
