"""Small builders shared by the tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from modelunit.criteria import (
    AllConditions,
    CriteriaSet,
    Criterion,
    Level,
    RecognitionPolicy,
    Tally,
)
from modelunit.evidence import Evidence, EvidenceLedger
from modelunit.indicators import Indicator
from modelunit.rules import Rule

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
        id="t", version="1", indicators=INDICATORS, criteria=crits, policy=POLICY, **kw
    )  # type: ignore[arg-type]


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
        Decimal(value) if isinstance(value, float) else value,  # type: ignore[arg-type]
        recorded_at=datetime.fromisoformat(at),
        supersedes=supersedes,
    )


def ledger(*records: Evidence) -> EvidenceLedger:
    return EvidenceLedger(records)
