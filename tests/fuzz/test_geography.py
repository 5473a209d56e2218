"""Fuzz the geography lookups: provinces and units by code and by name on both maps, the
old-to-new mapping, ``load_geography`` and ``recognised_on_2025_map``.

Keys are real codes and names, changed (decomposed, upper-cased, without diacritics,
with a typo, a lone surrogate or spaces), numbers of any size (and signs, fullwidth and
Arabic-Indic digits), and random text. A key that names nothing is an
``UnknownUnitError``; what is found is what was asked for.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit import geography
from modelunit.geography import AdminUnit, Geography, Province, UnitKind
from modelunit.rollout import MergeRule
from tests.fuzz.checks import attempt, fuzz_settings
from tests.fuzz.inputs import TEXT_OPS, one_of_these, pick, texts

NEW = geography.load_geography("2025")
OLD = geography.load_geography("pre-2025")
MAPPING = geography.load_mapping()
MAPS = {"2025": NEW, "pre-2025": OLD}

_NAMES = sorted(
    {p.name for m in MAPS.values() for p in m.provinces}
    | {p.full_name for m in MAPS.values() for p in m.provinces}
    | {u.name for u in NEW.all_units[::40]}
    | {u.short_name for u in OLD.all_units[::40]}
    | {"TP.HCM", "hcm", "Sài Gòn", "Thừa Thiên Huế"}
)
_CODES = sorted(
    {p.code for m in MAPS.values() for p in m.provinces}
    | {u.code for u in NEW.all_units[::40]}
    | {u.code for u in OLD.all_units[::40]}
)


def names() -> st.SearchStrategy[str]:
    return pick(
        one_of_these(_NAMES),
        st.builds(
            lambda n, op: TEXT_OPS[op](n), one_of_these(_NAMES), one_of_these(sorted(TEXT_OPS))
        ),
        texts(),
    )


def codes() -> st.SearchStrategy[str | int]:
    return pick(
        one_of_these(_CODES),
        one_of_these(_CODES).map(int),
        st.integers(),
        st.integers(min_value=-1, max_value=100_000),
        one_of_these(["", " 01 ", "+01", "-1", "１２", "٠١", "1e1", "0x1", "00000000000000000001"]),
        st.just(10**5000),  # shown as a 5,000-digit literal when it fails
        st.text("0123456789 ", max_size=8),
    )


def kinds() -> st.SearchStrategy[UnitKind | None]:
    return pick(
        st.none(),
        one_of_these(["ward", "commune", "township", "special_zone"]),
        texts(),
    )


def keys() -> st.SearchStrategy[str | int]:
    return pick(names(), codes())


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(edition=one_of_these(sorted(MAPS)), key=keys())
def test_province(edition: str, key: str | int) -> None:
    found = attempt(MAPS[edition].province, key)
    if isinstance(found, Province):
        assert found in MAPS[edition].provinces


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(edition=one_of_these(sorted(MAPS)), name=names())
def test_province_by_name(edition: str, name: str) -> None:
    found = attempt(MAPS[edition].province_by_name, name)
    if isinstance(found, Province):
        assert found in MAPS[edition].provinces


@pytest.mark.parametrize("lookup", ["province_by_code", "unit"])
@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(edition=one_of_these(sorted(MAPS)), code=codes())
def test_by_code(lookup: str, edition: str, code: str | int) -> None:
    found = attempt(getattr(MAPS[edition], lookup), code)
    if isinstance(found, Province | AdminUnit):
        assert int(found.code) == int(str(code).strip())


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(
    edition=one_of_these(sorted(MAPS)),
    name=names(),
    province=pick(st.none(), keys()),
    kind=kinds(),
)
def test_find_units(
    edition: str, name: str, province: str | int | None, kind: UnitKind | None
) -> None:
    found = attempt(MAPS[edition].find_units, name, province, kind)
    if isinstance(found, tuple):
        assert found
        assert all(kind is None or u.kind == kind for u in found)


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(edition=one_of_these(sorted(MAPS)), province=pick(st.none(), keys()), kind=kinds())
def test_units_and_count(edition: str, province: str | int | None, kind: UnitKind | None) -> None:
    geo: Geography = MAPS[edition]
    count = attempt(geo.count, kind, province)
    listed = attempt(geo.units, province, kind)
    if isinstance(listed, tuple) and isinstance(count, int) and kind is not None:
        assert len(listed) == count


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(edition=pick(one_of_these(sorted(MAPS)), texts()))
def test_load_geography(edition: str) -> None:
    found = attempt(geography.load_geography, edition)  # type: ignore[arg-type]
    if isinstance(found, Geography):
        assert found.edition == edition


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(old=keys())
def test_new_province_code(old: str | int) -> None:
    code = attempt(MAPPING.new_province_code, old)
    if isinstance(code, str):
        assert NEW.province_by_code(code).code == code
        assert MAPPING.new_province(old).code == code


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(old=codes())
def test_successors(old: str | int) -> None:
    targets = attempt(MAPPING.successors, old)
    if isinstance(targets, tuple):
        assert all(NEW.unit(t.code) for t in targets)


@fuzz_settings(deadline_ms=2_000, share=0.5)
@given(new=codes())
def test_predecessors(new: str | int) -> None:
    found = attempt(MAPPING.predecessors, new)
    if isinstance(found, tuple):
        assert all(OLD.unit(m.old) for m in found)


@fuzz_settings(deadline_ms=10_000, share=0.3)
@given(
    recognised=st.lists(pick(one_of_these(_CODES), texts()), max_size=10),
    rule=pick(st.none(), one_of_these([MergeRule("any"), MergeRule("share", "1/3")])),
)
def test_recognised_on_2025_map(recognised: list[str], rule: MergeRule | None) -> None:
    counts = attempt(geography.recognised_on_2025_map, recognised, rule)
    if isinstance(counts, dict):
        assert all(0 <= done <= total for total, done in counts.values())
