"""The command line's JSON: one envelope for every command, and its JSON Schema.

Every ``modelunit COMMAND --format json`` prints one object (see ``docs/cli.md``):

- ``format`` (``"modelunit-cli"``) and ``format_version`` (:data:`FORMAT_VERSION`): the
  version changes only when a key is removed or changes meaning; new keys may appear
  within a version.
- ``modelunit_version``, ``command`` and ``exit_code`` (the process's exit code).
- ``criteria_set`` (``{"id", "version"}`` or ``null``) and ``scenario``
  (``{"id", "title"}`` or ``null``): what the command was about.
- ``counts``: for ``assess``, how many criterion outcomes of each kind over every unit
  assessed, every outcome present (zeros included); ``null`` for other commands.
- ``results``: always a list (one item per unit and period, plan, file, set...).
- ``errors``: always a list; each error has ``message``, and ``source``, ``path`` and
  ``record`` (``null`` when they do not apply).

:data:`SCHEMA` is the JSON Schema (draft 2020-12) of the envelope, with the shape of
each command's results; the test suite validates every command's output against it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from modelunit._i18n import Lang
from modelunit._version import __version__
from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidInputError, Problem
from modelunit.outcomes import Outcome
from modelunit.results import Assessment, Counts

__all__ = [
    "COMMANDS",
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "SCHEMA",
    "assessment_item",
    "counts_item",
    "dumps",
    "envelope",
    "error_items",
    "summary_item",
]

FORMAT: Final = "modelunit-cli"
FORMAT_VERSION: Final = 1
COMMANDS: Final = ("assess", "plan", "catalogs", "validate", "diff", "schema", "test")
#: The file kinds ``validate`` knows (``--kind``), as its results name them.
KINDS: Final = (
    "catalog",
    "evidence",
    "units",
    "problem",
    "scenario",
    "targets",
    "geography",
    "geography-mapping",
    "mapping",
)


def counts_item(counts: Counts) -> dict[str, int]:
    """Every outcome, zeros included (``jq .counts.not_met`` is never null)."""
    return {o.value: counts.of(o) for o in Outcome}


def _moment(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _points(value: Decimal | None) -> str | None:
    # Exact, as text: JSON numbers would go through binary floats in most readers.
    return None if value is None else str(value)


def summary_item(
    *,
    unit: str,
    unit_kind: str,
    period: object,
    as_of: object,
    counts: Counts,
    level: str,
    level_title: str,
    recognised: bool,
) -> dict[str, Any]:
    """One unit's counts and level, the fields every ``assess`` result has."""
    return {
        "unit": unit,
        "unit_kind": unit_kind,
        "period": str(period),
        "as_of": _moment(as_of),
        "counts": counts_item(counts),
        "level": level,
        "level_title": level_title,
        "recognised": recognised,
    }


def assessment_item(result: Assessment, lang: Lang) -> dict[str, Any]:
    """An explained assessment: the summary fields, points, every criterion with its
    outcome, reason and evidence, every level check and every gap."""
    item = summary_item(
        unit=result.unit,
        unit_kind=result.unit_kind,
        period=result.period,
        as_of=result.as_of,
        counts=result.counts,
        level=result.level,
        level_title=result.level_title(lang),
        recognised=result.recognised,
    )
    item["points"] = _points(result.points)
    item["criteria"] = [
        {
            "criterion": r.criterion,
            "outcome": r.outcome.value,
            "explanation": r.explanation,
            "evidence": list(r.evidence),
            "mandatory": r.mandatory,
            "group": r.group,
            "points": _points(r.points),
        }
        for r in result.results
    ]
    item["level_checks"] = [
        {"level": c.level, "reached": c.reached, "reason": c.reason} for c in result.level_checks
    ]
    item["gaps"] = [
        {
            "criterion": g.criterion,
            "outcome": g.outcome.value,
            "reason": g.reason,
            "mandatory": g.mandatory,
            "missing": list(g.missing),
        }
        for g in result.gaps
    ]
    return item


def _problem_item(problem: Problem, source: str | None) -> dict[str, Any]:
    return {
        "message": problem.message,
        "source": problem.source if problem.source is not None else source,
        "path": problem.path or None,
        "record": problem.record,
    }


def error_items(exc: BaseException | str) -> list[dict[str, Any]]:
    """The errors of the envelope: every located problem of a bad input, or one message."""
    if isinstance(exc, InvalidInputError):
        return [_problem_item(p, exc.source) for p in exc.problems]
    message = exc if isinstance(exc, str) else str(exc)
    return [{"message": message, "source": None, "path": None, "record": None}]


def envelope(
    *,
    command: str | None,
    exit_code: int,
    results: Sequence[Any] = (),
    errors: Iterable[Mapping[str, Any]] = (),
    criteria_set: CriteriaSet | None = None,
    scenario: tuple[str, str] | None = None,
    counts: Counts | None = None,
) -> dict[str, Any]:
    """The one JSON shape every command prints (see the module docstring)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "modelunit_version": __version__,
        "command": command,
        "exit_code": exit_code,
        "criteria_set": (
            None
            if criteria_set is None
            else {"id": criteria_set.id, "version": criteria_set.version}
        ),
        "scenario": None if scenario is None else {"id": scenario[0], "title": scenario[1]},
        "counts": None if counts is None else counts_item(counts),
        "results": list(results),
        "errors": [dict(e) for e in errors],
    }


def dumps(document: Any) -> str:
    """Indented UTF-8 JSON (Vietnamese stays readable), keys in the order built."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- the JSON Schema --------------------------------------------------------------------

_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_OUTCOME = {"enum": [o.value for o in Outcome]}
_DECIMAL = {"type": ["string", "null"], "pattern": r"^-?[0-9]+(\.[0-9]+)?(E[+-]?[0-9]+)?$"}


def _object(required: Mapping[str, Any], optional: Mapping[str, Any] | None = None) -> Any:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
        "additionalProperties": False,
    }


_COUNTS = _object({o.value: _COUNT for o in Outcome})
_CHANGE = _object({"field": _TEXT, "old": {}, "new": {}})
_CHANGED = _object({"id": _TEXT, "changes": {"type": "array", "items": _CHANGE}})
_ADDED_REMOVED_CHANGED = _object(
    {"added": _TEXTS, "removed": _TEXTS, "changed": {"type": "array", "items": _CHANGED}}
)

_RESULTS: Final[Mapping[str, Any]] = {
    "assess": _object(
        {
            "unit": _TEXT,
            "unit_kind": _TEXT,
            "period": _TEXT,
            "as_of": _NULLABLE_TEXT,
            "counts": {"$ref": "#/$defs/counts"},
            "level": _TEXT,
            "level_title": _TEXT,
            "recognised": {"type": "boolean"},
        },
        {
            "points": _DECIMAL,
            "criteria": {
                "type": "array",
                "items": _object(
                    {
                        "criterion": _TEXT,
                        "outcome": _OUTCOME,
                        "explanation": _TEXT,
                        "evidence": _TEXTS,
                        "mandatory": {"type": "boolean"},
                        "group": _TEXT,
                        "points": _DECIMAL,
                    }
                ),
            },
            "level_checks": {
                "type": "array",
                "items": _object({"level": _TEXT, "reached": {"type": "boolean"}, "reason": _TEXT}),
            },
            "gaps": {
                "type": "array",
                "items": _object(
                    {
                        "criterion": _TEXT,
                        "outcome": _OUTCOME,
                        "reason": _TEXT,
                        "mandatory": {"type": "boolean"},
                        "missing": _TEXTS,
                    }
                ),
            },
        },
    ),
    # The plan as modelunit.serialization writes it (read back with structure(...,
    # RolloutPlan)), with its derived "summary"; only the keys CI relies on are fixed here.
    "plan": {
        "type": "object",
        "required": ["problem", "strategy", "method", "regions", "feasible", "summary"],
        "properties": {
            "strategy": _TEXT,
            "method": _NULLABLE_TEXT,
            "feasible": {"type": "boolean"},
            "summary": {
                "type": "object",
                "required": ["years", "national", "peak", "checks", "missed", "at_risk"],
                "properties": {
                    "missed": _COUNT,
                    "peak": _COUNT,
                    "at_risk": {"type": "object", "additionalProperties": _TEXTS},
                },
            },
        },
    },
    "catalogs": _object(
        {"kind": {"enum": ["criteria_set", "example", "scenario", "targets", "geography"]}},
        {
            "name": _TEXT,
            "id": _TEXT,
            "version": _TEXT,
            "criteria": _COUNT,
            "title": _TEXT,
        },
    ),
    "validate": _object(
        {
            "source": _TEXT,
            "kind": {"enum": list(KINDS)},
            "valid": {"const": True},
        },
        {
            "id": _TEXT,
            "version": _TEXT,
            "criteria": _COUNT,
            "indicators": _COUNT,
            "records": _COUNT,
            "units": _COUNT,
            "regions": _COUNT,
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "targets": _COUNT,
            "edition": _TEXT,
            "provinces": _COUNT,
            "rows": _COUNT,
            "old_units": _COUNT,
            "new_units": _COUNT,
            "warnings": _TEXTS,
        },
    ),
    "diff": _object(
        {
            "old": {"$ref": "#/$defs/set"},
            "new": {"$ref": "#/$defs/set"},
            "unchanged": {"type": "boolean"},
            "criteria": _ADDED_REMOVED_CHANGED,
            "indicators": _ADDED_REMOVED_CHANGED,
            "policy": {"type": "array", "items": _CHANGE},
            "set": {"type": "array", "items": _CHANGE},
        }
    ),
    # The kind is checked against modelunit.schema by the parser; the schema is a JSON
    # Schema document (draft 7 for files, 2020-12 for this envelope).
    "schema": _object({"kind": _TEXT, "schema": {"type": "object", "required": ["$schema"]}}),
    # A catalog's examples run (modelunit.catalog_tests.ExampleReport, as the converter
    # writes it), with whether all passed.
    "test": {
        "type": "object",
        "required": ["catalog", "version", "passed", "examples", "branches", "levels"],
        "properties": {
            "catalog": _TEXT,
            "version": _TEXT,
            "passed": {"type": "boolean"},
            "examples": {"type": "array", "items": {"type": "object"}},
            "branches": {"type": "array", "items": {"type": "object"}},
            "levels": {"type": "array", "items": {"type": "object"}},
            "warnings": {"type": "array"},
        },
        "additionalProperties": False,
    },
}

SCHEMA: Final[Mapping[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"urn:modelunit:{FORMAT}:{FORMAT_VERSION}",
    "title": "modelunit command-line output (--format json)",
    "type": "object",
    "required": [
        "format",
        "format_version",
        "modelunit_version",
        "command",
        "exit_code",
        "criteria_set",
        "scenario",
        "counts",
        "results",
        "errors",
    ],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "modelunit_version": _TEXT,
        "command": {"enum": [*COMMANDS, None]},
        "exit_code": {"enum": [0, 1, 2, 3]},
        "criteria_set": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/set"}]},
        "scenario": {
            "oneOf": [{"type": "null"}, _object({"id": _TEXT, "title": _TEXT})],
        },
        "counts": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/counts"}]},
        "results": {"type": "array"},
        "errors": {
            "type": "array",
            "items": _object(
                {
                    "message": _TEXT,
                    "source": _NULLABLE_TEXT,
                    "path": _NULLABLE_TEXT,
                    "record": _NULLABLE_TEXT,
                }
            ),
        },
    },
    "allOf": [
        {
            "if": {"properties": {"command": {"const": name}}},
            "then": {"properties": {"results": {"items": shape}}},
        }
        for name, shape in _RESULTS.items()
    ]
    + [
        # Exit 2 or 3 carries at least one error; 0 and 1 carry none.
        {
            "if": {"properties": {"exit_code": {"enum": [2, 3]}}},
            "then": {"properties": {"errors": {"minItems": 1}}},
            "else": {"properties": {"errors": {"maxItems": 0}}},
        },
    ],
    "$defs": {
        "counts": _COUNTS,
        "set": _object({"id": _TEXT, "version": _TEXT}),
    },
}
