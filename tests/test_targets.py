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
