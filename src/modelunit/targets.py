"""Reported targets of the model-ward-police programme, as ready-made milestone records.

The bundled file ``data/targets/cap-kieu-mau.toml`` holds the national milestones
and the provincial targets that public sources report for "Công an phường điển
hình, kiểu mẫu về ANTT và VMĐT", each with its source URL, title, date and a
note. Where sources disagree, every figure is kept as its own record.

>>> from modelunit.targets import load_targets, national_milestones
>>> [(t.year, str(t.share), t.kind) for t in national_milestones()]
[(2025, '3/10', 'floor'), (2025, '1/2', 'stretch'), (2030, '1', 'floor')]
>>> hcmc_2025 = [t for t in load_targets(province="Hồ Chí Minh") if t.year == 2025]
>>> for t in hcmc_2025:  # conflicting figures, side by side
...     print(t.id, t.share, t.strict, t.source_date)
hcmc-2022-plan-2025 1 False 2022-05-21
hcmc-2023-plan-2025 3/10 False None
hcmc-2024-police-2025 2/5 True 2024-01-16

Provincial targets were set on the 63-province map (``map_edition ==
"pre-2025"``); ``current_province`` names the 2025 province the old one is now
part of:

>>> t = next(t for t in load_targets() if t.id == "phuyen-2025")
>>> t.province, t.current_province, t.wards_at_source
('Phú Yên', 'Đắk Lắk', 21)

These records are meant as milestone sets for a rollout planner (such as
``modelunit.rollout``): a share of a province's wards by a year, as a floor
(must) or a stretch (aim). This module does not depend on the planner. A share
becomes a whole number of wards by rounding up (30% of 249 is 75).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import cache
from typing import Any, Final, Literal, cast, get_args

import attrs

from modelunit import _data
from modelunit._numbers import exact_fraction
from modelunit.errors import InvalidInputError, Problem, UnknownUnitError
from modelunit.geography import load_geography

__all__ = [
    "ProgrammeTarget",
    "TargetKind",
    "TargetScope",
    "load_targets",
    "national_milestones",
    "targets_from_data",
]


def __dir__() -> list[str]:
    return __all__


TargetScope = Literal["national", "provincial"]
TargetKind = Literal["floor", "stretch", "registered"]
"""``floor``: at least this ("ít nhất"); ``stretch``: a higher aim ("phấn đấu");
``registered``: wards a province registered to build in a year (a count, no share)."""

_FILE: Final = "targets/cap-kieu-mau.toml"
_SCOPES: Final = frozenset(get_args(TargetScope))
_KINDS: Final = frozenset(get_args(TargetKind))


@attrs.frozen
class ProgrammeTarget:
    """One reported target (or registration) with its source.

    ``share`` is exact (``Fraction(3, 10)`` for 30%) and None for a registration;
    ``count`` is a number of wards when the source gives one; ``strict`` is True
    when the source says "more than" (``trên``) rather than "at least".
    ``province``/``province_code`` are as on the ``map_edition`` map (None for a
    national target); ``current_province``/``current_province_code`` the 2025
    province it is now part of. ``source_url`` is empty when the source is one
    of the project's seed articles, named in ``source_title``; ``source_date``
    is None when the day is not known (the note says what is).
    """

    id: str
    scope: TargetScope
    year: int
    kind: TargetKind
    source_title: str
    source_url: str
    note: str
    share: Fraction | None = None
    count: int | None = None
    strict: bool = False
    province: str | None = None
    province_code: str | None = None
    map_edition: str | None = None
    current_province: str | None = None
    current_province_code: str | None = None
    wards_at_source: int | None = None
    source_date: date | None = None

    def sort_key(self) -> tuple[int, str, int, int, str]:
        """National first, then by province code, year, floor before stretch, id."""
        order = {"floor": 0, "stretch": 1, "registered": 2}[self.kind]
        scope = 0 if self.scope == "national" else 1
        return (scope, self.province_code or "", self.year, order, self.id)


def _target(
    raw: dict[str, Any], index: int, source: str | None = _FILE
) -> tuple[ProgrammeTarget | None, list[Problem]]:
    problems: list[Problem] = []
    path = f"targets[{index}]"
    record = str(raw.get("id", ""))

    def bad(field: str, message: str) -> None:
        problems.append(Problem(f"{path}.{field}", message, record=record or None, source=source))

    known = set(attrs.fields_dict(ProgrammeTarget))
    for extra in sorted(set(raw) - known):
        bad(extra, "unknown field")
    for required in ("id", "scope", "year", "kind", "source_title", "source_url", "note"):
        if required not in raw:
            bad(required, "missing")
    if problems:
        return None, problems
    if raw["scope"] not in _SCOPES:
        bad("scope", f"expected one of {sorted(_SCOPES)}, got {raw['scope']!r}")
    if raw["kind"] not in _KINDS:
        bad("kind", f"expected one of {sorted(_KINDS)}, got {raw['kind']!r}")
    share: Fraction | None = None
    if "share" in raw:
        try:
            share = exact_fraction(raw["share"])
        except ValueError as exc:
            bad("share", str(exc))
        else:
            if not 0 < share <= 1:
                bad("share", f"expected a share in (0, 1], got {raw['share']!r}")
    if raw["kind"] == "registered":
        if "count" not in raw:
            bad("count", "a registration needs a count")
    elif share is None:
        bad("share", "a floor or stretch target needs a share")
    if raw["scope"] == "provincial":
        for field in ("province", "province_code", "map_edition", "current_province"):
            if field not in raw:
                bad(field, "missing for a provincial target")
    source_date = raw.get("source_date")
    if source_date is not None and not isinstance(source_date, date):
        bad("source_date", f"expected a TOML date, got {source_date!r}")
    if problems:
        return None, problems
    return (
        ProgrammeTarget(
            id=raw["id"],
            scope=cast("TargetScope", raw["scope"]),
            year=int(raw["year"]),
            kind=cast("TargetKind", raw["kind"]),
            source_title=raw["source_title"],
            source_url=raw["source_url"],
            note=raw["note"],
            share=share,
            count=raw.get("count"),
            strict=bool(raw.get("strict", False)),
            province=raw.get("province"),
            province_code=raw.get("province_code"),
            map_edition=raw.get("map_edition"),
            current_province=raw.get("current_province"),
            current_province_code=raw.get("current_province_code"),
            wards_at_source=raw.get("wards_at_source"),
            source_date=source_date,
        ),
        [],
    )


@cache
def _all_targets() -> tuple[ProgrammeTarget, ...]:
    data, _ = _data.read_bundled("targets", "cap-kieu-mau")
    return targets_from_data(data, source=_FILE)


def targets_from_data(data: Any, *, source: str | None = None) -> tuple[ProgrammeTarget, ...]:
    """Targets from already-parsed data (a dict from TOML with a ``targets`` list), sorted;
    every problem is reported at once (:class:`~modelunit.errors.InvalidInputError`)."""
    if not isinstance(data, dict) or not isinstance(data.get("targets", []), list):
        raise InvalidInputError([Problem("targets", "expected a list of tables")], source=source)
    problems: list[Problem] = []
    targets: list[ProgrammeTarget] = []
    for i, raw in enumerate(data.get("targets", [])):
        if not isinstance(raw, dict):
            problems.append(Problem(f"targets[{i}]", "expected a table", source=source))
            continue
        target, found = _target(raw, i, source)
        problems.extend(found)
        if target is not None:
            targets.append(target)
    ids = [t.id for t in targets]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem("targets", f"duplicate id {dup!r}", source=source))
    if problems:
        raise InvalidInputError(problems, source=source)
    return tuple(sorted(targets, key=ProgrammeTarget.sort_key))


def load_targets(
    *, province: str | None = None, scope: TargetScope | None = None
) -> tuple[ProgrammeTarget, ...]:
    """Every bundled target, sorted deterministically (see :meth:`ProgrammeTarget.sort_key`).

    ``province`` filters by name, matched as by
    :meth:`~modelunit.geography.Geography.province_by_name` on either map: a
    pre-2025 name selects that province's targets, a 2025 name the targets of
    every old province now part of it. Digits are a pre-2025 code. An unknown
    province raises
    :class:`~modelunit.errors.UnknownUnitError`.
    """
    targets = _all_targets()
    if scope is not None:
        targets = tuple(t for t in targets if t.scope == scope)
    if province is not None:
        codes = _province_codes(province)
        targets = tuple(
            t
            for t in targets
            if (t.province_code, None) in codes or (None, t.current_province_code) in codes
        )
        if not targets:
            raise UnknownUnitError(f"no targets for province {province!r}")
    return targets


def _province_codes(province: str) -> set[tuple[str | None, str | None]]:
    """(pre-2025 code, None) and (None, 2025 code) for every map the name is found on."""
    found: set[tuple[str | None, str | None]] = set()
    if province.strip().isdigit():
        return {(province.strip().zfill(2), None)}
    for edition in ("pre-2025", "2025"):
        try:
            code = load_geography(edition).province_by_name(province).code
        except UnknownUnitError:
            continue
        found.add((code, None) if edition == "pre-2025" else (None, code))
    if not found:
        raise UnknownUnitError(f"province {province!r}")
    return found


def national_milestones() -> tuple[ProgrammeTarget, ...]:
    """The national floor and stretch milestones (2025: 30% / 50%; 2030: 100%)."""
    return tuple(
        t for t in _all_targets() if t.scope == "national" and t.kind in ("floor", "stretch")
    )
