"""Bundled geography: exact counts, lookups, the 2025 mapping, data-file hygiene."""

from __future__ import annotations

import json
from importlib import resources

import attrs
import pytest

from modelunit.errors import InvalidInputError, ModelUnitError, UnknownUnitError
from modelunit.geography import (
    AdminUnit,
    Geography,
    GeographyMapping,
    GeographySourceError,
    Province,
    ProvinceMapping,
    UnitMapping,
    UnitTarget,
    from_vietnam_provinces,
    load_geography,
    load_mapping,
    name_key,
    recognised_on_2025_map,
    ward_mapping_rows,
)
from modelunit.rollout import MappingRow, MergeRule
from modelunit.serialization import from_json, to_json

DATA_FILES = ("vn-2025.json", "vn-pre-2025.json", "vn-mapping-2025.json")


@pytest.fixture(scope="module")
def new() -> Geography:
    return load_geography("2025")


@pytest.fixture(scope="module")
def old() -> Geography:
    return load_geography("pre-2025")


# -- 2025 map: official figures of 1 July 2025 ------------------------------------------
def test_2025_totals_match_official_figures(new: Geography) -> None:
    assert len(new.provinces) == 34
    assert new.count("ward") == 687
    assert new.count("commune") == 2621
    assert new.count("special_zone") == 13
    assert new.count() == 3321
    assert len(new.all_units) == 3321
    assert new.count("township") == 0
    assert sum(1 for p in new.provinces if p.kind == "municipality") == 6


@pytest.mark.parametrize(
    ("city", "wards"),
    [
        ("Hà Nội", 51),
        ("Hồ Chí Minh", 113),
        ("Hải Phòng", 45),
        ("Đà Nẵng", 23),
        ("Huế", 21),
        ("Cần Thơ", 31),
        ("Bắc Ninh", 33),
    ],
)
def test_wards_per_city_after_the_merger(new: Geography, city: str, wards: int) -> None:
    assert new.province_by_name(city).wards == wards
    assert len(new.units(province=city, kind="ward")) == wards


def test_province_counts_agree_with_listed_units(new: Geography) -> None:
    for p in new.provinces:
        units = new.units(province=p.code)
        assert len(units) == p.unit_count
        assert sum(u.kind == "ward" for u in units) == p.wards


def test_units_are_sorted_by_code_and_unique(new: Geography, old: Geography) -> None:
    for geo in (new, old):
        codes = [u.code for u in geo.all_units]
        assert codes == sorted(codes)
        assert len(set(codes)) == len(codes)
        assert [p.code for p in geo.provinces] == sorted(p.code for p in geo.provinces)


def test_unit_names_carry_their_official_type_word(new: Geography, old: Geography) -> None:
    for geo in (new, old):
        for u in geo.all_units:
            assert (
                u.name
                == {
                    "ward": "Phường",
                    "commune": "Xã",
                    "special_zone": "Đặc khu",
                    "township": "Thị trấn",
                }[u.kind]
                + " "
                + u.short_name
            )


def test_source_type_slips_are_corrected_by_name(new: Geography) -> None:
    # vietnamadminunits 1.0.4 types these two pairs the wrong way round.
    assert new.unit("10543").kind == "ward"  # Phường Việt Hòa
    assert new.unit("11848").kind == "commune"  # Xã Vĩnh Hòa
    assert new.unit("31213").kind == "ward"  # Phường Tân Lộc
    assert new.unit("31299").kind == "commune"  # Xã Phong Điền


# -- pre-2025 map -----------------------------------------------------------------------
def test_pre_2025_totals(old: Geography) -> None:
    assert len(old.provinces) == 63
    # 1,726 wards by their official names; the source's type column says 1,724
    # (it types Phường 5 and Phường 15 of Phú Nhuận as communes): see docs/geography.md.
    assert old.count("ward") == 1726
    assert old.count("township") == 617
    assert old.count("commune") == 7692
    assert old.count() == 10035
    assert len(old.all_units) == 1726
    assert old.listed_kinds == frozenset({"ward"})
    assert sum(p.districts or 0 for p in old.provinces) == 696


def test_pre_2025_wards_carry_their_district(old: Geography) -> None:
    unit = old.unit("00001")
    assert unit == AdminUnit("00001", "Phường Phúc Xá", "ward", "01", "Quận Ba Đình")
    assert all(u.district for u in old.all_units)
    assert old.province_by_name("Hồ Chí Minh").wards == 210
    assert old.province_by_name("Thừa Thiên Huế").full_name == "Thành phố Huế"
    assert old.province_by_name("Huế").wards == 48


def test_pre_2025_lists_wards_only(old: Geography) -> None:
    with pytest.raises(UnknownUnitError, match="not listed"):
        old.units(kind="commune")
    assert old.count("commune", province="Hà Nội") == old.province("01").communes


# -- lookups ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["Hà Nội", "ha noi", "HÀ NỘI", "Thành phố Hà Nội", "TP Hà Nội", "hanoi", "  Ha  Noi "],
)
def test_province_names_are_matched_leniently(new: Geography, name: str) -> None:
    assert new.province_by_name(name).code == "01"


def test_province_aliases_and_codes(new: Geography, old: Geography) -> None:
    for alias in ("TP.HCM", "TPHCM", "HCMC", "Thành phố Hồ Chí Minh", "ho chi minh"):
        assert new.province_by_name(alias).code == "79"
    assert old.province_by_name("Bà Rịa–Vũng Tàu").code == "77"
    assert new.province(1) is new.province("01") is new.province_by_code("1")
    assert new.province("Đắk Lắk").full_name == "Tỉnh Đắk Lắk"


def test_find_units_prefers_exact_diacritics(new: Geography) -> None:
    assert [u.code for u in new.find_units("Phường Ba Đình")] == ["00004"]
    assert [u.code for u in new.find_units("ba dinh")] == ["00004", "16171", "21499"]
    assert [u.code for u in new.find_units("ba dinh", province="Hà Nội")] == ["00004"]


@pytest.mark.parametrize(
    "call",
    [
        lambda g: g.province_by_name("Atlantis"),
        lambda g: g.province_by_code("99"),
        lambda g: g.province("not a code 12"),
        lambda g: g.unit("99999"),
        lambda g: g.unit("abc"),
        lambda g: g.find_units("Phường Không Có"),
        lambda g: g.units(province="Atlantis"),
        lambda g: g.count("district"),
    ],
)
def test_unknown_names_and_codes_raise(new: Geography, call: object) -> None:
    with pytest.raises(UnknownUnitError) as info:
        call(new)  # type: ignore[operator]
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, ModelUnitError)


def test_unknown_edition_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        load_geography("2019")  # type: ignore[arg-type]


# -- loaders: cached, immutable ---------------------------------------------------------
def test_loaders_return_the_same_objects() -> None:
    assert load_geography("2025") is load_geography("2025")
    assert load_geography("pre-2025") is load_geography("pre-2025")
    assert load_mapping() is load_mapping()


def test_objects_are_frozen(new: Geography) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        new.provinces[0].wards = 0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        new.edition = "pre-2025"  # type: ignore[misc]
    with pytest.raises(TypeError):
        new._by_code["01"] = new.provinces[0]  # type: ignore[index]
    assert isinstance(new.provinces, tuple)
    assert isinstance(new.all_units, tuple)


def test_name_key_folds_vietnamese() -> None:
    assert name_key("Đắk Lắk") == name_key("dak lak") == "daklak"
    assert name_key("Thanh Hóa") == name_key("Thanh Hoá")


# -- the 2025 mapping -------------------------------------------------------------------
def test_every_old_province_maps_to_a_new_one(new: Geography, old: Geography) -> None:
    mapping = load_mapping()
    assert sorted(m.old for m in mapping.provinces) == [p.code for p in old.provinces]
    assert {m.new for m in mapping.provinces} == {p.code for p in new.provinces}
    assert mapping.new_province("Phú Yên").name == "Đắk Lắk"
    assert mapping.new_province("Bình Phước").name == "Đồng Nai"
    assert mapping.new_province("Bà Rịa - Vũng Tàu").name == "Hồ Chí Minh"
    assert mapping.new_province("Bình Dương").name == "Hồ Chí Minh"
    assert mapping.new_province("Thừa Thiên Huế").name == "Huế"
    assert mapping.new_province_code("01") == "01"


def test_every_old_ward_maps_into_the_new_map(new: Geography, old: Geography) -> None:
    mapping = load_mapping()
    assert [m.old for m in mapping.units] == [u.code for u in old.all_units]
    for m in mapping.units:
        assert m.targets
        assert m.split == (len(m.targets) > 1)
        assert sum(t.default for t in m.targets) == 1
        for t in m.targets:
            assert new.unit(t.code).kind == t.kind
            # A ward of an old province lands in the new province it became part of.
            assert new.unit(t.code).province == mapping.new_province_code(old.unit(m.old).province)
    assert sum(m.split for m in mapping.units) == 210


def test_mapping_examples() -> None:
    mapping = load_mapping()
    # Pilot ward Điện Biên (Ba Đình, Hà Nội) was split between four new wards;
    # the source's default is Phường Ba Đình.
    (dien_bien,) = load_geography("pre-2025").find_units("Phường Điện Biên", province="Hà Nội")
    assert dien_bien.code == "00019"
    targets = mapping.successors(dien_bien.code)
    assert [t.code for t in targets] == ["00004", "00070", "00190", "00226"]
    assert [t.code for t in targets if t.default] == ["00004"]
    assert mapping.mapping("00019").split
    assert len(mapping.predecessors("00097")) == 12
    assert mapping.predecessors(4)[0].old == "00004"
    with pytest.raises(UnknownUnitError):
        mapping.successors("99999")
    with pytest.raises(UnknownUnitError):
        mapping.predecessors("99999")
    with pytest.raises(UnknownUnitError):
        mapping.new_province("Atlantis")


def _own_maps() -> GeographyMapping:
    """A mapping between two small maps of its own (no code or name of the bundled maps)."""
    old = Geography(
        edition="pre-2025",
        provinces=(
            Province("91", "Cũ Một", "province", wards=2, communes=0),
            Province("92", "Cũ Hai", "province", wards=1, communes=0),
        ),
        all_units=(
            AdminUnit("90001", "Phường Một", "ward", "91"),
            AdminUnit("90002", "Phường Hai", "ward", "91"),
            AdminUnit("90003", "Phường Ba", "ward", "92"),
        ),
        listed_kinds=frozenset({"ward"}),
        source="test",
    )
    new = Geography(
        edition="2025",
        provinces=(Province("91", "Mới", "province", wards=2, communes=1),),
        all_units=(
            AdminUnit("90010", "Phường Mười", "ward", "91"),
            AdminUnit("90011", "Phường Mười Một", "ward", "91"),
            AdminUnit("90012", "Xã Mười Hai", "commune", "91"),
        ),
        listed_kinds=frozenset({"ward", "commune"}),
        source="test",
    )
    return GeographyMapping(
        provinces=(ProvinceMapping("91", "91"), ProvinceMapping("92", "91")),
        units=(
            UnitMapping("90001", (UnitTarget("90010", "ward", default=True),), split=False),
            UnitMapping("90002", (UnitTarget("90010", "ward", default=True),), split=False),
            UnitMapping(
                "90003",
                (UnitTarget("90011", "ward", default=True), UnitTarget("90012", "commune", False)),
                split=True,
            ),
        ),
        source="test",
        old=old,
        new=new,
    )


def test_a_mapping_looks_names_and_codes_up_in_its_own_maps() -> None:
    mapping = _own_maps()
    assert mapping.new_province("Cũ Hai").name == "Mới"
    assert mapping.new_province_code("cu mot") == "91"
    assert mapping.predecessors("90012") == (mapping.mapping("90003"),)
    assert mapping.predecessors(90011)[0].old == "90003"
    with pytest.raises(UnknownUnitError):
        mapping.predecessors("00004")  # a ward of the bundled map, not of this one
    with pytest.raises(UnknownUnitError):
        mapping.new_province("Hà Nội")
    assert load_mapping().old is load_geography("pre-2025")
    assert load_mapping().new is load_geography("2025")
    assert repr(mapping).endswith("source='test')")  # the maps are left out


def test_a_mapping_round_trips_with_its_maps() -> None:
    mapping = _own_maps()
    back = from_json(to_json(mapping), GeographyMapping)
    assert back == mapping
    assert (back.old, back.new) == (mapping.old, mapping.new)


# -- the mapping as the planner's rows ------------------------------------------------
def test_ward_rows_cover_every_old_ward_that_stayed_a_ward() -> None:
    rows = ward_mapping_rows()
    # 1,726 old wards: all but 2 became (part of) at least one new ward; every one of
    # the 687 new wards has an old ward among its parts; splits give extra rows.
    assert len(rows) == 1981
    assert len({r.old_unit for r in rows}) == 1724
    assert len({r.new_unit for r in rows}) == 687
    assert len({r.old_region for r in rows}) == 63
    assert len({r.new_region for r in rows}) == 34


def test_rows_and_counts_of_a_mapping_of_ones_own() -> None:
    mapping = _own_maps()
    assert ward_mapping_rows(mapping) == (
        MappingRow("90001", "90010", "91", "91"),
        MappingRow("90002", "90010", "91", "91"),
        MappingRow("90003", "90011", "92", "91"),
    )
    assert ward_mapping_rows(mapping, kind="commune") == (MappingRow("90003", "90012", "92", "91"),)
    assert recognised_on_2025_map(["90001", "90003"], mapping=mapping) == {"91": (2, 1)}
    assert recognised_on_2025_map(["90001"], MergeRule("any"), mapping=mapping) == {"91": (2, 1)}
    assert recognised_on_2025_map(["90001"], MergeRule("all"), mapping=mapping) == {"91": (2, 0)}


def test_merge_rule_decides_merged_wards() -> None:
    strict = recognised_on_2025_map(["00019"], MergeRule("all"))
    lenient = recognised_on_2025_map(["00019"], MergeRule("any"))
    assert strict["01"] == (51, 0)
    assert lenient["01"] == (51, 4)
    assert sum(t for t, _ in strict.values()) == 687


# -- data files -------------------------------------------------------------------------
@pytest.mark.parametrize("name", DATA_FILES)
def test_data_files_are_valid_json_with_meta(name: str) -> None:
    text = resources.files("modelunit").joinpath("data/geography", name).read_text("utf-8")
    data = json.loads(text)
    meta = data["meta"]
    assert meta["built"] == "2026-11-21"
    assert meta["command"].startswith("python scripts/build_geography.py --date ")
    assert "MIT" in meta["licence"]
    (source,) = meta["sources"]
    assert source["package"] == "vietnamadminunits"
    assert source["version"] == "1.0.4"
    assert source["licence"] == "MIT"
    assert text.endswith("\n")
    assert len(text.encode("utf-8")) < 300_000


def test_cross_check_with_vietnam_provinces_is_recorded() -> None:
    text = resources.files("modelunit").joinpath("data/geography/vn-2025.json").read_text("utf-8")
    check = json.loads(text)["meta"]["cross_check"]
    assert check["package"] == "vietnam-provinces"
    assert check["codes_in_only_one_package"] == 0
    assert check["kind_differences"] == 0
    assert check["units_counts"] == {"commune": 2621, "special_zone": 13, "ward": 687}


# -- optional adapter -------------------------------------------------------------------
def test_adapter_without_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "vietnam_provinces", None)
    with pytest.raises(GeographySourceError, match="not installed") as info:
        from_vietnam_provinces()
    assert isinstance(info.value, ModelUnitError)
    assert isinstance(info.value, ImportError)


def test_adapter_reads_the_package_data(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """A fake installed package with the same layout as vietnam-provinces."""
    import sys
    from pathlib import Path

    root = Path(str(tmp_path)) / "vietnam_provinces"
    (root / "data").mkdir(parents=True)
    (root / "__init__.py").write_text("__version__ = '2099.1.0'\n", encoding="utf-8")
    provinces = [
        {
            "name": "Thành phố Hà Nội",
            "code": 1,
            "division_type": "thành phố trung ương",
            "wards": [
                {"name": "Phường Ba Đình", "code": 4, "division_type": "phường"},
                {"name": "xã  Sóc Sơn", "code": 376, "division_type": "xã"},
            ],
        },
        {
            "name": "Quảng Ninh",
            "code": 22,
            "division_type": "tỉnh",
            "wards": [{"name": "Đặc khu Cô Tô", "code": 7192, "division_type": "đặc khu"}],
        },
    ]
    (root / "data" / "nested-divisions.json").write_text(
        json.dumps(provinces, ensure_ascii=False), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "vietnam_provinces", raising=False)
    geo = from_vietnam_provinces()
    assert geo.source == "vietnam-provinces 2099.1.0 (installed package)"
    assert [p.full_name for p in geo.provinces] == ["Thành phố Hà Nội", "Tỉnh Quảng Ninh"]
    assert geo.unit(376).name == "Xã Sóc Sơn"
    assert geo.count("special_zone") == 1
    assert geo.province("Ha Noi").wards == 1


@pytest.mark.parametrize(
    "code", [10**5000, -(10**30), 10**20], ids=["5001 digits", "-1e30", "1e20"]
)
def test_a_code_of_any_size_is_an_unknown_unit(code: int) -> None:
    # Found by the fuzz suite: a 5,000-digit code raised ValueError (int to str limit).
    geo = load_geography("2025")
    for lookup in (geo.unit, geo.province, geo.province_by_code, load_mapping().successors):
        with pytest.raises(UnknownUnitError):
            lookup(code)


# -- refusals on the way in --------------------------------------------------------------
def test_a_bool_is_not_a_code(new: Geography) -> None:
    with pytest.raises(UnknownUnitError, match="True"):
        new.province_by_code(True)


def test_a_province_counts_units_by_kind(new: Geography) -> None:
    hanoi = new.province("Hà Nội")
    assert hanoi.count() == hanoi.unit_count == hanoi.wards + hanoi.communes
    assert hanoi.count("ward") == hanoi.wards
    with pytest.raises(UnknownUnitError, match="unit kind 'district'"):
        hanoi.count("district")  # type: ignore[arg-type]


def test_an_unknown_old_province_code_is_refused() -> None:
    with pytest.raises(UnknownUnitError, match=r"province code 99 \(pre-2025 map\)"):
        load_mapping().new_province_code("99")
    assert load_mapping().new_province_code("Phú Yên") == load_mapping().new_province_code(54)


def test_a_bundled_map_that_is_not_an_object_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelunit import geography

    monkeypatch.setattr(geography._data, "read_bundled", lambda *_: ([], "geography/x.json"))
    with pytest.raises(InvalidInputError) as info:
        geography._read_bundled("x")
    assert info.value.source == "geography/x.json"
    assert [(p.path, p.message) for p in info.value.problems] == [("", "expected a JSON object")]


def test_a_map_with_an_unknown_edition_or_unit_kind_is_refused() -> None:
    from modelunit import geography

    meta = {"edition": "2025", "listed_kinds": ["ward"], "sources": []}
    unit = {"code": "00001", "name": "Phường A", "kind": "ward"}
    province = {"code": "01", "name": "A", "kind": "province", "counts": {"ward": 1}}
    good = {"meta": meta, "provinces": [{**province, "units": [unit]}]}
    geo = geography._geography_from_data(good, "m.json")
    assert (geo.source, geo.count("ward"), geo.provinces[0].communes) == ("; built ?", 1, 0)
    with pytest.raises(InvalidInputError) as info:
        geography._geography_from_data({**good, "meta": {**meta, "edition": "2019"}}, "m.json")
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("meta.edition", "unknown '2019'")
    ]
    bad = {**good, "provinces": [{**province, "units": [{**unit, "kind": "district"}]}]}
    with pytest.raises(InvalidInputError) as info:
        geography._geography_from_data(bad, "m.json")
    assert info.value.source == "m.json"
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("provinces[0].units[0].kind", "unknown unit kind 'district'")
    ]


def test_a_malformed_mapping_is_an_invalid_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelunit import geography
    from modelunit.errors import InvalidMappingError

    shown = "geography/vn-mapping-2025.json"
    monkeypatch.setattr(geography, "_read_bundled", lambda _: ({"provinces": [{}]}, shown))
    with pytest.raises(InvalidMappingError) as info:
        geography.load_mapping.__wrapped__()
    assert info.value.source == shown
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("", "malformed mapping file: KeyError('old')")
    ]


def test_a_package_unit_name_without_its_type_word_is_kept() -> None:
    from modelunit.geography import _vp_unit_name

    assert _vp_unit_name("phường  Ba Đình", "ward") == "Phường Ba Đình"
    assert _vp_unit_name("Ba  Đình", "ward") == "Ba Đình"


def _fake_package(tmp_path: object, monkeypatch: pytest.MonkeyPatch, data: str | None) -> None:
    import sys
    from pathlib import Path

    root = Path(str(tmp_path)) / "vietnam_provinces"
    (root / "data").mkdir(parents=True)
    (root / "__init__.py").write_text("__version__ = '2099.1.0'\n", encoding="utf-8")
    if data is not None:
        (root / "data" / "nested-divisions.json").write_text(data, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "vietnam_provinces", raising=False)


def test_adapter_without_a_data_file(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    _fake_package(tmp_path, monkeypatch, None)
    with pytest.raises(GeographySourceError, match=r"vietnam-provinces 2099\.1\.0 has no readable"):
        from_vietnam_provinces()


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ("[{}]", "", "unexpected data layout: KeyError('code')"),
        (
            '[{"name": "Tỉnh A", "code": 1, "division_type": "tỉnh",'
            ' "wards": [{"name": "Quận B", "code": 2, "division_type": "quận"}]}]',
            "division_type",
            "unknown unit type 'quận'",
        ),
    ],
)
def test_adapter_with_malformed_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, data: str, path: str, message: str
) -> None:
    _fake_package(tmp_path, monkeypatch, data)
    with pytest.raises(InvalidInputError) as info:
        from_vietnam_provinces()
    assert [(p.path, p.message) for p in info.value.problems] == [(path, message)]


def test_names_that_fold_alike_need_their_diacritics() -> None:
    twins = (
        Province(code="01", name="Bình Định", kind="province", wards=1, communes=0),
        Province(code="02", name="Bình Đình", kind="province", wards=2, communes=0),
    )
    geo = Geography(
        edition="2025", provinces=twins, all_units=(), listed_kinds=frozenset(), source="test"
    )
    assert geo.province_by_name("bình định").code == "01"
    assert geo.province_by_name("Tỉnh Bình Đình").code == "02"
    with pytest.raises(UnknownUnitError, match=r"province 'Binh Dinh' \(2025 map\)"):
        geo.province_by_name("Binh Dinh")


# -- mapping files -----------------------------------------------------------------------


def test_a_mapping_file_is_read_into_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from modelunit.geography import load_mapping_rows

    path = tmp_path / "m.toml"
    path.write_text(
        'description = "two rows"\n'
        '[[rows]]\nold_unit = "w1"\nnew_unit = "N1"\nold_region = "A"\nnew_region = "X"\n'
        '[[rows]]\nold_unit = "w2"\nnew_unit = "N1"\nold_region = "A"\nnew_region = "X"\n',
        encoding="utf-8",
    )
    assert load_mapping_rows(path) == (
        MappingRow("w1", "N1", "A", "X"),
        MappingRow("w2", "N1", "A", "X"),
    )


def test_a_bad_mapping_file_lists_every_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from modelunit.errors import InvalidMappingError
    from modelunit.geography import load_mapping_rows

    path = tmp_path / "m.json"
    path.write_text(
        '{"rows": [{"old_unit": "w1", "new_unit": 5, "old_region": "A", "new_region": "X"},'
        ' {"old_unit": "w2", "new_unti": "N1", "old_region": "A", "new_region": "X"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InvalidMappingError) as info:
        load_mapping_rows(path)
    assert info.value.source == str(path)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("rows[0].new_unit", "expected text, got 5 (put it in quotes)"),
        ("rows[1].new_unit", "required field missing"),
        ("rows[1]", "unexpected field(s): new_unti (did you mean 'new_unit'?)"),
    ]
