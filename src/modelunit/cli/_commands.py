"""The commands: each reads its inputs and returns a :class:`Report`, which renders
itself as text, JSON results or CSV only when asked (the many-unit paths never build an
explained assessment they would not print)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from modelunit import _data
from modelunit._i18n import Lang
from modelunit._texts import text
from modelunit.assessment import assess_batch, build_index
from modelunit.catalogs import list_catalogs, list_examples, load_catalog, open_evidence
from modelunit.cli._json import (
    KINDS,
    SCHEMA,
    assessment_item,
    dumps,
    error_items,
    summary_item,
)
from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidEvidenceError, InvalidInputError, ModelUnitError, Problem
from modelunit.evidence import EvidenceLedger, UnitRegistry
from modelunit.outcomes import Outcome
from modelunit.results import Assessment, Counts

if TYPE_CHECKING:
    from modelunit.rollout import RolloutPlan
    from modelunit.schema import SchemaKind

__all__ = [
    "DEFAULT_CATALOG",
    "DEFAULT_EVIDENCE",
    "DEFAULT_SCENARIO",
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_NO",
    "EXIT_OK",
    "KINDS",
    "OUTPUT_SCHEMA",
    "SCHEMA_KINDS",
    "Report",
    "UsageError",
    "assess",
    "catalogs",
    "diff",
    "plan",
    "schema",
    "test",
    "validate",
]

DEFAULT_CATALOG: Final = "cap-kieu-mau-2021"
DEFAULT_EVIDENCE: Final = "dien-bien-2023"
DEFAULT_SCENARIO: Final = "national-2027-2030"

# Bundled folders, in the order a bare name is looked up by ``validate``.
_FOLDERS: Final = ("catalogs", "examples", "scenarios", "targets", "geography")

#: Exit codes, the same for every command (see the package docstring).
EXIT_OK, EXIT_NO, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

_MARK = {
    Outcome.MET: "+",
    Outcome.NOT_MET: "x",
    Outcome.INSUFFICIENT: "?",
    Outcome.NOT_APPLICABLE: "-",
}


class UsageError(Exception):
    """An option is malformed, or does not apply to what was asked (exit code 2)."""

    def __init__(self, prog: str, message: str, *, usage: str = "") -> None:
        self.prog = prog
        self.message = message
        self.usage = usage
        super().__init__(message)

    def render(self) -> str:
        return f"{self.usage}{self.prog}: error: {self.message}"


def _refuse(command: str, lang: Lang, option: str, needed: str) -> UsageError:
    return UsageError(
        f"modelunit {command}", text("cli.only_with", lang, option=option, needed=needed)
    )


@attrs.frozen
class Report:
    """What a command found, rendered on demand in the format asked for."""

    command: str
    code: int
    text: Callable[[], str]
    results: Callable[[], list[Any]]
    csv: Callable[[], str] | None = None
    criteria_set: CriteriaSet | None = None
    scenario: tuple[str, str] | None = None
    counts: Callable[[], Counts] | None = None
    #: Bad inputs found while other inputs were fine (validate of several files).
    errors: tuple[Mapping[str, Any], ...] = ()
    messages: tuple[str, ...] = ()


def _csv(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _sum(counts: Iterable[Counts]) -> Counts:
    met = not_met = insufficient = not_applicable = 0
    for c in counts:
        met += c.met
        not_met += c.not_met
        insufficient += c.insufficient
        not_applicable += c.not_applicable
    return Counts(met, not_met, insufficient, not_applicable)


# -- assess ------------------------------------------------------------------------------------


def _top_units(registry: UnitRegistry, ledger: EvidenceLedger) -> list[str]:
    # In the file's order: people list units the way they want to read them.
    top = [u.id for u in registry.units if u.parent is None]
    return top or list(ledger.units())


def assess(args: argparse.Namespace) -> Report:
    lang: Lang = args.lang
    if args.verbose and args.format != "text":
        raise _refuse("assess", lang, "--verbose", "--format text")
    if args.verbose and args.explain is False:
        raise _refuse("assess", lang, "--verbose", "--explain")
    catalog = load_catalog(args.catalog)
    ledger, registry = open_evidence(args.evidence)
    units = [args.unit] if args.unit else _top_units(registry, ledger)
    known = set(ledger.units()) | {u.id for u in registry.units}
    if not units or (args.unit and args.unit not in known):
        listed = ", ".join(_top_units(registry, ledger)) or text("cli.none", lang)
        message = (
            text("cli.no_unit", lang, unit=args.unit, units=listed)
            if args.unit
            else text("cli.no_units", lang)
        )
        raise InvalidEvidenceError([Problem("", message)], source=str(args.evidence))
    index = build_index(catalog, ledger, as_of=args.as_of)
    period = args.period
    batch = assess_batch(
        catalog, index, units=units, periods=[period], registry=registry, lang=lang
    )
    explain = args.verbose or (args.explain if args.explain is not None else len(units) == 1)
    if explain:
        assessments = [batch.assessment(u, period) for u in units]
        code = EXIT_NO if args.check and not all(a.recognised for a in assessments) else EXIT_OK
        return Report(
            command="assess",
            code=code,
            text=lambda: "\n".join(
                _assessment_text(a, catalog, lang, verbose=args.verbose) for a in assessments
            ),
            results=lambda: [assessment_item(a, lang) for a in assessments],
            csv=lambda: _csv(_criteria_rows(assessments)),
            criteria_set=catalog,
            counts=lambda: _sum(a.counts for a in assessments),
        )
    levels = {lv.id: lv for lv in (*catalog.policy.levels, catalog.policy.fallback)}
    kinds = {u.id: u.kind for u in batch.units}
    rows = [batch.summary(u, period) for u in units]
    code = EXIT_NO if args.check and not all(r.recognised for r in rows) else EXIT_OK

    def items() -> list[dict[str, Any]]:
        return [
            summary_item(
                unit=r.unit,
                unit_kind=kinds[r.unit],
                period=r.period,
                as_of=batch.as_of,
                counts=r.counts,
                level=r.level,
                level_title=levels[r.level].title(lang),
                recognised=r.recognised,
            )
            for r in rows
        ]

    def table() -> str:
        return _many_text(
            [(r.unit, r.counts, levels[r.level].title(lang)) for r in rows], catalog, lang
        )

    def csv_rows() -> Iterator[list[object]]:
        yield [
            "unit",
            "unit_kind",
            "period",
            *(o.value for o in Outcome),
            "level",
            "level_title",
            "recognised",
        ]
        for r in rows:
            yield [
                r.unit,
                kinds[r.unit],
                r.period,
                *(r.counts.of(o) for o in Outcome),
                r.level,
                levels[r.level].title(lang),
                "true" if r.recognised else "false",
            ]

    return Report(
        command="assess",
        code=code,
        text=table,
        results=items,
        csv=lambda: _csv(csv_rows()),
        criteria_set=catalog,
        counts=lambda: _sum(r.counts for r in rows),
    )


def _criteria_rows(assessments: Sequence[Assessment]) -> Iterator[list[object]]:
    yield [
        "unit",
        "period",
        "criterion",
        "outcome",
        "mandatory",
        "group",
        "explanation",
        "evidence",
    ]
    for a in assessments:
        for r in a.results:
            yield [
                a.unit,
                a.period,
                r.criterion,
                r.outcome.value,
                "true" if r.mandatory else "false",
                r.group,
                r.explanation,
                " ".join(r.evidence),
            ]


def _assessment_text(result: Assessment, catalog: CriteriaSet, lang: Lang, *, verbose: bool) -> str:
    by_id = catalog.criterion_map
    as_of = (
        f", {text('explain.as_of', lang, moment=result.as_of.date().isoformat())}"
        if result.as_of
        else ""
    )
    lines = [
        text(
            "cli.assess_head",
            lang,
            unit=result.unit,
            kind=result.unit_kind,
            period=result.period,
            as_of=as_of,
            title=catalog.title(lang),
            catalog=catalog.id,
            version=catalog.version,
        ),
        f"{result.counts.summary(lang)} -> {result.level_title(lang)}",
        "",
    ]
    width = max((len(r.criterion) for r in result.results), default=4)
    label_width = max(len(o.label(lang)) for o in Outcome) + 1
    for r in result.results:
        crit = by_id[r.criterion]
        flag = " *" if r.mandatory else ""
        lines.append(
            f"{_MARK[r.outcome]} {r.criterion:<{width}} {r.outcome.label(lang):<{label_width}} "
            f"{crit.title(lang)}{flag}"
        )
        if r.outcome is not Outcome.MET or verbose:
            lines.append(f"  {'':<{width}} {r.explanation}")
            if r.evidence and verbose:
                ids = ", ".join(r.evidence)
                lines.append(f"  {'':<{width}} {text('cli.evidence', lang, ids=ids)}")
    lines.append("")
    if any(r.mandatory for r in result.results):
        lines.append(text("cli.legend", lang))
    lines.extend(f"  {c.render(lang)}" for c in result.level_checks)
    return "\n".join(lines) + "\n"


def _many_text(rows: Sequence[tuple[str, Counts, str]], catalog: CriteriaSet, lang: Lang) -> str:
    width = max([len(text("cli.col_unit", lang)), *(len(unit) for unit, _, _ in rows)])
    heads = [
        text(k, lang)
        for k in (
            "cli.col_met",
            "cli.col_not_met",
            "cli.col_insufficient",
            "cli.col_not_applicable",
        )
    ]
    head = f"{text('cli.col_unit', lang):<{width}} " + " ".join(f"{h:>4}" for h in heads)
    lines = [
        f"{catalog.title(lang)} [{catalog.id} {catalog.version}]",
        f"{head}  {text('cli.col_level', lang)}",
    ]
    for unit, c, title in rows:
        lines.append(
            f"{unit:<{width}} {c.met:>4} {c.not_met:>4} {c.insufficient:>4} "
            f"{c.not_applicable:>4}  {title}"
        )
    return "\n".join(lines) + "\n"


# -- plan --------------------------------------------------------------------------------------


def plan(args: argparse.Namespace) -> Report:
    from modelunit.rollout import plan as make_plan  # noqa: PLC0415 - assess never loads it
    from modelunit.scenarios import load_scenario  # noqa: PLC0415
    from modelunit.serialization import unstructure  # noqa: PLC0415

    lang: Lang = args.lang
    if args.method is not None and args.strategy != "proportional":
        raise _refuse("plan", lang, "--method", "--strategy proportional")
    if not args.names and args.format != "text":
        raise _refuse("plan", lang, "--no-names", "--format text")
    scenario = load_scenario(args.problem)
    result = make_plan(scenario.problem, args.strategy, method=args.method or "largest_remainder")

    def items() -> list[Any]:
        data = unstructure(result)
        data["summary"]["at_risk"] = {k: list(v) for k, v in result.at_risk(lang=lang).items()}
        return [data]

    return Report(
        command="plan",
        code=EXIT_OK if result.feasible else EXIT_NO,
        text=lambda: _plan_text(result, scenario.title, scenario.assumptions, lang, args.names),
        results=items,
        csv=lambda: _csv(_plan_rows(result)),
        scenario=(scenario.id, scenario.title),
    )


def _plan_rows(result: RolloutPlan) -> Iterator[list[object]]:
    # ``percent`` (0.1 precision, half to even) is for spreadsheets; the exact share is
    # cumulative/total (a "25/51" column would be read as a date by spreadsheets).
    yield ["region", "name", "year", "new", "cumulative", "total", "percent"]
    for r in result.regions:
        for year, new, cumulative, share in zip(
            result.years, r.new, r.cumulative, r.share, strict=True
        ):
            percent = (Decimal(share.numerator * 100) / share.denominator).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_EVEN
            )
            yield [r.region, r.name, year, new, cumulative, r.total, percent]


def _plan_text(
    result: RolloutPlan, title: str, assumptions: Sequence[str], lang: Lang, names: bool
) -> str:
    lines = [title] if title else []
    feasibility = text("cli.plan_feasible" if result.feasible else "cli.plan_infeasible", lang)
    lines.append(
        text(
            "cli.plan_head",
            lang,
            strategy=result.strategy,
            feasibility=feasibility,
            peak=result.peak,
        )
    )
    name_of = {r.region: r.name for r in result.regions}
    table = result.to_table(lang)
    if names:
        table = "\n".join(
            f"{line}  {name_of.get(line.split(' ', 1)[0], '')}".rstrip()
            for line in table.splitlines()
        )
    lines += ["", table, ""]
    # The stretch goals of the planned years: the ones the plan maximises.
    goals = result.stretch_goals
    met_goals = [c for c in goals if c.stretch_met]
    proof = "" if result.stretch_proven or not goals else text("cli.not_proven", lang)
    lines.append(
        text(
            "cli.milestones",
            lang,
            met=len(result.checks) - len(result.missed),
            total=len(result.checks),
            stretch=len(met_goals),
            with_stretch=len(goals),
            proof=proof,
        )
    )
    if met_goals:
        which = ", ".join(f"{_named(c.region, name_of)} {c.year}" for c in met_goals)
        lines.append(text("cli.stretch_met_list", lang, which=which))
    risk = result.at_risk(lang=lang, region=False)
    if risk:
        lines.append(text("cli.at_risk", lang))
        for region, reasons in risk.items():
            who = text("shortfall.national", lang) if region == "national" else region
            lines.append(f"  {_named(who, name_of)}:")
            lines.extend(f"    {reason}" for reason in reasons)
    fix = "; ".join(f for f in (result.diagnosis.fix(lang), result.diagnosis.budget_fix(lang)) if f)
    if fix:
        lines.append(f"{text('cli.to_meet', lang)} {fix}")
    if assumptions:
        lines.append("")
        lines.append(text("cli.assumptions", lang))
        lines.extend(f"  - {a}" for a in assumptions)
    return "\n".join(lines) + "\n"


def _named(region: str, name_of: Mapping[str, str]) -> str:
    name = name_of.get(region, "")
    return f"{region} {name}" if name and name != region else region


# -- catalogs ------------------------------------------------------------------------------------


def catalogs(args: argparse.Namespace) -> Report:
    from modelunit.scenarios import list_scenarios, load_scenario  # noqa: PLC0415

    lang: Lang = args.lang
    sets = [(name, load_catalog(name)) for name in list_catalogs()]
    examples = list_examples()
    scenarios = [(name, load_scenario(name)) for name in list_scenarios()]
    targets = _data.bundled_names("targets")
    maps = _data.bundled_names("geography")

    def items() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {
                "kind": "criteria_set",
                "name": name,
                "id": c.id,
                "version": c.version,
                "criteria": len(c.criteria),
                "title": c.title(lang),
            }
            for name, c in sets
        ]
        out += [{"kind": "example", "name": name} for name in examples]
        out += [
            {"kind": "scenario", "name": name, "id": s.id, "title": s.title}
            for name, s in scenarios
        ]
        out += [{"kind": "targets", "name": name} for name in targets]
        out += [{"kind": "geography", "name": name} for name in maps]
        return out

    def table() -> str:
        rows = [
            (name, c.version, text("cli.catalog_line", lang, count=len(c.criteria)), c.title(lang))
            for name, c in sets
        ]
        width = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [
            f"{name:<{width[0]}}  {version:<{width[1]}}  {count:>{width[2]}}  {title}"
            for name, version, count, title in rows
        ]
        lines.append("")
        lines.append(text("cli.examples", lang, names=", ".join(examples)))
        lines.append(text("cli.scenarios", lang, names=", ".join(n for n, _ in scenarios)))
        lines.append(text("cli.targets", lang, names=", ".join(targets)))
        lines.append(text("cli.geography", lang, names=", ".join(maps)))
        return "\n".join(lines) + "\n"

    def csv_rows() -> Iterator[list[object]]:
        yield ["kind", "name", "id", "version", "criteria", "title"]
        for item in items():
            yield [item.get(k, "") for k in ("kind", "name", "id", "version", "criteria", "title")]

    return Report(
        command="catalogs",
        code=EXIT_OK,
        text=table,
        results=items,
        csv=lambda: _csv(csv_rows()),
    )


# -- validate ----------------------------------------------------------------------------------


def _kind_of(data: Any) -> str | None:
    """The kind of file ``data`` was read from, by its top-level keys."""
    if not isinstance(data, dict):
        return None
    if "criteria" in data:
        return "catalog"
    if "provinces" in data:
        return "geography-mapping" if "units" in data else "geography"
    if "targets" in data:
        return "targets"
    if "evidence" in data:
        return "evidence"
    if "units" in data:
        return "units"
    if "problem" in data:
        return "scenario"
    if "regions" in data:
        return "problem"
    if "rows" in data:
        return "mapping"
    return None


# The bundled folder that holds each kind of file (none holds mapping files).
_HOME: Final = {
    "catalog": "catalogs",
    "evidence": "examples",
    "problem": "scenarios",
    "scenario": "scenarios",
    "targets": "targets",
    "geography": "geography",
    "units": "examples",
    "geography-mapping": "geography",
}


def _sources(name: str, kind: str | None, lang: Lang) -> list[tuple[str, str | None]]:
    """(source, bundled folder) for ``name``: a path, or every bundled file of that name.
    ``folder/name`` picks one folder; so does ``kind`` when that folder has the name."""
    path = Path(name)
    if _data.exists(path) or path.suffix:
        return [(name, None)]
    folder, _, bare = name.rpartition("/")
    found: list[tuple[str, str | None]] = [
        (bare, f)
        for f in _FOLDERS
        if (not folder or f == folder) and bare in _data.bundled_names(f)
    ]
    home: list[tuple[str, str | None]] = [
        (n, f) for n, f in found if kind is not None and f == _HOME.get(kind)
    ]
    if home or found:
        return home or found
    known = sorted({n for f in _FOLDERS for n in _data.bundled_names(f)})
    raise InvalidInputError(
        [Problem("", text("cli.no_bundled", lang, name=name, names=", ".join(known)))],
        source=name,
    )


def _validate_one(
    source: str, folder: str | None, kind: str | None, catalog: str | None, lang: Lang
) -> tuple[str, dict[str, Any]]:
    """Check one file or bundled name; (its text line, its JSON result)."""
    from modelunit import geography, targets  # noqa: PLC0415
    from modelunit.scenarios import load_scenario  # noqa: PLC0415

    if folder is None:
        data = _data.read_file(source)
        shown = source
    else:
        data, shown = _data.read_bundled(folder, source)
    kind = kind or _kind_of(data)
    if kind is None:
        raise InvalidInputError([Problem("", text("cli.unknown_kind", lang))], source=shown)
    if catalog is not None and kind not in ("evidence", "units"):
        raise _refuse("validate", lang, "--catalog", "evidence files")
    # The loaders take the path, or the bundled name (looked up in their own folder).
    # What was read is counted once: the same figures go into the text and the JSON.
    place = source
    figures: dict[str, Any]
    if kind == "catalog":
        c = load_catalog(place) if folder in (None, "catalogs") else _catalog(data, shown)
        key = "cli.ok_catalog"
        figures = {
            "id": c.id,
            "version": c.version,
            "criteria": len(c.criteria),
            "indicators": len(c.indicators),
        }
        # What the set's author may want to look at (modelunit.lint); not errors.
        warned = [p.render() for p in c.warnings()]
    elif kind in ("evidence", "units"):
        ledger, registry = open_evidence(place)
        if catalog is not None:
            _check_against(ledger, load_catalog(catalog), shown, lang)
        key = "cli.ok_evidence"
        figures = {"records": len(ledger), "units": len(registry.units)}
    elif kind in ("problem", "scenario"):
        s = load_scenario(place)
        p = s.problem
        key = "cli.ok_problem"
        figures = {"id": s.id, "regions": len(p.regions), "start": p.start, "end": p.end}
    elif kind == "targets":
        key = "cli.ok_targets"
        figures = {"targets": len(targets.targets_from_data(data, source=shown))}
    elif kind == "geography":
        geo = geography.geography_from_data(data, source=shown)
        key = "cli.ok_geography"
        figures = {
            "edition": geo.edition,
            "provinces": len(geo.provinces),
            "units": len(geo.all_units),
        }
    elif kind == "geography-mapping":
        mapping = geography.mapping_from_data(data, source=shown)
        key = "cli.ok_mapping"
        figures = {"provinces": len(mapping.provinces), "units": len(mapping.units)}
    else:  # a mapping file: old units to new, for re-basing a plan
        from modelunit.rollout.rebase import MappingTable  # noqa: PLC0415
        from modelunit.serialization import structure  # noqa: PLC0415

        rows = structure(data, MappingTable, source=shown).rows
        key = "cli.ok_mapping_rows"
        figures = {
            "rows": len(rows),
            "old_units": len({r.old_unit for r in rows}),
            "new_units": len({r.new_unit for r in rows}),
        }
    item = {"source": shown, "kind": kind, "valid": True, **figures}
    line = text(key, lang, **figures)
    if kind == "catalog" and warned:
        item["warnings"] = warned
        line += "".join(f"\n{text('cli.warning', lang)}: {w}" for w in warned)
    return line, item


def _catalog(data: Any, shown: str) -> CriteriaSet:
    from modelunit.catalogs import catalog_from_data  # noqa: PLC0415

    return catalog_from_data(data, source=shown)


def _check_against(ledger: EvidenceLedger, catalog: CriteriaSet, shown: str, lang: Lang) -> None:
    try:
        build_index(catalog, ledger)
    except InvalidEvidenceError as exc:
        raise InvalidEvidenceError(exc.problems, source=shown) from exc
    unknown = sorted({r.indicator for r in ledger} - set(catalog.indicator_map))
    if unknown:
        raise InvalidEvidenceError(
            [
                Problem("", text("cli.unknown_indicator", lang, indicator=k, catalog=catalog.id))
                for k in unknown
            ],
            source=shown,
        )


def validate(args: argparse.Namespace) -> Report:
    lang: Lang = args.lang
    lines: list[str] = []
    items: list[dict[str, Any]] = []
    errors: list[Mapping[str, Any]] = []
    messages: list[str] = []
    for name in args.files:
        try:
            # --catalog checks evidence: a bare name then means the bundled example.
            wanted = args.kind or ("evidence" if args.catalog else None)
            for source, folder in _sources(name, wanted, lang):
                line, item = _validate_one(source, folder, args.kind, args.catalog, lang)
                lines.append(line)
                items.append(item)
        except ModelUnitError as exc:
            if len(args.files) == 1:
                raise
            errors += error_items(exc)
            messages.append(str(exc))
    many = len(items) + len(errors) > 1
    return Report(
        command="validate",
        criteria_set=load_catalog(args.catalog) if args.catalog and not errors else None,
        code=EXIT_BAD_INPUT if errors else EXIT_OK,
        # With several files, each line says which file it is about.
        text=lambda: "".join(
            f"{item['source']}: {line}\n" if many else f"{line}\n"
            for line, item in zip(lines, items, strict=True)
        ),
        results=lambda: items,
        errors=tuple(errors),
        messages=tuple(messages),
    )


# -- diff --------------------------------------------------------------------------------------


Change = tuple[str, Any, Any]  # field path, old value, new value (JSON-ready)


def _changes(old: Any, new: Any, path: str) -> list[Change]:
    """Where two JSON-ready values differ, as narrowly as the structure allows."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Change] = []
        for key in sorted(old.keys() | new.keys()):
            sub = f"{path}.{key}" if path else key
            out += _changes(old.get(key), new.get(key), sub)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += _changes(a, b, f"{path}[{i}]")
        return out
    return [(path, old, new)]


def diff(args: argparse.Namespace) -> Report:
    from modelunit.serialization import unstructure  # noqa: PLC0415
    from modelunit.versions import diff as catalog_diff  # noqa: PLC0415

    lang: Lang = args.lang
    old, new = load_catalog(args.old), load_catalog(args.new)
    found = catalog_diff(old, new)

    def plain(value: Any) -> Any:
        return unstructure(value)

    criteria = [
        (
            ch.criterion,
            _changes(
                plain(old.criterion_map[ch.criterion]), plain(new.criterion_map[ch.criterion]), ""
            ),
        )
        for ch in found.changed
    ]
    indicators = [
        (key, _changes(plain(old.indicator_map[key]), plain(new.indicator_map[key]), ""))
        for key in found.indicators_changed
    ]
    policy = (
        _changes(plain(old.policy), plain(new.policy), "policy") if found.policy_changed else []
    )
    set_fields = [
        change
        for field in found.set_changed
        for change in _changes(plain(getattr(old, field)), plain(getattr(new, field)), field)
    ]

    def changed(entries: Sequence[tuple[str, list[Change]]]) -> list[dict[str, Any]]:
        return [
            {"id": ident, "changes": [{"field": f, "old": a, "new": b} for f, a, b in chs]}
            for ident, chs in entries
        ]

    def items() -> list[dict[str, Any]]:
        return [
            {
                "old": {"id": old.id, "version": old.version},
                "new": {"id": new.id, "version": new.version},
                "unchanged": found.unchanged,
                "criteria": {
                    "added": list(found.added),
                    "removed": list(found.removed),
                    "changed": changed(criteria),
                },
                "indicators": {
                    "added": list(found.indicators_added),
                    "removed": list(found.indicators_removed),
                    "changed": changed(indicators),
                },
                "policy": [{"field": f, "old": a, "new": b} for f, a, b in policy],
                "set": [{"field": f, "old": a, "new": b} for f, a, b in set_fields],
            }
        ]

    def shown(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def cell(value: Any) -> str:
        # A spreadsheet cell: text as it is, anything else (numbers, lists, tables) as JSON.
        return value if isinstance(value, str) else "" if value is None else shown(value)

    def values(changes: Sequence[Change]) -> list[str]:
        return [
            "    " + text("cli.diff_value", lang, field=f, old=shown(a), new=shown(b))
            for f, a, b in changes
        ]

    def report() -> str:
        head = f"{found.old} -> {found.new}"
        if found.unchanged:
            return text("cli.diff_none", lang, old=found.old, new=found.new) + "\n"
        lines = [head]
        if found.added:
            lines.append("  " + text("cli.diff_added", lang, ids=", ".join(found.added)))
        if found.removed:
            lines.append("  " + text("cli.diff_removed", lang, ids=", ".join(found.removed)))
        for ident, chs in criteria:
            lines.append("  " + text("cli.diff_changed", lang, id=ident))
            lines += values(chs)
        if found.indicators_added:
            ids = ", ".join(found.indicators_added)
            lines.append("  " + text("cli.diff_indicators_added", lang, ids=ids))
        if found.indicators_removed:
            ids = ", ".join(found.indicators_removed)
            lines.append("  " + text("cli.diff_indicators_removed", lang, ids=ids))
        for ident, chs in indicators:
            lines.append("  " + text("cli.diff_indicator_changed", lang, id=ident))
            lines += values(chs)
        if policy:
            lines.append("  " + text("cli.diff_policy", lang))
            lines += values(policy)
        if set_fields:
            lines.append("  " + text("cli.diff_set", lang))
            lines += values(set_fields)
        return "\n".join(lines) + "\n"

    def csv_rows() -> Iterator[list[object]]:
        yield ["change", "what", "id", "field", "old", "new"]
        for what, added, removed, changed in (
            ("criterion", found.added, found.removed, criteria),
            ("indicator", found.indicators_added, found.indicators_removed, indicators),
        ):
            for ident in added:
                yield ["added", what, ident, "", "", ""]
            for ident in removed:
                yield ["removed", what, ident, "", "", ""]
            for ident, chs in changed:
                for f, a, b in chs:
                    yield ["changed", what, ident, f, cell(a), cell(b)]
        for what, fields in (("policy", policy), ("set", set_fields)):
            for f, a, b in fields:
                yield ["changed", what, "", f, cell(a), cell(b)]

    return Report(
        command="diff",
        code=EXIT_OK if found.unchanged else EXIT_NO,
        text=report,
        results=items,
        csv=lambda: _csv(csv_rows()),
        criteria_set=new,
    )


# -- schema ------------------------------------------------------------------------------------

#: ``modelunit schema output``: the JSON Schema of what ``--format json`` prints.
OUTPUT_SCHEMA: Final = "output"


class _SchemaKinds:
    """What ``modelunit schema`` prints: every kind of :mod:`modelunit.schema`, then
    :data:`OUTPUT_SCHEMA`. Read from :mod:`modelunit.schema` only when asked for (parsing
    ``schema`` or its help), so that the other commands do not pay for that import (it
    loads the loaders of every kind of file)."""

    def _kinds(self) -> tuple[str, ...]:
        from modelunit.schema import SCHEMA_KINDS as FILE_KINDS  # noqa: PLC0415 - see above

        return (*FILE_KINDS, OUTPUT_SCHEMA)

    def __contains__(self, kind: object) -> bool:
        return kind in self._kinds()

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds())

    def __len__(self) -> int:
        return len(self._kinds())


SCHEMA_KINDS: Final = _SchemaKinds()


def schema(args: argparse.Namespace) -> Report:
    """The JSON Schema of a kind of file, as shipped in the package, or of the envelope.
    As text it is the schema itself (``modelunit schema catalog > catalog.schema.json``);
    in JSON, one result ``{"kind", "schema"}`` in the envelope."""
    from modelunit.schema import schema as file_schema  # noqa: PLC0415 - see _SchemaKinds
    from modelunit.schema import schema_text  # noqa: PLC0415

    kind: str = args.kind
    if kind == OUTPUT_SCHEMA:
        document: Mapping[str, Any] = SCHEMA
        printed = dumps(SCHEMA)
    else:
        file_kind = cast("SchemaKind", kind)  # one of SCHEMA_KINDS: the parser checked
        document = file_schema(file_kind)
        printed = schema_text(file_kind)
    return Report(
        command="schema",
        code=EXIT_OK,
        text=lambda: printed,
        results=lambda: [{"kind": kind, "schema": dict(document)}],
    )


def test(args: argparse.Namespace) -> Report:
    """Run the examples a catalog carries (``[[examples]]``): each one's outcomes and
    level against what it expects, the coverage of every rule part and level, and the
    static warnings. Exit 1 when an example fails."""
    from modelunit.catalog_tests import run_examples  # noqa: PLC0415 - only this command
    from modelunit.serialization import unstructure  # noqa: PLC0415

    lang: Lang = args.lang
    catalog = load_catalog(args.catalog)
    if not catalog.examples:
        raise InvalidInputError(
            [Problem("", text("cli.no_examples", lang))], source=str(args.catalog)
        )
    report = run_examples(catalog)
    return Report(
        command="test",
        code=EXIT_OK if report.passed else EXIT_NO,
        text=lambda: report.render(every_branch=args.every_branch) + "\n",
        results=lambda: [{**unstructure(report), "passed": report.passed}],
        criteria_set=catalog,
    )
