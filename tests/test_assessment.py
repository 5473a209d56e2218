"""Assessments: re-assessment, explanations, batch, the as-of rule.

Recognition levels, vetoes and shares are tested with the policy (test_policy.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs
import pytest

import modelunit
from modelunit.assessment import assess_batch
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.errors import InvalidArgumentError
from modelunit.evidence import Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.outcomes import Outcome
from modelunit.periods import Period, ReportingYear
from modelunit.policy import Level, Points, RecognitionPolicy, Tally
from modelunit.rules import AllOf, Change, Compare, Flag, Ratio, SubUnits
from tests.helpers import INDICATORS, catalog_of, ev, ledger, twenty_two

D = Decimal
MET, NOT_MET, UNKNOWN, NA = (
    Outcome.MET,
    Outcome.NOT_MET,
    Outcome.INSUFFICIENT,
    Outcome.NOT_APPLICABLE,
)


def test_reassess_under_a_new_version() -> None:
    old = catalog_of(Compare("crimes", "<=", D(5)))
    new = attrs.evolve(old, version="2", criteria=(Criterion("C1", Compare("crimes", "<=", D(3))),))
    book = ledger(ev("crimes", "2023", 4))
    first = modelunit.assess(old, book, unit="w", period="2023")
    second = modelunit.reassess(first, new, book)
    assert (first.version, first.level) == ("1", "model")
    assert (second.version, second.level) == ("2", "not_yet")
    assert [c.criterion for c in modelunit.diff(old, new).changed] == ["C1"]
    # Reasons in the language asked for.
    vi = modelunit.reassess(first, new, book, lang="vi")
    assert vi.result("C1").explanation == "crimes trong 2023 là 4, cần <= 3"


def test_reassess_keeps_the_unit_its_kind_the_period_and_the_as_of() -> None:
    catalog = attrs.evolve(
        catalog_of(Flag("hq_ok")),
        unit_kinds=("ward", "commune"),
        criteria=(Criterion("C1", Flag("hq_ok"), applies_to=("commune",)),),
    )
    book = ledger(
        ev("hq_ok", "2023", False, unit="x", at="2024-01-10", id="old"),
        ev("hq_ok", "2023", True, unit="x", at="2024-03-01", id="fix", supersedes="old"),
    )
    commune = Unit("x", kind="commune")
    first = modelunit.assess(catalog, book, unit=commune, period="2023", as_of="2024-02-01")
    assert (first.unit_kind, first.result("C1").outcome) == ("commune", NOT_MET)
    new = attrs.evolve(catalog, version="2")
    again = modelunit.reassess(first, new, book)
    assert (again.version, again.unit, again.unit_kind) == ("2", "x", "commune")
    assert (again.period, again.as_of) == (first.period, first.as_of)
    assert again.result("C1").outcome is NOT_MET  # the correction came after as_of
    assert again.result("C1").evidence == ("old",)


def test_reassess_with_a_registry_reads_kinds_and_sub_units_from_it() -> None:
    rule = SubUnits(Flag("hq_ok"), count=1)
    catalog = catalog_of(rule)
    registry = UnitRegistry((Unit("w"), Unit("a", kind="residential_area", parent="w")))
    book = ledger(ev("hq_ok", "2023", True, unit="a"))
    first = modelunit.assess(catalog, book, unit="w", period="2023", units=registry)
    assert first.result("C1").outcome is MET
    again = modelunit.reassess(first, attrs.evolve(catalog, version="2"), book, units=registry)
    assert again.result("C1").outcome is MET
    # Without the registry the unit has no sub-units.
    alone = modelunit.reassess(first, attrs.evolve(catalog, version="2"), book)
    assert alone.result("C1").outcome is UNKNOWN
    # With one, the unit is as the registry has it now.
    regraded = UnitRegistry(
        (Unit("w", kind="town"), Unit("a", kind="residential_area", parent="w"))
    )
    assert modelunit.reassess(first, catalog, book, units=regraded).unit_kind == "town"


def test_reassess_without_a_registry_keeps_the_assessed_kind() -> None:
    catalog = attrs.evolve(
        catalog_of(Flag("hq_ok")),
        unit_kinds=("ward", "commune"),
        criteria=(Criterion("C1", Flag("hq_ok"), applies_to=("commune",)),),
    )
    registry = UnitRegistry((Unit("x", kind="commune"),))
    book = ledger(ev("hq_ok", "2023", True, unit="x"))
    first = modelunit.assess(catalog, book, unit="x", period="2023", units=registry)
    assert first.result("C1").outcome is MET
    again = modelunit.reassess(first, catalog, book)
    assert again.unit_kind == "commune"
    assert again.result("C1").outcome is MET


def test_explain_renders_everything() -> None:
    result = modelunit.assess(
        catalog_of(Compare("crimes", "<=", D(5))),
        ledger(ev("crimes", "2023", 4, id="r")),
        unit="w",
        period="2023",
    )
    assert result.explain() == (
        "w (ward), 2023: t 1\n"
        "Result: 1/1 met: model\n"
        "  model: reached (1/1 met; needs >= 100%)\n"
        "C1: met: crimes in 2023 is 4, needs <= 5 [evidence: r]"
    )


class TestBatch:
    def test_matches_single_assessments(self) -> None:
        catalog = twenty_two()
        recs = []
        for u in range(5):
            recs += [
                ev(f"c{i}", "2023", (i + u) % 7 != 0, unit=f"u{u}", id=f"{u}-{i}")
                for i in range(1, 23)
                if (i * u) % 5 != 1
            ]
        book = ledger(*recs)
        batch = assess_batch(catalog, book, periods=["2023"])
        for u in range(5):
            single = modelunit.assess(catalog, book, unit=f"u{u}", period="2023")
            assert batch.outcomes(f"u{u}", "2023") == {
                r.criterion: r.outcome for r in single.results
            }
            assert batch.summary(f"u{u}", "2023").counts == single.counts
            assert batch.assessment(f"u{u}", "2023") == single

    def test_outcome_codes(self) -> None:
        catalog = catalog_of(Compare("crimes", "<=", D(5)))
        catalog = attrs.evolve(
            catalog, criteria=(attrs.evolve(catalog.criteria[0], applies_to=("ward",)),)
        )
        units = UnitRegistry((Unit("a"), Unit("b"), Unit("c"), Unit("d", kind="commune")))
        book = ledger(ev("crimes", "2023", 1, unit="a"), ev("crimes", "2023", 9, unit="b"))
        batch = assess_batch(
            catalog, book, units=["a", "b", "c", "d"], periods=["2023"], registry=units
        )
        assert batch.outcome_codes("2023", "C1") == bytes([2, 0, 1, 3])

    def test_unknown_period_is_a_key_error(self) -> None:
        batch = assess_batch(
            catalog_of(Flag("hq_ok")), ledger(ev("hq_ok", "2023", True)), periods=["2023"]
        )
        with pytest.raises(KeyError):
            batch.outcome("w", "2022", "C1")


def test_as_of_with_an_index_is_refused() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    index = modelunit.build_index(catalog, ledger())
    with pytest.raises(InvalidArgumentError, match="as_of applies when the index is built"):
        modelunit.assess(catalog, index, unit="w", period="2023", as_of="2024-01-01")
    with pytest.raises(InvalidArgumentError, match="as_of applies when the index is built"):
        assess_batch(catalog, index, periods=["2023"], as_of="2024-01-01")


def test_as_of_with_an_index_says_where_the_index_stands_and_what_to_do() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    whole = modelunit.build_index(catalog, ledger())
    with pytest.raises(InvalidArgumentError) as refused:
        modelunit.assess(catalog, whole, unit="w", period="2023", as_of="2024-02-01")
    assert str(refused.value) == (
        "as_of='2024-02-01' was given with an evidence index built for the whole ledger; "
        "as_of applies when the index is built: pass the ledger, or "
        "build_index(catalog, ledger, as_of=...)"
    )
    dated = modelunit.build_index(catalog, ledger(), as_of="2024-01-01")
    with pytest.raises(InvalidArgumentError) as refused:
        assess_batch(catalog, dated, periods=["2023"], as_of="2024-02-01")
    assert str(refused.value) == (
        "as_of='2024-02-01' was given with an evidence index built for "
        "2024-01-01T23:59:59.999999; as_of applies when the index is built: pass the ledger, "
        "or build_index(catalog, ledger, as_of=...)"
    )


def test_an_index_carries_its_as_of_into_every_assessment() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    book = ledger(ev("hq_ok", "2023", True))
    index = modelunit.build_index(catalog, book, as_of="2024-01-01")
    when = datetime(2024, 1, 1, 23, 59, 59, 999999)
    assert index.as_of == when
    single = modelunit.assess(catalog, index, unit="w", period="2023")
    batch = assess_batch(catalog, index, units=["w"], periods=["2023"])
    assert single.as_of == batch.as_of == batch.assessment("w", "2023").as_of == when
    # Repeating the index's own moment is not a conflict.
    again = modelunit.assess(catalog, index, unit="w", period="2023", as_of="2024-01-01")
    assert again == single
    assert modelunit.assess(catalog, book, unit="w", period="2023", as_of="2024-01-01") == single


def test_unused_indicators_in_the_ledger_are_ignored() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    book = ledger(ev("hq_ok", "2023", True), ev("not_declared", "2023", "anything"))
    assert modelunit.assess(catalog, book, unit="w", period="2023").level == "model"
    assert len(INDICATORS) == 9


def test_the_evidence_index_stays_importable_from_assessment() -> None:
    from modelunit import assessment, lookup

    assert assessment.EvidenceIndex is lookup.EvidenceIndex
    assert "EvidenceIndex" in assessment.__all__


# -- what an assessment is made of -------------------------------------------------------


def test_a_multi_kind_catalog_without_a_registry_assesses_its_first_kind() -> None:
    catalog = attrs.evolve(
        catalog_of(Flag("hq_ok"), Flag("incident")),
        unit_kinds=("ward", "commune"),
        criteria=(
            Criterion("C1", Flag("hq_ok"), applies_to=("ward",)),
            Criterion("C2", Flag("incident"), applies_to=("commune",)),
        ),
    )
    book = ledger(ev("hq_ok", "2023", True), ev("incident", "2023", True))
    single = modelunit.assess(catalog, book, unit="w", period="2023")
    assert single.unit_kind == "ward"
    assert [(r.criterion, r.outcome) for r in single.results] == [("C1", MET), ("C2", NA)]
    assert single.result("C2").explanation == "applies to commune, not ward"
    batch = assess_batch(catalog, book, periods=["2023"])
    assert batch.outcomes("w", "2023") == {"C1": MET, "C2": NA}
    # A registry says otherwise; so does a Unit.
    commune = UnitRegistry((Unit("w", kind="commune"),))
    assert modelunit.assess(catalog, book, unit="w", period="2023", units=commune).unit_kind == (
        "commune"
    )
    as_unit = modelunit.assess(catalog, book, unit=Unit("w", kind="commune"), period="2023")
    assert [r.outcome for r in as_unit.results] == [NA, MET]


def test_a_catalog_without_unit_kinds_assesses_a_ward() -> None:
    catalog = attrs.evolve(catalog_of(Flag("hq_ok")), unit_kinds=())
    result = modelunit.assess(catalog, ledger(ev("hq_ok", "2023", True)), unit="w", period="2023")
    assert result.unit_kind == "ward"


def test_a_unit_the_registry_does_not_know_is_of_the_first_kind() -> None:
    catalog = attrs.evolve(catalog_of(Flag("hq_ok")), unit_kinds=("town", "ward"))
    units = UnitRegistry((Unit("other"),))
    book = ledger(ev("hq_ok", "2023", True))  # "w" has evidence
    assert modelunit.assess(catalog, book, unit="w", period="2023", units=units).unit_kind == (
        "town"
    )


def test_cited_evidence_is_listed_once_in_first_cited_order() -> None:
    rule = AllOf(
        (
            Compare("crimes", "<=", D(5)),
            Change("crimes", "<", D(3)),
            Compare("crimes", ">=", D(0)),
        )
    )
    book = ledger(ev("crimes", "2023", 4, id="r23"), ev("crimes", "2022", 2, id="r22"))
    result = modelunit.assess(catalog_of(rule), book, unit="w", period="2023")
    r = result.result("C1")
    assert r.outcome is MET
    assert r.trace is not None
    assert r.trace.evidence == ("r23", "r23", "r22", "r23")  # the trace keeps every citation
    assert r.evidence == ("r23", "r22")


def test_gaps_name_what_is_missing_and_why() -> None:
    rule = AllOf((Compare("crimes", "<=", D(5)), Ratio("registered", "households", ">=", D(1))))
    catalog = attrs.evolve(
        catalog_of(rule, Flag("hq_ok"), Flag("incident"), mandatory=[2]),
        criteria=(
            Criterion("C1", rule),
            Criterion("C2", Flag("hq_ok"), mandatory=True),
            Criterion("C3", Flag("incident")),
            Criterion("C4", Flag("hq_ok"), applies_to=("commune",)),
        ),
    )
    book = ledger(ev("crimes", "2023", 1), ev("hq_ok", "2023", False), ev("incident", "2023", True))
    result = modelunit.assess(catalog, book, unit="w", period="2023")
    assert [(g.criterion, g.outcome, g.mandatory, g.missing) for g in result.gaps] == [
        ("C1", UNKNOWN, False, ("households", "registered")),
        ("C2", NOT_MET, True, ()),
    ]
    assert result.gaps[1].reason == "hq_ok in 2023 is false, needs true"
    assert (result.counts.met, result.counts.not_met) == (1, 1)
    assert (result.counts.insufficient, result.counts.not_applicable) == (1, 1)


def test_missing_indicators_of_no_trace() -> None:
    from modelunit.assessment import _missing_indicators

    assert _missing_indicators(None) == ()


def _points_catalog() -> CriteriaSet:
    inds = tuple(Indicator(f"c{i}", "boolean", "last") for i in range(1, 5))
    crits = tuple(
        Criterion(f"C{i}", Flag(f"c{i}"), points=D(points))
        for i, points in enumerate(("10", "20", "30.5", "40"), start=1)
    )
    policy = RecognitionPolicy(
        (
            Level("gold", Points(D("70.5")), recognised=True, title_en="gold"),
            Level("silver", Points(D(40)), title_en="silver"),
        ),
    )
    return CriteriaSet(id="pts", version="1", indicators=inds, criteria=crits, policy=policy)


@pytest.mark.parametrize(
    ("met", "points", "level", "recognised"),
    [
        ((3, 4), D("70.5"), "gold", True),  # 30.5 + 40
        ((1, 2, 3), D("60.5"), "silver", False),
        ((1, 4), D(50), "silver", False),
        ((1, 2), D(30), "not_yet", False),
        ((), D(0), "not_yet", False),
    ],
)
def test_points_based_levels_agree_in_batch(
    met: tuple[int, ...], points: Decimal, level: str, recognised: bool
) -> None:
    catalog = _points_catalog()
    book = ledger(*(ev(f"c{i}", "2023", i in met) for i in range(1, 5)))
    single = modelunit.assess(catalog, book, unit="w", period="2023")
    assert (single.points, single.level, single.recognised) == (points, level, recognised)
    summary = assess_batch(catalog, book, periods=["2023"]).summary("w", "2023")
    assert (summary.level, summary.recognised) == (level, recognised)
    assert summary.counts == single.counts


def test_summaries_cover_every_period_then_every_unit() -> None:
    catalog = catalog_of(Flag("hq_ok"))
    book = ledger(
        ev("hq_ok", "2023", True, unit="a"),
        ev("hq_ok", "2023", False, unit="b"),
        ev("hq_ok", "2024", False, unit="a"),
    )
    batch = assess_batch(catalog, book, periods=["2024", "2023"])
    assert batch.periods == (Period.parse("2024"), Period.parse("2023"))
    rows = [(s.unit, str(s.period), s.level, s.recognised) for s in batch.summaries()]
    assert rows == [
        ("a", "2024", "not_yet", False),
        ("b", "2024", "basically_met", False),
        ("a", "2023", "model", True),
        ("b", "2023", "not_yet", False),
    ]
    assert [s.counts.insufficient for s in batch.summaries()] == [0, 1, 0, 0]


def test_unknown_periods_and_units_of_a_batch_name_the_closest_known() -> None:
    from modelunit.errors import UnknownPeriodError, UnknownUnitError

    book = ledger(ev("hq_ok", "2023", True, unit="abc"), ev("hq_ok", "2023", True, unit="abd"))
    batch = assess_batch(catalog_of(Flag("hq_ok")), book, periods=["2023", "2024"])
    with pytest.raises(UnknownPeriodError) as period:
        batch.outcome("abc", "2022", "C1")
    assert str(period.value) == (
        "unknown period '2022' (not assessed in this batch); did you mean '2024' or '2023'?"
    )
    assert period.value.args == ("2022",)
    with pytest.raises(UnknownUnitError) as unit:
        batch.summary("abx", "2023")
    assert str(unit.value) == (
        "unknown unit 'abx' (not in this batch); did you mean 'abd' or 'abc'?"
    )
    assert unit.value.args == ("abx",)
    with pytest.raises(
        UnknownUnitError, match=r"^unknown unit 'w' \(not in this batch\); known: abc, abd$"
    ):
        batch.outcomes("w", "2023")


def test_a_unit_not_in_the_batch_is_an_unknown_unit() -> None:
    from modelunit.errors import UnknownUnitError

    book = ledger(ev("hq_ok", "2023", True, unit="a"), ev("hq_ok", "2023", True, unit="b"))
    batch = assess_batch(catalog_of(Flag("hq_ok")), book, units=["a", "b"], periods=["2023"])
    with pytest.raises(UnknownUnitError, match="not in this batch") as info:
        batch.outcome("c", "2023", "C1")
    assert isinstance(info.value, KeyError)
    with pytest.raises(UnknownUnitError):
        batch.assessment("c", "2023")


def test_a_batch_over_a_prepared_frame() -> None:
    from modelunit._batch import CompiledCatalog

    catalog = catalog_of(Compare("crimes", "<=", D(5)))
    book = ledger(ev("crimes", "2023", 4, unit="a"), ev("crimes", "2023", 6, unit="b"))
    compiled = CompiledCatalog(catalog)
    index = modelunit.build_index(catalog, book)
    frame = compiled.frame(index, (Unit("b"), Unit("a")), None)
    batch = assess_batch(compiled, index, periods=["2023"], units=["ignored"], frame=frame)
    assert [u.id for u in batch.units] == ["b", "a"]
    assert batch.outcome_codes("2023", "C1") == bytes([0, 2])
    assert batch.catalog is catalog
    assert batch.index is index
    assert batch.as_of is None


def test_units_default_to_every_unit_with_evidence_sorted() -> None:
    book = ledger(ev("hq_ok", "2023", True, unit="z"), ev("hq_ok", "2022", True, unit="m"))
    batch = assess_batch(catalog_of(Flag("hq_ok")), book, periods=["2023"])
    assert [u.id for u in batch.units] == ["m", "z"]
    assert [batch.outcome(u, "2023", "C1") for u in ("m", "z")] == [UNKNOWN, MET]


class TestReportingYear:
    """In a set whose year runs from 15 December, "2024" is 2023-12-15/2024-12-14."""

    POLICE = ReportingYear("12-15", "12-14")

    def world(self) -> tuple[modelunit.CriteriaSet, modelunit.EvidenceLedger]:
        catalog = catalog_of(
            Change("crimes", "<", D(0), baseline="same_period"),
            Change("crimes", "<", D(0)),
            reporting_year=self.POLICE,
        )
        recs = [
            ev("crimes", str(self.POLICE.month(year, m)), m + (year == 2023), id=f"{year}-{m}")
            for year in (2023, 2024)
            for m in range(1, 13)
        ]
        return catalog, ledger(*recs)

    def test_a_bare_year_is_the_sets_year(self) -> None:
        catalog, book = self.world()
        for period in ("2024", 2024, self.POLICE.year(2024)):
            result = modelunit.assess(catalog, book, unit="w", period=period)
            assert str(result.period) == "2023-12-15/2024-12-14"
            assert result.result("C1").explanation == (
                "crimes: 78 in 2023-12-15/2024-12-14 vs 90 in the same period of 2023 "
                "(2022-12-15/2023-12-14), change -12, needs < 0"
            )
            # The previous period of a reporting year is the reporting year before too.
            assert result.result("C2").explanation == (
                "crimes: 78 in 2023-12-15/2024-12-14 vs 90 in 2022-12-15/2023-12-14, "
                "change -12, needs < 0"
            )

    def test_a_period_object_is_used_as_it_is(self) -> None:
        catalog, book = self.world()
        result = modelunit.assess(catalog, book, unit="w", period=Period.year(2024))
        assert result.period == Period.year(2024)
        assert result.result("C1").outcome is Outcome.INSUFFICIENT

    def test_the_batch_reads_periods_in_the_sets_year(self) -> None:
        catalog, book = self.world()
        batch = assess_batch(catalog, book, periods=["2024", "2024-Q2"])
        assert batch.periods == (self.POLICE.year(2024), Period.quarter(2024, 2))
        for period in ("2024", 2024, self.POLICE.year(2024)):
            assert batch.outcome("w", period, "C1") is Outcome.MET
        assert batch.assessment("w", "2024") == modelunit.assess(
            catalog, book, unit="w", period="2024"
        )
        # A calendar quarter, which reporting months do not tile: insufficient in both.
        assert batch.outcome("w", "2024-Q2", "C1") is Outcome.INSUFFICIENT
        with pytest.raises(KeyError):
            batch.outcome("w", Period.year(2024), "C1")


def test_an_unknown_criterion_of_a_batch_is_named() -> None:
    from modelunit.errors import UnknownCriterionError

    book = ledger(ev("hq_ok", "2023", True, unit="abc"))
    batch = assess_batch(catalog_of(Flag("hq_ok")), book, periods=["2023"])
    with pytest.raises(UnknownCriterionError) as criterion:
        batch.outcome_codes("2023", "C2")
    assert (str(criterion.value), criterion.value.args) == (
        "unknown criterion 'C2'; known: C1",
        ("C2",),
    )


def test_units_with_evidence_take_their_kinds_from_the_registry() -> None:
    catalog = CriteriaSet(
        id="k",
        version="1",
        indicators=INDICATORS,
        criteria=(Criterion("C1", Flag("hq_ok"), applies_to=("commune",)),),
        policy=RecognitionPolicy(()),
        unit_kinds=("ward", "commune"),
    )
    registry = UnitRegistry((Unit("x", kind="commune"),))
    book = ledger(ev("hq_ok", "2023", True, unit="x"), ev("hq_ok", "2023", True, unit="w"))
    batch = assess_batch(catalog, book, periods=["2023"], registry=registry)
    # x is a commune (the registry says so), w is not registered: the first kind, a ward.
    assert batch.units == (Unit("w"), Unit("x", kind="commune"))
    assert batch.outcome_codes("2023", "C1") == bytes([3, 2])  # w: n/a, x: met


def test_a_batch_assessment_made_from_its_parts() -> None:
    from modelunit._batch import CompiledCatalog
    from modelunit.assessment import BatchAssessment

    catalog = catalog_of(Compare("crimes", "<=", D(5)))
    book = ledger(ev("crimes", "2023", 4, unit="a"), ev("crimes", "2023", 6, unit="b"))
    compiled = CompiledCatalog(catalog)
    index = modelunit.build_index(catalog, book)
    units = (Unit("a"), Unit("b"))
    period = Period.parse("2023")
    lanes = {period: compiled.evaluate(compiled.frame(index, units, None), period)}
    batch = BatchAssessment(
        catalog=catalog, index=index, units=units, periods=(period,), registry=None, lanes=lanes
    )
    assert (batch.units, batch.unit_ids, batch.lang) == (units, ("a", "b"), "en")
    assert batch.outcome_codes("2023", "C1") == bytes([2, 0])
    assert batch.assessment("b", "2023").result("C1").explanation == (
        "crimes in 2023 is 6, needs <= 5"
    )


def test_each_result_carries_its_criterion_s_points() -> None:
    with_points = modelunit.assess(_points_catalog(), ledger(), unit=Unit("w"), period="2023")
    assert [(r.criterion, r.points) for r in with_points.results] == [
        ("C1", D(10)),
        ("C2", D(20)),
        ("C3", D("30.5")),
        ("C4", D(40)),
    ]
    # A criterion without points has None, not 0.
    without = modelunit.assess(catalog_of(Flag("hq_ok")), ledger(), unit=Unit("w"), period="2023")
    assert without.result("C1").points is None


def test_reasons_and_level_checks_are_in_english_unless_asked_otherwise() -> None:
    catalog = catalog_of(Compare("crimes", "<=", D(5)))
    book = ledger(ev("crimes", "2023", 6))
    result = modelunit.assess(catalog, book, unit="w", period="2023")
    assert result.result("C1").explanation == "crimes in 2023 is 6, needs <= 5"
    english = modelunit.assess(catalog, book, unit="w", period="2023", lang="en")
    assert result.level_checks == english.level_checks
    assert result.level_checks != (
        modelunit.assess(catalog, book, unit="w", period="2023", lang="vi").level_checks
    )


def test_the_outlook_counts_the_points_of_met_and_pending_criteria() -> None:
    # C1-C3 met: 10 + 20 + 30.5 = 60.5 points, silver now; C4 (40 points) pending: gold
    # if it is met (100.5 >= 70.5), still silver if not.
    book = ledger(ev("c1", "2023", True), ev("c2", "2023", True), ev("c3", "2023", True))
    result = modelunit.assess(_points_catalog(), book, unit="w", period="2023")
    assert (result.points, result.level) == (D("60.5"), "silver")
    outlook = result.outlook
    assert outlook is not None
    assert (outlook.level, outlook.settled, outlook.possible) == (
        "silver",
        False,
        ("gold", "silver"),
    )
    assert (outlook.best, outlook.worst, outlook.deciding) == ("gold", "silver", ("C4",))
    assert outlook.describe() == "silver for now; gold if C4 is met"


def test_the_outlook_honours_the_veto_of_a_pending_mandatory_criterion() -> None:
    # One met criterion is enough for "basic", unless the mandatory C1 fails.
    policy = RecognitionPolicy((Level("basic", Tally("met", min_count=1)),))
    two = catalog_of(Flag("hq_ok"), Flag("incident"), mandatory=[1])
    catalog = attrs.evolve(two, policy=policy)
    book = ledger(ev("incident", "2023", True))  # C2 met, C1 pending
    result = modelunit.assess(catalog, book, unit="w", period="2023")
    assert result.level == "basic"
    outlook = result.outlook
    assert outlook is not None
    assert (outlook.level, outlook.settled, outlook.possible) == (
        "basic",
        False,
        ("basic", "not_yet"),
    )
    assert (outlook.worst, outlook.deciding) == ("not_yet", ("C1",))
    assert outlook.describe() == "basic for now; not_yet if C1 is not met"


def test_a_criterion_for_several_other_kinds_names_them_all() -> None:
    catalog = attrs.evolve(
        catalog_of(Flag("hq_ok"), Flag("incident")),
        unit_kinds=("ward", "commune", "town"),
        criteria=(
            Criterion("C1", Flag("hq_ok")),
            Criterion("C2", Flag("incident"), applies_to=("commune", "town")),
        ),
    )
    book = ledger(ev("hq_ok", "2023", True), ev("incident", "2023", True))
    ward = Unit("w", kind="ward")
    assert modelunit.assess(catalog, book, unit=ward, period="2023").result("C2").explanation == (
        "applies to commune, town, not ward"
    )
    vi = modelunit.assess(catalog, book, unit=ward, period="2023", lang="vi")
    assert vi.result("C2").explanation == "áp dụng cho commune, town, không cho ward"


def test_an_unknown_unit_is_refused_with_why_and_the_closest_known() -> None:
    from modelunit.errors import UnknownUnitError

    book = ledger(ev("hq_ok", "2023", True, unit="abc"))
    with pytest.raises(UnknownUnitError) as info:
        modelunit.assess(catalog_of(Flag("hq_ok")), book, unit="abd", period="2023")
    assert str(info.value) == (
        "unknown unit 'abd' (no evidence for it and not in the registry); did you mean 'abc'?"
    )
