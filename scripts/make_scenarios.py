"""Build the bundled national planning scenarios from the bundled geography.

Run from the repository root:  python scripts/make_scenarios.py [--check]

The output is deterministic; ``--check`` exits 1 if the files on disk differ.
The figures that are *not* published (recognised counts at the baseline, yearly
capacities) are assumptions, stated in each scenario's ``assumptions``.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from importlib.resources import files
from pathlib import Path

from modelunit._numbers import ceil_share
from modelunit.geography import load_geography

OUT = Path(__file__).resolve().parent.parent / "src" / "modelunit" / "data" / "scenarios"

SOURCES = [
    "National goal: each province at least 30%-50% model ward police units by 2025, 100% by "
    "2030 (Deputy Minister Lê Quốc Hùng, national review in Vinh, 11/12/2023; "
    "https://tienphong.vn/den-nam-2030-hoan-thanh-100-cong-an-phuong-dien-hinh-kieu-mau-post1594698.tpo)",
    "Hồ Chí Minh City: over 40% by 2025, 100% by 2029 (Công an TPHCM review, 16/1/2024)",
    "Hưng Yên: at least 50% by 2025 and 100% by the end of 2028 (Đề án 2023-2028; "
    "https://hanhchinhcong.hungyen.gov.vn/quyet-dinh-phe-duyet-de-an-cong-an-phuong-dien-hinh-"
    "kieu-mau-ve-an-ninh-trat-tu-va-van-minh-do-thi-giai-doan-2023-2028-c26906.html)",
    "Geography: modelunit.geography (vietnamadminunits 1.0.4), see docs/geography.md",
]

PILOT_CITIES = ("01", "79", "48", "92", "31")  # Hà Nội, HCMC, Đà Nẵng, Cần Thơ, Hải Phòng


def national_2027() -> dict[str, object]:
    geo = load_geography("2025")
    regions = []
    for p in sorted(geo.provinces, key=lambda p: p.code):
        regions.append(
            {
                "id": p.code,
                "name": p.name,
                "total": p.wards,
                "recognised": ceil_share(Fraction(3, 10), p.wards),
                "capacity": ceil_share(Fraction(1, 4), p.wards),
            }
        )
    return {
        "id": "national-2027-2030",
        "title": "National rollout on the 34-province map, planned 2027-2030",
        "description": (
            "Every province's wards (687 in all, map of 1 July 2025) brought to the model "
            "standard by 2030, planned from 2027 with the end of 2026 as the baseline."
        ),
        "assumptions": [
            "Baseline (end of 2026): each province has exactly 30% of its wards recognised "
            "(the 2025 national floor, rounded up), and none more: recognitions for 2026 are "
            "decided in 2027. No national count of recognised wards after the 2025 merger "
            "is published.",
            "Capacity: each province can bring at most 25% of its wards (rounded up) to the "
            "standard in a year. This is a planning assumption, not a published figure.",
            "Hồ Chí Minh City's own target (100% by 2029, set in January 2024 for its 249 "
            "wards of the time) is applied to the merged city (113 wards).",
            "The 2025 milestone (30% floor, 50% stretch) lies before the horizon and is "
            "checked against the baseline.",
        ],
        "sources": SOURCES,
        "problem": {
            "regions": regions,
            "milestones": [
                {"year": 2025, "share": "3/10", "stretch": "1/2"},
                {"year": 2030, "share": "1"},
                {"year": 2029, "share": "1", "region": "79"},
            ],
            "start": 2027,
            "end": 2030,
        },
    }


def national_2024_63() -> dict[str, object]:
    geo = load_geography("pre-2025")
    regions = []
    for p in sorted(geo.provinces, key=lambda p: p.code):
        regions.append(
            {
                "id": p.code,
                "name": p.name,
                "total": p.wards,
                "recognised": 1 if p.code in PILOT_CITIES else 0,
                "capacity": ceil_share(Fraction(1, 5), p.wards),
            }
        )
    return {
        "id": "national-2024-2030-63",
        "title": "National rollout replayed on the 63-province map, 2024-2030",
        "description": (
            "The programme as planned before the 2025 merger: 63 provinces and their wards "
            "(1,726 in the bundled pre-2025 map), 2024-2030 with the end of 2023 as baseline."
        ),
        "assumptions": [
            "Baseline (end of 2023): only the five pilot wards (Điện Biên, Tân Chánh Hiệp, "
            "Hải Châu 1, An Hòa, Quán Toan) count as recognised; the 2023 cohort was "
            "recognised in 2024 and is planned here.",
            "Capacity: each province can bring at most 20% of its wards (rounded up) to the "
            "standard in a year (a planning assumption).",
            "Ward counts are those of the bundled pre-2025 map (a mid-2025 snapshot), not of "
            "2023 (for example Hồ Chí Minh City had 249 wards in 2023, 210 here).",
        ],
        "sources": SOURCES,
        "problem": {
            "regions": regions,
            "milestones": [
                {"year": 2025, "share": "3/10", "stretch": "1/2"},
                {"year": 2030, "share": "1"},
                {"year": 2029, "share": "1", "region": "79"},
                {"year": 2025, "share": "1/2", "region": "33"},
                {"year": 2028, "share": "1", "region": "33"},
            ],
            "start": 2024,
            "end": 2030,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the files differ")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for scenario in (national_2027(), national_2024_63()):
        text = json.dumps(scenario, ensure_ascii=False, indent=1) + "\n"
        path = OUT / f"{scenario['id']}.json"
        if args.check:
            # Compare with the files as installed (the source tree in a checkout, the
            # package in a wheel), so a stale file in either fails.
            shipped = files("modelunit").joinpath("data", "scenarios", path.name)
            if not shipped.is_file() or shipped.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"out of date: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
