"""Every public attrs type round-trips through JSON, and public names are exported."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from fractions import Fraction

import pytest

import modelunit
from modelunit.serialization import from_json, to_json
from tests.fuzz.seeds import by_type
from tests.helpers import PUBLIC_MODULES, public_attrs_types


def _examples() -> list[object]:
    """Instances of every public type, from realistic use (up to three of each: the
    fuzz suite's seeds), and the bundled maps whole."""
    from modelunit.geography import load_geography, load_mapping

    found = [x for objs in by_type().values() for x in objs[:3]]
    return [*found, load_geography("2025"), load_geography("pre-2025"), load_mapping()]


def test_every_public_type_has_an_example() -> None:
    covered = {f"{type(x).__module__}.{type(x).__qualname__}" for x in _examples()}
    assert sorted(set(public_attrs_types()) - covered) == []


@pytest.mark.parametrize("example", _examples(), ids=lambda x: type(x).__name__)
def test_round_trip_through_json(example: object) -> None:
    assert from_json(to_json(example), type(example)) == example


def _exports() -> list[tuple[str, Callable[..., object] | object]]:
    out = []
    for name in (*PUBLIC_MODULES, "errors", "outcomes", "serialization", "testing"):
        module = importlib.import_module(f"modelunit.{name}")
        out += [(f"{name}.{n}", getattr(module, n)) for n in module.__all__]
    return out


@pytest.mark.parametrize(("name", "obj"), _exports(), ids=lambda x: x if isinstance(x, str) else "")
def test_all_names_exist_and_are_documented(name: str, obj: object) -> None:
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_top_level_exports_are_sorted_and_real() -> None:
    names = [n for n in modelunit.__all__ if n != "__version__"]
    assert names == sorted(names)
    for n in modelunit.__all__:
        assert hasattr(modelunit, n)


def test_fractions_never_floats() -> None:
    from modelunit.rollout import Milestone

    assert Milestone(2025, "30%").share == Fraction(3, 10)
