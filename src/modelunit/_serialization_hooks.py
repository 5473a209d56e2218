"""Converter hooks for the core types (rules, conditions, recorded values)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn

from modelunit._numbers import exact_decimal
from modelunit.criteria import CONDITION_TYPES, Condition
from modelunit.evidence import Value
from modelunit.rules import RULE_TYPES, Rule


def structure_value(data: object, _: object = None) -> Value:
    """Read a recorded value: bools and ints stay, numbers become exact decimals,
    numeric text becomes a decimal ("92%" -> 0.92), other text is a category name."""
    if isinstance(data, bool | int | Decimal):
        return data
    if isinstance(data, float):
        return exact_decimal(data)
    if isinstance(data, str):
        try:
            return exact_decimal(data)
        except ValueError:
            return data
    raise ValueError(f"expected a boolean, number or category name, got {data!r}")


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
            raise ValueError(f"expected a {what} table with a 'kind', got {data!r}")
        kind = data.get("kind")
        cls = by_kind.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValueError(f"unknown {what} kind {kind!r}; expected one of: {expected}")
        return conv.structure({k: v for k, v in data.items() if k != "kind"}, cls)

    conv.register_structure_hook(union, structure)
    for cls in types:
        plain: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True
        )
        conv.register_unstructure_hook(cls, _tagging(plain, cls))
    conv.register_unstructure_hook(union, lambda obj: conv.unstructure(obj, type(obj)))


def _tagging(fn: Callable[[Any], dict[str, Any]], cls: type) -> Callable[[Any], dict[str, Any]]:
    kind = cls.kind  # type: ignore[attr-defined]

    def unstructure(obj: Any) -> dict[str, Any]:
        return {"kind": kind, **fn(obj)}

    return unstructure


def configure_core(conv: cattrs.Converter) -> None:
    """Register the core types' hooks on ``conv``."""
    configure_kind_union(conv, Rule, RULE_TYPES, "rule")
    configure_kind_union(conv, Condition, CONDITION_TYPES, "condition")
    conv.register_structure_hook(Value, structure_value)
    conv.register_unstructure_hook(Value, _unstructure_value)
    conv.register_structure_hook(
        Value | None, lambda d, _: None if d is None else structure_value(d)
    )
    conv.register_unstructure_hook(Value | None, _unstructure_value)
