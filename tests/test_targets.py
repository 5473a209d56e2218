"""Bundled programme targets: exact figures, sources, conflicts kept, consistency with the map."""

from __future__ import annotations

import tomllib
from datetime import date
from fractions import Fraction
from importlib import resources

import attrs
import pytest

from modelunit.errors import UnknownUnitError
from modelunit.geography import load_geography, load_mapping
from modelunit.targets import ProgrammeTarget, load_targets, national_milestones


def test_national_milestones_are_exact() -> None:
    got = [(t.year, t.share, t.kind) for t in national_milestones()]
    assert got == [
        (2025, Fraction(3, 10), "floor"),
        (2025, Fraction(1, 2), "stretch"),
        (2030, Fraction(1), "floor"),
    ]
    assert all(t.scope == "national" and t.province is None for t in national_milestones())
    assert national_milestones()[0].source_date == date(2023, 12, 12)


def test_every_target_has_a_source() -> None:
    targets = load_targets()
    assert len(targets) == 23
    for t in targets:
        assert t.source_title
        assert t.note
        assert t.source_url.startswith("http") or "seed" in t.source_title
        if t.kind == "registered":
            assert t.share is None
            assert t.count is not None
        else:
            assert t.share is not None
            assert 0 < t.share <= 1


def test_targets_are_sorted_deterministically() -> None:
    targets = load_targets()
    assert list(targets) == sorted(targets, key=ProgrammeTarget.sort_key)
    assert load_targets() is load_targets() or load_targets() == targets
    assert len({t.id for t in targets}) == len(targets)


def test_hcmc_conflicting_figures_side_by_side() -> None:
    hcmc = {t.id: t for t in load_targets(province="TP.HCM") if t.province == "Hồ Chí Minh"}
    plan = hcmc["hcmc-2023-plan-2025"]
    assert (plan.share, plan.count, plan.wards_at_source) == (Fraction(3, 10), 75, 249)
    assert hcmc["hcmc-2023-plan-2030"].share == 1
    police = hcmc["hcmc-2024-police-2025"]
    assert (police.share, police.strict, police.source_date) == (
        Fraction(2, 5),
        True,
        date(2024, 1, 16),
    )
    assert (hcmc["hcmc-2024-police-2029"].year, hcmc["hcmc-2024-police-2029"].kind) == (
        2029,
        "stretch",
    )
    assert hcmc["hcmc-2022-plan-2025"].count == 249


def test_hanoi_13_and_15_kept() -> None:
    counts = sorted(t.count for t in load_targets(province="Hà Nội") if t.kind == "registered")
    assert counts == [13, 15]


@pytest.mark.parametrize(
    ("target_id", "year", "share"),
    [
        ("hungyen-2025", 2025, Fraction(1, 2)),
        ("hungyen-2028", 2028, Fraction(1)),
        ("phuyen-2025", 2025, Fraction(3, 10)),
        ("binhphuoc-2025-floor", 2025, Fraction(3, 10)),
        ("binhphuoc-2025-stretch", 2025, Fraction(1, 2)),
        ("haiphong-2025", 2025, Fraction(3, 10)),
        ("haiphong-2030", 2030, Fraction(1)),
        ("brvt-2030", 2030, Fraction(1)),
        ("nghean-2-years-early", 2028, Fraction(1)),
    ],
)
def test_provincial_figures(target_id: str, year: int, share: Fraction) -> None:
    (t,) = [t for t in load_targets() if t.id == target_id]
    assert (t.year, t.share) == (year, share)


def test_provinces_named_then_and_now_agree_with_the_mapping() -> None:
    old = load_geography("pre-2025")
    new = load_geography("2025")
    mapping = load_mapping()
    for t in load_targets(scope="provincial"):
        assert t.map_edition == "pre-2025"
        assert old.province_by_name(t.province or "").code == t.province_code
        assert mapping.new_province_code(t.province_code or "") == t.current_province_code
        assert new.province_by_code(t.current_province_code or "").name == t.current_province


def test_province_filter_accepts_old_and_new_names() -> None:
    assert {t.province for t in load_targets(province="Đắk Lắk")} == {"Phú Yên"}
    assert {t.province for t in load_targets(province="phu yen")} == {"Phú Yên"}
    assert {t.province for t in load_targets(province="77")} == {"Bà Rịa - Vũng Tàu"}
    with pytest.raises(UnknownUnitError):
        load_targets(province="Atlantis")


def test_records_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        load_targets()[0].year = 2040  # type: ignore[misc]


def test_data_file_has_meta_and_no_code() -> None:
    text = (
        resources.files("modelunit").joinpath("data/targets/cap-kieu-mau.toml").read_text("utf-8")
    )
    data = tomllib.loads(text)
    assert data["meta"]["owner"].startswith("Bộ Công an")
    assert {t["scope"] for t in data["targets"]} == {"national", "provincial"}


def test_a_province_on_the_map_without_targets_is_unknown() -> None:
    # Hà Giang is on the pre-2025 map, but no source reports a target for it.
    with pytest.raises(UnknownUnitError, match="no targets for province 'Hà Giang'"):
        load_targets(province="Hà Giang")


def test_scope_filter() -> None:
    assert {t.scope for t in load_targets(scope="national")} == {"national"}
    assert [t.id for t in load_targets(scope="national")] == [t.id for t in national_milestones()]
    assert all(t.province_code for t in load_targets(scope="provincial"))


# -- validation of the bundled file (through the one-record reader) -----------------------

_VALID = {
    "id": "x-2025",
    "scope": "provincial",
    "year": 2025,
    "kind": "floor",
    "source_title": "a title",
    "source_url": "",
    "note": "a note",
    "share": "30%",
    "province": "Phú Yên",
    "province_code": "54",
    "map_edition": "pre-2025",
    "current_province": "Đắk Lắk",
    "source_date": date(2024, 1, 16),
}


def _problems(raw: dict[str, object]) -> list[tuple[str, str | None, str]]:
    from modelunit.targets import _target

    target, problems = _target(raw, 3)
    assert target is None
    assert {p.source for p in problems} == {"targets/cap-kieu-mau.toml"}
    return [(p.path, p.record, p.message) for p in problems]


def test_a_valid_record_reads_exactly() -> None:
    from modelunit.targets import _target

    target, problems = _target({**_VALID, "strict": True, "count": 7}, 0)
    assert problems == []
    assert target == ProgrammeTarget(
        id="x-2025",
        scope="provincial",
        year=2025,
        kind="floor",
        source_title="a title",
        source_url="",
        note="a note",
        share=Fraction(3, 10),
        count=7,
        strict=True,
        province="Phú Yên",
        province_code="54",
        map_edition="pre-2025",
        current_province="Đắk Lắk",
        source_date=date(2024, 1, 16),
    )


def test_unknown_and_missing_fields_are_reported_before_anything_else() -> None:
    raw = {k: v for k, v in _VALID.items() if k not in ("note", "year")}
    assert _problems({**raw, "colour": "red", "scope": "galactic"}) == [
        ("targets[3].colour", "x-2025", "unknown field"),
        ("targets[3].year", "x-2025", "missing"),
        ("targets[3].note", "x-2025", "missing"),
    ]


def test_a_record_without_an_id_is_reported_without_a_record() -> None:
    raw = {k: v for k, v in _VALID.items() if k != "id"}
    assert _problems(raw) == [("targets[3].id", None, "missing")]


def test_every_bad_value_is_reported_at_once() -> None:
    raw = {**_VALID, "scope": "galactic", "kind": "wish", "share": "lots"}
    found = _problems(raw)
    assert [path for path, _, _ in found] == [
        "targets[3].scope",
        "targets[3].kind",
        "targets[3].share",
        "targets[3].share",
    ]
    assert found[0][2] == "expected one of ['national', 'provincial'], got 'galactic'"
    assert found[1][2] == "expected one of ['floor', 'registered', 'stretch'], got 'wish'"
    assert found[3][2] == "a floor or stretch target needs a share"


@pytest.mark.parametrize("share", ["0", "0%", "101%", "-1/2", 2])
def test_a_share_lies_in_the_half_open_unit_interval(share: object) -> None:
    assert _problems({**_VALID, "share": share}) == [
        ("targets[3].share", "x-2025", f"expected a share in (0, 1], got {share!r}")
    ]


def test_a_share_of_exactly_one_is_valid() -> None:
    from modelunit.targets import _target

    target, problems = _target({**_VALID, "share": 1}, 0)
    assert problems == []
    assert target is not None
    assert target.share == 1


def test_a_registration_needs_a_count_and_no_share() -> None:
    raw = {k: v for k, v in _VALID.items() if k != "share"}
    assert _problems({**raw, "kind": "registered"}) == [
        ("targets[3].count", "x-2025", "a registration needs a count")
    ]
    from modelunit.targets import _target

    target, problems = _target({**raw, "kind": "registered", "count": 12}, 0)
    assert problems == []
    assert target is not None
    assert (target.share, target.count) == (None, 12)


def test_a_stretch_needs_a_share() -> None:
    raw = {k: v for k, v in _VALID.items() if k != "share"}
    assert _problems({**raw, "kind": "stretch"}) == [
        ("targets[3].share", "x-2025", "a floor or stretch target needs a share")
    ]


def test_a_provincial_target_names_its_province_on_both_maps() -> None:
    raw = {
        k: v
        for k, v in _VALID.items()
        if k not in ("province", "province_code", "map_edition", "current_province")
    }
    assert _problems(raw) == [
        ("targets[3].province", "x-2025", "missing for a provincial target"),
        ("targets[3].province_code", "x-2025", "missing for a provincial target"),
        ("targets[3].map_edition", "x-2025", "missing for a provincial target"),
        ("targets[3].current_province", "x-2025", "missing for a provincial target"),
    ]
    from modelunit.targets import _target

    national, problems = _target({**raw, "scope": "national"}, 0)
    assert problems == []
    assert national is not None
    assert national.province is None


def test_a_source_date_is_a_toml_date() -> None:
    assert _problems({**_VALID, "source_date": "2024-01-16"}) == [
        ("targets[3].source_date", "x-2025", "expected a TOML date, got '2024-01-16'")
    ]


def test_the_bundled_file_is_refused_whole_with_every_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from modelunit import targets
    from modelunit.errors import InvalidInputError

    raw = [_VALID, {**_VALID, "share": "lots"}, _VALID, {**_VALID, "id": "y"}]
    monkeypatch.setattr(targets._data, "read_bundled", lambda *_: ({"targets": raw}, "x"))
    targets._all_targets.cache_clear()
    try:
        with pytest.raises(InvalidInputError) as info:
            load_targets()
    finally:
        monkeypatch.undo()
        targets._all_targets.cache_clear()
    found = [(p.path, p.message) for p in info.value.problems]
    # The number reader's own wording is _numbers' (test_numbers.py); the rest is exact.
    assert [path for path, _ in found] == ["targets[1].share", "targets[1].share", "targets"]
    assert found[1:] == [
        ("targets[1].share", "a floor or stretch target needs a share"),
        ("targets", "duplicate id 'x-2025'"),
    ]
    assert len(load_targets()) > 10  # the real file again
