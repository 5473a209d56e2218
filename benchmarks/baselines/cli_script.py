"""The 20-line script the command line is compared with: per-unit counts and levels.

    python benchmarks/baselines/cli_script.py evidence.json

Reads the evidence file, groups it, runs the 22 checks of :mod:`baselines.plain` and
prints each unit's counts and level (the levels of ``cap-kieu-mau-2021``: all met is a
model unit; 21 met and none failed is basically met).
"""

import json
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from baselines.plain import unit_codes

data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"), parse_float=Decimal)
by: dict[str, dict[str, dict[str, object]]] = {"2023": {}, "2022": {}}
for r in data["evidence"]:
    if r["period"] in by:
        by[r["period"]].setdefault(r["unit"], {})[r["indicator"]] = r["value"]
out = []
for unit in (u["id"] for u in data["units"]):
    codes = unit_codes(by["2023"].get(unit, {}), by["2022"].get(unit, {}))
    met, failed, pending = codes.count(2), codes.count(0), codes.count(1)
    level = "model" if met == 22 else "basically_met" if met >= 21 and not failed else "not_yet"
    out.append(f"{unit}: {met}/22 met, {failed} not met, {pending} pending -> {level}")
print("\n".join(out))
