"""Count the fuzz suite's examples per entry point, from Hypothesis' statistics.

Run the suite with ``--hypothesis-show-statistics`` and give this script its output:

    python -m pytest tests/fuzz --hypothesis-profile=fuzz --hypothesis-show-statistics > out.txt
    python scripts/fuzz_counts.py out.txt [more.txt...]

It prints a Markdown table: for each test (and each parameter, except that tests with
more than ten are summed: ``structure(data, T)`` over every type T), the examples run (passing and
failing, every phase), and how many of them the library accepted at least once and
refused at least once with a ``ModelUnitError`` (an example may call an entry point
more than once), and the open findings and exit codes met: the events of
``tests/fuzz/checks.py``, which Hypothesis counts per example.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

_TEST = re.compile(r"^(tests/fuzz/\S+?)::(\w+)(\[[^\]]*\])?:$")
_COUNTS = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid test cases")
_PHASE = re.compile(r"- during (\w+) phase")
_EVENT = re.compile(r"\* ([\d.]+)%, (accepted|refused: \w+|open finding \w+|exit \d+)")


def parse(text: str) -> dict[str, dict[str, float]]:
    """Per test (without its parameters): examples, and counts of each event."""
    found: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    test = phase = None
    phase_examples = 0
    for raw in text.splitlines():
        line = raw.strip()
        if m := _TEST.match(line):
            test = f"{m[1].removeprefix('tests/fuzz/')}::{m[2]}{m[3] or ''}"
            found[test]["variants"] += 1
            continue
        if test is None:
            continue
        if m := _PHASE.search(line):
            phase = m[1]
        elif m := _COUNTS.search(line):
            phase_examples = int(m[1]) + int(m[2]) + int(m[3])
            found[test]["examples"] += int(m[1]) + int(m[2])
        elif (m := _EVENT.search(line)) and phase in ("generate", "reuse"):
            name = "refused" if m[2].startswith("refused") else m[2]
            found[test][name] += round(float(m[1]) / 100 * phase_examples)
    return found


def _summed(found: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Tests with more than ten parameters as one row."""
    params: dict[str, int] = defaultdict(int)
    for test in found:
        params[test.split("[", 1)[0]] += 1
    merged: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for test, counts in found.items():
        base = test.split("[", 1)[0]
        for key, value in counts.items():
            merged[base if params[base] > 10 else test][key] += value
    return merged


def main(paths: list[str]) -> None:
    found: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for path in paths:
        for test, counts in parse(Path(path).read_text(encoding="utf-8")).items():
            for key, value in counts.items():
                found[test][key] += value
    merged = _summed(found)
    print("| test | variants | examples | accepted | refused | other events |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    total = 0.0
    for test in sorted(merged):
        c = merged[test]
        total += c["examples"]
        other = ", ".join(
            f"{k} {int(v):,}" for k, v in sorted(c.items()) if k.startswith(("open", "exit"))
        )
        print(
            f"| {test} | {int(c['variants'])} | {int(c['examples']):,} | "
            f"{int(c['accepted']):,} | {int(c['refused']):,} | {other} |"
        )
    print(f"\n{int(total):,} examples in all")


if __name__ == "__main__":
    main(sys.argv[1:])
