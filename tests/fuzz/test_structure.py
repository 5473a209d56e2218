"""Fuzz ``structure(data, T)`` and ``from_json(text, T)`` for every public attrs type.

The data are corruptions of the unstructured form of real instances of ``T``
(:mod:`tests.fuzz.seeds`; ``tests/test_public_types.py`` checks every public type has
one), now and then of another type's, and random documents; the
text is that data written as JSON (with ``NaN``, 5,000-digit integers, arrays nested
10,000 deep), as text or bytes in various encodings, sometimes damaged. Only a
``ModelUnitError`` may escape; whatever is built round-trips.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.serialization import from_json, structure, unstructure
from tests.fuzz.checks import attempt, fuzz_settings, round_trips
from tests.fuzz.inputs import Payload, add_seeds, mostly, payloads, sources
from tests.fuzz.seeds import by_type
from tests.helpers import public_attrs_types

TYPES = sorted(public_attrs_types().values(), key=lambda t: f"{t.__module__}.{t.__qualname__}")


def _seed_names() -> dict[type, tuple[str, ...]]:
    names: dict[type, tuple[str, ...]] = {}
    for cls, objs in by_type().items():
        docs = {f"{cls.__qualname__}/{i}": unstructure(obj) for i, obj in enumerate(objs)}
        add_seeds(docs)
        names[cls] = tuple(docs)
    return names


SEEDS = _seed_names()
EVERY_SEED = tuple(n for names in SEEDS.values() for n in names)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__qualname__)
@fuzz_settings(deadline_ms=5_000, share=0.1)
@given(data=st.data())
def test_structure(cls: type, data: st.DataObject) -> None:
    source = data.draw(sources(mostly(SEEDS[cls], EVERY_SEED)), label="data")
    built = attempt(structure, source.plain, cls, source="data.json", file="data.json")
    if isinstance(built, cls):
        round_trips(built)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__qualname__)
@fuzz_settings(deadline_ms=5_000, share=0.1)
@given(data=st.data())
def test_from_json(cls: type, data: st.DataObject) -> None:
    payload: Payload = data.draw(payloads(mostly(SEEDS[cls], EVERY_SEED)), label="file")
    text = payload.raw if data.draw(st.booleans(), label="as bytes") else payload.text
    built = attempt(from_json, text, cls, source="data.json", file="data.json")
    if isinstance(built, cls):
        round_trips(built)
