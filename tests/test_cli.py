"""The command line, end to end: bundled defaults, formats, the JSON envelope and its
schema, exit codes, languages, option errors, bad files."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from modelunit.cli import build_parser, main
from modelunit.cli._json import FORMAT, FORMAT_VERSION, SCHEMA
from modelunit.outcomes import Outcome
from modelunit.schema import SCHEMA_KINDS, schema_file

VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


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


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def envelope(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """Run with ``--format json``; the document, checked against the schema."""
    code, out, _ = call(capsys, *args, "--format", "json")
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["exit_code"] == code
    return code, doc


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
        assert "21/22 đạt, 1 chưa đủ căn cứ -> Cơ bản đạt" in done.stdout
        assert "chưa đủ căn cứ" in done.stdout

    def test_plan_default_is_the_national_scenario(self) -> None:
        done = run("plan")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("National rollout on the 34-province map")
        assert "79" in done.stdout
        assert "Hồ Chí Minh" in done.stdout
        assert "assumptions:" in done.stdout

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
        for cmd in ("assess", "plan", "catalogs", "validate", "diff", "schema"):
            done = run(cmd, "--help")
            assert done.returncode == 0
            assert done.stdout.startswith(f"usage: modelunit {cmd}")


# -- the JSON envelope -------------------------------------------------------------------------

EVERY_COMMAND = [
    ("assess",),
    ("assess", "--as-of", "2024-01-31"),
    ("assess", "--evidence", "nghe-an-2023"),
    ("assess", "--evidence", "nghe-an-2023", "--explain", "--lang", "vi"),
    ("assess", "--check"),
    ("assess", "--unit", "nobody"),
    ("assess", "--as-of", "yesterday"),
    ("plan",),
    ("plan", "national-2024-2030-63"),
    ("plan", "--strategy", "proportional", "--method", "webster"),
    ("plan", "nope"),
    ("plan", "--method", "webster"),
    ("catalogs",),
    ("validate", "cap-kieu-mau-2021", "tutorial", "vn-2025", "vn-mapping-2025", "cap-kieu-mau"),
    ("validate", "national-2027-2030"),
    ("validate", "nope"),
    ("validate", "tutorial", "nope"),
    ("diff", "tutorial", "tutorial"),
    ("diff", "tutorial", "cap-kieu-mau-2021"),
    ("diff", "tutorial", "missing.toml"),
    ("schema", "catalog"),
    ("schema", "output"),
    ("schema", "catalgo"),
    ("nonsense",),
]


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=" ".join)
def test_every_command_prints_the_envelope(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, doc = envelope(capsys, *args)
    assert (doc["format"], doc["format_version"]) == (FORMAT, FORMAT_VERSION)
    assert doc["command"] == (args[0] if args[0] != "nonsense" else None)
    assert isinstance(doc["results"], list)
    assert (code >= 2) == bool(doc["errors"])
    if doc["counts"] is not None:
        assert list(doc["counts"]) == [o.value for o in Outcome]


def test_the_schema_is_a_valid_schema_and_bites() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    good = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "modelunit_version": "0",
        "command": "assess",
        "exit_code": 0,
        "criteria_set": {"id": "x", "version": "1"},
        "scenario": None,
        "counts": {"met": 1, "not_met": 0, "insufficient": 0, "not_applicable": 0},
        "results": [],
        "errors": [],
    }
    VALIDATOR.validate(good)
    for broken in (
        {**good, "counts": {"met": 1}},  # a zero left out
        {**good, "exit_code": 2},  # bad input without an error
        {**good, "results": [{"unit": "u"}]},  # an assess result without its counts
        {**good, "format_version": 2},
        {**good, "extra": 1},
    ):
        assert not VALIDATOR.is_valid(broken), broken


def test_one_unit_is_explained_and_many_are_summed_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, one = envelope(capsys, "assess")
    (result,) = one["results"]
    assert one["criteria_set"] == {"id": "cap-kieu-mau-2021", "version": "2021.1-reconstructed"}
    assert result["counts"] == {"met": 21, "not_met": 0, "insufficient": 1, "not_applicable": 0}
    assert one["counts"] == result["counts"]
    assert (result["unit"], result["level"], result["level_title"]) == (
        "dien-bien",
        "basically_met",
        "basically met",
    )
    c22 = result["criteria"][21]
    assert (c22["criterion"], c22["outcome"]) == ("C22", "insufficient")
    assert c22["explanation"].startswith("undecided: no evidence for party_committee_ranking")
    _, many = envelope(capsys, "assess", "--evidence", "nghe-an-2023", "--as-of", "2024-01-31")
    assert len(many["results"]) == 16
    assert all("criteria" not in r for r in many["results"])
    assert many["counts"] == {"met": 16 * 21, "not_met": 0, "insufficient": 16, "not_applicable": 0}
    assert many["results"][0]["unit"] == "truong-thi"  # the evidence file's order
    _, explained = envelope(capsys, "assess", "--evidence", "nghe-an-2023", "--explain")
    assert all(len(r["criteria"]) == 22 for r in explained["results"])
    _, summed = envelope(capsys, "assess", "--no-explain")
    assert "criteria" not in summed["results"][0]


def test_assess_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "assess", "--as-of", "2024-01-31")
    assert code == 0
    assert ", as of 2024-01-31:" in out.splitlines()[0]
    assert out.splitlines()[1] == "20/22 met, 2 pending -> not yet met"


# -- exit codes ---------------------------------------------------------------------------------


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
    # Several units: 1 unless every one is recognised; without --check always 0.
    assert call(capsys, "assess", "--check", "--evidence", "nghe-an-2023")[0] == 1
    assert call(capsys, "assess", "--evidence", "nghe-an-2023")[0] == 0


def test_diff_exits_1_and_shows_old_and_new_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = resources.files("modelunit").joinpath("data", "catalogs", "cap-kieu-mau-2021.toml")
    changed = tmp_path / "new.toml"
    changed.write_text(source.read_text("utf-8").replace('"90%"', '"95%"'), encoding="utf-8")
    code, out, _ = call(capsys, "diff", "cap-kieu-mau-2021", str(changed))
    assert code == 1
    assert out.splitlines()[1:] == ["  changed C21:", '    rule.value: "0.90" -> "0.95"']
    code, doc = envelope(capsys, "diff", "cap-kieu-mau-2021", str(changed))
    assert code == 1
    (result,) = doc["results"]
    assert result["unchanged"] is False
    assert result["criteria"]["changed"] == [
        {"id": "C21", "changes": [{"field": "rule.value", "old": "0.90", "new": "0.95"}]}
    ]
    code, out, _ = call(capsys, "diff", "cap-kieu-mau-2021", str(changed), "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [
        ["change", "what", "id", "field", "old", "new"],
        ["changed", "criterion", "C21", "rule.value", "0.90", "0.95"],
    ]
    assert call(capsys, "diff", "tutorial", "tutorial") == (
        0,
        "tutorial 1.0 -> tutorial 1.0: no changes\n",
        "",
    )


def test_diff_between_different_sets(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = envelope(capsys, "diff", "tutorial", "an-toan-antt-2021")
    (result,) = doc["results"]
    assert code == 1
    assert result["criteria"]["removed"] == ["T1", "T2", "T3"]
    assert {c["field"] for c in result["set"]} >= {"title_en"}
    code, out, _ = call(capsys, "diff", "tutorial", "an-toan-antt-2021")
    assert "  removed criteria: T1, T2, T3" in out.splitlines()
    _, out, _ = call(capsys, "diff", "tutorial", "an-toan-antt-2021", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    # Criteria, then indicators (added, removed, changed), then the policy and the set.
    assert [r[:3] for r in rows[1:9]] == [
        *(["added", "criterion", f"A{i}"] for i in range(1, 6)),
        *(["removed", "criterion", f"T{i}"] for i in range(1, 4)),
    ]
    assert [r[:3] for r in rows if r[0] == "removed" and r[1] == "indicator"] == [
        ["removed", "indicator", k]
        for k in ("resident_satisfaction", "serious_crimes", "social_order_crimes")
    ]
    assert [r[1] for r in rows[1:]] == sorted(
        (r[1] for r in rows[1:]), key=["criterion", "indicator", "policy", "set"].index
    )
    assert ["changed", "set", "", "effective_from", "2023-01-01", "2022-02-10"] in rows


def test_infeasible_plan_exits_1_and_says_why_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "plan", "national-2024-2030-63")
    assert code == 1
    lines = out.splitlines()
    start = lines.index("at risk:")
    # The region once, with its name; its lines without the id; the fix on its own line.
    assert lines[start + 1 : start + 5] == [
        "  33 Hưng Yên:",
        "    2025 (own): 6/13 (needs 7): MISSED by 1",
        "    needs 7 by 2025, at most 6 reachable: short by 1; reachable in 2026",
        "to meet every floor: add capacity: 33 +1 in 2025",
    ]
    assert out.count("short by 1") == 1
    assert "33: 33" not in out


def test_plan_lists_the_stretch_goals_met(capsys: pytest.CaptureFixture[str]) -> None:
    # The stretch goals of the planned years count (the plan maximises those); the
    # default scenario's only stretch goal, 2025, lies before its horizon.
    _, out, _ = call(capsys, "plan", "national-2024-2030-63")
    lines = out.splitlines()
    assert "milestones: 128/129 floors met; stretch goals met: 11/63" in lines
    (listed,) = [line for line in lines if line.startswith("stretch goals met: ")]
    assert listed.startswith("stretch goals met: 04 Cao Bằng 2025, 06 Bắc Kạn 2025, ")
    assert listed.count(" 2025") == 11
    _, out, _ = call(capsys, "plan")
    assert "milestones: 69/69 floors met; stretch goals met: 0/0" in out.splitlines()
    assert not any(line.startswith("stretch goals met: ") for line in out.splitlines())


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
    assert "    needs 10 by 2028, at most 6 reachable: short by 4; not reachable by 2028" in out


def test_plan_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "plan", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 34 * 4
    assert list(rows[0]) == ["region", "name", "year", "new", "cumulative", "total", "percent"]
    assert rows[0]["region"] == "01"  # a code, with its leading zero
    assert sum(int(r["new"]) for r in rows) == 687 - sum(
        int(r["cumulative"]) - int(r["new"]) for r in rows if r["year"] == "2027"
    )
    code, doc = envelope(capsys, "plan", "--strategy", "earliest")
    assert code == 0
    assert doc["results"][0]["strategy"] == "earliest"
    assert doc["scenario"]["id"] == "national-2027-2030"


def test_a_plan_in_json_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    from modelunit.rollout import RolloutPlan
    from modelunit.serialization import structure

    _, doc = envelope(capsys, "plan", "national-2024-2030-63", "--lang", "vi")
    plan = structure(doc["results"][0], RolloutPlan)
    assert (plan.feasible, len(plan.regions)) == (False, 63)
    assert (
        doc["results"][0]["summary"]["at_risk"]["33"][0] == "33 2025 (riêng): 6/13 (cần 7): THIẾU 1"
    )


def test_many_units_give_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "assess", "--evidence", "nghe-an-2023", "--as-of", "2024-01-31")
    assert code == 0
    rows = out.splitlines()[2:]
    assert len(rows) == 16
    assert all(row.split()[1:5] == ["21", "0", "1", "0"] for row in rows)
    assert rows[0].startswith("truong-thi")
    code, out, _ = call(capsys, "assess", "--evidence", "nghe-an-2023", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == 16
    assert table[0]["unit"] == "truong-thi"
    assert (table[0]["met"], table[0]["not_met"], table[0]["recognised"]) == ("22", "0", "true")


def test_one_unit_in_csv_is_one_row_per_criterion(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = call(capsys, "assess", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["criterion"] for r in rows] == [f"C{i:02d}" for i in range(1, 23)]
    assert rows[-1]["outcome"] == "insufficient"


# -- names, kinds, files -----------------------------------------------------------------------


def test_validate_takes_bundled_names_of_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = envelope(
        capsys,
        "validate",
        "cap-kieu-mau-2021",
        "dien-bien-2023",
        "national-2027-2030",
        "cap-kieu-mau",
        "vn-pre-2025",
        "vn-mapping-2025",
    )
    assert code == 0
    assert [(r["source"], r["kind"]) for r in doc["results"]] == [
        ("catalogs/cap-kieu-mau-2021.toml", "catalog"),
        ("examples/dien-bien-2023.json", "evidence"),
        ("scenarios/national-2027-2030.json", "scenario"),
        ("targets/cap-kieu-mau.toml", "targets"),
        ("geography/vn-pre-2025.json", "geography"),
        ("geography/vn-mapping-2025.json", "geography-mapping"),
    ]
    assert doc["results"][4]["provinces"] == 63
    code, out, _ = call(capsys, "validate", "cap-kieu-mau-2021")
    assert (code, out) == (
        0,
        "OK: catalog cap-kieu-mau-2021 2021.1-reconstructed, 22 criteria, 32 indicators\n",
    )
    # A name in two folders is both; folder/name or --kind picks one.
    assert len(envelope(capsys, "validate", "tutorial")[1]["results"]) == 2
    assert envelope(capsys, "validate", "examples/tutorial")[1]["results"][0]["kind"] == "evidence"
    assert envelope(capsys, "validate", "tutorial", "--kind", "catalog")[1]["results"][0][
        "kind"
    ] == ("catalog")


def test_every_bundled_file_validates_by_path(capsys: pytest.CaptureFixture[str]) -> None:
    root = resources.files("modelunit").joinpath("data")
    checked = set()
    for folder in ("catalogs", "examples", "scenarios", "targets", "geography"):
        for entry in root.joinpath(folder).iterdir():
            if entry.name.endswith((".toml", ".json")):
                code, out, err = call(capsys, "validate", str(entry))
                assert code == 0, err
                assert out.startswith("OK: ")
                checked.add(folder)
    assert checked == {"catalogs", "examples", "scenarios", "targets", "geography"}


def test_validate_kinds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
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
    code, doc = envelope(capsys, "validate", str(evidence), "--catalog", "cap-kieu-mau-2021")
    assert code == 2
    assert doc["errors"] == [
        {
            "message": "a count cannot be negative, got -1",
            "source": str(evidence),
            "path": "value",
            "record": "e1",
        }
    ]
    unknown = tmp_path / "what.json"
    unknown.write_text("[1, 2]", encoding="utf-8")
    code, _, err = call(capsys, "validate", str(unknown))
    assert code == 2
    assert "cannot tell what kind of file this is" in err


MAPPING_FILE = """description = "Illustrative: wards w1 and w2 merge into N1; w3 becomes N2."
[[rows]]
old_unit = "w1"
new_unit = "N1"
old_region = "old-A"
new_region = "new-X"
[[rows]]
old_unit = "w2"
new_unit = "N1"
old_region = "old-A"
new_region = "new-X"
[[rows]]
old_unit = "w3"
new_unit = "N2"
old_region = "old-B"
new_region = "new-X"
"""


def test_validate_recognises_a_mapping_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mapping = tmp_path / "my-mapping.toml"
    mapping.write_text(MAPPING_FILE, encoding="utf-8")
    assert call(capsys, "validate", str(mapping)) == (
        0,
        "OK: mapping file, 3 rows: 3 old units to 2 new units\n",
        "",
    )
    code, doc = envelope(capsys, "validate", str(mapping), "--kind", "mapping")
    assert code == 0
    assert doc["results"] == [
        {
            "source": str(mapping),
            "kind": "mapping",
            "valid": True,
            "rows": 3,
            "old_units": 3,
            "new_units": 2,
        }
    ]
    mapping.write_text(MAPPING_FILE.replace('new_region = "new-X"\n', "", 1), encoding="utf-8")
    code, doc = envelope(capsys, "validate", str(mapping))
    assert code == 2
    assert [(e["path"], e["message"]) for e in doc["errors"]] == [
        ("rows[0].new_region", "required field missing")
    ]


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


def test_validate_several_files_reports_each(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "validate", "tutorial", "nope")
    assert code == 2
    assert out.splitlines() == [
        "catalogs/tutorial.toml: OK: catalog tutorial 1.0, 3 criteria, 3 indicators",
        "examples/tutorial.json: OK: evidence, 3 records, 1 units",
    ]
    assert "no file at 'nope' and no bundled file of that name" in err


def test_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "catalogs")
    assert code == 0
    assert out.splitlines()[1].startswith("cap-kieu-mau-2021     2021.1-reconstructed  22 criteria")
    assert "geography: vn-2025, vn-mapping-2025, vn-pre-2025" in out.splitlines()
    _, doc = envelope(capsys, "catalogs")
    names = {(r["kind"], r["name"]) for r in doc["results"]}
    assert {
        ("criteria_set", "tutorial"),
        ("targets", "cap-kieu-mau"),
        ("scenario", "national-2027-2030"),
    } <= names
    _, out, _ = call(capsys, "catalogs", "--format", "csv")
    assert out.splitlines()[0] == "kind,name,id,version,criteria,title"


# -- options: errors name the option and its forms; options that do not apply are refused ------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("assess", "--catalog", "nope"), "no catalog named 'nope'"),
        (
            ("assess", "--period", "2023-Q7"),
            "argument --period: expected a year (2023), half (2023-H1), quarter (2023-Q4), "
            "month (2023-06) or date range (2023-01-01/2023-06-30), got '2023-Q7'",
        ),
        (
            ("assess", "--as-of", "yesterday"),
            "argument --as-of: expected a date (2024-01-31) or a date and time "
            "(2024-01-31T17:00, 2024-01-31T17:00+07:00), got 'yesterday'",
        ),
        (("assess", "--unit", "nobody"), "no unit 'nobody' in the evidence; units: dien-bien"),
        (
            ("assess", "--format", "csv", "-v"),
            "argument --verbose: applies only with --format text",
        ),
        (("assess", "-v", "--no-explain"), "argument --verbose: applies only with --explain"),
        (("plan", "no-such-scenario"), "no scenario named 'no-such-scenario'"),
        (
            ("plan", "--method", "webster"),
            "argument --method: applies only with --strategy proportional",
        ),
        (
            ("plan", "--no-names", "--format", "csv"),
            "argument --no-names: applies only with --format text",
        ),
        (("validate", "tutorial.toml", "--kind", "catalogue"), "argument --kind: invalid choice"),
        (
            ("validate", "cap-kieu-mau-2021", "--catalog", "tutorial"),
            "argument --catalog: applies only with evidence files",
        ),
        (("diff", "tutorial", "missing.toml"), "cannot read file"),
        (("assess", "--lang", "fr"), "argument --lang: invalid choice: 'fr'"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = call(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert out == ""


def test_plan_nope_speaks_of_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = call(capsys, "plan", "nope")
    assert "no scenario named 'nope' and no such file; bundled scenarios:" in err
    assert "catalog" not in err


def test_option_errors_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = call(capsys, "assess", "--lang", "vi", "--as-of", "hôm qua")
    assert "argument --as-of: cần một ngày (2024-01-31)" in err


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (group,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(group.choices)


@pytest.mark.parametrize("command", list(_subparsers()))
def test_help_explains_every_option_and_shows_defaults(command: str) -> None:
    sub = _subparsers()[command]
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{command} {action.dest} has no help"
        valued = action.nargs != 0 and not isinstance(
            action, argparse._StoreTrueAction | argparse._StoreFalseAction
        )
        if valued and action.default is not None:
            assert "default" in action.help, f"{command} {action.dest} hides its default"
    assert "(default: text" in sub.format_help()


# -- languages ------------------------------------------------------------------------------------

# English words of the texts table that must not survive a Vietnamese run.
ENGLISH = re.compile(
    r"\b(met|pending|needs|evidence|mandatory|reached|undecided|criteria|examples|scenarios|"
    r"strategy|feasible|milestones|stretch|assumptions|records|units|changed|added|removed|"
    r"region|final|share|total|short|reachable|capacity|national|at risk)\b"
)


# Data, not prose: quoted values, ids with - / _, and field paths (examples[0].evidence).
DATA = re.compile(r'"[^"]*"|[\w.]*[-/_][\w./-]*|\w+(?:\[\d+\])?(?:\.\w+(?:\[\d+\])?)+')


def _english_in(out: str) -> list[str]:
    kept = [line for line in out.splitlines() if not line.startswith("  - ")]
    return sorted(set(ENGLISH.findall(DATA.sub(" ", "\n".join(kept)))))


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "-v"),
        ("assess", "--as-of", "2024-01-31"),
        ("assess", "--evidence", "nghe-an-2023"),
        ("assess", "--evidence", "residential-areas-example", "--catalog", "an-toan-antt-2021"),
        ("plan", "national-2024-2030-63"),
        ("catalogs",),
        (
            "validate",
            "tutorial",
            "cap-kieu-mau",
            "vn-2025",
            "vn-mapping-2025",
            "national-2027-2030",
        ),
        ("diff", "tutorial", "an-toan-antt-2021"),
    ],
    ids=" ".join,
)
def test_vietnamese_translates_everything(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    _, out, err = call(capsys, *args, "--lang", "vi")
    assert err == ""
    assert _english_in(out) == []
    _, english, _ = call(capsys, *args)
    assert _english_in(english) != []  # the check itself can see English


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
    code, doc = envelope(capsys, "assess", "--evidence", "nghe-an-2023", "--as-of", "2024-01-31")
    assert code == 0
    rows = doc["results"]
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
    from modelunit.cli import _commands

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(_commands, "load_catalog", broken)
    code = main(["assess"])
    err = capsys.readouterr().err
    assert code == 3
    assert err == (
        "modelunit assess: internal error (please report it, with the command): "
        "ZeroDivisionError: a bug\n"
    )
    code, doc = envelope(capsys, "assess")
    assert code == 3
    assert doc["errors"][0]["message"].startswith("internal error")


def test_table_is_still_understood_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert call(capsys, "assess", "--format", "table") == call(capsys, "assess")


def test_help_returns_0_from_python(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: modelunit assess")


def test_validate_lists_duplicates_next_to_unreadable_items(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "dup.toml"
    bad.write_text(
        'id = "dup"\nversion = "1"\n'
        '[[indicators]]\nkey = "crimes"\ntype = "count"\naggregation = "sum"\n'
        '[[indicators]]\nkey = "crimes"\ntype = "cuont"\naggregation = "sum"\n'
        '[[criteria]]\nid = "C1"\n'
        'rule = { kind = "compare", indicator = "crimes", op = "<=", value = "ten" }\n'
        '[[criteria]]\nid = "C1"\n'
        'rule = { kind = "compare", indicator = "crimes", op = "<=", value = 1 }\n'
        "[policy]\nlevels = []\n",
        encoding="utf-8",
    )
    code, doc = envelope(capsys, "validate", str(bad))
    assert code == 2
    assert [(e["path"], e["record"]) for e in doc["errors"]] == [
        ("indicators[1].type", None),
        ("criteria[0].rule.value", None),
        ("indicators[1].key", "crimes"),
        ("criteria[1].id", "C1"),
    ]
    # Two readable twins: reported once.
    bad.write_text(
        bad.read_text("utf-8").replace('"cuont"', '"count"').replace('"ten"', "10"),
        encoding="utf-8",
    )
    _, doc = envelope(capsys, "validate", str(bad))
    assert [e["path"] for e in doc["errors"]] == ["indicators[1].key", "criteria[1].id"]


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


# -- schema ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_prints_the_shipped_schema_of_every_kind(
    capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    shipped = schema_file(kind).read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert call(capsys, "schema", kind) == (0, shipped, "")
    code, doc = envelope(capsys, "schema", kind)
    assert code == 0
    assert doc["results"] == [{"kind": kind, "schema": json.loads(shipped)}]


def test_the_printed_schema_of_a_file_kind_validates_a_bundled_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = call(capsys, "schema", "evidence")
    validator = jsonschema.Draft7Validator(json.loads(out))
    bundled = resources.files("modelunit").joinpath("data", "examples", "dien-bien-2023.json")
    document = json.loads(bundled.read_text(encoding="utf-8"))
    validator.validate(document)
    document["evidence"][0]["recorded"] = "yesterday"
    assert not validator.is_valid(document)


def test_schema_output_is_the_envelope_schema_and_checks_real_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = call(capsys, "schema", "output")
    assert (code, err) == (0, "")
    printed = json.loads(out)
    assert printed == json.loads(json.dumps(SCHEMA))
    validator = jsonschema.Draft202012Validator(printed)
    _, assessed = envelope(capsys, "assess")
    validator.validate(assessed)
    assert not validator.is_valid({**assessed, "counts": {"met": 21}})


def test_schema_of_an_unknown_kind_names_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "schema", "catalgo")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "modelunit schema: error: argument KIND: invalid choice: 'catalgo' (choose from "
        + ", ".join(repr(k) for k in (*SCHEMA_KINDS, "output"))
        + ")"
    )


def test_only_the_schema_command_imports_modelunit_schema() -> None:
    # modelunit.schema imports the loader of every kind of file; the other commands'
    # start-up should not pay for it, the schema command's parsing and help do.
    probe = (
        "import contextlib, io, sys\n"
        "from modelunit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(sys.argv[1:])\n"
        "print('modelunit.schema' in sys.modules)\n"
    )
    for args, imported in ((["catalogs"], "False"), (["schema", "--help"], "True")):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        assert done.stdout.strip() == imported, args


@pytest.mark.parametrize("suffix", ["", ".toml"])
def test_a_name_too_long_for_the_file_system_is_bad_input(
    capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    # Found by the fuzz suite: Path.exists() raises OSError (ENAMETOOLONG) for it.
    code, out, err = call(capsys, "validate", "x" * 5000 + suffix)
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert "internal error" not in err
    assert ("no bundled file of that name" if not suffix else "File name too long") in err
