"""Build modelunit's bundled geography of Vietnam from public PyPI packages.

Development-time only: the modelunit package never imports this script.

What it writes (UTF-8 JSON, sorted keys, stable order, one record per line) to
``src/modelunit/data/geography/``:

- ``vn-2025.json``: the 34 provinces in force from 1 July 2025, with their
  counts of wards, communes and special zones, and all 3,321 commune-level units.
- ``vn-pre-2025.json``: the 63 provinces in force until 30 June 2025, with their
  counts of wards, townships and communes, and every ward (phường).
- ``vn-mapping-2025.json``: old province -> new province, and old ward -> the
  new unit(s) it became (an old ward split between several new units keeps
  every target).

Source of everything bundled: ``vietnamadminunits`` (MIT licence). If
``vietnam-provinces`` is installed too, it is used only as an independent
cross-check of the 2025 codes, names and counts, and the result is recorded in
``meta.cross_check``; nothing is copied from it (its current releases are
GPL-3.0-or-later).

Rebuild (vietnam-provinces >= 2026.1.0 declares Python >= 3.12 but its data
files are plain JSON, so ``--no-deps --ignore-requires-python`` is fine)::

    python3 -m venv /tmp/geo
    /tmp/geo/bin/pip install vietnamadminunits==1.0.4
    /tmp/geo/bin/pip install --no-deps --ignore-requires-python vietnam-provinces==2026.9.0
    /tmp/geo/bin/python scripts/build_geography.py --date 2026-11-21

``--check`` compares with the files on disk instead of writing them and exits 1
on any difference. The output is byte-identical for the same package versions
and ``--date``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "src" / "modelunit" / "data" / "geography"

VAU = "vietnamadminunits"
VP = "vietnam-provinces"

#: Official unit-type word (name prefix) -> modelunit kind.
KIND_BY_PREFIX = {
    "Phường": "ward",
    "Xã": "commune",
    "Đặc khu": "special_zone",
    "Thị trấn": "township",
}
VP_KIND = {"phường": "ward", "xã": "commune", "đặc khu": "special_zone"}


def _json_text(obj: Any, indent: int = 0) -> str:
    """Deterministic JSON: sorted keys; a value fitting in 160 characters stays on one line."""
    compact = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    if len(compact) <= 160 or not isinstance(obj, dict | list) or not obj:
        return compact
    pad = " " * (indent + 1)
    if isinstance(obj, dict):
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {_json_text(obj[k], indent + 1)}"
            for k in sorted(obj)
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{pad}{_json_text(v, indent + 1)}" for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if text.startswith("Thị Trấn "):  # capitalisation slip in a few source names
        text = "Thị trấn " + text[len("Thị Trấn ") :]
    return text


def _fold(text: str) -> str:
    """Name key without diacritics, case, spaces or punctuation (for matching only)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _kind_from_name(name: str) -> str:
    for prefix, kind in KIND_BY_PREFIX.items():
        if name.startswith(prefix + " "):
            return kind
    raise SystemExit(f"unit name without a known type prefix: {name!r}")


def _split_province(full: str) -> tuple[str, str]:
    for prefix, kind in (("Thành phố ", "municipality"), ("Tỉnh ", "province")):
        if full.startswith(prefix):
            return full[len(prefix) :], kind
    raise SystemExit(f"province name without a known prefix: {full!r}")


def _licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression")
    if expr:
        return str(expr)
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: OSI Approved :: "):
            return classifier.rsplit(" :: ", 1)[1].replace(" License", "")
    return "not declared in the package metadata"


def _source_block(dist: metadata.Distribution, files: list[str]) -> dict[str, Any]:
    return {
        "package": dist.metadata["Name"],
        "version": dist.version,
        "licence": _licence(dist),
        "homepage": dist.metadata.get("Home-page") or "https://pypi.org/project/" + VAU,
        "files": files,
    }


def _rows(db: Path, sql: str) -> list[dict[str, Any]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


def _vp_module(name: str) -> Any:
    """A module of vietnam-provinces for comparison, or None (absent or too old)."""
    try:
        dist = metadata.distribution(VP)
        module = importlib.import_module(name)
    except (metadata.PackageNotFoundError, ImportError):
        return None
    return dist, module


def _legacy_cross_check(old_units: dict[str, dict[str, str]]) -> dict[str, Any] | None:
    found = _vp_module("vietnam_provinces.legacy._lookup")
    if found is None:
        return None
    dist, lookup = found
    theirs = {f"{code:05d}": str(w.division_type) for code, w in lookup.WARD_MAPPING.items()}
    their_wards = {c for c, t in theirs.items() if t == "phường"}
    our_wards = {c for c, u in old_units.items() if u["kind"] == "ward"}
    return {
        "package": VP,
        "version": dist.version,
        "licence": _licence(dist),
        "used_for": "comparison only; nothing bundled is copied from it",
        "note": "its pre-2025 list is a slightly different snapshot of the same period",
        "units": len(theirs),
        "wards": len(their_wards),
        "wards_in_both": len(our_wards & their_wards),
        "units_only_here": len(set(old_units) - set(theirs)),
        "units_only_there": len(set(theirs) - set(old_units)),
    }


def _mapping_cross_check(unit_map: list[dict[str, Any]]) -> dict[str, Any] | None:
    found = _vp_module("vietnam_provinces._ward_conversion_2025")
    if found is None:
        return None
    dist, conv = found
    theirs = {
        f"{code:05d}": (
            {f"{n.code:05d}" for n in entry.new_wards},
            bool(entry.old_ward.is_partly_merged),
        )
        for code, entry in conv.OLD_TO_NEW.items()
    }
    same = subset = other = absent = 0
    for m in unit_map:
        ours = {t["code"] for t in m["new"]}
        if m["old"] not in theirs:
            absent += 1
        elif ours == theirs[m["old"]][0]:
            same += 1
        elif ours < theirs[m["old"]][0]:
            subset += 1
        else:
            other += 1
    return {
        "package": VP,
        "version": dist.version,
        "licence": _licence(dist),
        "table": f"vietnam_provinces._ward_conversion_2025 (source {conv.SOURCE})",
        "used_for": "comparison only; nothing bundled is copied from it",
        "old_wards_compared": len(unit_map) - absent,
        "same_targets": same,
        "targets_here_a_strict_subset_of_theirs": subset,
        "targets_differ_otherwise": other,
        "old_wards_absent_there": absent,
        "old_wards_partly_merged_there": sum(
            1 for m in unit_map if m["old"] in theirs and theirs[m["old"]][1]
        ),
        "old_wards_split_here": sum(1 for m in unit_map if m["split"]),
    }


def build(built: str) -> dict[str, str]:
    dist = metadata.distribution(VAU)
    db = Path(str(dist.locate_file("vietnamadminunits/data/dataset.db")))
    conv_path = Path(str(dist.locate_file("vietnamadminunits/data/converter_2025.json")))
    conv = json.loads(conv_path.read_text(encoding="utf-8"))
    command = f"python scripts/build_geography.py --date {built}"
    licence_note = (
        "Data derived from the MIT-licensed package vietnamadminunits "
        "(Copyright (c) 2025 Tran Ngoc Minh Hieu); bundled in modelunit under MIT. "
        "Names and codes are the official ones of Vietnam's list of administrative units."
    )

    # ---- 2025 map -----------------------------------------------------------------
    new_rows = _rows(
        db,
        "SELECT province, provinceCode, provinceKey, ward, wardCode, wardKey, wardType "
        "FROM admin_units",
    )
    corrections: list[dict[str, str]] = []
    new_units: dict[str, dict[str, str]] = {}
    new_key_to_code: dict[tuple[str, str], str] = {}
    new_prov: dict[str, dict[str, Any]] = {}
    new_prov_key: dict[str, str] = {}
    for r in new_rows:
        name = _clean(r["ward"])
        kind = _kind_from_name(name)
        given = KIND_BY_PREFIX.get(r["wardType"], r["wardType"])
        if given != kind:
            corrections.append(
                {
                    "code": r["wardCode"],
                    "name": name,
                    "source_type": r["wardType"],
                    "bundled_kind": kind,
                    "reason": "type in the source contradicts the official name; "
                    "vietnam-provinces agrees with the name",
                }
            )
        pname, pkind = _split_province(_clean(r["province"]))
        new_prov.setdefault(
            r["provinceCode"], {"code": r["provinceCode"], "name": pname, "kind": pkind}
        )
        new_prov_key[r["provinceKey"]] = r["provinceCode"]
        unit = {"code": r["wardCode"], "kind": kind, "name": name, "province": r["provinceCode"]}
        if r["wardCode"] in new_units:
            raise SystemExit(f"duplicate 2025 code {r['wardCode']}")
        new_units[r["wardCode"]] = unit
        new_key_to_code[(r["provinceKey"], r["wardKey"])] = r["wardCode"]

    kinds_2025 = ("commune", "special_zone", "ward")
    provinces_2025 = []
    for code in sorted(new_prov):
        units = sorted(
            (u for u in new_units.values() if u["province"] == code), key=lambda u: u["code"]
        )
        counts = Counter(u["kind"] for u in units)
        provinces_2025.append(
            {
                **new_prov[code],
                "counts": {k: counts.get(k, 0) for k in kinds_2025},
                "units": [{k: u[k] for k in ("code", "kind", "name")} for u in units],
            }
        )
    totals_2025 = Counter(u["kind"] for u in new_units.values())

    # ---- cross-check against vietnam-provinces (not copied) -----------------------------
    cross_check: dict[str, Any] | None = None
    try:
        vp_dist = metadata.distribution(VP)
    except metadata.PackageNotFoundError:
        vp_dist = None
    if vp_dist is not None:
        vp_path = Path(str(vp_dist.locate_file("vietnam_provinces/data/nested-divisions.json")))
        vp = json.loads(vp_path.read_text(encoding="utf-8"))
        vp_units = {
            f"{w['code']:05d}": (
                _clean(w["name"]),
                VP_KIND.get(w["division_type"], w["division_type"]),
                f"{p['code']:02d}",
            )
            for p in vp
            for w in p["wards"]
        }
        missing = sorted(set(new_units) ^ set(vp_units))
        kind_diff = sorted(
            c for c in set(new_units) & set(vp_units) if new_units[c]["kind"] != vp_units[c][1]
        )
        prov_diff = sorted(
            c for c in set(new_units) & set(vp_units) if new_units[c]["province"] != vp_units[c][2]
        )
        name_diff = sorted(
            c for c in set(new_units) & set(vp_units) if new_units[c]["name"] != vp_units[c][0]
        )
        folded_diff = [c for c in name_diff if _fold(new_units[c]["name"]) != _fold(vp_units[c][0])]
        cross_check = {
            "package": VP,
            "version": vp_dist.version,
            "licence": _licence(vp_dist),
            "used_for": "comparison only; nothing bundled is copied from it",
            "units_compared": len(set(new_units) & set(vp_units)),
            "units_counts": dict(sorted(Counter(v[1] for v in vp_units.values()).items())),
            "codes_in_only_one_package": len(missing),
            "kind_differences": len(kind_diff),
            "province_differences": len(prov_diff),
            "names_differing_in_spelling_only": len(name_diff) - len(folded_diff),
            "names_differing_otherwise": sorted(folded_diff),
        }

    meta_2025 = {
        "title": "Vietnam's administrative units in force from 1 July 2025 (34 provinces)",
        "edition": "2025",
        "effective_from": "2025-07-01",
        "legal_basis": [
            "Resolution 202/2025/QH15 of 12 June 2025 (63 provinces -> 34)",
            "Resolutions of the Standing Committee of the National Assembly of 16 June 2025 "
            "(10,035 commune-level units -> 3,321)",
        ],
        "sources": [_source_block(dist, ["vietnamadminunits/data/dataset.db (table admin_units)"])],
        "cross_check": cross_check,
        "corrections": sorted(corrections, key=lambda c: c["code"]),
        "totals": {
            "provinces": len(provinces_2025),
            **{k: totals_2025.get(k, 0) for k in kinds_2025},
        },
        "listed_kinds": list(kinds_2025),
        "built": built,
        "command": command,
        "licence": licence_note,
    }

    # ---- pre-2025 map ---------------------------------------------------------------
    old_rows = _rows(
        db,
        "SELECT province, provinceCode, provinceKey, district, districtCode, districtKey, "
        "ward, wardCode, wardKey, wardType FROM admin_units_legacy",
    )
    old_prov: dict[str, dict[str, Any]] = {}
    old_prov_key: dict[str, str] = {}
    old_units: dict[str, dict[str, str]] = {}
    old_key_to_code: dict[str, str | None] = {}
    old_corrections: list[dict[str, str]] = []
    districts: dict[str, set[str]] = defaultdict(set)
    for r in old_rows:
        pname, pkind = _split_province(_clean(r["province"]))
        old_prov.setdefault(
            r["provinceCode"], {"code": r["provinceCode"], "name": pname, "kind": pkind}
        )
        old_prov_key[r["provinceKey"]] = r["provinceCode"]
        districts[r["provinceCode"]].add(r["districtCode"])
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        old_key_to_code[key] = r["wardCode"]
        if r["wardCode"] is None:
            continue  # an island district without commune-level units
        name = _clean(r["ward"])
        kind = _kind_from_name(name)
        if KIND_BY_PREFIX[r["wardType"]] != kind:
            old_corrections.append(
                {
                    "code": r["wardCode"],
                    "name": name,
                    "source_type": r["wardType"],
                    "bundled_kind": kind,
                    "reason": "type in the source contradicts the official name",
                }
            )
        old_units[r["wardCode"]] = {
            "code": r["wardCode"],
            "district": _clean(r["district"]),
            "kind": kind,
            "name": name,
            "province": r["provinceCode"],
        }
    kinds_old = ("commune", "township", "ward")
    provinces_old = []
    for code in sorted(old_prov):
        units = sorted(
            (u for u in old_units.values() if u["province"] == code), key=lambda u: u["code"]
        )
        counts = Counter(u["kind"] for u in units)
        provinces_old.append(
            {
                **old_prov[code],
                "counts": {k: counts.get(k, 0) for k in kinds_old},
                "districts": len(districts[code]),
                "units": [
                    {k: u[k] for k in ("code", "district", "kind", "name")}
                    for u in units
                    if u["kind"] == "ward"
                ],
            }
        )
    totals_old = Counter(u["kind"] for u in old_units.values())
    meta_old = {
        "title": "Vietnam's administrative units in force until 30 June 2025 (63 provinces)",
        "edition": "pre-2025",
        "effective_until": "2025-06-30",
        "note": "The state just before the 2025 reorganisation (after the commune-level "
        "mergers of 2023-2025). Only wards (phường) are listed unit by unit; communes (xã) "
        "and townships (thị trấn) are counted per province. Five island districts had no "
        "commune-level units (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo).",
        "sources": [
            _source_block(dist, ["vietnamadminunits/data/dataset.db (table admin_units_legacy)"])
        ],
        "corrections": sorted(old_corrections, key=lambda c: c["code"]),
        "source_type_counts": dict(
            sorted(
                Counter(
                    KIND_BY_PREFIX[r["wardType"]] for r in old_rows if r["wardType"] is not None
                ).items()
            )
        ),
        "cross_check": _legacy_cross_check(old_units),
        "totals": {
            "provinces": len(provinces_old),
            "districts": sum(len(v) for v in districts.values()),
            **{k: totals_old.get(k, 0) for k in kinds_old},
        },
        "listed_kinds": ["ward"],
        "built": built,
        "command": command,
        "licence": licence_note,
    }

    # ---- mapping --------------------------------------------------------------------
    province_map = []
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old_key in old_keys:
            province_map.append({"old": old_prov_key[old_key], "new": new_prov_key[new_key]})
    province_map.sort(key=lambda m: m["old"])
    if len({m["old"] for m in province_map}) != len(old_prov):
        raise SystemExit("province mapping does not cover every old province exactly once")

    targets: dict[str, list[dict[str, Any]]] = {}
    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            new_code = new_key_to_code[(new_pkey, new_wkey)]
            for old_key in old_keys:
                if old_key in targets:
                    raise SystemExit(f"old unit mapped twice: {old_key}")
                targets[old_key] = [
                    {"code": new_code, "default": True, "kind": new_units[new_code]["kind"]}
                ]
    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            if old_key in targets:
                raise SystemExit(f"old unit both whole and split: {old_key}")
            entries = []
            for n in news:
                new_code = new_key_to_code[(new_pkey, n["newWardKey"])]
                entries.append(
                    {
                        "code": new_code,
                        "default": bool(n["isDefaultNewWard"]),
                        "kind": new_units[new_code]["kind"],
                    }
                )
            targets[old_key] = sorted(entries, key=lambda e: e["code"])
    unmapped = sorted(set(old_key_to_code) - set(targets))
    if unmapped:
        raise SystemExit(f"old units without a mapping: {unmapped[:5]}")
    unit_map = []
    for old_key, entries in targets.items():
        old_code = old_key_to_code[old_key]
        if old_code is None or old_units[old_code]["kind"] != "ward":
            continue
        unit_map.append(
            {
                "old": old_code,
                "new": entries,
                "split": len(entries) > 1,
            }
        )
    unit_map.sort(key=lambda m: m["old"])
    all_split = sum(1 for e in targets.values() if len(e) > 1)
    meta_map = {
        "title": "Old (63-province) units to new (34-province) units, 1 July 2025",
        "from_edition": "pre-2025",
        "to_edition": "2025",
        "note": "Old units are matched to new ones by vietnamadminunits (converter_2025.json), "
        "keyed by name; the keys were resolved to official codes through the same package's "
        "tables. 'split' is true when the source lists several new units for one old ward "
        "(its territory was divided); 'default' marks the new unit the source picks when "
        "nothing more precise (a street address) is known. Only old wards are listed.",
        "sources": [
            _source_block(
                dist,
                [
                    "vietnamadminunits/data/converter_2025.json",
                    "vietnamadminunits/data/dataset.db (tables admin_units, admin_units_legacy)",
                ],
            )
        ],
        "cross_check": _mapping_cross_check(unit_map),
        "totals": {
            "provinces": len(province_map),
            "old_wards": len(unit_map),
            "old_wards_split": sum(1 for m in unit_map if m["split"]),
            "old_units_all_kinds_in_source": len(targets),
            "old_units_split_all_kinds_in_source": all_split,
        },
        "built": built,
        "command": command,
        "licence": licence_note,
    }

    docs = {
        "vn-2025.json": {"meta": meta_2025, "provinces": provinces_2025},
        "vn-pre-2025.json": {"meta": meta_old, "provinces": provinces_old},
        "vn-mapping-2025.json": {"meta": meta_map, "provinces": province_map, "units": unit_map},
    }
    return {name: _json_text(doc) + "\n" for name, doc in docs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--date",
        default=date.today().isoformat(),
        help="build date recorded in meta.built (ISO); pass it for reproducible output",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files on disk; write nothing"
    )
    args = parser.parse_args(argv)
    built = date.fromisoformat(args.date).isoformat()
    files = build(built)
    if args.check:
        stale = [
            n
            for n, text in files.items()
            if not (args.out / n).exists() or (args.out / n).read_text(encoding="utf-8") != text
        ]
        for n in stale:
            print(f"differs: {n}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (args.out / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.out / name} ({len(text.encode('utf-8')):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
