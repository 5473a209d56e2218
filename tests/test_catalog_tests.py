"""Examples inside catalogs, run with coverage (issue 14, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import modelunit
from modelunit.catalog_tests import run_examples
from modelunit.catalogs import list_catalogs
from modelunit.cli import main
from modelunit.outcomes import Outcome

TUTORIAL = Path(modelunit.__file__).parent / "data" / "catalogs" / "tutorial.toml"


def variant(tmp_path: Path, name: str, *replacements: tuple[str, str], cut: str = "") -> Path:
    text = TUTORIAL.read_text(encoding="utf-8")
    if cut:
        text = text.split(cut)[0]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


CUT = '[[examples]]\nid = "serious-crime"'
WRONG = (
    'expect = { T1 = "met", T2 = "met", T3 = "insufficient" }',
    'expect = { T1 = "met", T2 = "not_met", T3 = "insufficient" }',
)


def test_the_tutorial_examples_pass_and_cover_every_outcome() -> None:
    report = run_examples(modelunit.load_catalog("tutorial"))
    assert report.passed
    assert report.failed == ()
    assert report.coverage == 1
    assert [(lv.level, lv.examples) for lv in report.levels] == [
        ("model", ("model",)),
        ("basically_met", ("survey-pending",)),
        ("not_yet", ("serious-crime", "no-reduction")),
    ]


def test_a_wrong_expectation_fails_and_coverage_says_what_is_missing(tmp_path: Path) -> None:
    report = run_examples(modelunit.load_catalog(str(variant(tmp_path, "c", WRONG, cut=CUT))))
    assert report.failed == ("survey-pending",)
    assert report.coverage == pytest.approx(4 / 9)
    t3 = next(b for b in report.branches if b.criterion == "T3")
    assert t3.exercised == (Outcome.MET, Outcome.INSUFFICIENT)
    assert t3.missing == (Outcome.NOT_MET,)
    assert report.render().splitlines() == [
        "tutorial 1.0: 2 examples, 1 passed, 1 failed",
        "  PASS model: model",
        "  FAIL survey-pending: basically_met",
        "    T2: expected not_met, got met (social_order_crimes: 18 in 2023 vs 24 in 2022, "
        "change -25%, needs <= -5%)",
        "coverage: 4 of 9 outcomes of rule parts (44%)",
        "  T1 (absent: no serious_crimes): met",
        "    missing: no example gives it not met",
        "    missing: no example gives it insufficient evidence",
        "  T2 (change: social_order_crimes relative change vs previous period <= -5%): met",
        "    missing: no example gives it not met",
        "    missing: no example gives it insufficient evidence",
        "  T3 (compare: resident_satisfaction >= 0.90): met, insufficient evidence",
        "    missing: no example gives it not met",
        "levels: model (model); basically_met (survey-pending); not_yet (no example reaches it)",
    ]


@pytest.mark.parametrize("name", list_catalogs())
def test_every_bundled_catalog_carries_examples_that_pass(name: str) -> None:
    report = run_examples(modelunit.load_catalog(name))
    assert report.examples, f"{name} carries no [[examples]]"
    assert report.passed, report.render()


def test_an_example_naming_an_unknown_criterion_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "u",
        (
            'expect = { T1 = "met", T2 = "met", T3 = "met" }',
            'expect = { T1 = "met", T2 = "met", T33 = "met" }',
        ),
    )
    with pytest.raises(modelunit.ModelUnitError) as info:
        modelunit.load_catalog(str(path))
    assert [(p.path, p.record, p.message) for p in info.value.problems] == [
        ("examples[0].expect.T33", "model", "unknown criterion 'T33' (did you mean 'T3'?)")
    ]


# -- the command (one separate function in cli.py: _cmd_test) -----------------------------


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_test_passes_on_the_tutorial(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "test", "tutorial")
    assert code == 0
    assert out.splitlines()[0] == "tutorial 1.0: 4 examples, 4 passed, 0 failed"
    assert "coverage: 9 of 9 outcomes of rule parts (100%)" in out


def test_cli_test_exits_1_on_a_failing_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = call(capsys, "test", str(variant(tmp_path, "f", WRONG)), "--format", "json")
    assert code == 1
    document = json.loads(out)  # the command line's one JSON envelope
    assert document["command"] == "test"
    assert document["results"][0]["passed"] is False
    assert document["results"][0]["examples"][1]["mismatches"][0]["what"] == "T2"


def test_cli_test_exits_2_without_examples(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = call(capsys, "test", str(variant(tmp_path, "n", cut="# -- examples")))
    assert code == 2
    assert "the catalog has no [[examples]] to run" in err


def test_cli_test_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: modelunit test")


def test_an_unreadable_policy_is_not_repeated_by_the_examples(tmp_path: Path) -> None:
    path = variant(tmp_path, "p", ('min_share = "100%"', 'min_shre = "100%"'))
    with pytest.raises(modelunit.ModelUnitError) as info:
        modelunit.load_catalog(str(path))
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "policy.levels[0].condition",
            "unexpected field(s): min_shre (did you mean 'min_share'?)",
        )
    ]


def test_cli_validate_prints_the_static_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = variant(tmp_path, "w", ('op = ">=", value = "90%"', 'op = ">", value = "100%"'))
    code, out, _ = call(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines()[1:] == [
        "warning: criteria[2].rule (record 'T3'): can never be met: resident_satisfaction > 1.00 "
        "holds for no share",
        "warning: policy.levels[0] (record 'model'): can never be reached, whatever the "
        "outcomes of the criteria",
    ]
