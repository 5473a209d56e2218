"""The ``modelunit`` command line (also ``python -m modelunit``).

Subcommands: ``assess``, ``plan``, ``catalogs``, ``validate``, ``diff``, ``test``. With
no arguments beyond the subcommand, ``assess`` and ``plan`` run on bundled data.

Exit codes: 0 success; 1 planning targets infeasible, criteria not met when
``--check`` asks for it, or a catalog example that fails (``test``); 2 bad input (a
clear message on stderr, no traceback); 3 an internal error (a bug in modelunit: one
line on stderr, no traceback; please report it with the command that caused it).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any, TextIO

from modelunit import __version__
from modelunit._i18n import Lang
from modelunit.assessment import UnitSummary, assess, assess_batch, build_index
from modelunit.catalogs import (
    list_catalogs,
    list_examples,
    load_catalog,
    open_evidence,
    read_data,
)
from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidEvidenceError, InvalidInputError, ModelUnitError, Problem
from modelunit.evidence import EvidenceLedger, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.results import Assessment
from modelunit.rollout import STRATEGIES, RolloutPlan, plan
from modelunit.rollout.apportionment import METHODS
from modelunit.scenarios import list_scenarios, load_scenario
from modelunit.serialization import to_json, unstructure
from modelunit.versions import diff

__all__ = ["main"]

DEFAULT_CATALOG = "cap-kieu-mau-2021"
DEFAULT_EVIDENCE = "dien-bien-2023"
DEFAULT_SCENARIO = "national-2027-2030"

EXIT_OK, EXIT_NOT_MET, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

_MARK = {
    Outcome.MET: "+",
    Outcome.NOT_MET: "x",
    Outcome.INSUFFICIENT: "?",
    Outcome.NOT_APPLICABLE: "-",
}


def _label(outcome: Outcome, lang: Lang) -> str:
    return outcome.label_vi if lang == "vi" else outcome.label_en


# -- assess ------------------------------------------------------------------------------


def _cmd_assess(args: argparse.Namespace, out: TextIO) -> int:
    catalog = load_catalog(args.catalog)
    ledger, registry = open_evidence(args.evidence)
    units = [args.unit] if args.unit else _top_units(registry, ledger)
    known = set(ledger.units()) | {u.id for u in registry.units}
    if not units or (args.unit and args.unit not in known):
        listed = ", ".join(_top_units(registry, ledger)) or "none"
        raise InvalidEvidenceError(
            [_problem(f"no unit {args.unit!r} in the evidence; units: {listed}")],
            source=str(args.evidence),
        )
    index = build_index(catalog, ledger, as_of=args.as_of)
    if len(units) == 1:
        result = assess(catalog, index, unit=units[0], period=args.period, units=registry)
        if args.format == "json":
            out.write(to_json(result) + "\n")
        else:
            out.write(_render_assessment(result, catalog, args.lang, verbose=args.verbose))
        recognised = [result.recognised]
    else:
        batch = assess_batch(catalog, index, units=units, periods=[args.period], registry=registry)
        if args.format == "json":
            results = [batch.assessment(u, args.period) for u in units]
            out.write(
                json.dumps([unstructure(r) for r in results], ensure_ascii=False, indent=2) + "\n"
            )
            recognised = [r.recognised for r in results]
        else:
            # A table of counts and levels: decided for every unit at once, without
            # rendering an explained assessment per unit (`--unit` explains one).
            rows = [batch.summary(u, args.period) for u in units]
            out.write(_render_many(rows, catalog, args.lang))
            recognised = [r.recognised for r in rows]
    if args.check and not all(recognised):
        return EXIT_NOT_MET
    return EXIT_OK


def _top_units(registry: UnitRegistry, ledger: EvidenceLedger) -> list[str]:
    # In the file's order: people list units the way they want to read them.
    top = [u.id for u in registry.units if u.parent is None]
    return top or list(ledger.units())


def _render_assessment(
    result: Assessment, catalog: CriteriaSet, lang: Lang, *, verbose: bool
) -> str:
    by_id = catalog.criterion_map
    title = result.level_title_vi if lang == "vi" else result.level_title_en
    as_of = f", as of {result.as_of.date().isoformat()}" if result.as_of else ""
    lines = [
        f"{result.unit} ({result.unit_kind}) {result.period}{as_of}: "
        f"{catalog.title(lang)} [{catalog.id} {catalog.version}]",
        f"{result.counts.summary()} -> {title or result.level}",
        "",
    ]
    width = max((len(r.criterion) for r in result.results), default=4)
    for r in result.results:
        crit = by_id[r.criterion]
        flag = " *" if r.mandatory else ""
        lines.append(
            f"{_MARK[r.outcome]} {r.criterion:<{width}} {_label(r.outcome, lang):<22} "
            f"{crit.title(lang)}{flag}"
        )
        if r.outcome is not Outcome.MET or verbose:
            lines.append(f"  {'':<{width}} {r.explanation}")
            if r.evidence and verbose:
                lines.append(f"  {'':<{width}} evidence: {', '.join(r.evidence)}")
    lines.append("")
    lines.append("* mandatory (a veto)" if any(r.mandatory for r in result.results) else "")
    lines.extend(
        f"  {c.level}: {'reached' if c.reached else 'not reached'} ({c.reason})"
        for c in result.level_checks
    )
    return "\n".join(line for line in lines) + "\n"


def _render_many(rows: Sequence[UnitSummary], catalog: CriteriaSet, lang: Lang) -> str:
    width = max([4, *(len(r.unit) for r in rows)])
    head = f"{'unit':<{width}} {'met':>4} {'not':>4} {'?':>4} {'n/a':>4}  level"
    lines = [f"{catalog.title(lang)} [{catalog.id} {catalog.version}]", head]
    policy = catalog.policy
    levels = {level.id: level for level in (*policy.levels, policy.fallback)}
    for r in rows:
        c = r.counts
        level = levels[r.level]
        title = level.title_vi if lang == "vi" else level.title_en
        lines.append(
            f"{r.unit:<{width}} {c.met:>4} {c.not_met:>4} {c.insufficient:>4} "
            f"{c.not_applicable:>4}  {title or r.level}"
        )
    return "\n".join(lines) + "\n"


# -- plan --------------------------------------------------------------------------------


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    scenario = load_scenario(args.problem)
    result = plan(scenario.problem, args.strategy, method=args.method)
    if args.format == "json":
        out.write(to_json(result) + "\n")
    elif args.format == "csv":
        out.write(_plan_csv(result))
    else:
        out.write(_render_plan(result, scenario.title, scenario.assumptions, names=args.names))
    return EXIT_OK if result.feasible else EXIT_NOT_MET


def _plan_csv(result: RolloutPlan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["region", "name", "year", "new", "cumulative", "total", "share", "percent"])
    for r in result.regions:
        for year, new, cumulative, share in zip(
            result.years, r.new, r.cumulative, r.share, strict=True
        ):
            # ``share`` is the exact fraction; ``percent`` is for spreadsheets (0.1 precision).
            percent = (Decimal(share.numerator * 100) / share.denominator).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_EVEN
            )
            writer.writerow([r.region, r.name, year, new, cumulative, r.total, str(share), percent])
    return buffer.getvalue()


def _render_plan(
    result: RolloutPlan, title: str, assumptions: Sequence[str], *, names: bool
) -> str:
    lines = [title] if title else []
    lines.append(
        f"strategy: {result.strategy}; {'feasible' if result.feasible else 'INFEASIBLE'}; "
        f"national peak {result.peak} per year"
    )
    table = result.to_table()
    if names:
        by_id = {r.region: r.name for r in result.regions}
        table = "\n".join(
            f"{line}  {by_id.get(line.split(' ', 1)[0], '')}".rstrip()
            for line in table.splitlines()
        )
    lines += ["", table, ""]
    goals = result.stretch_goals
    met_stretch = sum(1 for c in goals if c.stretch_met)
    proof = "" if result.stretch_proven or not goals else " (not proven the most)"
    lines.append(
        f"milestones: {len(result.checks) - len(result.missed)}/{len(result.checks)} floors met; "
        f"stretch goals met: {met_stretch}/{len(goals)}{proof}"
    )
    risk = result.at_risk()
    if risk:
        lines.append("at risk:")
        for region, reasons in risk.items():
            lines.extend(f"  {region}: {reason}" for reason in reasons)
    if not result.feasible:
        lines.append("")
        lines.append(result.diagnosis.explain())
    if assumptions:
        lines.append("")
        lines.append("assumptions:")
        lines.extend(f"  - {a}" for a in assumptions)
    return "\n".join(lines) + "\n"


# -- catalogs, validate, diff --------------------------------------------------------------


def _cmd_catalogs(args: argparse.Namespace, out: TextIO) -> int:
    rows = []
    for name in list_catalogs():
        c = load_catalog(name)
        rows.append((name, c.version, str(len(c.criteria)), c.title(args.lang)))
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    for name, version, count, title in rows:
        out.write(
            f"{name:<{width[0]}}  {version:<{width[1]}}  {count:>{width[2]}} criteria  {title}\n"
        )
    out.write(f"\nexamples: {', '.join(list_examples())}\n")
    out.write(f"scenarios: {', '.join(list_scenarios())}\n")
    return EXIT_OK


def _kind_of(data: Any) -> str:
    if isinstance(data, dict):
        if "criteria" in data:
            return "catalog"
        if "evidence" in data or "units" in data:
            return "evidence"
        if "regions" in data or "problem" in data:
            return "problem"
    return "unknown"


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file)
    kind = _kind_of(read_data(path))
    if kind == "catalog":
        c = load_catalog(path)
        out.write(
            f"OK: catalog {c.id} {c.version}, {len(c.criteria)} criteria, "
            f"{len(c.indicators)} indicators\n"
        )
        out.writelines(f"warning: {p.render()}\n" for p in c.warnings())
    elif kind == "evidence":
        ledger, registry = open_evidence(path)
        if args.catalog:
            catalog = load_catalog(args.catalog)
            try:
                build_index(catalog, ledger)
            except InvalidEvidenceError as exc:
                raise InvalidEvidenceError(exc.problems, source=str(path)) from exc
            unknown = sorted({r.indicator for r in ledger} - set(catalog.indicator_map))
            if unknown:
                raise InvalidEvidenceError(
                    [_problem(f"unknown indicator {k!r} (not in {catalog.id})") for k in unknown],
                    source=str(path),
                )
        out.write(f"OK: evidence, {len(ledger)} records, {len(registry.units)} units\n")
    elif kind == "problem":
        s = load_scenario(path)
        out.write(
            f"OK: planning problem {s.id}, {len(s.problem.regions)} regions, "
            f"{s.problem.start}-{s.problem.end}\n"
        )
    else:
        raise InvalidInputError(
            [
                _problem(
                    "expected a catalog (criteria), evidence (evidence/units) or planning "
                    "problem (regions)"
                )
            ],
            source=str(path),
        )
    return EXIT_OK


def _problem(message: str) -> Problem:
    return Problem("", message)


def _cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    out.write(diff(load_catalog(args.old), load_catalog(args.new)).summary() + "\n")
    return EXIT_OK


# -- test ------------------------------------------------------------------------------------


def _add_test_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = sub.add_parser(
        "test",
        help="run the examples a catalog carries, with coverage",
        description="Run a catalog's [[examples]]: the outcomes and level each expects, "
        "which outcomes of each rule part they exercise (and why not), which levels they "
        "reach, and the static warnings. Exit 1 when an example fails, 2 on bad input.",
    )
    t.add_argument("catalog", help="bundled name or .toml/.json file")
    t.add_argument("--format", choices=("text", "json"), default="text")
    t.add_argument(
        "--all", dest="every_branch", action="store_true", help="list covered rule parts too"
    )
    t.set_defaults(func=_cmd_test)


def _cmd_test(args: argparse.Namespace, out: TextIO) -> int:
    from modelunit.catalog_tests import run_examples  # noqa: PLC0415 - only this command

    catalog = load_catalog(args.catalog)
    if not catalog.examples:
        raise InvalidInputError(
            [_problem("the catalog has no [[examples]] to run")], source=str(args.catalog)
        )
    report = run_examples(catalog)
    if args.format == "json":
        out.write(to_json(report) + "\n")
    else:
        out.write(report.render(every_branch=args.every_branch) + "\n")
    return EXIT_OK if report.passed else EXIT_NOT_MET


# -- entry point ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="modelunit",
        description="Assess units against model-unit criteria and plan their rollout.",
        epilog="Exit codes: 0 success; 1 targets infeasible, (with --check) not recognised, "
        "or a catalog example failed; 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"modelunit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    a = sub.add_parser(
        "assess",
        help="assess a unit (or every unit of an evidence file)",
        description="Assess units against a criteria set, criterion by "
        "criterion, with reasons and evidence.",
    )
    a.add_argument(
        "--catalog",
        default=DEFAULT_CATALOG,
        help=f"bundled name or .toml/.json file (default: {DEFAULT_CATALOG})",
    )
    a.add_argument(
        "--evidence",
        default=DEFAULT_EVIDENCE,
        help=f"bundled example or .json/.toml file (default: {DEFAULT_EVIDENCE})",
    )
    a.add_argument("--unit", help="unit id (default: every top-level unit in the evidence)")
    a.add_argument(
        "--period",
        default="2023",
        help="period: 2023, 2023-Q4, 2023-06, 2023-01-01/2023-06-30 (default: 2023)",
    )
    a.add_argument("--as-of", help="use only evidence recorded by this date or time")
    a.add_argument("--format", choices=("table", "json"), default="table")
    a.add_argument("--lang", choices=("en", "vi"), default="en")
    a.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="explain met criteria too and list evidence ids",
    )
    a.add_argument(
        "--check",
        action="store_true",
        help="exit 1 unless every assessed unit reaches a recognised level",
    )
    a.set_defaults(func=_cmd_assess)

    p = sub.add_parser(
        "plan",
        help="plan the rollout of a problem or bundled scenario",
        description="Allocate units per region per year to meet every "
        "milestone; exit 1 when the floors cannot be met.",
    )
    p.add_argument(
        "problem",
        nargs="?",
        default=DEFAULT_SCENARIO,
        help=f"bundled scenario or .toml/.json file (default: {DEFAULT_SCENARIO})",
    )
    p.add_argument("--strategy", choices=STRATEGIES, default="level")
    p.add_argument(
        "--method",
        choices=tuple(METHODS),
        default="largest_remainder",
        help="apportionment method for --strategy proportional",
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument(
        "--no-names", dest="names", action="store_false", help="omit region names in the table"
    )
    p.set_defaults(func=_cmd_plan)

    c = sub.add_parser("catalogs", help="list the bundled criteria sets, examples, scenarios")
    c.add_argument("--lang", choices=("en", "vi"), default="en")
    c.set_defaults(func=_cmd_catalogs)

    v = sub.add_parser(
        "validate",
        help="check a catalog, evidence or planning-problem file",
        description="Check a file; every problem is listed with its path.",
    )
    v.add_argument("file")
    v.add_argument("--catalog", help="also check evidence values against this catalog")
    v.set_defaults(func=_cmd_validate)

    d = sub.add_parser("diff", help="what changed between two criteria-set versions")
    d.add_argument("old")
    d.add_argument("new")
    d.set_defaults(func=_cmd_diff)
    _add_test_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        # Vietnamese names must print whatever the terminal's locale says; an error
        # message quoting what cannot be printed (a lone surrogate) is still printed.
        if isinstance(stream, io.TextIOWrapper) and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors=errors)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args, sys.stdout)
    except ModelUnitError as exc:
        print(f"modelunit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug, not bad input: say so, without a traceback
        print(
            f"modelunit {args.command}: internal error (please report it, with the "
            f"command): {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code
