"""Records and frames: long rows with exact numbers, codes as text, IAMC columns, CSV."""

from __future__ import annotations

import io
import sys
import warnings
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given

import modelunit
from modelunit import frames
from modelunit.assessment import assess_batch
from modelunit.errors import InvalidArgumentError, MissingExtraError
from modelunit.rollout import (
    Milestone,
    Region,
    RolloutProblem,
    UnitReadiness,
    diagnose,
    plan,
    select_units,
    simulate,
)
from modelunit.scenarios import load_scenario
from modelunit.testing import rollout_problems

pd = pytest.importorskip("pandas")


def _small() -> RolloutProblem:
    return RolloutProblem(
        regions=[
            Region("01", "Hà Nội", total=4, recognised=1, capacity=2, cost="1.5"),
            Region("79", "Hồ Chí Minh", total=3, capacity=3),
        ],
        milestones=[Milestone(2027, "50%"), Milestone(2028, 1)],
        start=2027,
        end=2028,
    )


def test_plan_rows_are_long_exact_and_in_order() -> None:
    p = plan(_small(), "earliest")
    rows = frames.plan_records(p)
    assert rows[:5] == [
        {"region": "01", "name": "Hà Nội", "year": 2027, "measure": "new", "value": 2},
        {"region": "01", "name": "Hà Nội", "year": 2027, "measure": "recognised", "value": 3},
        {
            "region": "01",
            "name": "Hà Nội",
            "year": 2027,
            "measure": "share",
            "value": Fraction(3, 4),
        },
        {"region": "01", "name": "Hà Nội", "year": 2027, "measure": "target", "value": 2},
        {
            "region": "01",
            "name": "Hà Nội",
            "year": 2027,
            "measure": "cost",
            "value": Decimal("3.0"),
        },
    ]
    # Hồ Chí Minh has no unit cost: no cost rows, so 4 measures a year.
    assert [r["measure"] for r in rows if r["region"] == "79"] == [
        "new",
        "recognised",
        "share",
        "target",
    ] * 2
    assert len(rows) == 2 * 5 + 2 * 4
    assert p.to_records() == rows


def test_plan_frame_keeps_codes_as_text_and_makes_numbers_floats() -> None:
    p = load_scenario("national-2027-2030").plan()
    frame = p.to_pandas()
    assert list(frame.columns) == list(frames.PLAN_COLUMNS)
    assert len(frame) == 34 * 4 * 4
    assert frame["region"].iloc[0] == "01"  # never 1
    assert frame["value"].dtype == "float64"
    hanoi = frame[(frame.region == "01") & (frame.year == 2027)].set_index("measure")["value"]
    assert hanoi.to_dict() == {"new": 9.0, "recognised": 25.0, "share": 25 / 51, "target": 16.0}
    # A join on province codes works: the codes of the frame are those of the plan.
    assert set(frame["region"]) == {r.region for r in p.regions}


def test_iamc_frame_has_the_columns_pyam_reads() -> None:
    p = plan(_small(), "earliest")
    rows = frames.iamc_records(p, scenario="base")
    assert rows[2] == {
        "model": "modelunit",
        "scenario": "base",
        "region": "01",
        "variable": "Wards|Recognised|Share",
        "unit": "%",
        "year": 2027,
        "value": Fraction(75),
    }
    assert {r["variable"] for r in rows} == {v for v, _ in frames.IAMC_VARIABLES.values()}
    frame = p.to_pandas(iamc=True)
    assert tuple(frame.columns) == frames.IAMC_COLUMNS
    assert set(frame["scenario"]) == {"earliest"}  # by default, the strategy
    assert frame["region"].tolist()[0] == "01"


def test_pyam_reads_the_iamc_frame() -> None:
    # pyam is not a test dependency (its install pulls a database stack); where it is
    # installed and imports, the frame must load as it is.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import pyam
        except Exception as exc:  # pragma: no cover - depends on the environment
            pytest.skip(f"pyam not usable here: {exc!r}")
        df = pyam.IamDataFrame(frames.iamc_frame(plan(_small(), "earliest"), scenario="s"))
    assert df.region == ["01", "79"]
    assert df.filter(variable="Wards|New", region="01").timeseries().values.tolist() == [[2, 1]]


def test_plan_csv_writes_numbers_not_fractions() -> None:
    p = load_scenario("national-2027-2030").plan()
    text = frames.plan_csv(p)
    head, first = text.splitlines()[:2]
    assert head == "region,name,year,new,cumulative,total,share,percent"
    assert first == "01,Hà Nội,2027,9,25,51,0.490196,49.0"
    assert "/" not in text
    back = pd.read_csv(io.StringIO(text), dtype={"region": str})
    assert back["share"].dtype == "float64"
    assert back["region"].iloc[0] == "01"
    # An exact share stays exact: 1 is written 1, a half 0.5.
    assert ",1,100.0" in text


def test_assessment_rows_cite_values_and_evidence() -> None:
    result = modelunit.assess(
        modelunit.load_catalog("tutorial"),
        modelunit.load_evidence("tutorial"),
        unit="phuong-an-hoa",
        period="2023",
    )
    rows = result.to_records()
    assert [r["criterion"] for r in rows] == ["T1", "T2", "T3"]
    assert rows[1] == {
        "unit": "phuong-an-hoa",
        "period": "2023",
        "criterion": "T2",
        "outcome": "met",
        "values": (("social_order_crimes", "2023", 18), ("social_order_crimes", "2022", 24)),
        "evidence": ("ev-2023-soc", "ev-2022-soc"),
        "group": "security",
        "mandatory": False,
        "reason": "social_order_crimes: 18 in 2023 vs 24 in 2022, change -25%, needs <= -5%",
    }
    assert rows[2]["outcome"] == "insufficient"
    assert rows[2]["values"] == (("resident_satisfaction", "2023", None),)
    frame = result.to_pandas()
    assert list(frame.columns) == list(frames.ASSESSMENT_COLUMNS)
    assert frame["outcome"].tolist() == ["met", "met", "insufficient"]


def test_batch_rows_match_each_assessment_and_the_fast_path_matches_outcomes() -> None:
    catalog = modelunit.load_catalog("cap-kieu-mau-2021")
    ledger = modelunit.load_evidence("nghe-an-2023")
    batch = assess_batch(catalog, ledger, periods=["2022", "2023"], as_of="2024-01-15")
    rows = frames.batch_records(batch)
    assert len(rows) == 2 * 16 * 22
    expected = [
        row
        for period in ("2022", "2023")
        for unit in batch.units
        for row in batch.assessment(unit.id, period).to_records()
    ]
    assert rows == expected
    fast = frames.batch_records(batch, explain=False)
    assert [(r["unit"], r["period"], r["criterion"], r["outcome"]) for r in fast] == [
        (r["unit"], r["period"], r["criterion"], r["outcome"]) for r in rows
    ]
    assert {r["values"] for r in fast} == {()}
    assert {r["reason"] for r in fast} == {""}
    frame = batch.to_pandas(explain=False)
    counts = frame[frame.period == "2023"]["outcome"].value_counts().to_dict()
    assert counts == {"met": 336, "insufficient": 16}
    assert set(frame["reason"]) == {""}
    # Explained by default: the same rows as the records, reasons and values included.
    assert batch.to_pandas().equals(frames.to_pandas(rows))


def test_criteria_rows() -> None:
    rows = modelunit.load_catalog("tutorial").to_records()
    assert rows[0] == {
        "criterion": "T1",
        "group": "security",
        "title_en": "No serious crime",
        "title_vi": "Không để xảy ra tội phạm nghiêm trọng",
        "mandatory": True,
        "points": None,
        "applies_to": (),
        "rule": "no serious_crimes",
    }
    assert len(modelunit.load_catalog("cap-kieu-mau-2021").to_pandas()) == 22


def test_diagnosis_rows_list_shortfalls_then_the_fix() -> None:
    slow = RolloutProblem(
        regions=[Region("HY", total=12, recognised=1, capacity=2)],
        milestones=[Milestone(2025, "50%"), Milestone(2028, 1)],
        start=2024,
        end=2030,
    )
    rows = diagnose(slow).to_records()
    assert [(r["kind"], r["year"], r["needed"], r["reachable"], r["units"]) for r in rows] == [
        ("milestone", 2025, 6, 5, None),
        ("milestone", 2028, 12, 11, None),
        ("add capacity", 2025, None, None, 1),
    ]
    frame = frames.to_pandas(diagnose(slow))
    assert frame["needed"].tolist()[:2] == [6.0, 12.0]


def test_simulation_rows_keep_exact_probabilities() -> None:
    problem = RolloutProblem(
        regions=[Region("NA", total=16, capacity=16)],
        milestones=[Milestone(2026, 1)],
        start=2025,
        end=2026,
    )
    result = simulate(plan(problem, "latest"), "9/10", runs=200, seed=1)
    (row,) = result.to_records()
    assert row["region"] == "NA"
    assert row["year"] == 2026
    assert row["target"] == 16
    assert row["probability"] == result.odds[0].probability
    assert isinstance(row["probability"], Fraction)
    assert result.to_pandas()["probability"].tolist() == [float(result.odds[0].probability)]


def test_records_of_attrs_rows_and_of_unknown_objects() -> None:
    p = plan(_small(), "earliest")
    ready = [UnitReadiness("w1", "01"), UnitReadiness("w2", "01", criteria_missing=2)]
    rows = frames.records(select_units(p, ready, region="01"))
    assert [(r["unit"], r["year"], r["rank"]) for r in rows] == [("w1", 2027, 1), ("w2", 2027, 2)]
    with pytest.raises(InvalidArgumentError, match="no rows for a set"):
        frames.records({1, 2})
    with pytest.raises(InvalidArgumentError, match="expected records"):
        frames.records([1, 2])
    empty = frames.to_pandas([])
    assert len(empty) == 0


def test_to_pandas_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(MissingExtraError, match=r"modelunit\[pandas\]"):
        plan(_small()).to_pandas()
    # Records need nothing.
    assert plan(_small()).to_records()


@given(rollout_problems(max_regions=3, max_years=3))
def test_plan_rows_say_what_the_plan_says(problem: RolloutProblem) -> None:
    p = plan(problem)
    rows = {(r["region"], r["year"], r["measure"]): r["value"] for r in frames.plan_records(p)}
    for r in p.regions:
        running = r.recognised
        for year, new in zip(p.years, r.new, strict=True):
            running += new
            assert rows[(r.region, year, "new")] == new
            assert rows[(r.region, year, "recognised")] == running
            assert rows[(r.region, year, "share")] == (Fraction(running, r.total) if r.total else 1)
            assert rows[(r.region, year, "target")] == problem.target(r.region, year)
    assert len(rows) == len(frames.plan_records(p))  # one row per region, year and measure
