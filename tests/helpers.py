"""Small builders shared by the tests."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest

from modelunit.assessment import assess, assess_batch
from modelunit.criteria import CriteriaSet, Criterion
from modelunit.errors import InvalidCatalogError
from modelunit.evidence import Evidence, EvidenceLedger, Unit, UnitRegistry
from modelunit.indicators import Indicator
from modelunit.outcomes import Outcome
from modelunit.policy import AllConditions, Level, RecognitionPolicy, Tally
from modelunit.rules import Flag, Rule

INDICATORS = (
    Indicator("crimes", "count", "sum"),
    Indicator("serious", "count", "sum"),
    Indicator("budget", "quantity", "sum"),
    Indicator("households", "count", "last"),
    Indicator("registered", "count", "last"),
    Indicator("satisfaction", "share", "last"),
    Indicator("hq_ok", "boolean", "last"),
    Indicator("incident", "boolean", "any"),
    Indicator(
        "ranking",
        "category",
        "last",
        categories=("not_completed", "completed", "good", "excellent"),
    ),
)

POLICY = RecognitionPolicy(
    (
        Level("model", Tally("met", min_share=Fraction(1)), recognised=True, title_en="model"),
        Level(
            "basically_met",
            AllConditions((Tally("insufficient", max_count=1), Tally("not_met", max_count=0))),
            title_en="basically met",
        ),
    )
)


def catalog_of(*rules: Rule, mandatory: Iterable[int] = (), **kw: object) -> CriteriaSet:
    """A set with one criterion per rule, C1..Cn, over INDICATORS."""
    must = set(mandatory)
    crits = tuple(Criterion(f"C{i}", r, mandatory=i in must) for i, r in enumerate(rules, start=1))
    return CriteriaSet(
        id="t",
        version="1",
        indicators=INDICATORS,
        criteria=crits,
        policy=POLICY,
        **kw,  # type: ignore[arg-type]
    )


def problems_of(**kw: object) -> list[tuple[str, str | None, str]]:
    """(path, record, message) of every problem of a set built from ``kw`` (which must
    be invalid) over a one-criterion default."""
    base: dict[str, object] = {
        "id": "t",
        "version": "1",
        "indicators": INDICATORS,
        "criteria": (Criterion("C1", Flag("hq_ok")),),
        "policy": POLICY,
    }
    base.update(kw)
    with pytest.raises(InvalidCatalogError) as info:
        CriteriaSet(**base)  # type: ignore[arg-type]
    return [(p.path, p.record, p.message) for p in info.value.problems]


_serial = iter(range(1, 10**9))


def ev(
    indicator: str,
    period: str,
    value: object,
    *,
    unit: str = "w",
    at: str = "2024-01-10",
    id: str | None = None,
    supersedes: str | None = None,
) -> Evidence:
    """An evidence record with a fresh id unless one is given."""
    return Evidence(
        id or f"e{next(_serial)}",
        unit,
        indicator,
        period,
        Decimal(value) if isinstance(value, float) else value,
        recorded_at=datetime.fromisoformat(at),
        supersedes=supersedes,
    )


def ledger(*records: Evidence) -> EvidenceLedger:
    return EvidenceLedger(records)


def outcome(rule: Rule, *records: object, period: str = "2023", **kw: object) -> Outcome:
    """The outcome of ``rule`` (as the one criterion C1) for unit ``w`` from ``records``."""
    # Unit("w") states the unit: it is assessed even when no record names it.
    result = assess(catalog_of(rule), ledger(*records), unit=Unit("w"), period=period, **kw)  # type: ignore[arg-type]
    return result.result("C1").outcome


def twenty_two() -> CriteriaSet:
    """22 criteria C1..C22, each "indicator cN is true"; C1 mandatory."""
    inds = tuple(Indicator(f"c{i}", "boolean", "last") for i in range(1, 23))
    crits = tuple(
        Criterion(f"C{i}", Flag(f"c{i}"), mandatory=i == 1, points=Decimal(5)) for i in range(1, 23)
    )
    policy = RecognitionPolicy(
        (
            Level(
                "model",
                Tally("met", min_share=Fraction(1)),
                recognised=True,
                title_en="model unit",
                title_vi="đạt kiểu mẫu",
            ),
            Level(
                "basically_met",
                AllConditions((Tally("met", min_count=21), Tally("not_met", max_count=0))),
                title_en="basically met",
                title_vi="cơ bản đạt",
            ),
        )
    )
    return CriteriaSet(id="cap", version="2021", indicators=inds, criteria=crits, policy=policy)


def evidence_22(values: dict[int, bool]) -> EvidenceLedger:
    """Records ``eN`` of ``cN`` in 2023 for unit ``w``."""
    return ledger(*(ev(f"c{i}", "2023", v, id=f"e{i}") for i, v in values.items()))


PUBLIC_MODULES = (
    "assessment",
    "catalogs",
    "criteria",
    "evidence",
    "geography",
    "indicators",
    "lookup",
    "periods",
    "policy",
    "results",
    "rollout",
    "rules",
    "scenarios",
    "targets",
    "versions",
)
"""The modules whose ``__all__`` is the public API (with ``errors``, ``outcomes``...)."""


def public_attrs_types() -> dict[str, type]:
    """Every attrs class exported by :data:`PUBLIC_MODULES`, by dotted name."""
    found: dict[str, type] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(f"modelunit.{name}")
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isclass(obj) and attrs.has(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def both(
    rule: Rule,
    *records: Evidence,
    period: str = "2023",
    units: UnitRegistry | None = None,
    unit: str = "w",
) -> Outcome:
    """The outcome of ``rule`` (as the one criterion C1) for ``unit``, from both
    evaluators: fails unless ``assess`` and ``assess_batch`` agree."""
    catalog = catalog_of(rule)
    book = ledger(*records)
    single = assess(catalog, book, unit=unit, period=period, units=units).result("C1").outcome
    batch = assess_batch(catalog, book, units=[unit], periods=[period], registry=units)
    assert batch.outcome(unit, period, "C1") is single, (single, batch.outcome(unit, period, "C1"))
    return single


def as_json(value: Any) -> Any:
    """Parsed TOML as taplo hands it to a JSON Schema: dates and times as ISO text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, date | time):
        return value.isoformat()
    return value
