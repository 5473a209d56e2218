"""The ``modelunit`` command line (also ``python -m modelunit``).

Commands: ``assess``, ``plan``, ``catalogs``, ``validate``, ``diff``, ``schema``. Each takes
bundled names as well as files, ``--format text|json`` (and ``csv`` where the output is a
table: ``assess``, ``plan``, ``catalogs``, ``diff``) and ``--lang en|vi``. JSON output is
one envelope for every command (:mod:`modelunit.cli._json`, documented with its JSON
Schema in ``docs/cli.md``).

Exit codes, the same for every command:

- 0: success;
- 1: the answer is "no": a unit not at a recognised level (``assess --check``),
  planning floors that cannot be met (``plan``), criteria sets that differ (``diff``);
- 2: bad input: a file, a name or an option (the message names the file, record and
  field, or the option and the forms it accepts; no traceback);
- 3: an internal error, a bug in modelunit (one line, no traceback; please report it).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NoReturn, TextIO

from modelunit._i18n import LANGUAGES, Lang
from modelunit._texts import text
from modelunit._version import __version__
from modelunit.cli import _commands
from modelunit.cli._commands import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_NO,
    EXIT_OK,
    Report,
    UsageError,
)
from modelunit.cli._json import (
    COMMANDS,
    FORMAT,
    FORMAT_VERSION,
    SCHEMA,
    dumps,
    envelope,
    error_items,
)
from modelunit.errors import InvalidValueError, ModelUnitError
from modelunit.evidence import moment
from modelunit.periods import Period

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_NO",
    "EXIT_OK",
    "FORMAT",
    "FORMAT_VERSION",
    "SCHEMA",
    "build_parser",
    "main",
]


def __dir__() -> list[str]:
    return __all__


DEFAULT_CATALOG = _commands.DEFAULT_CATALOG
DEFAULT_EVIDENCE = _commands.DEFAULT_EVIDENCE
DEFAULT_SCENARIO = _commands.DEFAULT_SCENARIO

_TABLES = ("text", "json", "csv")
_DOCUMENTS = ("text", "json")


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are raised (so that ``--format json`` can report
    them in the envelope), and whose help shows every option's default."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, message, usage=self.format_usage())


class _Help(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


# -- option values: checked as they are read, so the error names the option -----------------


def _prescan(argv: Sequence[str], option: str) -> str | None:
    """The value of ``option`` in ``argv`` before parsing (for errors raised while parsing)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == option and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(option + "="):
            found = arg.split("=", 1)[1]
    return found


def _lang_of(argv: Sequence[str]) -> Lang:
    value = _prescan(argv, "--lang")
    for lang in LANGUAGES:
        if value == lang:
            return lang
    return "en"


def _format_of(argv: Sequence[str]) -> str:
    value = _prescan(argv, "--format")
    return "json" if value == "json" else "text"


def _period_type(lang: Lang) -> Callable[[str], Period]:
    def parse(value: str) -> Period:
        try:
            return Period.parse(value)
        except ModelUnitError:
            raise argparse.ArgumentTypeError(text("cli.bad_period", lang, value=value)) from None

    parse.__name__ = "period"
    return parse


def _moment_type(lang: Lang) -> Callable[[str], datetime]:
    def parse(value: str) -> datetime:
        try:
            return moment(value)
        except InvalidValueError:
            raise argparse.ArgumentTypeError(text("cli.bad_as_of", lang, value=value)) from None

    parse.__name__ = "date or time"
    return parse


def _format_type(value: str) -> str:
    # "table" was the name of the text format before 0.2; still understood.
    return "text" if value == "table" else value


# -- the parser ------------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    p.add_argument(
        "--format",
        type=_format_type,
        choices=formats,
        default="text",
        help="output format: " + ", ".join(formats) + " (default: %(default)s; JSON is one "
        "envelope for every command, see docs/cli.md)",
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of every text: en (English) or vi (Vietnamese) (default: %(default)s)",
    )


def build_parser(lang: Lang = "en") -> argparse.ArgumentParser:
    """The argument parser (``lang``: the language of the errors raised while parsing)."""
    from modelunit.rollout.apportionment import METHODS  # noqa: PLC0415 - only for plan
    from modelunit.rollout.strategies import STRATEGIES  # noqa: PLC0415

    parser = _Parser(
        prog="modelunit",
        description="Assess units against model-unit criteria and plan their rollout.",
        epilog="Exit codes: 0 success; 1 not met (assess --check), infeasible (plan) or "
        "different (diff); 2 bad input; 3 internal error.",
        formatter_class=_Help,
    )
    parser.add_argument("--version", action="version", version=f"modelunit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    a = sub.add_parser(
        "assess",
        help="assess a unit (or every unit of an evidence file)",
        description="Assess units against a criteria set, criterion by criterion, with "
        "reasons and evidence. One unit is explained criterion by criterion; several "
        "give one line each (--explain to explain them all).",
        formatter_class=_Help,
    )
    a.add_argument(
        "--catalog",
        default=DEFAULT_CATALOG,
        metavar="SET",
        help="criteria set: a bundled name or a .toml/.json file (default: %(default)s)",
    )
    a.add_argument(
        "--evidence",
        default=DEFAULT_EVIDENCE,
        metavar="EVIDENCE",
        help="evidence: a bundled example or a .json/.toml file (default: %(default)s)",
    )
    a.add_argument(
        "--unit",
        metavar="ID",
        help="the unit to assess (default: every top-level unit of the evidence, in the "
        "file's order)",
    )
    a.add_argument(
        "--period",
        type=_period_type(lang),
        default=Period.parse("2023"),
        metavar="PERIOD",
        help="the period assessed: 2023, 2023-H1, 2023-Q4, 2023-06 or "
        "2023-01-01/2023-06-30 (default: %(default)s)",
    )
    a.add_argument(
        "--as-of",
        type=_moment_type(lang),
        metavar="WHEN",
        help="use only evidence recorded by then: 2024-01-31 (the end of that day) or "
        "2024-01-31T17:00[+07:00] (default: every record)",
    )
    a.add_argument(
        "--explain",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="explain every criterion of every unit (default: only when one unit is "
        "assessed); --no-explain gives one line per unit",
    )
    a.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="with --format text: explain met criteria too and list evidence ids "
        "(implies --explain)",
    )
    a.add_argument(
        "--check",
        action="store_true",
        help="exit 1 unless every assessed unit reaches a recognised level",
    )
    _common(a, _TABLES)
    a.set_defaults(run=_commands.assess)

    p = sub.add_parser(
        "plan",
        help="plan the rollout of a planning problem or bundled scenario",
        description="Allocate units per region per year to meet every milestone; exit 1 "
        "when the floors cannot be met.",
        formatter_class=_Help,
    )
    p.add_argument(
        "problem",
        nargs="?",
        default=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help="a bundled scenario or a .toml/.json planning problem or scenario file "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="level",
        help="how to spread the work over the years: " + ", ".join(STRATEGIES) + " "
        "(default: %(default)s; see docs/rollout.md)",
    )
    p.add_argument(
        "--method",
        choices=tuple(METHODS),
        default=None,
        help="apportionment method, only with --strategy proportional (default there: "
        "largest_remainder)",
    )
    p.add_argument(
        "--no-names",
        dest="names",
        action="store_false",
        help="with --format text: leave region names out of the table",
    )
    _common(p, _TABLES)
    p.set_defaults(run=_commands.plan)

    c = sub.add_parser(
        "catalogs",
        help="list the bundled criteria sets, examples, scenarios, targets and maps",
        description="List every bundled name the other commands accept.",
        formatter_class=_Help,
    )
    _common(c, _TABLES)
    c.set_defaults(run=_commands.catalogs)

    v = sub.add_parser(
        "validate",
        help="check criteria sets, evidence, planning problems, targets, maps or mappings",
        description="Check files (or bundled names); every problem is listed with its file, "
        "record and field path. The kind is recognised from the contents.",
        formatter_class=_Help,
    )
    v.add_argument("files", nargs="+", metavar="FILE", help="files or bundled names (one or more)")
    v.add_argument(
        "--kind",
        choices=_commands.KINDS,
        default=None,
        help="read every FILE as this kind (default: recognised from the contents)",
    )
    v.add_argument(
        "--catalog",
        metavar="SET",
        help="for evidence: also check its values against this criteria set",
    )
    _common(v, _DOCUMENTS)
    v.set_defaults(run=_commands.validate)

    d = sub.add_parser(
        "diff",
        help="what changed between two criteria-set versions (exit 1 if anything did)",
        description="Compare two criteria sets criterion by criterion and field by field, "
        "with the old and new value of everything that changed. Exit 1 when they differ.",
        formatter_class=_Help,
    )
    d.add_argument("old", metavar="OLD", help="the old set: a bundled name or a file")
    d.add_argument("new", metavar="NEW", help="the new set: a bundled name or a file")
    _common(d, _TABLES)
    d.set_defaults(run=_commands.diff)

    s = sub.add_parser(
        "schema",
        help="print the JSON Schema of a kind of file (for editors) or of the JSON output",
        description="Print the JSON Schema of a kind of file, as shipped in the package "
        "(modelunit/data/schemas), for editors and validators; 'output' is the schema of "
        "what --format json prints. The text format is the schema itself.",
        formatter_class=_Help,
    )
    s.add_argument(
        "kind",
        choices=_commands.SCHEMA_KINDS,
        metavar="KIND",
        help="a kind of file, or output (what --format json prints): %(choices)s",
    )
    _common(s, _DOCUMENTS)
    s.set_defaults(run=_commands.schema)

    t = sub.add_parser(
        "test",
        help="run the examples a catalog carries, with coverage",
        description="Run a catalog's [[examples]]: the outcomes and level each expects, "
        "which outcomes of each rule part they exercise (and why not), which levels they "
        "reach, and the static warnings. Exit 1 when an example fails, 2 on bad input.",
        formatter_class=_Help,
    )
    t.add_argument("catalog", metavar="CATALOG", help="a bundled name or a .toml/.json file")
    t.add_argument(
        "--all", dest="every_branch", action="store_true", help="list covered rule parts too"
    )
    _common(t, _DOCUMENTS)
    t.set_defaults(run=_commands.test)
    return parser


# -- running -----------------------------------------------------------------------------------


def _utf8(stream: TextIO, errors: str) -> None:
    # Vietnamese names must print whatever the terminal's locale says; an error message
    # quoting what cannot be printed (a lone surrogate) is still printed.
    if isinstance(stream, io.TextIOWrapper) and (stream.encoding or "").lower() != "utf-8":
        stream.reconfigure(encoding="utf-8", errors=errors)


def _fail(
    command: str | None, fmt: str, code: int, errors: list[dict[str, Any]], message: str
) -> int:
    if fmt == "json":
        sys.stdout.write(dumps(envelope(command=command, exit_code=code, errors=errors)))
    print(message, file=sys.stderr)
    return code


def _emit(report: Report, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(
            dumps(
                envelope(
                    command=report.command,
                    exit_code=report.code,
                    results=report.results(),
                    errors=report.errors,
                    criteria_set=report.criteria_set,
                    scenario=report.scenario,
                    counts=report.counts() if report.counts is not None else None,
                )
            )
        )
    elif fmt == "csv":
        assert report.csv is not None  # the parser offers csv only where there is a table
        sys.stdout.write(report.csv())
    else:
        sys.stdout.write(report.text())
    if report.errors:
        for line in report.messages:
            print(f"modelunit {report.command}: error: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    _utf8(sys.stdout, "strict")
    _utf8(sys.stderr, "backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(args_list)
    fmt = _format_of(args_list)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help and --version print and stop
        return int(exc.code or 0)
    except UsageError as exc:
        named = next((a for a in args_list if a in COMMANDS), None)
        return _fail(named, fmt, EXIT_BAD_INPUT, error_items(exc.message), exc.render())
    command: str = args.command
    try:
        report: Report = args.run(args)
        _emit(report, args.format)
    except UsageError as exc:
        return _fail(command, args.format, EXIT_BAD_INPUT, error_items(exc.message), exc.render())
    except ModelUnitError as exc:
        return _fail(
            command,
            args.format,
            EXIT_BAD_INPUT,
            error_items(exc),
            f"modelunit {command}: error: {exc}",
        )
    except Exception as exc:  # a bug, not bad input: say so, without a traceback
        message = text("cli.internal", args.lang, error=f"{type(exc).__name__}: {exc}")
        return _fail(
            command,
            args.format,
            EXIT_INTERNAL,
            error_items(message),
            f"modelunit {command}: {message}",
        )
    return report.code
