"""The table of texts: every key in every language, the same fields in each, every key
used and every key used defined; Vietnamese is really translated."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import modelunit
from modelunit._i18n import LANGUAGES
from modelunit._texts import TEXTS, text

SRC = Path(modelunit.__file__).parent
TABLE = SRC / "_texts.py"

# Templates that are the same in both languages on purpose: only values, symbols or ids.
SAME_IN_BOTH = {
    "cli.assess_head",
    "cli.col_insufficient",
    "cli.diff_value",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_every_language_with_the_same_fields(key: str) -> None:
    entry = TEXTS[key]
    assert tuple(entry) == LANGUAGES
    assert all(entry[lang].strip() for lang in LANGUAGES), key
    assert _fields(entry["vi"]) == _fields(entry["en"]), key
    if key not in SAME_IN_BOTH:
        assert entry["vi"] != entry["en"], f"{key} is not translated"


def _literals_outside_the_table() -> tuple[set[str], set[str]]:
    """(every string literal in src, the literal first arguments of text(...) calls)."""
    literals: set[str] = set()
    called: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path == TABLE:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "text"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                called.add(node.args[0].value)
    return literals, called


def test_every_key_is_used_and_every_key_used_exists() -> None:
    literals, called = _literals_outside_the_table()
    assert sorted(called - set(TEXTS)) == []
    assert sorted(set(TEXTS) - literals) == []
    assert called  # the scan sees the calls


def test_text_fills_the_template_in_the_language_asked_for() -> None:
    assert text("summary.pending", count=2) == "2 pending"
    assert text("summary.pending", "vi", count=2) == "2 chưa đủ căn cứ"
    with pytest.raises(KeyError):
        text("no.such.key")


def test_english_is_the_default_everywhere() -> None:
    catalog = modelunit.load_catalog("tutorial")
    ledger = modelunit.load_evidence("tutorial")
    default = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023")
    english = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023", lang="en")
    assert default == english
    vietnamese = modelunit.assess(catalog, ledger, unit="phuong-an-hoa", period="2023", lang="vi")
    assert [r.outcome for r in vietnamese.results] == [r.outcome for r in default.results]
    assert vietnamese.result("T2").explanation == (
        "social_order_crimes: 18 trong 2023 so với 24 trong 2022, thay đổi -25%, cần <= -5%"
    )
    assert vietnamese.explain(lang="vi").splitlines()[1] == (
        "Kết quả: 2/3 đạt, 1 chưa đủ căn cứ: cơ bản đạt"
    )
