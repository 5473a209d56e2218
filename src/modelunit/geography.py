"""Vietnam's administrative geography, bundled: provinces, wards, communes, and the 2025 merger.

Two map editions are bundled, read only from the package's own data files:

- ``"2025"``: the 34 provinces in force from 1 July 2025 and all 3,321
  commune-level units (687 wards, 2,621 communes, 13 special zones);
- ``"pre-2025"``: the 63 provinces in force until 30 June 2025 and their 1,726
  wards (communes and townships are counted, not listed);

plus :func:`load_mapping`, which says what each old ward became, and
:func:`ward_mapping_rows` / :func:`recognised_on_2025_map`, which turn it into the
rows the planner re-bases with (:mod:`modelunit.rollout.rebase`).

>>> from modelunit.geography import load_geography, load_mapping
>>> geo = load_geography("2025")
>>> len(geo.provinces), geo.count("ward"), geo.count("commune"), geo.count("special_zone")
(34, 687, 2621, 13)
>>> hanoi = geo.province_by_name("ha noi")
>>> hanoi.full_name, hanoi.count("ward")
('Thành phố Hà Nội', 51)
>>> [u.name for u in geo.units(province="Hà Nội", kind="ward")][:2]
['Phường Ba Đình', 'Phường Ngọc Hà']
>>> old = load_geography("pre-2025")
>>> len(old.provinces), old.count("ward")
(63, 1726)
>>> mapping = load_mapping()
>>> mapping.new_province("Bà Rịa - Vũng Tàu").name
'Hồ Chí Minh'

Names are matched without regard to case, diacritics, spacing, punctuation or
the "Thành phố"/"Tỉnh" prefix; codes are the official ones (``"01"`` for a
province, ``"00004"`` for a unit) and may be given as ``int``. Anything not
found raises :class:`~modelunit.errors.UnknownUnitError` (a ``KeyError``).

Every object returned is frozen, and the loaders return the very same object on
every call. The data come from the MIT-licensed PyPI package
``vietnamadminunits`` (see ``docs/geography.md`` and each file's ``meta``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, cast, get_args

import attrs

from modelunit import _data
from modelunit.errors import (
    GeographySourceError,
    InvalidInputError,
    InvalidMappingError,
    Problem,
    UnknownUnitError,
)

if TYPE_CHECKING:
    from pathlib import Path

    from modelunit.rollout.rebase import MappingRow, MergeRule

__all__ = [
    "EDITIONS",
    "AdminUnit",
    "Edition",
    "Geography",
    "GeographyMapping",
    "GeographySourceError",
    "Province",
    "ProvinceKind",
    "ProvinceMapping",
    "UnitKind",
    "UnitMapping",
    "UnitTarget",
    "from_vietnam_provinces",
    "geography_from_data",
    "load_geography",
    "load_mapping",
    "load_mapping_rows",
    "mapping_from_data",
    "name_key",
    "recognised_on_2025_map",
    "ward_mapping_rows",
]


def __dir__() -> list[str]:
    return __all__


UnitKind = Literal["ward", "commune", "township", "special_zone"]
"""Commune-level unit types: phường, xã, thị trấn (before 2025 only), đặc khu (2025 on)."""

ProvinceKind = Literal["municipality", "province"]
"""Thành phố trực thuộc trung ương (centrally-run city) or tỉnh (province)."""

Edition = Literal["2025", "pre-2025"]
"""A map edition: from 1 July 2025 (34 provinces), or until 30 June 2025 (63 provinces)."""

EDITIONS: Final[tuple[Edition, ...]] = ("2025", "pre-2025")

_UNIT_KINDS: Final = frozenset(get_args(UnitKind))
_PREFIX: Final[Mapping[str, str]] = MappingProxyType(
    {"ward": "Phường", "commune": "Xã", "township": "Thị trấn", "special_zone": "Đặc khu"}
)
_PROVINCE_PREFIX: Final[Mapping[str, str]] = MappingProxyType(
    {"municipality": "Thành phố", "province": "Tỉnh"}
)
_FILES: Final[Mapping[str, str]] = MappingProxyType({"2025": "vn-2025", "pre-2025": "vn-pre-2025"})
_MAPPING_FILE: Final = "vn-mapping-2025"
# Folded province-name prefixes, longest first, and common short forms.
_FOLDED_PREFIXES: Final = ("thanhpho", "tinh", "tp")
_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "hcm": "hochiminh",
        "hcmc": "hochiminh",
        "saigon": "hochiminh",
        "hochiminhcity": "hochiminh",
        "thuathienhue": "hue",  # the province's name until it became a city (1 January 2025)
    }
)


def name_key(name: str) -> str:
    """Fold a Vietnamese name for matching: no diacritics, case, spaces or punctuation.

    >>> name_key("Thành phố Hồ Chí Minh"), name_key("Bà Rịa–Vũng Tàu"), name_key("Đắk Lắk")
    ('thanhphohochiminh', 'bariavungtau', 'daklak')
    """
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _plain(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _province_key(name: str) -> str:
    key = name_key(name)
    for prefix in _FOLDED_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    return _ALIASES.get(key, key)


def _code(value: str | int, width: int) -> str:
    if isinstance(value, bool):
        raise UnknownUnitError(repr(value))
    if isinstance(value, int) and abs(value) >= 10**20:  # no code is that long (and str()
        raise UnknownUnitError("<a number of more than 20 digits>")  # refuses 4,300 digits)
    text = str(value).strip()
    if not text.isdigit():
        raise UnknownUnitError(text)
    return text.zfill(width)


@attrs.frozen
class AdminUnit:
    """One commune-level unit: a ward (phường), commune (xã), township or special zone.

    ``name`` is the official name with its type word (``"Phường Ba Đình"``),
    ``province`` the code of its province on the same map edition, and
    ``district`` the district it belonged to (pre-2025 edition only; there are no
    districts after 1 July 2025).
    """

    code: str
    name: str
    kind: UnitKind
    province: str
    district: str | None = None

    @property
    def short_name(self) -> str:
        """The name without its type word: ``"Ba Đình"`` for ``"Phường Ba Đình"``."""
        prefix = _PREFIX[self.kind] + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name


@attrs.frozen
class Province:
    """A province-level unit with its counts of commune-level units by kind.

    ``name`` is the short name (``"Hà Nội"``); :attr:`full_name` adds the type
    word. ``districts`` is set on the pre-2025 edition only.
    """

    code: str
    name: str
    kind: ProvinceKind
    wards: int
    communes: int
    special_zones: int = 0
    townships: int = 0
    districts: int | None = None

    @property
    def full_name(self) -> str:
        """``"Thành phố Hà Nội"``, ``"Tỉnh Nghệ An"``."""
        return f"{_PROVINCE_PREFIX[self.kind]} {self.name}"

    @property
    def unit_count(self) -> int:
        """All commune-level units of the province."""
        return self.wards + self.communes + self.special_zones + self.townships

    def count(self, kind: UnitKind | None = None) -> int:
        """Units of one kind (all kinds when ``kind`` is None)."""
        if kind is None:
            return self.unit_count
        counts = {
            "ward": self.wards,
            "commune": self.communes,
            "special_zone": self.special_zones,
            "township": self.townships,
        }
        if kind not in counts:
            raise UnknownUnitError(f"unit kind {kind!r}")
        return counts[kind]


def _empty_index() -> Mapping[str, Any]:
    return MappingProxyType({})


@attrs.frozen
class Geography:
    """One map edition: its provinces, its listed units, and lookups over them.

    ``all_units`` holds every listed unit sorted by code; ``listed_kinds`` says
    which kinds are listed one by one (the pre-2025 edition lists wards only,
    but :meth:`count` and the provinces' counts cover every kind). ``source``
    says where the data came from.
    """

    edition: Edition
    provinces: tuple[Province, ...]
    all_units: tuple[AdminUnit, ...]
    listed_kinds: frozenset[UnitKind]
    source: str
    _by_code: Mapping[str, Province] = attrs.field(
        init=False, eq=False, repr=False, factory=_empty_index
    )
    _by_name: Mapping[str, tuple[Province, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=_empty_index
    )
    _units_by_code: Mapping[str, AdminUnit] = attrs.field(
        init=False, eq=False, repr=False, factory=_empty_index
    )

    def __attrs_post_init__(self) -> None:
        by_name: dict[str, list[Province]] = {}
        for p in self.provinces:
            by_name.setdefault(_province_key(p.name), []).append(p)
        object.__setattr__(self, "_by_code", MappingProxyType({p.code: p for p in self.provinces}))
        object.__setattr__(
            self, "_by_name", MappingProxyType({k: tuple(v) for k, v in by_name.items()})
        )
        object.__setattr__(
            self, "_units_by_code", MappingProxyType({u.code: u for u in self.all_units})
        )

    # -- provinces ------------------------------------------------------------------
    def province_by_code(self, code: str | int) -> Province:
        """The province with this official code (``"01"``, ``1``)."""
        key = _code(code, 2)
        try:
            return self._by_code[key]
        except KeyError:
            raise UnknownUnitError(f"province code {key} ({self.edition} map)") from None

    def province_by_name(self, name: str) -> Province:
        """The province with this name, matched leniently (see the module doc).

        >>> load_geography("pre-2025").province_by_name("TP.HCM").full_name
        'Thành phố Hồ Chí Minh'
        """
        found = self._by_name.get(_province_key(name), ())
        if len(found) == 1:
            return found[0]
        wanted = _plain(name)
        exact = [p for p in found if wanted in (_plain(p.name), _plain(p.full_name))]
        if len(exact) == 1:
            return exact[0]
        raise UnknownUnitError(f"province {name!r} ({self.edition} map)")

    def province(self, key: str | int) -> Province:
        """A province by code (digits) or by name."""
        if isinstance(key, int) or key.strip().isdigit():
            return self.province_by_code(key)
        return self.province_by_name(key)

    # -- units ----------------------------------------------------------------------
    def unit(self, code: str | int) -> AdminUnit:
        """The listed unit with this official code (``"00004"``, ``4``)."""
        key = _code(code, 5)
        try:
            return self._units_by_code[key]
        except KeyError:
            raise UnknownUnitError(f"unit code {key} ({self.edition} map)") from None

    def units(
        self, province: str | int | None = None, kind: UnitKind | None = None
    ) -> tuple[AdminUnit, ...]:
        """Listed units, optionally of one province (code or name) and one kind, by code.

        Asking for a kind this edition does not list unit by unit raises
        :class:`~modelunit.errors.UnknownUnitError`; use :meth:`count` for it.
        """
        if kind is not None and kind not in self.listed_kinds:
            raise UnknownUnitError(
                f"unit kind {kind!r} is not listed on the {self.edition} map "
                f"(listed: {', '.join(sorted(self.listed_kinds))}); use count()"
            )
        code = None if province is None else self.province(province).code
        return tuple(
            u
            for u in self.all_units
            if (code is None or u.province == code) and (kind is None or u.kind == kind)
        )

    def find_units(
        self, name: str, province: str | int | None = None, kind: UnitKind | None = None
    ) -> tuple[AdminUnit, ...]:
        """Listed units whose full or short name matches ``name`` (leniently), by code.

        Names repeat across provinces (and, before 2025, across districts), so
        this returns every match; an empty result raises
        :class:`~modelunit.errors.UnknownUnitError`.

        >>> geo = load_geography("2025")
        >>> [(u.code, u.name) for u in geo.find_units("Ba Đình")]
        [('00004', 'Phường Ba Đình'), ('16171', 'Xã Ba Đình')]
        >>> [(u.code, u.name) for u in geo.find_units("ba dinh", kind="ward")]
        [('00004', 'Phường Ba Đình')]

        When the name is written with diacritics, units whose name matches it
        exactly (case aside) are preferred over diacritic-insensitive matches.
        """
        key = name_key(name)
        found = tuple(
            u
            for u in self.units(province=province, kind=kind)
            if key in (name_key(u.name), name_key(u.short_name))
        )
        if not found:
            raise UnknownUnitError(f"unit {name!r} ({self.edition} map)")
        if name.isascii():
            return found
        wanted = _plain(name)
        exact = tuple(u for u in found if wanted in (_plain(u.name), _plain(u.short_name)))
        return exact or found

    def count(self, kind: UnitKind | None = None, province: str | int | None = None) -> int:
        """How many units of a kind (all kinds if None), nationally or in one province."""
        if kind is not None and kind not in _UNIT_KINDS:
            raise UnknownUnitError(f"unit kind {kind!r}")
        provinces = self.provinces if province is None else (self.province(province),)
        return sum(p.count(kind) for p in provinces)


@attrs.frozen
class ProvinceMapping:
    """An old (pre-2025) province code and the new (2025) province it is now part of."""

    old: str
    new: str


@attrs.frozen
class UnitTarget:
    """A new unit that (part of) an old ward became.

    ``default`` marks the one the source picks when nothing more precise is
    known; it is True for the only target of an old ward that was not split.
    """

    code: str
    kind: UnitKind
    default: bool


@attrs.frozen
class UnitMapping:
    """What one old ward (by its pre-2025 code) became on the 2025 map.

    ``split`` is True when the source lists several new units, i.e. the old
    ward's territory was divided between them.
    """

    old: str
    targets: tuple[UnitTarget, ...]
    split: bool


@attrs.frozen
class GeographyMapping:
    """Old (pre-2025) provinces and wards to new (2025) ones, as of 1 July 2025.

    ``old`` and ``new`` are the two maps the codes refer to (names and codes are
    looked up there, never in the bundled files, so a mapping built from other
    data stays consistent with its own maps). They are left out of the ``repr``.

    >>> m = load_mapping()
    >>> m.successors("00001")
    (UnitTarget(code='00097', kind='ward', default=True),)
    >>> len(m.predecessors("00097")), m.predecessors("00097")[0].old
    (12, '00001')
    >>> m.old.edition, m.new.edition
    ('pre-2025', '2025')
    """

    provinces: tuple[ProvinceMapping, ...]
    units: tuple[UnitMapping, ...]
    source: str
    old: Geography = attrs.field(kw_only=True, repr=False)
    new: Geography = attrs.field(kw_only=True, repr=False)
    _province_index: Mapping[str, str] = attrs.field(
        init=False, eq=False, repr=False, factory=_empty_index
    )
    _unit_index: Mapping[str, UnitMapping] = attrs.field(
        init=False, eq=False, repr=False, factory=_empty_index
    )
    _reverse: Mapping[str, tuple[UnitMapping, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=_empty_index
    )

    def __attrs_post_init__(self) -> None:
        reverse: dict[str, list[UnitMapping]] = {}
        for m in self.units:
            for t in m.targets:
                reverse.setdefault(t.code, []).append(m)
        object.__setattr__(
            self, "_province_index", MappingProxyType({p.old: p.new for p in self.provinces})
        )
        object.__setattr__(self, "_unit_index", MappingProxyType({m.old: m for m in self.units}))
        object.__setattr__(
            self, "_reverse", MappingProxyType({k: tuple(v) for k, v in reverse.items()})
        )

    def new_province_code(self, old: str | int) -> str:
        """The 2025 code of the province an old province (code or name) is now part of."""
        if isinstance(old, str) and not old.strip().isdigit():
            old = self.old.province_by_name(old).code
        key = _code(old, 2)
        try:
            return self._province_index[key]
        except KeyError:
            raise UnknownUnitError(f"province code {key} (pre-2025 map)") from None

    def new_province(self, old: str | int) -> Province:
        """The 2025 province an old province (code or name) is now part of."""
        return self.new.province_by_code(self.new_province_code(old))

    def mapping(self, old: str | int) -> UnitMapping:
        """The mapping record of an old ward (pre-2025 code)."""
        key = _code(old, 5)
        try:
            return self._unit_index[key]
        except KeyError:
            raise UnknownUnitError(f"old ward code {key} (pre-2025 map)") from None

    def successors(self, old: str | int) -> tuple[UnitTarget, ...]:
        """The new unit(s) an old ward (pre-2025 code) became, by code."""
        return self.mapping(old).targets

    def predecessors(self, new: str | int) -> tuple[UnitMapping, ...]:
        """The old wards that (partly) became a new unit (2025 code), by old code.

        Only old wards are mapped: a new unit made only of old communes or
        townships has no predecessors here, and returns ``()`` if it exists.
        """
        key = _code(new, 5)
        if key not in self._reverse:
            self.new.unit(key)  # raises for a code that does not exist
        return self._reverse.get(key, ())


# -- loading --------------------------------------------------------------------------
def _read_bundled(name: str) -> tuple[dict[str, Any], str]:
    data, shown = _data.read_bundled("geography", name)
    if not isinstance(data, dict):
        raise InvalidInputError([Problem("", "expected a JSON object")], source=shown)
    return data, shown


def _source_text(meta: Mapping[str, Any]) -> str:
    packages = ", ".join(
        f"{s['package']} {s['version']} ({s['licence']})" for s in meta.get("sources", [])
    )
    return f"{packages}; built {meta.get('built', '?')}"


def _unit_kind(value: object, path: str, source: str) -> UnitKind:
    if value not in _UNIT_KINDS:
        raise InvalidInputError([Problem(path, f"unknown unit kind {value!r}")], source=source)
    return cast("UnitKind", value)


def _geography_from_data(data: Mapping[str, Any], source_name: str) -> Geography:
    meta = data["meta"]
    edition = meta["edition"]
    if edition not in EDITIONS:
        raise InvalidInputError(
            [Problem("meta.edition", f"unknown {edition!r}")], source=source_name
        )
    provinces: list[Province] = []
    units: list[AdminUnit] = []
    for i, p in enumerate(data["provinces"]):
        counts = p["counts"]
        provinces.append(
            Province(
                code=p["code"],
                name=p["name"],
                kind=p["kind"],
                wards=counts.get("ward", 0),
                communes=counts.get("commune", 0),
                special_zones=counts.get("special_zone", 0),
                townships=counts.get("township", 0),
                districts=p.get("districts"),
            )
        )
        for j, u in enumerate(p["units"]):
            units.append(
                AdminUnit(
                    code=u["code"],
                    name=u["name"],
                    kind=_unit_kind(u["kind"], f"provinces[{i}].units[{j}].kind", source_name),
                    province=p["code"],
                    district=u.get("district"),
                )
            )
    listed = frozenset(
        _unit_kind(k, "meta.listed_kinds", source_name) for k in meta["listed_kinds"]
    )
    return Geography(
        edition=edition,
        provinces=tuple(sorted(provinces, key=lambda p: p.code)),
        all_units=tuple(sorted(units, key=lambda u: u.code)),
        listed_kinds=listed,
        source=_source_text(meta),
    )


@cache
def _load_geography(edition: str) -> Geography:
    data, shown = _read_bundled(_FILES[edition])
    return _geography_from_data(data, shown)


def load_geography(edition: Edition = "2025") -> Geography:
    """The bundled map of one edition: ``"2025"`` (34 provinces) or ``"pre-2025"`` (63).

    The same object is returned on every call.
    """
    if edition not in _FILES:
        raise InvalidInputError(
            [Problem("edition", f"unknown map edition {edition!r}; expected one of {EDITIONS}")]
        )
    return _load_geography(edition)


@cache
def load_mapping() -> GeographyMapping:
    """The bundled old-to-new mapping of 1 July 2025 (provinces and old wards).

    Raises :class:`~modelunit.errors.InvalidMappingError` if the bundled file is
    malformed. The same object is returned on every call.
    """
    data, shown = _read_bundled(_MAPPING_FILE)
    return mapping_from_data(data, source=shown)


def geography_from_data(data: Any, *, source: str | None = None) -> Geography:
    """A map from already-parsed data (the JSON of ``data/geography/vn-2025.json``).

    A malformed document raises :class:`~modelunit.errors.InvalidInputError` naming
    ``source``.
    """
    name = source or "geography"
    try:
        return _geography_from_data(data, name)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvalidInputError(
            [Problem("", f"malformed geography file: {exc!r}")], source=name
        ) from None


def mapping_from_data(data: Any, *, source: str | None = None) -> GeographyMapping:
    """The old-to-new mapping from already-parsed data (the JSON of
    ``data/geography/vn-mapping-2025.json``), against the bundled maps of both editions.

    A malformed document raises :class:`~modelunit.errors.InvalidMappingError`.
    """
    shown = source or "mapping"
    try:
        provinces = tuple(
            sorted(
                (ProvinceMapping(old=p["old"], new=p["new"]) for p in data["provinces"]),
                key=lambda p: p.old,
            )
        )
        units = tuple(
            sorted(
                (
                    UnitMapping(
                        old=m["old"],
                        targets=tuple(
                            UnitTarget(
                                code=t["code"],
                                kind=_unit_kind(t["kind"], "units.new.kind", shown),
                                default=bool(t["default"]),
                            )
                            for t in m["new"]
                        ),
                        split=bool(m["split"]),
                    )
                    for m in data["units"]
                ),
                key=lambda m: m.old,
            )
        )
        meta = _source_text(data["meta"])
    except (KeyError, TypeError, AttributeError, InvalidInputError) as exc:
        raise InvalidMappingError(
            [Problem("", f"malformed mapping file: {exc!r}")], source=shown
        ) from exc
    return GeographyMapping(
        provinces=provinces,
        units=units,
        source=meta,
        old=load_geography("pre-2025"),
        new=load_geography("2025"),
    )


# -- the mapping as the planner's rows ------------------------------------------------
def ward_mapping_rows(
    mapping: GeographyMapping | None = None, *, kind: UnitKind = "ward"
) -> tuple[MappingRow, ...]:
    """The mapping (by default the bundled one of 1 July 2025) as the planner's rows:
    each old ward to each new unit of ``kind`` it became (part of), with the old and
    new province codes, for :func:`modelunit.rollout.rebase_recognised` and
    :func:`~modelunit.rollout.rebase_problem`.

    Old wards that became (part of) a commune or special zone only are left out
    for ``kind="ward"``: their recognition does not carry into the ward
    programme. An old ward split between several new wards gives a row for each.

    >>> rows = ward_mapping_rows()
    >>> rows[0]
    MappingRow(old_unit='00001', new_unit='00097', old_region='01', new_region='01')
    """
    from modelunit.rollout.rebase import MappingRow  # noqa: PLC0415 - geography -> planner

    mapping = load_mapping() if mapping is None else mapping
    old, new = mapping.old, mapping.new
    rows = []
    for m in mapping.units:
        old_province = old.unit(m.old).province
        for target in m.targets:
            if target.kind == kind:
                rows.append(
                    MappingRow(m.old, target.code, old_province, new.unit(target.code).province)
                )
    return tuple(rows)


def load_mapping_rows(source: str | Path) -> tuple[MappingRow, ...]:
    """The rows of a mapping file (``.toml`` or ``.json``): old units to new, with their
    regions, for :func:`~modelunit.rollout.rebase_problem` when the bundled mapping
    (:func:`ward_mapping_rows`) is not the one to use. The file is a table with
    ``rows`` (each ``old_unit``, ``new_unit``, ``old_region``, ``new_region``) and an
    optional ``description``; see ``docs/formats/mapping.md``.

    Raises :class:`~modelunit.errors.InvalidMappingError` listing every problem, each
    with its row and field. Whether the rows are consistent (a unit in two regions,
    totals that match a problem) is checked where they are used.
    """
    from modelunit.rollout.rebase import MappingTable  # noqa: PLC0415 - geography -> planner
    from modelunit.serialization import structure_parsed  # noqa: PLC0415 - on use

    data = _data.read_file(source, what=InvalidMappingError)
    return structure_parsed(data, MappingTable, source=str(source)).rows


def recognised_on_2025_map(
    recognised_old_wards: Iterable[str],
    rule: MergeRule | None = None,
    *,
    mapping: GeographyMapping | None = None,
) -> dict[str, tuple[int, int]]:
    """Per province of the new map (the 34-province map of the bundled mapping):
    (wards in total, wards recognised), with the recognition of merged wards decided
    by ``rule`` from the old wards' status (by default ``MergeRule("all")``, as
    :func:`~modelunit.rollout.rebase_recognised`).

    Totals are every ward of the new map (687), including new wards formed only
    from old communes, which are not recognised (none of their parts was a
    recognised ward). Old ward codes are those of the mapping's old map.

    The pilot ward Điện Biên (Hà Nội, code 00019) was split between four new
    wards, each merged with parts of other old wards:

    >>> from modelunit.rollout import MergeRule
    >>> recognised_on_2025_map(["00019"], MergeRule("all"))["01"]
    (51, 0)
    >>> recognised_on_2025_map(["00019"], MergeRule("any"))["01"]
    (51, 4)
    >>> sum(total for total, _ in recognised_on_2025_map([]).values())
    687
    """
    from modelunit.rollout.rebase import rebase_recognised  # noqa: PLC0415 - geography -> planner

    mapping = load_mapping() if mapping is None else mapping
    rows = ward_mapping_rows(mapping)
    if rule is None:
        result = rebase_recognised(rows, recognised_old_wards)
    else:
        result = rebase_recognised(rows, recognised_old_wards, rule)
    return {
        p.code: (p.wards, result.recognised.get(p.code, 0))
        for p in sorted(mapping.new.provinces, key=lambda p: p.code)
    }


_VP_KIND: Final[Mapping[str, UnitKind]] = MappingProxyType(
    {"phường": "ward", "xã": "commune", "đặc khu": "special_zone", "thị trấn": "township"}
)


def _vp_unit_name(raw: str, kind: UnitKind) -> str:
    name = unicodedata.normalize("NFC", " ".join(raw.split())).replace("’", "'")
    prefix = _PREFIX[kind]
    if name.casefold().startswith(prefix.casefold() + " "):
        name = prefix + name[len(prefix) :]
    return name


def _vp_geography(provinces_data: Iterable[Any], version: str) -> Geography:
    provinces: list[Province] = []
    units: list[AdminUnit] = []
    for p in provinces_data:
        code = f"{int(p['code']):02d}"
        full = unicodedata.normalize("NFC", " ".join(str(p["name"]).split()))
        kind: ProvinceKind = (
            "municipality" if str(p["division_type"]).startswith("thành phố") else "province"
        )
        short = full
        for prefix in ("Thành phố ", "Tỉnh "):
            if short.startswith(prefix):
                short = short[len(prefix) :]
        counts = dict.fromkeys(_PREFIX, 0)
        for w in p["wards"]:
            wkind = _VP_KIND.get(str(w["division_type"]).casefold())
            if wkind is None:
                raise InvalidInputError(
                    [Problem("division_type", f"unknown unit type {w['division_type']!r}")],
                    source="vietnam-provinces",
                )
            counts[wkind] += 1
            units.append(
                AdminUnit(
                    code=f"{int(w['code']):05d}",
                    name=_vp_unit_name(str(w["name"]), wkind),
                    kind=wkind,
                    province=code,
                )
            )
        provinces.append(
            Province(
                code=code,
                name=short,
                kind=kind,
                wards=counts["ward"],
                communes=counts["commune"],
                special_zones=counts["special_zone"],
                townships=counts["township"],
            )
        )
    return Geography(
        edition="2025",
        provinces=tuple(sorted(provinces, key=lambda p: p.code)),
        all_units=tuple(sorted(units, key=lambda u: u.code)),
        listed_kinds=frozenset(u.kind for u in units),
        source=f"vietnam-provinces {version} (installed package)",
    )


def from_vietnam_provinces() -> Geography:
    """The 2025 map read from an installed ``vietnam-provinces`` package, if any.

    Use it to pick up newer official data than the bundled copy. The package is
    imported only here; nothing of it is bundled with modelunit. Its releases
    before 2026.1.0 carry the *draft* unit codes, which differ from the official
    ones for about 114 units; check :attr:`Geography.source`.

    Raises :class:`GeographySourceError` when the package is not installed or
    has no readable data file, and an
    :class:`~modelunit.errors.InvalidInputError` when the data are malformed.
    """
    try:
        import vietnam_provinces  # type: ignore[import-not-found]  # noqa: PLC0415
    except ImportError as exc:
        raise GeographySourceError(
            "the optional package 'vietnam-provinces' is not installed "
            "(pip install vietnam-provinces); the bundled map is load_geography('2025')"
        ) from exc
    version = str(getattr(vietnam_provinces, "__version__", "unknown"))
    try:
        text = (
            resources.files("vietnam_provinces")
            .joinpath("data", "nested-divisions.json")
            .read_text("utf-8")
        )
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise GeographySourceError(
            f"vietnam-provinces {version} has no readable data/nested-divisions.json: {exc}"
        ) from exc
    try:
        return _vp_geography(data, version)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(
            [Problem("", f"unexpected data layout: {exc!r}")],
            source=f"vietnam-provinces {version}",
        ) from exc
