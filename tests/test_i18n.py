"""Bilingual titles: the language asked for, else the other one, else the id (or key)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from modelunit._i18n import LANGUAGES, Titled
from modelunit.criteria import CriteriaSet, Criterion, Group
from modelunit.indicators import Indicator
from modelunit.policy import AllConditions, Level, RecognitionPolicy
from modelunit.rules import Flag
from tests.helpers import INDICATORS

Make = Callable[..., Titled]


def _criterion(**titles: str) -> Titled:
    return Criterion("C1", Flag("hq_ok"), **titles)  # type: ignore[arg-type]


def _set(**titles: str) -> Titled:
    return CriteriaSet(
        id="set",
        version="1",
        indicators=INDICATORS,
        criteria=(Criterion("C1", Flag("hq_ok")),),
        policy=RecognitionPolicy(()),
        **titles,  # type: ignore[arg-type]
    )


# Each class that has titles, made with the given titles, and the id it falls back to.
TITLED: list[tuple[Make, str]] = [
    (_criterion, "C1"),
    (lambda **t: Group("G1", **t), "G1"),
    (_set, "set"),
    (lambda **t: Level("model", AllConditions(()), **t), "model"),
    (lambda **t: Indicator("crimes", "count", "sum", **t), "crimes"),
]
EACH = pytest.mark.parametrize(
    ("make", "ident"), TITLED, ids=["Criterion", "Group", "CriteriaSet", "Level", "Indicator"]
)


def test_the_languages() -> None:
    assert LANGUAGES == ("en", "vi")


@EACH
def test_both_titles(make: Make, ident: str) -> None:
    both = make(title_en="Security", title_vi="An ninh")
    assert (both.title(), both.title("en"), both.title("vi")) == (
        "Security",
        "Security",
        "An ninh",
    )


@EACH
def test_one_title_stands_for_both_languages(make: Make, ident: str) -> None:
    english = make(title_en="Security")
    assert (english.title("en"), english.title("vi")) == ("Security", "Security")
    vietnamese = make(title_vi="An ninh")
    assert (vietnamese.title("en"), vietnamese.title("vi")) == ("An ninh", "An ninh")


@EACH
def test_without_titles_the_id_names_it(make: Make, ident: str) -> None:
    bare = make()
    assert (bare.title(), bare.title("vi")) == (ident, ident)


def test_every_titled_class_is_tested() -> None:
    assert {type(make()) for make, _ in TITLED} == set(Titled.__subclasses__())
