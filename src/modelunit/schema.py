"""JSON Schemas for modelunit's files, generated from the attrs classes the loaders build.

One schema per file kind, so that editors check a file as it is typed: VS Code and
other JSON editors through ``"$schema"`` or their settings, TOML editors through taplo's
``#:schema`` directive (see ``docs/formats/editors.md``).

>>> from modelunit.schema import SCHEMA_KINDS, schema
>>> SCHEMA_KINDS
('catalog', 'evidence', 'mapping', 'problem', 'scenario', 'units')
>>> problem = schema("problem")
>>> problem["title"], problem["required"]
('modelunit planning problem', ['regions', 'milestones', 'start', 'end'])
>>> problem["definitions"]["Region"]["properties"]["capacity"]
{'anyOf': [{'type': 'integer'}, {'type': 'null'}], 'default': None}

Each schema is built from the classes a loader structures (:class:`~modelunit.criteria.CriteriaSet`,
:class:`~modelunit.catalogs.EvidenceFile`, :class:`~modelunit.rollout.problem.RolloutProblem`,
:class:`~modelunit.scenarios.Scenario`, :class:`~modelunit.rollout.rebase.MappingTable`):
every field with its type, the forms the converter (:mod:`modelunit.serialization`) reads
for it (exact numbers as numbers or text such as ``"5%"`` and ``"3/10"``, periods, dates),
the closed sets as ``enum``, rules and conditions as tables tagged by ``kind``, required
fields, and no unknown fields. The loader remains the judge: it also checks what a schema
cannot say (an indicator that a rule names exists, a share lies in 0..1, a correction
supersedes a record of the same unit), and it refuses ``2.0`` where a whole number is
expected, which JSON Schema counts as an integer.

The schemas are shipped in the package (``modelunit/data/schemas/<kind>.schema.json``,
:func:`schema_file`); a test checks that the shipped files are what this module
generates, so they cannot drift from the classes. Regenerate them with
``python -m modelunit.schema --write``.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, Literal, Union, get_args, get_origin

import attrs

from modelunit.catalogs import EvidenceFile
from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidArgumentError, closest
from modelunit.indicators import _KEY as _INDICATOR_KEY
from modelunit.indicators import Indicator, Value
from modelunit.limits import MAX_TEXT
from modelunit.periods import Period
from modelunit.policy import CONDITION_TYPES, Condition
from modelunit.rollout.problem import RolloutProblem
from modelunit.rollout.rebase import MappingTable
from modelunit.rules import BASELINE_WORDS, RULE_TYPES, Change, Rule
from modelunit.scenarios import Scenario
from modelunit.serialization import converter

__all__ = [
    "DRAFT",
    "SCHEMA_KINDS",
    "SchemaKind",
    "schema",
    "schema_file",
    "schema_text",
]


def __dir__() -> list[str]:
    return __all__


SchemaKind = Literal["catalog", "evidence", "mapping", "problem", "scenario", "units"]
"""The kinds of file modelunit reads: a criteria set (``catalog``), evidence records and
units (``evidence``), units alone (``units``), a planning problem (``problem``), a
scenario (a problem with its assumptions and sources), and an old-to-new ``mapping``
of units for re-basing a plan."""

SCHEMA_KINDS: Final[tuple[SchemaKind, ...]] = get_args(SchemaKind)

DRAFT: Final = "http://json-schema.org/draft-07/schema#"
"""The JSON Schema dialect. Draft 7 is the newest one that VS Code, taplo (TOML) and
the ``jsonschema`` package all understand."""

# -- the forms the converter reads, as patterns (ECMA-262 and Python ``re`` alike) --------

_NUMBER = r"[+-]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?"
_DECIMAL_TEXT = rf"^\s*{_NUMBER}\s*%?\s*$"
_RATIO_TEXT = r"^\s*[+-]?[0-9][0-9_]*\s*/\s*[+-]?[0-9_]*[1-9][0-9_]*\s*$"
_DATE = r"[0-9]{4}(?:-?[0-9]{2}-?[0-9]{2}|-?W[0-9]{2}(?:-?[1-7])?)"
_OFFSET = r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)"
_TIME = rf"[0-9]{{2}}(?::?[0-9]{{2}}(?::?[0-9]{{2}}(?:[.,][0-9]+)?)?)?{_OFFSET}?"
_DAY = r"(?:-?[0-9]{2}(?:-?[0-9]{2})?|-?W[0-9]{2}(?:-?[1-7])?)?"  # a year alone is a date too
_INSTANT = rf"[0-9]{{4}}{_DAY}(?:[T ]{_TIME})?"
_PERIOD_TEXT = (
    r"^\s*(?:[0-9]{4}|[0-9]{4}-[Hh][12]|[0-9]{4}-[Qq][1-4]|[0-9]{4}-[0-9]{2}"
    rf"|{_INSTANT}\s*/\s*{_INSTANT})\s*$"
)

# Shared definitions for the scalar forms, named after what they are.
_FORMS: Final[dict[str, dict[str, Any]]] = {
    "decimal": {
        "description": 'An exact number: 12, 0.05, or text such as "0.05" or "5%" '
        "(a percentage is divided by 100). Never read as a binary float.",
        "anyOf": [{"type": "number"}, {"type": "string", "pattern": _DECIMAL_TEXT}],
    },
    "share": {
        "description": 'An exact share or number: "30%", "3/10", "0.3", 0.3 or 1.',
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": _DECIMAL_TEXT},
            {"type": "string", "pattern": _RATIO_TEXT},
        ],
    },
    "period": {
        "description": 'A period: a year (2023 or "2023"), a half ("2023-H1"), a '
        'quarter ("2023-Q4"), a month ("2023-06") or a range of days '
        '("2023-01-01/2023-06-30", both ends included).',
        "anyOf": [
            {"type": "integer", "minimum": 1000, "maximum": 9999},
            {"type": "string", "pattern": _PERIOD_TEXT},
        ],
    },
    "date": {
        "description": 'A date: a TOML date (2024-03-31) or ISO text ("2024-03-31").',
        "type": "string",
        "pattern": rf"^\s*{_DATE}\s*$",
    },
    "datetime": {
        "description": "A date or date-time: a TOML date or date-time, or ISO text "
        '("2024-03-31", "2024-03-31T17:00:00+07:00"). A date alone means the end of '
        "that day; a time without an offset is UTC.",
        "type": "string",
        "pattern": rf"^\s*{_INSTANT}\s*$",
    },
    "value": {
        "description": "A recorded value: true or false (a boolean indicator), a whole "
        'number (a count), an exact number or text such as "92%" (a quantity or a '
        "share), or the name of a category.",
        "type": ["boolean", "number", "string"],
    },
    "year_counts": {
        "description": 'Counts by year: a table whose keys are years ("2027") and '
        "whose values are whole numbers.",
        "type": "object",
        "patternProperties": {r"^\s*-?[0-9]+\s*$": {"type": "integer"}},
        "additionalProperties": False,
    },
    "year_amounts": {
        "description": 'Amounts by year: a table whose keys are years ("2027") and '
        "whose values are exact numbers (a decimal).",
        "type": "object",
        "patternProperties": {r"^\s*-?[0-9]+\s*$": {"$ref": "#/definitions/decimal"}},
        "additionalProperties": False,
    },
}
_SCALAR_FORMS: Final[dict[Any, str]] = {
    Decimal: "decimal",
    Fraction: "share",
    Period: "period",
    date: "date",
    datetime: "datetime",
}

# Forms narrower than a field's type, each read from the check that enforces it.
_FIELD_FORMS: Final[dict[tuple[type, str], dict[str, Any]]] = {
    (Indicator, "key"): {"type": "string", "pattern": _INDICATOR_KEY.pattern},
    (Change, "baseline"): {
        "description": '"previous" (the period before the assessed one), "same_period" '
        "(the same period years_back years earlier) or a fixed period.",
        "anyOf": [
            *({"const": word} for word in BASELINE_WORDS),
            {"$ref": "#/definitions/period"},
        ],
    },
}

# What each kind of file holds: the class its loader structures, and which of its
# fields the file may (and must) have when it holds only a part of that class.
_ROOTS: Final[dict[SchemaKind, tuple[type, str, tuple[str, ...] | None, tuple[str, ...]]]] = {
    "catalog": (CriteriaSet, "modelunit criteria set (catalog)", None, ()),
    "evidence": (EvidenceFile, "modelunit evidence", None, ()),
    "mapping": (MappingTable, "modelunit mapping of old units to new", None, ()),
    "problem": (RolloutProblem, "modelunit planning problem", None, ()),
    "scenario": (Scenario, "modelunit scenario", None, ()),
    "units": (EvidenceFile, "modelunit units", ("units", "description"), ("units",)),
}

_LOADERS: Final[dict[SchemaKind, str]] = {
    "catalog": "modelunit.load_catalog",
    "evidence": "modelunit.load_evidence_file",
    "mapping": "modelunit.geography.load_mapping_rows",
    "problem": "modelunit.scenarios.load_scenario",
    "scenario": "modelunit.scenarios.load_scenario",
    "units": "modelunit.load_units",
}


def _refs(schema: dict[str, Any]) -> list[str]:
    """The names of the definitions ``schema`` refers to (one level of ``anyOf``)."""
    parts = [schema, *schema.get("anyOf", ())]
    return [p["$ref"].rpartition("/")[2] for p in parts if "$ref" in p]


def _is_optional(tp: Any) -> bool:
    return get_origin(tp) in (Union, type(int | None)) and type(None) in get_args(tp)


def _description(cls: type) -> str:
    """A class's docstring as plain text: its paragraphs, Sphinx markup removed."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    doc = re.sub(r":[a-z]+:`~?(?:[\w.]+\.)?([^`<]+?)`", r"\1", doc)
    doc = re.sub(r"``([^`]+)``", r"\1", doc)
    paragraphs = [" ".join(p.split()) for p in doc.split("\n\n") if p.strip()]
    return "\n\n".join(p for p in paragraphs if not p.startswith(">>>"))


@attrs.define
class _Builder:
    """Collects the definitions one schema needs while walking the classes."""

    definitions: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    owners: dict[str, object] = attrs.field(factory=dict)

    def define(self, name: str, owner: object, build: Callable[[], dict[str, Any]]) -> str:
        if name in self.owners:
            if self.owners[name] is not owner:  # pragma: no cover - two classes, one name
                raise AssertionError(f"two types are both named {name!r} in one schema")
            return f"#/definitions/{name}"
        self.owners[name] = owner
        self.definitions[name] = {}  # reserved first: rules and conditions nest
        self.definitions[name] = build()
        return f"#/definitions/{name}"

    def ref(self, name: str, owner: object, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        return {"$ref": self.define(name, owner, build)}

    def form(self, name: str) -> dict[str, Any]:
        return self.ref(name, name, lambda: dict(_FORMS[name]))

    # -- types ------------------------------------------------------------------------
    def of_type(self, tp: Any) -> dict[str, Any]:
        """The schema of a value of type ``tp``, as the converter reads it."""
        if tp is Rule:
            return self.ref("Rule", Rule, lambda: self.tagged(RULE_TYPES, "rule"))
        if tp is Condition:
            build = functools.partial(self.tagged, CONDITION_TYPES, "condition")
            return self.ref("Condition", Condition, build)
        if tp == Value:
            return self.form("value")
        if tp in _SCALAR_FORMS:
            return self.form(_SCALAR_FORMS[tp])
        if tp is str:
            return {"type": "string", "maxLength": MAX_TEXT}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        origin, args = get_origin(tp), get_args(tp)
        if origin is Literal:
            return {"enum": list(args)}
        if _is_optional(tp):
            rest = [a for a in args if a is not type(None)]
            inner = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
            return {"anyOf": [self.of_type(inner), {"type": "null"}]}
        if origin in (tuple, list) and (origin is list or args[1:] == (Ellipsis,)):
            return {"type": "array", "items": self.of_type(args[0])}
        if origin is dict and args == (int, int):
            return self.form("year_counts")
        if origin is dict and args == (int, Decimal):
            self.form("decimal")  # the amounts refer to it
            return self.form("year_amounts")
        if attrs.has(tp):
            return self.ref(tp.__name__, tp, lambda: self.object_of(tp))
        raise AssertionError(f"no schema for the type {tp!r}")  # pragma: no cover

    def object_of(
        self,
        cls: type,
        *,
        only: Sequence[str] | None = None,
        required: Sequence[str] = (),
        kind: str | None = None,
    ) -> dict[str, Any]:
        """An attrs class as a table of its fields (``only`` some; ``kind`` tagged)."""
        attrs.resolve_types(cls)
        fields = [f for f in attrs.fields(cls) if f.init and (only is None or f.name in only)]
        properties: dict[str, Any] = {}
        if kind is not None:
            properties["kind"] = {"const": kind}
        needed = list(required) or ["kind"] * (kind is not None)
        for f in fields:
            form = _FIELD_FORMS.get((cls, f.name))
            if form is not None:
                for ref in _refs(form):  # the shared forms a field form points to
                    self.form(ref)
            prop = dict(form or self.of_type(f.type))
            if f.default is attrs.NOTHING:
                if f.name not in needed:
                    needed.append(f.name)
            elif "$ref" not in prop:  # draft 7 ignores the siblings of a $ref
                default = f.default.factory() if isinstance(f.default, attrs.Factory) else f.default  # type: ignore[arg-type]
                prop["default"] = converter.unstructure(default)
            properties[f.name] = prop
        out: dict[str, Any] = {}
        description = _description(cls)
        if description:
            out["description"] = description
        out["type"] = "object"
        out["properties"] = properties
        if needed:
            out["required"] = needed
        out["additionalProperties"] = False
        return out

    def tagged(self, members: tuple[type, ...], what: str) -> dict[str, Any]:
        """A union of classes told apart by their ``kind``: one ``if``/``then`` per kind,
        so that an editor names the fields of the kind written, not of every kind."""
        kinds = [m.kind for m in members]  # type: ignore[attr-defined]
        branches = []
        for member, kind in zip(members, kinds, strict=True):
            name = f"{what}.{kind}"
            ref = self.ref(name, member, functools.partial(self.object_of, member, kind=kind))
            branches.append(
                {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": ref}
            )
        return {
            "description": f"A {what}: a table whose 'kind' says which.",
            "type": "object",
            "properties": {"kind": {"enum": kinds}},
            "required": ["kind"],
            "allOf": branches,
        }


def schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft 7) of a kind of file, as a new dict.

    Raises :class:`~modelunit.errors.InvalidArgumentError` for an unknown kind, naming
    the closest.
    """
    if kind not in _ROOTS:
        near = closest(kind, SCHEMA_KINDS, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise InvalidArgumentError(
            f"unknown kind of file {kind!r}{hint}; expected one of {', '.join(SCHEMA_KINDS)}"
        )
    cls, title, only, required = _ROOTS[kind]
    builder = _Builder()
    root = builder.object_of(cls, only=only, required=required)
    # Editors find a JSON file's schema through "$schema"; the loaders drop that key.
    root["properties"] = {"$schema": {"type": "string"}, **root["properties"]}
    return {
        "$schema": DRAFT,
        "$comment": f"Generated from modelunit's classes by modelunit.schema; "
        f"read by {_LOADERS[kind]}. Do not edit.",
        "title": title,
        **root,
        "definitions": dict(sorted(builder.definitions.items())),
    }


def schema_text(kind: SchemaKind) -> str:
    """:func:`schema` as JSON text: what ``modelunit schema KIND`` prints and what the
    shipped file holds (UTF-8, two-space indents, a final newline)."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def schema_file(kind: SchemaKind) -> Traversable:
    """The shipped schema file of a kind (``modelunit/data/schemas/<kind>.schema.json``)."""
    schema(kind)  # the same check of ``kind``
    return resources.files("modelunit").joinpath("data", "schemas", f"{kind}.schema.json")


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m modelunit.schema",
        description="Write (or check) the shipped JSON Schemas of modelunit's files.",
    )
    parser.add_argument("--write", action="store_true", help="rewrite the shipped files")
    args = parser.parse_args(argv)
    folder = Path(__file__).parent / "data" / "schemas"
    stale = []
    for kind in SCHEMA_KINDS:
        path = folder / f"{kind}.schema.json"
        text = schema_text(kind)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if args.write:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "wrote" if args.write else "stale"
    sys.stdout.write(f"{verb}: {', '.join(stale)}\n" if stale else "up to date\n")
    return 0 if args.write or not stale else 1


if __name__ == "__main__":
    raise SystemExit(_main())
