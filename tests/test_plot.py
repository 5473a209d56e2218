"""Pictures, drawn headless (Agg): what is drawn (lines, bars, cells, labels, values), and
every Vietnamese letter in a font that has it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest

import modelunit
from modelunit import plot
from modelunit.assessment import assess_batch
from modelunit.comparison import compare
from modelunit.errors import InvalidArgumentError, MissingExtraError
from modelunit.rollout import Milestone, Region, RolloutProblem, exact_odds, plan, simulate
from modelunit.scenarios import load_scenario
from modelunit.sweep import sweep

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager, ft2font  # noqa: E402
from matplotlib.text import Text  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def national() -> Any:
    return load_scenario("national-2027-2030")


def _texts(ax: Any) -> list[Text]:
    """Every non-empty text of the figure, after drawing it (tick labels exist then)."""
    ax.figure.canvas.draw()
    return [t for t in ax.figure.findobj(Text) if t.get_text().strip()]


def _missing_glyphs(text: Text) -> list[str]:
    path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
    charmap = ft2font.FT2Font(path).get_charmap()
    return [ch for ch in text.get_text() if not ch.isspace() and ord(ch) not in charmap]


def _check_fonts(ax: Any) -> list[str]:
    """The texts drawn; each must be in DejaVu Sans, with a glyph for every letter."""
    texts = _texts(ax)
    for t in texts:
        assert t.get_fontname() == "DejaVu Sans", t.get_text()
        assert _missing_glyphs(t) == [], t.get_text()
    return [t.get_text() for t in texts]


def test_the_glyph_check_bites() -> None:
    # A font without Vietnamese letters (Computer Modern, shipped with matplotlib) fails.
    text = Text(0, 0, "Hồ Chí Minh", fontfamily="cmr10")
    assert _missing_glyphs(text) == ["ồ", "í"]


def test_coverage_draws_each_region_and_its_milestones(national: Any) -> None:
    slow = national.what_if(capacity={"79": 20}).plan()
    ax = plot.coverage(slow, regions=["79", "01"])
    lines = [ln for ln in ax.get_lines() if not (ln.get_gid() or "").startswith("milestone")]
    assert [ln.get_label() for ln in lines] == ["Hồ Chí Minh (79)", "Hà Nội (01)"]
    hcm = lines[0]
    assert list(hcm.get_xdata()) == [2026, 2027, 2028, 2029, 2030]
    assert list(hcm.get_ydata()) == [34 / 113, 54 / 113, 74 / 113, 94 / 113, 1.0]
    marks = {ln.get_gid(): ln for ln in ax.get_lines() if ln.get_gid()}
    assert sorted(g for g in marks if g.startswith("milestone:79")) == [
        "milestone:79:2025:met",
        "milestone:79:2029:missed",
        "milestone:79:2030:met",
    ]
    missed = marks["milestone:79:2029:missed"]
    assert list(missed.get_ydata()) == [1.0]
    assert missed.get_markerfacecolor() == "white"  # hollow: missed
    assert marks["milestone:79:2030:met"].get_markerfacecolor() == hcm.get_color()
    texts = _check_fonts(ax)
    assert "Hồ Chí Minh (79)" in texts
    assert "Coverage against milestones" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2025", "2026", "2027", "2028", "2029", "2030"
    ]  # fmt: skip


def test_coverage_of_every_region_has_no_legend_beyond_twelve(national: Any) -> None:
    ax = national.plan().plot(lang="vi")
    assert ax.get_legend() is None
    assert len([ln for ln in ax.get_lines() if not ln.get_gid()]) == 34
    assert ax.get_title() == "Tiến độ so với các mốc"
    _check_fonts(ax)


def test_workload_bars_are_the_national_loads_with_their_values(national: Any) -> None:
    p = national.plan()
    ax = p.plot("workload")
    bars = ax.patches
    assert [b.get_height() for b in bars] == [117, 117, 117, 116]
    assert [b.get_x() + b.get_width() / 2 for b in bars] == [2027, 2028, 2029, 2030]
    assert [t.get_text() for t in ax.texts] == ["117", "117", "117", "116"]
    assert ax.get_legend() is None  # no national capacity


def test_workload_draws_the_national_capacity() -> None:
    problem = RolloutProblem(
        regions=[Region("A", total=10, capacity=10)],
        milestones=[Milestone(2028, 1)],
        start=2027,
        end=2028,
        national_capacity=6,
    )
    ax = plot.workload(plan(problem, "earliest"))
    (cap,) = ax.get_lines()
    assert list(cap.get_ydata()) == [6, 6]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["national capacity", "new wards"]


def test_heatmap_colours_each_criterion_and_ward_by_its_outcome() -> None:
    catalog = modelunit.load_catalog("cap-kieu-mau-2021")
    batch = assess_batch(
        catalog,
        modelunit.load_evidence("nghe-an-2023"),
        periods=["2023"],
        registry=modelunit.load_units("nghe-an-2023"),
        as_of="2024-01-15",
    )
    ax = batch.plot(lang="vi")
    (image,) = ax.get_images()
    cells = image.get_array().tolist()
    assert len(cells) == 22
    assert cells[:21] == [[2] * 16] * 21  # met
    assert cells[21] == [1] * 16  # C22: insufficient
    # The colour of each code is the outcome's.
    rgba = image.to_rgba(image.get_array())
    assert matplotlib.colors.to_hex(rgba[0][0]) == plot.OUTCOME_COLOURS[modelunit.Outcome.MET]
    assert matplotlib.colors.to_hex(rgba[21][0]) == "#f1c40f"
    assert [t.get_text() for t in ax.get_yticklabels()] == [c.id for c in catalog.criteria]
    xlabels = [t.get_text() for t in ax.get_xticklabels()]
    assert xlabels[0] == "Phường Hà Huy Tập (TP Vinh)"
    assert all(len(label) <= 30 for label in xlabels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "đạt",
        "chưa đạt",
        "chưa đủ căn cứ",
        "không áp dụng",
    ]
    _check_fonts(ax)


def test_odds_bars_lowest_first_with_the_confidence_line(national: Any) -> None:
    p = national.plan()
    result = simulate(p, "9/10", runs=200, seed=5)
    names = {r.region: r.name for r in p.regions}
    ax = result.plot(names=names)
    expected = sorted((o.probability, o.region) for o in result.odds if o.year == 2030)
    assert [b.get_width() for b in ax.patches] == [float(prob) for prob, _ in expected]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{names[r]} ({r})" for _, r in expected]
    below = [matplotlib.colors.to_hex(b.get_facecolor()) for b in ax.patches]
    assert below == ["#c0392b" if prob < Fraction(9, 10) else "#27ae60" for prob, _ in expected]
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [0.9, 0.9]
    _check_fonts(ax)


def test_odds_from_exact_odds_for_a_chosen_year() -> None:
    problem = RolloutProblem(
        regions=[Region("A", total=2, capacity=2), Region("B", total=1, capacity=1)],
        milestones=[Milestone(2026, 1)],
        start=2026,
        end=2026,
    )
    ax = plot.odds(exact_odds(plan(problem), "9/10"), year=2026, confidence="85%")
    assert [b.get_width() for b in ax.patches] == [0.81, 0.9]
    with pytest.raises(InvalidArgumentError, match="no odds for 2027"):
        plot.odds(exact_odds(plan(problem), "9/10"), year=2027)


def test_scenarios_side_by_side(national: Any) -> None:
    both = compare(national, national.what_if(id="TP HCM 20", capacity={"79": 20}))
    ax = both.plot(measure="recognised", region="79")
    assert [c.get_label() for c in ax.containers] == ["national-2027-2030", "TP HCM 20"]
    base, slow = ([b.get_height() for b in c] for c in ax.containers)
    assert base == [60, 86, 113, 113]
    assert slow == [54, 74, 94, 113]
    assert ax.get_ylabel() == "wards recognised, Hồ Chí Minh (79)"
    _check_fonts(ax)
    national_new = plot.scenarios(both)
    assert [b.get_height() for b in national_new.containers[1]] == list(both.plans[1].national)


def test_sweep_line_per_parameter(national: Any) -> None:
    result = sweep(national, capacity_scale=["60%", "80%", 1], progress=False)
    ax = result.plot()
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [0.6, 0.8, 1.0]
    assert list(line.get_ydata()) == [34, 7, 0]
    assert ax.get_xlabel() == "capacity_scale"
    two = sweep(national, capacity_scale=["80%", 1], strategy=["level", "earliest"])
    lines = two.plot(y="peak").get_lines()
    assert [ln.get_label() for ln in lines] == ["strategy=level", "strategy=earliest"]
    with pytest.raises(InvalidArgumentError, match="p_end needs p_recognised"):
        result.plot(y="p_end")


def test_an_axes_given_is_drawn_on_and_returned(national: Any) -> None:
    _, (left, right) = plt.subplots(1, 2)
    p = national.plan()
    assert plot.workload(p, ax=left) is left
    assert plot.coverage(p, regions=["79"], ax=right) is right


def test_bad_arguments_and_a_missing_matplotlib(
    national: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = national.plan()
    with pytest.raises(InvalidArgumentError, match="kind must be"):
        p.plot("pie")
    with pytest.raises(KeyError, match="did you mean"):
        plot.coverage(p, regions=["790"])
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingExtraError, match=r"modelunit\[plot\]"):
        plot.workload(p)
