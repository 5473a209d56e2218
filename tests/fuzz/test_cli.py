"""Fuzz the command line, in process (``modelunit.cli.main([...])``) and as a subprocess
(``python -m modelunit ...``, a few examples: each costs a new interpreter).

Every subcommand is run with bundled names, files made from corruptions of the bundled
files (and damaged bytes), and random text for any option (``--period``, ``--as-of``,
``--unit``, ``--strategy``...); random argument lists too. The command line never shows
a traceback, exits 0 or 1 on input it accepts and 2 on input it refuses (with the error
on stderr and nothing on stdout but, with ``--format json``, the envelope with its
errors), and it exits 2 whenever the library refuses one of the files it was given.
Exit 3 (an internal error) is an escape.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from hypothesis import assume, event, example, given
from hypothesis import strategies as st

from modelunit import geography, targets
from modelunit.catalogs import list_catalogs, list_examples, load_catalog, open_evidence, read_data
from modelunit.cli import SCHEMA, main
from modelunit.cli._commands import _kind_of
from modelunit.errors import ModelUnitError
from modelunit.rollout import STRATEGIES
from modelunit.rollout.apportionment import METHODS
from modelunit.scenarios import list_scenarios, load_scenario
from modelunit.schema import SCHEMA_KINDS
from tests.fuzz.checks import fuzz_settings, time_limit
from tests.fuzz.inputs import Payload, bundled_in, mostly, one_of_these, payloads, pick, texts
from tests.fuzz.test_periods import instant_texts, period_texts

OK, NOT_MET, BAD_INPUT = 0, 1, 2


@dataclass(frozen=True)
class Command:
    """An argument list, with the files it names: ``{"catalog.toml": payload}``, and
    which loader must accept each one for the command to succeed."""

    argv: tuple[str, ...]
    files: tuple[tuple[str, Payload, str], ...] = ()

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(repr(self))  # type: ignore[attr-defined]

    def write(self, folder: Path) -> list[str]:
        for name, payload, _ in self.files:
            (folder / name).write_bytes(payload.raw)
        return [str(folder / a) if any(a == f[0] for f in self.files) else a for a in self.argv]


LOADERS: dict[str, Callable[[str], object]] = {
    "catalog": load_catalog,
    "evidence": open_evidence,
    "problem": load_scenario,
}
_FOLDER_OF = {"catalog": "catalogs", "evidence": "examples", "problem": "scenarios"}
# What ``validate`` reads a file as, by its contents (``_kind_of``), and the loader that
# must accept it.
VALIDATED_AS: dict[str, Callable[[str], object]] = {
    "catalog": load_catalog,
    "evidence": open_evidence,
    "units": open_evidence,
    "problem": load_scenario,
    "scenario": load_scenario,
    "targets": lambda path: targets.targets_from_data(read_data(path), source=path),
    "geography": lambda path: geography.geography_from_data(read_data(path), source=path),
    "geography-mapping": lambda path: geography.mapping_from_data(read_data(path), source=path),
    "mapping": geography.load_mapping_rows,
}
ENVELOPE = jsonschema.Draft202012Validator(SCHEMA)


@st.composite
def _source(draw: st.DrawFn, kind: str, bundled: tuple[str, ...], slot: str) -> tuple[str, tuple]:
    """One file argument: a bundled name, a file of corrupted data, or random text."""
    choice = draw(st.integers(min_value=0 if bundled else 1, max_value=3))
    if choice == 0:
        return draw(one_of_these(bundled)), ()
    if choice == 3:
        return draw(texts()), ()
    payload = draw(payloads(mostly(bundled_in(_FOLDER_OF[kind]))))
    name = f"{slot}{payload.suffix}"
    return name, ((name, payload, kind),)


def _option(flag: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return pick(st.just([]), values.map(lambda v: [flag, v]))


@st.composite
def commands(draw: st.DrawFn) -> Command:
    which = draw(
        one_of_these(["assess", "plan", "validate", "diff", "catalogs", "schema", "random"])
    )
    argv: list[str] = [which]
    files: list[tuple[str, Payload, str]] = []

    def add(kind: str, bundled: tuple[str, ...], slot: str, flag: str | None = None) -> None:
        value, written = draw(_source(kind, bundled, slot))
        argv.extend([flag, value] if flag else [value])
        files.extend(written)

    if which == "assess":
        if draw(st.booleans()):
            add("catalog", list_catalogs(), "catalog", "--catalog")
        if draw(st.booleans()):
            add("evidence", list_examples(), "evidence", "--evidence")
        argv += draw(_option("--unit", pick(one_of_these(["dien-bien", "x"]), texts())))
        argv += draw(_option("--period", pick(one_of_these(["2023", "2022"]), period_texts())))
        argv += draw(_option("--as-of", instant_texts()))
        argv += draw(_option("--format", one_of_these(["table", "json", "yaml"])))
        argv += draw(_option("--lang", one_of_these(["en", "vi", "fr"])))
        argv += draw(st.lists(one_of_these(["-v", "--check"]), max_size=2, unique=True))
    elif which == "plan":
        if draw(st.booleans()):
            add("problem", list_scenarios(), "problem")
        argv += draw(_option("--strategy", pick(one_of_these(STRATEGIES), texts())))
        argv += draw(_option("--method", pick(one_of_these(list(METHODS)), texts())))
        argv += draw(_option("--format", one_of_these(["table", "json", "csv", "xml"])))
        argv += draw(st.lists(st.just("--no-names"), max_size=1))
    elif which == "validate":
        kind = draw(one_of_these(sorted(LOADERS)))
        add(kind, (), "input")
        if draw(st.booleans()):
            add("catalog", list_catalogs(), "catalog", "--catalog")
    elif which == "diff":
        add("catalog", list_catalogs(), "old")
        add("catalog", list_catalogs(), "new")
    elif which == "catalogs":
        argv += draw(_option("--lang", one_of_these(["en", "vi", "de"])))
        argv += draw(_option("--format", one_of_these(["text", "json", "csv", "xml"])))
    elif which == "schema":
        argv.append(draw(pick(one_of_these([*SCHEMA_KINDS, "output"]), texts())))
        argv += draw(_option("--format", one_of_these(["text", "json", "csv"])))
    else:
        argv = draw(
            st.lists(
                pick(
                    one_of_these(
                        ["assess", "plan", "validate", "diff", "catalogs", "schema", "--help"]
                    ),
                    one_of_these(["--catalog", "--evidence", "--unit", "--period", "--as-of"]),
                    one_of_these(["--format", "--strategy", "--version", "-v", "--", "-"]),
                    texts(),
                ),
                max_size=6,
            )
        )
    return Command(tuple(argv), tuple(files))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


def _refused_files(command: Command, folder: Path) -> list[str]:
    """The files of ``command`` the library refuses (the command must then exit 2).
    ``validate`` reads a file as what it looks like (a catalog has criteria...)."""
    refused = []
    looks_like = None
    for i, (name, _, kind) in enumerate(command.files):
        path = str(folder / name)
        try:
            if command.argv[0] == "validate" and i == 0:
                looks_like = _kind_of(read_data(path))
                if looks_like is None:
                    refused.append(name)
                else:
                    VALIDATED_AS[looks_like](path)
            elif command.argv[0] == "validate" and looks_like not in ("evidence", "units"):
                continue  # --catalog is refused for other kinds (exit 2 anyway)
            else:
                LOADERS[kind](path)
        except ModelUnitError:
            refused.append(name)
    return refused


def check_run(command: Command, code: int, out: str, err: str, folder: Path) -> None:
    event(f"exit {code}")
    assert "Traceback" not in err, err
    assert code in (OK, NOT_MET, BAD_INPUT), f"exit {code}\n{err}"
    if code == BAD_INPUT:
        assert err.strip(), "exit 2 without a message"
        if out:  # only --format json writes on a refusal: the envelope, with the errors
            document = json.loads(out)
            ENVELOPE.validate(document)
            assert document["exit_code"] == code
            assert document["errors"]
    else:
        assert err == "", err
        if out.startswith('{\n  "format": "modelunit-cli"'):  # --format json: the envelope
            document = json.loads(out)
            ENVELOPE.validate(document)
            assert (document["exit_code"], document["errors"]) == (code, [])
    refused = _refused_files(command, folder)
    if refused and command.argv[0] in ("assess", "plan", "validate", "diff"):
        assert code == BAD_INPUT, f"exit {code} although the library refuses {refused}"


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with time_limit(), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, --version, a usage error
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return code, out.getvalue(), err.getvalue()


@fuzz_settings(deadline_ms=20_000, share=0.5)
@given(command=commands())
def test_cli_in_process(folder: Path, command: Command) -> None:
    argv = command.write(folder)
    code, out, err = run_in_process(argv)
    check_run(command, code, out, err, folder)


def _can_pass(argv: list[str]) -> bool:
    """Arguments a process can be given (no NUL, no lone surrogate)."""
    try:
        encoded = [os.fsencode(a) for a in argv]
    except UnicodeError:
        return False
    return all(b"\x00" not in a for a in encoded)


ENVIRONMENTS = {
    "utf-8": {},
    "latin-1 terminal": {"PYTHONIOENCODING": "latin-1", "LANG": "C", "LC_ALL": "C"},
    "C locale": {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""},
}


@pytest.mark.subprocess
@fuzz_settings(deadline_ms=120_000, share=0.05, most=100)
@given(command=commands(), environment=one_of_these(sorted(ENVIRONMENTS)))
@example(command=Command(("validate", "deep.json")), environment="latin-1 terminal")
@example(command=Command(("assess", "--period", "0001-01-01/0001-01-05")), environment="utf-8")
@example(command=Command(("assess", "--as-of", "9999-12-31T23:00-05:00")), environment="C locale")
@example(command=Command(("plan", "list.json")), environment="utf-8")
def test_cli_subprocess(folder: Path, command: Command, environment: str) -> None:
    _fixed_files(folder)
    argv = command.write(folder)
    argv = [str(folder / a) if a in _FIXED else a for a in argv]
    assume(_can_pass(argv))
    done = subprocess.run(
        [sys.executable, "-m", "modelunit", *argv],
        capture_output=True,
        env={**os.environ, **ENVIRONMENTS[environment]},
        check=False,
        timeout=60,
    )
    out, err = (s.decode("utf-8", "backslashreplace") for s in (done.stdout, done.stderr))
    check_run(command, done.returncode, out, err, folder)
    in_process = run_in_process(argv)
    assert done.returncode == in_process[0], (done.returncode, in_process, err)


_FIXED = {
    "deep.json": "[" * 10_000 + "]" * 10_000,
    "list.json": "[]",
}


def _fixed_files(folder: Path) -> None:
    """Files of the review's reproducers (deep nesting, a list at top level)."""
    for name, text in _FIXED.items():
        (folder / name).write_text(text, encoding="utf-8")
