"""HTML views: valid (parsed strictly), escaped, what they show, in English and Vietnamese."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import modelunit
from modelunit import display
from modelunit.assessment import assess_batch
from modelunit.comparison import compare
from modelunit.criteria import CriteriaSet, Criterion, Group
from modelunit.errors import InvalidArgumentError
from modelunit.indicators import Indicator
from modelunit.policy import Level, RecognitionPolicy, Tally
from modelunit.rollout import Milestone, Region, RolloutProblem, plan, simulate
from modelunit.rules import Flag
from modelunit.scenarios import load_scenario
from modelunit.sweep import sweep

html5lib = pytest.importorskip("html5lib")

LANGS = pytest.mark.parametrize("lang", ["en", "vi"])


def _parse(page: str) -> ET.Element:
    """The page as a tree; any HTML error (an unclosed or misplaced tag) fails."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    fragment = parser.parseFragment(page)
    (root,) = list(fragment)
    assert root.tag == "div"
    assert root.get("class") == "modelunit"
    return root


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _tables(root: ET.Element) -> list[list[list[str]]]:
    """Every table as rows of cell texts (the header row first)."""
    return [
        [[_text(cell) for cell in row] for row in table.iter("tr")] for table in root.iter("table")
    ]


@pytest.fixture(scope="module")
def national():  # type: ignore[no-untyped-def]
    return load_scenario("national-2027-2030")


def test_every_label_has_english_and_vietnamese() -> None:
    for key, (en, vi) in display.LABELS.items():
        assert en.strip(), key
        assert vi.strip(), key
        assert vi != en, key  # translated, not copied


@LANGS
def test_assessment_shows_each_criterion_coloured_with_its_reason(lang: str) -> None:
    result = modelunit.assess(
        modelunit.load_catalog("tutorial"),
        modelunit.load_evidence("tutorial"),
        unit="phuong-an-hoa",
        period="2023",
    )
    root = _parse(display.html(result, lang))  # type: ignore[arg-type]
    gaps, every = _tables(root)
    assert [row[0] for row in every[1:]] == ["T1 *", "T2", "T3"]
    met, insufficient = (
        ("đạt", "chưa đủ căn cứ") if lang == "vi" else ("met", "insufficient evidence")
    )
    assert every[2][1:] == [
        met,
        "social_order_crimes: 18 in 2023 vs 24 in 2022, change -25%, needs <= -5%",
        "ev-2023-soc, ev-2022-soc",
    ]
    assert gaps[1][:3] == ["T3", insufficient, "resident_satisfaction"]
    # Issue 14: what would decide the gap, and that the level is not settled.
    assert gaps[1][4] == "resident_satisfaction for 2023: at least 90%"
    settled = "chưa chắc chắn" if lang == "vi" else "not settled"
    assert f"{settled} basically_met for now; model if T3 is met" in _text(root)
    badge = list(root.iter("table"))[-1].find("./tbody/tr/td/span")  # T1's outcome
    assert badge is not None
    assert "background:#d4edda" in badge.get("style", "")
    summary = "2/3 đạt, 1 chưa đủ căn cứ" if lang == "vi" else "2/3 met, 1 pending"
    assert summary in _text(root)
    assert result._repr_html_() == display.html(result)


def test_text_from_the_data_is_escaped_never_run() -> None:
    evil = "<script>alert('x')</script>"
    catalog = CriteriaSet(
        id="c&<b>",
        version="1",
        indicators=(Indicator("ok", "boolean", "last"),),
        criteria=(Criterion("C1", Flag("ok"), group="g", title_en=evil, title_vi=evil),),
        groups=(Group("g", title_en='"><img src=x onerror=alert(1)>'),),
        policy=RecognitionPolicy((Level("all", Tally("met", min_share=1)),)),
    )
    page = display.html(catalog)
    root = _parse(page)
    assert root.find(".//script") is None
    assert root.find(".//img") is None
    assert evil in _text(root)  # shown as text
    assert "&lt;script&gt;" in page
    assert "c&amp;&lt;b&gt;" in page
    p = plan(
        RolloutProblem(regions=[Region("<i>", evil, total=2)], milestones=[], start=2027, end=2027)
    )
    root = _parse(display.html(p))
    assert root.find(".//script") is None
    assert root.find(".//i") is None
    assert _tables(root)[0][1][:2] == ["<i>", evil]


@LANGS
def test_plan_shows_allocations_milestones_and_totals(lang: str, national) -> None:  # type: ignore[no-untyped-def]
    p = national.plan()
    root = _parse(display.html(p, lang))
    (table,) = _tables(root)
    region = "tỉnh, thành phố" if lang == "vi" else "region"
    assert table[0][:7] == [
        region,
        "tên" if lang == "vi" else "name",
        "2027",
        "2028",
        "2029",
        "2030",
        table[0][6],
    ]
    hcm = next(row for row in table if row[0] == "79")
    met = "đạt" if lang == "vi" else "met"
    assert hcm == [
        "79",
        "Hồ Chí Minh",
        "26",
        "26",
        "27",
        "0",
        "113",
        "100%",
        f"34/34 {met}",
        f"113/113 {met}",
        f"113/113 {met}",
    ]
    assert table[-1][2:6] == ["117", "117", "117", "116"]  # the national totals
    assert len(table) == 1 + 34 + 1
    assert ("Không có tỉnh nào có nguy cơ." if lang == "vi" else "No region at risk.") in _text(
        root
    )


def test_an_infeasible_plan_shows_the_miss_the_reason_and_the_fix(national) -> None:  # type: ignore[no-untyped-def]
    slow = national.what_if(capacity={"79": 20}).plan()
    root = _parse(slow._repr_html_())
    (table,) = _tables(root)
    hcm = next(row for row in table if row[0] == "79")
    assert hcm[2:6] == ["20", "20", "20", "19"]
    assert hcm[9] == "94/113 missed by 19"
    text = _text(root)
    assert "infeasible" in text
    assert "79 Hồ Chí Minh: 2029 (own): 94/113 (needs 113): MISSED by 19" in text
    assert "79: +19 (2029)" in text
    cell = root.findall(".//tbody/tr")[[r[0] for r in table[1:]].index("79")].findall("td")[9]
    assert "background:#f8d7da" in cell.find("span").get("style", "")  # type: ignore[union-attr]


def test_long_tables_are_cut_and_say_how_many_rows_are_left_but_keep_totals() -> None:
    regions = [Region(f"R{i:03}", total=1) for i in range(75)]
    p = plan(RolloutProblem(regions=regions, milestones=[], start=2027, end=2027))
    (table,) = _tables(_parse(display.html(p)))
    assert len(table) == 1 + display.MAX_ROWS + 1 + 1
    assert table[-2] == ["… 15 more rows: see to_pandas()"]
    assert table[-1][0] == "total"


def test_costs_are_a_row_of_the_plan() -> None:
    problem = RolloutProblem(
        regions=[Region("A", total=4, capacity=2, cost="2.5")],
        milestones=[Milestone(2028, 1)],
        start=2027,
        end=2028,
    )
    (table,) = _tables(_parse(display.html(plan(problem, "earliest"))))
    assert table[-1][:4] == ["cost", "", "5.0", "5.0"]


@LANGS
def test_batch_shows_each_unit_and_each_criterion(lang: str) -> None:
    catalog = modelunit.load_catalog("cap-kieu-mau-2021")
    batch = assess_batch(
        catalog,
        modelunit.load_evidence("nghe-an-2023"),
        periods=["2023"],
        registry=modelunit.load_units("nghe-an-2023"),
        as_of="2024-01-15",
    )
    root = _parse(batch._repr_html_() if lang == "en" else display.html(batch, "vi"))
    units, criteria = _tables(root)
    assert len(units) == 1 + 16
    assert units[1][:7] == [
        "ha-huy-tap",
        "Phường Hà Huy Tập (TP Vinh)",
        "2023",
        "21",
        "0",
        "1",
        "0",
    ]
    assert units[1][7] == ("Cơ bản đạt" if lang == "vi" else "basically met")
    c22 = next(row for row in criteria if row[0] == "C22")
    assert c22[2:] == ["0", "0", "16", "0"]
    assert criteria[1][2:] == ["16", "0", "0", "0"]
    assert (
        repr(batch) == "<BatchAssessment cap-kieu-mau-2021 2021.1-reconstructed: 16 units x 2023>"
    )
    two = assess_batch(
        catalog,
        modelunit.load_evidence("nghe-an-2023"),
        periods=["2022", "2023"],
        registry=modelunit.load_units("nghe-an-2023"),
    )
    assert repr(two).endswith(": 16 units x 2022, 2023>")


def test_criteria_set_view_and_short_repr() -> None:
    catalog = modelunit.load_catalog("cap-kieu-mau-2021")
    root = _parse(display.html(catalog, "vi"))
    table = _tables(root)[0]
    assert len(table) == 1 + 22
    c06 = next(row for row in table if row[1] == "C06")
    assert c06[3] == "bắt buộc"
    assert "Chưa đạt" in _text(root)  # the fallback level's title
    assert (
        repr(catalog)
        == "<CriteriaSet cap-kieu-mau-2021 2021.1-reconstructed: 22 criteria, 2 levels>"
    )
    assert (
        len(
            repr(
                modelunit.assess(
                    catalog,
                    modelunit.load_evidence("dien-bien-2023"),
                    unit="dien-bien",
                    period="2023",
                )
            )
        )
        < 120
    )


def test_diagnosis_and_simulation_views() -> None:
    slow = RolloutProblem(
        regions=[Region("HY", "Hưng Yên", total=12, recognised=1, capacity=2)],
        milestones=[Milestone(2025, "50%"), Milestone(2028, 1)],
        start=2024,
        end=2030,
    )
    p = plan(slow)
    (shortfalls,) = _tables(_parse(p.diagnosis._repr_html_()))
    assert shortfalls[1:] == [
        ["HY", "2025", "milestone", "6", "5", "1", "2026"],
        ["HY", "2028", "milestone", "12", "11", "1", "2029"],
    ]
    assert repr(p.diagnosis) == "<Diagnosis infeasible: 2 shortfalls, 1 increases>"
    result = simulate(p, "9/10", runs=100, seed=3)
    root = _parse(result._repr_html_())
    (odds,) = _tables(root)
    # The best effort misses both floors: no run meets them; the shortfall and buffer say
    # how far off they are.
    assert odds[1:] == [
        ["HY", "2025", "6", "0.0%", "2", "2"],
        ["HY", "2028", "12", "0.0%", "2", "1"],
    ]
    assert "100 runs, seed 3" in _text(root)
    assert repr(result).startswith("<SimulationResult 100 runs, seed 3, p 9/10:")


def test_comparison_shows_summary_changes_differences_and_misses(national) -> None:  # type: ignore[no-untyped-def]
    both = compare(national, national.what_if(id="HCM 20", capacity={"79": 20}))
    root = _parse(both._repr_html_())
    summary, differences, missed = _tables(root)
    assert summary[1][:4] == ["national-2027-2030", "feasible", "117", "0"]
    assert summary[2][:5] == ["HCM 20", "infeasible", "117", "1", "79"]
    hcm = next(row for row in differences if row[0] == "79")
    assert hcm == ["79", "Hồ Chí Minh", "26 → 20", "26 → 20", "27 → 20", "0 → 19"]
    assert missed[1:] == [["HCM 20", "79", "Hồ Chí Minh", "2029", "113", "94"]]
    assert "HCM 20: What if: Hồ Chí Minh (79) can bring at most 20 wards a year" in _text(root)
    same = compare({"a": national, "b": attrs.evolve(national, id="b")})
    assert "The same plan as the baseline." in _text(_parse(display.html(same)))


def test_sweep_view_lists_points_and_odds(national) -> None:  # type: ignore[no-untyped-def]
    result = sweep(national, capacity_scale=["80%", 1], p_recognised="90%", progress=False)
    (table,) = _tables(_parse(result._repr_html_()))
    assert table[0][:3] == ["capacity_scale", "p_recognised", "feasible"]
    assert table[1][:5] == ["80.0%", "90.0%", "infeasible", "115", "7"]
    assert table[2][:5] == ["1", "90.0%", "feasible", "117", "0"]
    assert table[2][6] == "< 0.1%"  # every province meeting 2030: about one in a million


def test_unknown_objects_and_languages_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="no HTML view of a Decimal"):
        display.html(Decimal(1))
    with pytest.raises(InvalidArgumentError, match="unknown language 'fr'"):
        display.html(modelunit.load_catalog("tutorial"), "fr")  # type: ignore[arg-type]


def test_html_is_a_str_that_notebooks_render() -> None:
    page = display.html(modelunit.load_catalog("tutorial"))
    assert isinstance(page, str)
    assert page._repr_html_() == page


def test_every_label_is_used() -> None:
    source = Path(display.__file__).read_text("utf-8")
    body = source[source.index("_COLOURS") :]
    unused = [k for k in display.LABELS if f'"{k}"' not in body and f"'{k}'" not in body]
    assert unused == []
