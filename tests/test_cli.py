"""The command line, end to end: bundled defaults, formats, exit codes, bad files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modelunit.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m modelunit`` as a user would, in a non-UTF-8 locale."""
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    return subprocess.run(
        [sys.executable, "-m", "modelunit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=120,
    )


class TestSubprocess:
    def test_assess_default_is_the_dien_bien_example(self) -> None:
        done = run("assess")
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[0].startswith("dien-bien (ward) 2023: ")
        assert lines[1] == "21/22 met, 1 pending -> basically met"
        assert "? C22 insufficient evidence" in done.stdout

    def test_vietnamese_prints_correctly(self) -> None:
        done = run("assess", "--lang", "vi")
        assert done.returncode == 0, done.stderr
        assert "21/22 met, 1 pending -> Cơ bản đạt" in done.stdout
        assert "chưa đủ căn cứ" in done.stdout

    def test_plan_default_is_the_national_scenario(self) -> None:
        done = run("plan")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("National rollout on the 34-province map")
        assert "79" in done.stdout
        assert "Hồ Chí Minh" in done.stdout
        assert "assumptions:" in done.stdout

    def test_infeasible_plan_exits_1_and_says_why(self) -> None:
        done = run("plan", "national-2024-2030-63")
        assert done.returncode == 1
        assert "33: needs 7 by 2025, at most 6 reachable: short by 1" in done.stdout

    def test_bad_file_exits_2_with_a_message_and_no_traceback(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text('id = "x"\nversion = 1\n', encoding="utf-8")
        done = run("validate", str(bad))
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("modelunit validate: error: ")
        assert "bad.toml" in done.stderr
        assert done.stdout == ""

    def test_help_everywhere(self) -> None:
        for cmd in ("assess", "plan", "catalogs", "validate", "diff"):
            done = run(cmd, "--help")
            assert done.returncode == 0
            assert done.stdout.startswith(f"usage: modelunit {cmd}")


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_json_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    from modelunit.results import Assessment
    from modelunit.serialization import structure

    code, out, _ = call(capsys, "assess", "--format", "json")
    assert code == 0
    result = structure(json.loads(out), Assessment)
    assert (result.unit, result.level, result.counts.met) == ("dien-bien", "basically_met", 21)


def test_assess_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "assess", "--as-of", "2024-01-31")
    assert code == 0
    assert ", as of 2024-01-31:" in out.splitlines()[0]
    assert out.splitlines()[1] == "20/22 met, 2 pending -> not yet met"


def test_check_exits_1_when_not_recognised(capsys: pytest.CaptureFixture[str]) -> None:
    assert call(capsys, "assess", "--check")[0] == 1
    code, out, _ = call(
        capsys,
        "assess",
        "--check",
        "--evidence",
        "van-minh-example",
        "--catalog",
        "do-thi-van-minh-2022",
        "--unit",
        "phuong-vm-90",
    )
    assert code == 0, out


def test_many_units_give_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "assess", "--evidence", "nghe-an-2023", "--as-of", "2024-01-31")
    assert code == 0
    rows = out.splitlines()[2:]
    assert len(rows) == 16
    assert all(row.split()[1:5] == ["21", "0", "1", "0"] for row in rows)
    assert rows[0].startswith("truong-thi")


def test_plan_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "plan", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 34 * 4
    assert sum(int(r["new"]) for r in rows) == 687 - sum(
        int(r["cumulative"]) - int(r["new"]) for r in rows if r["year"] == "2027"
    )
    code, out, _ = call(capsys, "plan", "--format", "json", "--strategy", "earliest")
    assert code == 0
    assert json.loads(out)["strategy"] == "earliest"


def test_plan_from_a_problem_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        "start = 2027\nend = 2028\n"
        '[[regions]]\nid = "A"\ntotal = 10\ncapacity = 3\n'
        '[[milestones]]\nyear = 2028\nshare = "100%"\n',
        encoding="utf-8",
    )
    code, out, _ = call(capsys, "plan", str(path))
    assert code == 1
    assert "A: needs 10 by 2028, at most 6 reachable: short by 4" in out


def test_validate_kinds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from importlib import resources

    catalog = resources.files("modelunit").joinpath("data", "catalogs", "cap-kieu-mau-2021.toml")
    path = tmp_path / "cap.toml"
    path.write_bytes(catalog.read_bytes())
    code, out, _ = call(capsys, "validate", str(path))
    assert (code, out) == (
        0,
        "OK: catalog cap-kieu-mau-2021 2021.1-reconstructed, 22 criteria, 32 indicators\n",
    )
    evidence = tmp_path / "ev.json"
    evidence.write_text(
        json.dumps(
            {
                "evidence": [
                    {
                        "id": "e1",
                        "unit": "w",
                        "indicator": "serious_crimes",
                        "period": "2023",
                        "value": -1,
                        "recorded_at": "2024-01-01",
                    },
                    {
                        "id": "e2",
                        "unit": "w",
                        "indicator": "made_up",
                        "period": "2023",
                        "value": 1,
                        "recorded_at": "2024-01-01",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    assert call(capsys, "validate", str(evidence))[:2] == (0, "OK: evidence, 2 records, 0 units\n")
    code, _, err = call(capsys, "validate", str(evidence), "--catalog", "cap-kieu-mau-2021")
    assert code == 2
    assert "(record 'e1'): a count cannot be negative, got -1" in err
    unknown = tmp_path / "what.json"
    unknown.write_text("[1, 2]", encoding="utf-8")
    assert call(capsys, "validate", str(unknown))[0] == 2


def test_validate_reports_unknown_indicators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evidence = tmp_path / "ev.json"
    evidence.write_text(
        json.dumps(
            {
                "evidence": [
                    {
                        "id": "e2",
                        "unit": "w",
                        "indicator": "made_up",
                        "period": "2023",
                        "value": 1,
                        "recorded_at": "2024-01-01",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    code, _, err = call(capsys, "validate", str(evidence), "--catalog", "tutorial")
    assert code == 2
    assert "unknown indicator 'made_up' (not in tutorial)" in err


def test_catalogs_and_diff(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "catalogs")
    assert code == 0
    assert out.splitlines()[1].startswith("cap-kieu-mau-2021     2021.1-reconstructed  22 criteria")
    code, out, _ = call(capsys, "diff", "tutorial", "tutorial")
    assert (code, out) == (0, "tutorial 1.0 -> tutorial 1.0: no changes\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("assess", "--catalog", "nope"), "no catalog named 'nope'"),
        (("assess", "--period", "2023-Q7"), "cannot read period '2023-Q7'"),
        (("assess", "--unit", "nobody"), "no unit 'nobody' in the evidence; units: dien-bien"),
        (("plan", "no-such-scenario"), "no scenario named 'no-such-scenario'"),
        (("diff", "tutorial", "missing.toml"), "cannot read file"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = call(capsys, *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_every_bundled_file_validates(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import resources

    root = resources.files("modelunit").joinpath("data")
    checked = 0
    for folder in ("catalogs", "examples", "scenarios"):
        for entry in root.joinpath(folder).iterdir():
            if entry.name.endswith((".toml", ".json")):
                code, out, err = call(capsys, "validate", str(entry))
                assert code == 0, err
                assert out.startswith("OK: ")
                checked += 1
    assert checked >= 11


def test_python_dash_m_runs_main_in_process(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["modelunit", "diff", "tutorial", "tutorial"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("modelunit", run_name="__main__", alter_sys=True)
    assert info.value.code == 0
    assert capsys.readouterr().out == "tutorial 1.0 -> tutorial 1.0: no changes\n"


def test_many_units_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(
        capsys, "assess", "--evidence", "nghe-an-2023", "--as-of", "2024-01-31", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 16
    assert rows[0]["unit"] == "truong-thi"
    assert {r["counts"]["met"] for r in rows} == {21}


def test_verbose_explains_met_criteria_and_lists_evidence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, quiet, _ = call(capsys, "assess", "--catalog", "tutorial", "--evidence", "tutorial")
    code, loud, _ = call(capsys, "assess", "--catalog", "tutorial", "--evidence", "tutorial", "-v")
    assert code == 0
    assert "evidence: " not in quiet
    assert "evidence: ev-2023-soc" in loud
    assert len(loud.splitlines()) > len(quiet.splitlines())


def test_a_plan_table_without_names(capsys: pytest.CaptureFixture[str]) -> None:
    _, named, _ = call(capsys, "plan")
    code, bare, _ = call(capsys, "plan", "--no-names")
    assert code == 0
    # The same plan; only the table's rows lose their names (the assumptions keep theirs).
    assert named.count("Hồ Chí Minh") == bare.count("Hồ Chí Minh") + 1
    assert len(named.splitlines()) == len(bare.splitlines())


def test_an_internal_error_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelunit import cli

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "load_catalog", broken)
    code = cli.main(["assess"])
    err = capsys.readouterr().err
    assert code == 3
    assert err == (
        "modelunit assess: internal error (please report it, with the command): "
        "ZeroDivisionError: a bug\n"
    )


def test_an_error_quoting_unprintable_text_prints_on_any_terminal(tmp_path: Path) -> None:
    # Found by the fuzz suite: on a terminal that is not UTF-8 the command line writes
    # UTF-8 itself, and an error message quoting a lone surrogate (written "\ud800" in
    # JSON) made printing the error fail with a traceback.
    path = tmp_path / "odd.json"
    path.write_text('{"\\ud800": 1, "regions": [], "milestones": [], "start": 1, "end": 1}')
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run(
        [sys.executable, "-m", "modelunit", "plan", str(path)],
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"ud800" in done.stderr


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_table_of_many_units_says_what_their_explained_assessments_say(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    # The table is built from the batch's counts and levels (no explained assessment
    # per unit): each row must agree with the unit's explained assessment.
    import modelunit
    from modelunit.assessment import assess_batch

    catalog = modelunit.load_catalog("cap-kieu-mau-2021")
    ledger, registry = modelunit.catalogs.open_evidence("nghe-an-2023")
    code, out, _ = call(capsys, "assess", "--evidence", "nghe-an-2023", "--lang", lang)
    assert code == 0
    batch = assess_batch(catalog, ledger, periods=["2023"], registry=registry)
    expected = []
    for unit in [u.id for u in registry.units if u.parent is None]:
        a = batch.assessment(unit, "2023")
        c = a.counts
        title = a.level_title_vi if lang == "vi" else a.level_title_en
        expected.append([unit, c.met, c.not_met, c.insufficient, c.not_applicable, title])
    rows = [row.split(maxsplit=5) for row in out.splitlines()[2:]]
    assert [[r[0], *map(int, r[1:5]), r[5]] for r in rows] == expected
    assert len({r[5] for r in rows}) == 3  # the top level, another, and "not yet met"
