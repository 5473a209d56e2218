"""Mutation testing of the core with mutmut, and its report: one command.

    python scripts/mutation.py                   # a fresh campaign, then the report
    python scripts/mutation.py --resume          # keep the verdicts in mutants/, test the rest
    python scripts/mutation.py --retest 'modelunit.rules.*'   # test these mutants again
    python scripts/mutation.py --sample 2000     # a seeded random sample, per module (resumable)
    python scripts/mutation.py --sample 2000 --redraw        # ... drawn again from today's mutants
    python scripts/mutation.py report --sampled  # the report of that sample
    python scripts/mutation.py report            # the report of the last campaign
    python scripts/mutation.py report --survivors            # ... with each survivor's diff
    python scripts/mutation.py report --markdown             # the table for docs/mutation.md

What is mutated is ``[tool.mutmut] only_mutate`` in ``pyproject.toml`` (one line per
module); how each mutant is tested is there too (``pytest_add_cli_args``). mutmut runs
each mutant with only the tests that call the mutated function (it records which do in
a first run of the whole suite), in a fork of one warmed-up process; ``tests/conftest.py``
loads the ``mutation`` Hypothesis profile (derandomised, no example database) whenever
mutmut runs, so verdicts are reproducible, and orders each mutant's tests fastest first.

Mutants that survive but cannot change any observable behaviour are listed, with the
reason, in ``docs/mutation.md`` (a backquoted mutant name in its "Equivalent mutants"
section); the report counts them apart and names every other survivor. The score is
``detected / all`` and, beside it, ``detected / (all - equivalent)``; a mutant is
detected when a test fails (killed) or the run exceeds its time limit (timeout).

Needs mutmut 3.x (``pip install mutmut``, or the ``mutation`` extra). Not part of CI:
a fresh campaign over the core takes about an hour on two cores (see docs/mutation.md).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
DOC = ROOT / "docs" / "mutation.md"
LOG = MUTANTS / "mutmut-run.log"
SAMPLE = MUTANTS / "sample.json"

# mutmut's exit codes (mutmut.stats.status_by_exit_code), by what they mean here.
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}
_STATUS = {
    None: "not checked",
    0: "survived",
    1: "killed",
    3: "killed",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    35: "suspicious",
    36: "timeout",
    37: "caught by type check",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
}
_NAME = re.compile(r"`(modelunit\.[^`\s]+__mutmut_\d+)`")


def targets() -> list[str]:
    """The mutated modules, from ``[tool.mutmut] only_mutate``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def _module(path: str) -> str:
    """``src/modelunit/rollout/_flow.py`` -> ``modelunit.rollout._flow``."""
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


def verdicts() -> dict[str, str]:
    """Mutant name -> status, for every mutant of a target module mutmut has made."""
    found: dict[str, str] = {}
    for path in targets():
        meta = MUTANTS / f"{path}.meta"
        if not meta.is_file():
            continue
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            found[name] = _STATUS.get(code, "suspicious")
    return found


def equivalent() -> dict[str, str]:
    """Mutant name -> reason, from the "Equivalent mutants" section of docs/mutation.md."""
    if not DOC.is_file():
        return {}
    text = DOC.read_text("utf-8")
    _, _, section = text.partition("## Equivalent mutants")
    section = section.split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        names = _NAME.findall(line)
        reason = line.rsplit("|", 2)[-2].strip() if line.count("|") >= 3 else ""
        for name in names:
            found[name] = reason
    return found


def _row(label: str, c: Counter[str], eq: int) -> tuple[str, ...]:
    total = sum(c.values())
    detected = sum(c[s] for s in DETECTED)
    survived = total - detected - c["not checked"]
    raw = 100 * detected / total if total else 100.0
    adjusted = 100 * detected / (total - eq) if total > eq else 100.0
    return (
        label,
        str(total),
        str(c["killed"]),
        str(c["timeout"] + c["segfault"]),
        str(survived),
        str(eq),
        str(survived - eq),
        f"{raw:.1f}%",
        f"{adjusted:.1f}%",
    )


HEADER = (
    "module",
    "mutants",
    "killed",
    "timeout",
    "survived",
    "equivalent",
    "open",
    "score",
    "score (non-equivalent)",
)


def _wilson(detected: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion ``detected / n``."""
    if n == 0:
        return (0.0, 1.0)
    p = detected / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (centre - half, centre + half)


def sampled() -> list[str]:
    """The names of the last ``--sample`` run (empty if there was none)."""
    return list(json.loads(SAMPLE.read_text("utf-8"))["names"]) if SAMPLE.is_file() else []


def _sample_to_test(size: int, seed: int, *, redraw: bool) -> list[str]:
    """The sample of a ``--sample`` run: the one drawn before with the same size and
    seed, if any (so a campaign survives a change to the source: mutmut resets the
    verdicts of changed functions only, and only those sampled mutants are tested
    again; a name that no longer exists is dropped), else a new draw, saved."""
    drawn = json.loads(SAMPLE.read_text("utf-8")) if SAMPLE.is_file() else None
    if not redraw and drawn is not None and (drawn["size"], drawn["seed"]) == (size, seed):
        names = verdicts()
        kept = [name for name in drawn["names"] if name in names]
        if len(kept) < len(drawn["names"]):
            print(f"{len(drawn['names']) - len(kept)} sampled mutants no longer exist: dropped")
        return kept
    chosen = sample(size, seed=seed)
    SAMPLE.write_text(json.dumps({"size": size, "seed": seed, "names": chosen}), "utf-8")
    return chosen


def report(*, markdown: bool = False, survivors: bool = False, sample: bool = False) -> int:
    """Print the per-module table and the open survivors; 1 if any survivor is open.

    With ``sample``, only the mutants of the last ``--sample`` run are counted, and the
    score's 95% interval for the whole population is printed under the table.
    """
    found = verdicts()
    population = len(found)
    if sample:
        names = set(sampled())
        found = {name: status for name, status in found.items() if name in names}
    if not found:
        print("no mutants yet: run `python scripts/mutation.py` first", file=sys.stderr)
        return 2
    eq = equivalent()
    by_module: dict[str, Counter[str]] = {_module(p): Counter() for p in targets()}
    eq_by_module: Counter[str] = Counter()
    open_survivors = []
    for name, status in found.items():
        module = name.rsplit(".", 1)[0]
        by_module[module][status] += 1
        if status in DETECTED:
            continue
        if name in eq and status != "not checked":
            eq_by_module[module] += 1
        else:
            open_survivors.append((name, status))
    rows = [_row(m, c, eq_by_module[m]) for m, c in by_module.items()]
    rows.append(_row("total", sum(by_module.values(), Counter()), sum(eq_by_module.values())))
    if markdown:
        print("| " + " | ".join(HEADER) + " |")
        print("|---" + "|---:" * (len(HEADER) - 1) + "|")
        for row in rows:
            cells = [f"`{row[0]}`" if row[0] != "total" else "**total**", *row[1:]]
            print("| " + " | ".join(cells) + " |")
    else:
        widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
        for row in [HEADER, *rows]:
            print(
                "  ".join(
                    cell.rjust(w) if i else cell.ljust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
    if sample and found:
        eq_total = sum(eq_by_module.values())
        detected = sum(1 for status in found.values() if status in DETECTED)
        checked = sum(1 for status in found.values() if status != "not checked")
        low, high = _wilson(detected, checked - eq_total)
        print(
            f"\nA seeded sample of {len(found)} of {population} mutants ({checked} checked):"
            f" {detected} of {checked - eq_total} non-equivalent detected,"
            f" 95% interval for the whole population {100 * low:.1f}%-{100 * high:.1f}%"
        )
    stale = sorted(n for n in eq if found.get(n) in DETECTED or (n not in found and not sample))
    if stale:
        print(f"\n{len(stale)} listed as equivalent but detected or gone (update the doc):")
        for name in stale:
            print(f"  {name}: {found.get(name, 'no such mutant')}")
    unchecked = [n for n, s in open_survivors if s == "not checked"]
    open_survivors = [(n, s) for n, s in open_survivors if s != "not checked"]
    if unchecked:
        print(f"\n{len(unchecked)} mutants not checked yet (an interrupted run: --resume)")
    if open_survivors:
        print(f"\n{len(open_survivors)} survivors not reviewed as equivalent:")
        for name, status in sorted(open_survivors):
            print(f"  {name} ({status})")
            if survivors:
                diff = _mutmut_show(name)
                print("    " + "\n    ".join(diff.splitlines()[1:]))
    return 1 if open_survivors or unchecked else 0


def _mutmut_show(name: str) -> str:
    """mutmut's diff of one mutant (or why there is none)."""
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    return done.stdout if done.returncode == 0 else f"(no diff)\n{done.stderr.strip()}"


def _mutmut(*args: str, log: Path, fails_with: str | None = None) -> None:
    """Run mutmut, its output to ``log``; exit with its tail if it fails (unless it
    fails as expected: ``fails_with`` is in its output)."""
    command = [sys.executable, "-m", "mutmut", *args]
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, cwd=ROOT, check=False, stdout=out, stderr=subprocess.STDOUT)
    expected = fails_with is not None and fails_with in log.read_text("utf-8", errors="replace")
    if done.returncode != 0 and not expected:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        raise SystemExit(f"mutmut failed ({done.returncode}); the end of {log}:\n{tail}")


def sample(size: int, *, seed: int) -> list[str]:
    """A seeded random sample of ``size`` mutants, drawn from each module in proportion.

    Stratified so every module's score has its own estimate; the names are drawn from
    mutmut's generated mutants (``mutants/**/*.meta``), sorted first so the same seed
    gives the same sample on every machine. Each module is drawn with its own seed
    (``seed`` and the module's name), so a change to one module leaves the others'
    samples, and their verdicts, as they were.
    """
    by_module: dict[str, list[str]] = {}
    for name in sorted(verdicts()):
        by_module.setdefault(name.rsplit(".", 1)[0], []).append(name)
    total = sum(len(names) for names in by_module.values())
    chosen: list[str] = []
    for module in sorted(by_module):
        names = by_module[module]
        share = min(len(names), max(1, round(size * len(names) / total)))
        chosen += sorted(random.Random(f"{seed}:{module}").sample(names, share))
    return chosen


def _generate() -> None:
    """Let mutmut make the mutants (and its stats) without testing any: it is asked for
    a mutant that does not exist, and says so once everything is up to date."""
    _mutmut("run", "modelunit.no-such-mutant", log=LOG, fails_with="nothing matches")


def run(*, fresh: bool, names: list[str], max_children: int | None, sample: bool = False) -> int:
    """A campaign (fresh, resumed, or of the named mutants), then the report."""
    try:
        import mutmut  # noqa: F401
    except ImportError:
        raise SystemExit("mutmut is not installed: pip install 'mutmut>=3.8,<4'") from None
    if fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    MUTANTS.mkdir(exist_ok=True)
    args = ["run", *names]
    if max_children is not None:
        args += ["--max-children", str(max_children)]
    start = time.monotonic()
    shown = " ".join(args) if len(names) <= 5 else f"run <{len(names)} mutants>"
    print(f"mutmut {shown}  (progress in {LOG.relative_to(ROOT)})", flush=True)
    _mutmut(*args, log=LOG)
    minutes = (time.monotonic() - start) / 60
    print(f"done in {minutes:.0f} min\n")
    return report(sample=sample)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", nargs="?", choices=("run", "report"), default="run")
    parser.add_argument(
        "--resume", action="store_true", help="keep the verdicts already in mutants/"
    )
    parser.add_argument(
        "--retest",
        nargs="+",
        metavar="NAME",
        default=[],
        help="test these mutants again (names or patterns like 'modelunit.rules.*')",
    )
    parser.add_argument(
        "--max-children", type=int, default=None, help="parallel workers (default: one per CPU)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        metavar="N",
        help="test a seeded random sample of N mutants (each module in proportion)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="the sample's seed")
    parser.add_argument(
        "--redraw", action="store_true", help="draw the sample again, not the saved one"
    )
    parser.add_argument(
        "--sampled", action="store_true", help="report only the last --sample run's mutants"
    )
    parser.add_argument("--markdown", action="store_true", help="the table in Markdown")
    parser.add_argument("--survivors", action="store_true", help="show each survivor's diff")
    args = parser.parse_args(argv)
    if args.command == "report":
        return report(markdown=args.markdown, survivors=args.survivors, sample=args.sampled)
    if args.sample:
        # Bring mutants/ up to date with the source first (mutmut resets the verdicts of
        # changed functions), then test the sampled mutants without a verdict: mutmut
        # tests every mutant it is given by name again, so a sample can be resumed.
        MUTANTS.mkdir(exist_ok=True)
        _generate()
        names = _sample_to_test(args.sample, args.seed, redraw=args.redraw)
        status = verdicts()
        todo = [name for name in names if status[name] == "not checked"]
        print(f"{len(names) - len(todo)} of the {len(names)} sampled mutants have a verdict")
        if not todo:
            return report(sample=True)
        return run(fresh=False, names=todo, max_children=args.max_children, sample=True)
    fresh = not args.resume and not args.retest
    return run(fresh=fresh, names=args.retest, max_children=args.max_children)


if __name__ == "__main__":
    sys.exit(main())
