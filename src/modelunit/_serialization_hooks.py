"""Converter hooks for the core types (rules, conditions, recorded values)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from modelunit import lint
from modelunit._cattrs_errors import ERROR_FOR, problems_from, unexpected_fields
from modelunit._checks import shown
from modelunit._numbers import bounded_int, exact_decimal
from modelunit.criteria import CriteriaSet, Criterion, Group, _duplicates
from modelunit.errors import (
    InvalidCatalogError,
    InvalidEvidenceError,
    InvalidRuleError,
    InvalidValueError,
    Problem,
    closest,
)
from modelunit.evidence import Evidence, EvidenceLedger
from modelunit.indicators import Indicator, Value
from modelunit.limits import MAX_CRITERIA, MAX_INDICATORS
from modelunit.policy import CONDITION_TYPES, Condition, RecognitionPolicy
from modelunit.rules import RULE_TYPES, Rule


def structure_value(data: object, _: object = None) -> Value:
    """Read a recorded value: bools and ints stay, numbers become exact decimals,
    numeric text becomes a decimal ("92%" -> 0.92), other text is a category name."""
    if isinstance(data, bool):
        return data
    if isinstance(data, int | Decimal):
        return exact_decimal(data) if isinstance(data, Decimal) else bounded_int(data)
    if isinstance(data, float):
        return exact_decimal(data)
    if isinstance(data, str):
        try:
            return exact_decimal(data)
        except InvalidValueError:
            return data
    raise InvalidValueError(f"expected a boolean, number or category name, got {shown(data)}")


def _unstructure_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def configure_kind_union(
    conv: cattrs.Converter, union: Any, types: tuple[type, ...], what: str
) -> None:
    """Serialise ``union`` members as tables with a ``kind`` tag (``{"kind": "all", ...}``).

    Unknown or missing kinds are reported with the kinds that exist.
    """
    by_kind: dict[str, type] = {t.kind: t for t in types}  # type: ignore[attr-defined]
    expected = ", ".join(sorted(by_kind))

    def structure(data: object, _: object) -> Any:
        if not isinstance(data, Mapping):
            raise InvalidValueError(f"expected a {what} table with a 'kind', got {shown(data)}")
        kind = data.get("kind")
        cls = by_kind.get(kind) if isinstance(kind, str) else None
        if cls is None:
            near = closest(kind, by_kind, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise InvalidValueError(
                f"unknown {what} kind {shown(kind)}{hint}; expected one of: {expected}"
            )
        return conv.structure({k: v for k, v in data.items() if k != "kind"}, cls)

    conv.register_structure_hook(union, structure)
    for cls in types:
        conv.register_structure_hook(cls, _checking_tag(conv, cls, what))
        plain: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True
        )
        conv.register_unstructure_hook(cls, _tagging(plain, cls))
    conv.register_unstructure_hook(union, lambda obj: conv.unstructure(obj, type(obj)))


def _checking_tag(conv: cattrs.Converter, cls: type, what: str) -> Callable[[Any, Any], Any]:
    """Structure one member class directly, accepting (and checking) its ``kind`` tag."""
    kind = cls.kind  # type: ignore[attr-defined]
    plain: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=True
    )

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise InvalidValueError(f"expected a {what} table of kind {kind!r}, got {shown(data)}")
        if "kind" in data:
            if data["kind"] != kind:
                raise InvalidValueError(
                    f"expected a {what} of kind {kind!r}, got {shown(data['kind'])}"
                )
            data = {k: v for k, v in data.items() if k != "kind"}
        return plain(data, cls)

    return structure


def _tagging(fn: Callable[[Any], dict[str, Any]], cls: type) -> Callable[[Any], dict[str, Any]]:
    kind = cls.kind  # type: ignore[attr-defined]

    def unstructure(obj: Any) -> dict[str, Any]:
        return {"kind": kind, **fn(obj)}

    return unstructure


_LISTED = {"indicators": Indicator, "criteria": Criterion, "groups": Group}
_LIMITS = {"indicators": MAX_INDICATORS, "criteria": MAX_CRITERIA, "groups": MAX_CRITERIA}
_ITEM = re.compile(r"\b(indicators|criteria|groups)\[(\d+)\]")


def _criteria_set_hook(conv: cattrs.Converter) -> Callable[[object, object], CriteriaSet]:
    """Structure a criteria set so that *every* problem is reported at once.

    Items of ``indicators``, ``criteria`` and ``groups`` are read one by one;
    when some cannot be read, the set-level checks (unknown indicators, cycles,
    duplicate ids...) still run over the items that could, and problems that
    only repeat an unreadable item's failure are left out.
    """
    fields = {f.name: f for f in attrs.fields(CriteriaSet)}

    def structure(data: object, _: object) -> CriteriaSet:
        if not isinstance(data, Mapping):
            raise InvalidValueError(f"expected a criteria-set table, got {shown(data)}")
        problems: list[Problem] = []
        parts: dict[str, Any] = {}
        positions: dict[str, list[int]] = {}
        unreadable: set[str] = set()
        extra = sorted(set(data) - set(fields), key=str)
        if extra:
            problems.append(Problem("", unexpected_fields(extra, fields)))
        for name, field in fields.items():
            if name not in data:
                if field.default is attrs.NOTHING:
                    problems.append(Problem(name, "required field missing"))
                continue
            raw = data[name]
            limit = _LIMITS.get(name)
            if limit is not None and isinstance(raw, list) and len(raw) > limit:
                # Refused before any item is read: the limit is there to bound the work.
                problems.append(Problem(name, f"{len(raw):,} {name}; at most {limit:,}"))
                unreadable.add(name)
                continue
            if name in _LISTED and isinstance(raw, list):
                items: list[Any] = []
                kept: list[int] = []
                for i, item in enumerate(raw):
                    try:
                        items.append(conv.structure(item, _LISTED[name]))
                        kept.append(i)
                    except Exception as exc:
                        problems += problems_from(exc, f"{name}[{i}]")
                        if isinstance(item, Mapping):
                            unreadable.add(str(item.get("key" if name == "indicators" else "id")))
                parts[name] = tuple(items)
                positions[name] = kept
                continue
            try:
                parts[name] = conv.structure(raw, field.type)  # type: ignore[arg-type]
            except Exception as exc:
                problems += problems_from(exc, name)
        # A "%" on an absolute change can only be seen in the data as written.
        percent = lint.percent_problems(data)
        problems += percent
        if not problems:
            return CriteriaSet(**parts)
        said = {p.path for p in percent}
        if "indicators" in parts or "criteria" in parts:
            # Check what could be read; absent parts count as empty. Examples name the
            # policy's levels: with the policy unreadable, checking them would only
            # repeat its failure ("unknown level").
            if "policy" not in parts:
                parts.pop("examples", None)
            draft = CriteriaSet._unchecked(
                **{
                    "policy": RecognitionPolicy(()),
                    "id": "?",
                    "version": "?",
                    "indicators": (),
                    "criteria": (),
                    **parts,
                }
            )
            for problem in draft.problems():
                if any(repr(name) in problem.message for name in unreadable):
                    continue  # repeats the failure of an item already reported
                if problem.path in ("id", "version") and problem.path not in parts:
                    continue
                renumbered = _renumber(problem, positions)
                if renumbered.path in said:
                    continue  # the same change, already reported for its "%"
                problems.append(renumbered)
        problems += _raw_duplicates(data, {p.path for p in problems})
        raise InvalidCatalogError(problems)

    return structure


def _raw_duplicates(data: Mapping[str, Any], reported: set[str]) -> list[Problem]:
    """Duplicate ids among *all* the items as written, readable or not: an item that could
    not be read still takes its id, and its twin must be reported with the rest."""
    found: list[Problem] = []
    for name in _LISTED:
        raw = data.get(name)
        if not isinstance(raw, list) or len(raw) > _LIMITS[name]:
            continue
        field = "key" if name == "indicators" else "id"
        ids = [
            item[field]
            if isinstance(item, Mapping) and isinstance(item.get(field), str)
            else f"\0{i}"  # no id to compare: never a duplicate
            for i, item in enumerate(raw)
        ]
        found += [p for p in _duplicates(name, ids, field) if p.path not in reported]
    return found


def _renumber(problem: Problem, positions: dict[str, list[int]]) -> Problem:
    """Map indices among the readable items back to their indices in the input."""

    def original(m: re.Match[str]) -> str:
        kept = positions.get(m[1])
        if kept is None or int(m[2]) >= len(kept):
            return m[0]
        return f"{m[1]}[{kept[int(m[2])]}]"

    return Problem(
        _ITEM.sub(original, problem.path),
        _ITEM.sub(original, problem.message),
        problem.record,
        problem.source,
    )


@attrs.frozen
class _LedgerFields:
    """What a ledger serialises to: its records, in recording order."""

    records: tuple[Evidence, ...] = ()


def _configure_ledger(conv: cattrs.Converter) -> None:
    # A ledger keeps its records as given (objects or columns) and sorts them on first
    # read: it (un)structures as the plain table of its records.
    conv.register_structure_hook(
        EvidenceLedger,
        lambda data, _: EvidenceLedger(conv.structure(data, _LedgerFields).records),
    )
    conv.register_unstructure_hook(
        EvidenceLedger, lambda ledger: conv.unstructure(_LedgerFields(ledger.records))
    )


def configure_core(conv: cattrs.Converter) -> None:
    """Register the core types' hooks on ``conv``."""
    ERROR_FOR.update(
        {
            CriteriaSet: InvalidCatalogError,
            EvidenceLedger: InvalidEvidenceError,
            Rule: InvalidRuleError,
        }
    )
    conv.register_structure_hook(CriteriaSet, _criteria_set_hook(conv))
    configure_kind_union(conv, Rule, RULE_TYPES, "rule")
    configure_kind_union(conv, Condition, CONDITION_TYPES, "condition")
    # A level's condition may be left out (the fallback needs none).
    conv.register_structure_hook(
        Condition | None,
        lambda d, _: None if d is None else conv.structure(d, Condition),  # type: ignore[arg-type]
    )
    conv.register_unstructure_hook(
        Condition | None,
        lambda obj: None if obj is None else conv.unstructure(obj, type(obj)),
    )
    conv.register_structure_hook(Value, structure_value)
    conv.register_unstructure_hook(Value, _unstructure_value)
    conv.register_structure_hook(
        Value | None, lambda d, _: None if d is None else structure_value(d)
    )
    conv.register_unstructure_hook(Value | None, _unstructure_value)
    _configure_ledger(conv)
