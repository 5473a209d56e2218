"""Inputs for the fuzz suite: random documents, and corruptions of every bundled file.

A corruption is drawn as "a path into a parsed bundled document, then a mutation"
(:class:`Mutation`), one to three of them, so that Hypothesis shrinks a failure to
the smallest corruption of the smallest document (its repr shows what changed, not
the whole document). Values no Python object renders to (``NaN`` in JSON, an integer
literal of 5,000 digits, arrays nested 10,000 deep) are :class:`Raw` text.

Files are documents rendered as JSON or TOML text, encoded (UTF-8, with a BOM,
UTF-16, Vietnamese Windows code page...) and sometimes damaged (truncated, a byte
flipped, replaced by garbage): :class:`Payload`.
"""

from __future__ import annotations

import functools
import json
import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import modelunit
from modelunit.limits import MAX_DOCUMENT_DEPTH, MAX_RULE_DEPTH, MAX_TEXT

DATA = Path(modelunit.__file__).parent / "data"

Key = str | int
Doc = Any


# -- the bundled files, parsed ------------------------------------------------------------------


@cache
def bundled() -> dict[str, Doc]:
    """Every bundled data file, parsed: ``{"catalogs/tutorial.toml": {...}, ...}``; and,
    for each scenario, its bare problem (``scenarios/<name>.problem.json``), which a file
    may hold alone."""
    found: dict[str, Doc] = {}
    for path in sorted(DATA.rglob("*")):
        name = path.relative_to(DATA).as_posix()
        if path.suffix == ".toml":
            found[name] = tomllib.loads(path.read_text("utf-8"))
        elif path.suffix == ".json":
            found[name] = json.loads(path.read_text("utf-8"))
    for name in [n for n in found if n.startswith("scenarios/")]:
        found[name.replace(".json", ".problem.json")] = found[name]["problem"]
    return found


_SEEDS: dict[str, Doc] = {}


def add_seeds(docs: dict[str, Doc]) -> None:
    """Documents other than the bundled files to corrupt (unstructured objects, by name)."""
    _SEEDS.update(docs)


def document(name: str) -> Doc:
    """A bundled document, or a seed added by :func:`add_seeds`, by name."""
    return _SEEDS[name] if name in _SEEDS else bundled()[name]


def bundled_in(*folders: str) -> tuple[str, ...]:
    """Names of the bundled files in these folders (``"catalogs"``, ``"examples"``...)."""
    return tuple(n for n in bundled() if n.split("/", 1)[0] in folders)


def mostly(own: tuple[str, ...], among: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Names to draw from: one of ``own`` about three times in four, else another
    document of ``among`` (by default every bundled file): a document of another kind."""
    others = tuple(n for n in (tuple(bundled()) if among is None else among) if n not in own)
    return own * -(-3 * len(others) // len(own)) + others


def _walk(doc: Doc) -> Iterator[tuple[tuple[Key, ...], Doc]]:
    """Every (path, node) of ``doc``, breadth first (the root first, then its fields...)."""
    queue: list[tuple[tuple[Key, ...], Doc]] = [((), doc)]
    for path, node in queue:
        yield path, node
        if isinstance(node, dict):
            queue.extend(((*path, k), v) for k, v in node.items())
        elif isinstance(node, list):
            queue.extend(((*path, i), v) for i, v in enumerate(node))


@cache
def node_paths(name: str) -> tuple[tuple[Key, ...], ...]:
    return tuple(path for path, _ in _walk(document(name)))


@cache
def vocabulary() -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Every key and every distinct leaf value of the bundled files except geography (so
    random documents use the words the loaders know: ``kind``, ``"ward"``, ``">="``...)."""
    keys: set[str] = set()
    leaves: dict[str, Any] = {}
    for name, doc in bundled().items():
        if name.startswith("geography/"):
            continue
        for path, node in _walk(doc):
            if path and isinstance(path[-1], str):
                keys.add(path[-1])
            if not isinstance(node, dict | list):
                leaves.setdefault(repr(node)[:200], node)
    return tuple(sorted(keys)), tuple(leaves[k] for k in sorted(leaves))


# -- values no Python object renders to ------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Raw:
    """A value written as literal text: ``json`` and ``toml`` are what the file says, ``value``
    what the parser would give (for structuring without a file)."""

    label: str
    json: str
    toml: str
    value: Callable[[], Any] = field(repr=False)

    def __repr__(self) -> str:
        return f"Raw({self.label})"


def _nested(depth: int, leaf: Any, wrap: Callable[[Any], Any]) -> Any:
    node = leaf
    for _ in range(depth):
        node = wrap(node)
    return node


def _deep_arrays(n: int) -> Raw:
    text = "[" * n + "]" * n
    return Raw(f"arrays nested {n} deep", text, text, lambda: _nested(n - 1, [], lambda x: [x]))


def _deep_tables(n: int) -> Raw:
    return Raw(
        f"tables nested {n} deep",
        '{"a": ' * n + "1" + "}" * n,
        "{a = " * n + "1" + "}" * n,
        lambda: _nested(n, 1, lambda x: {"a": x}),
    )


RAWS: tuple[Raw, ...] = (
    Raw("a 5,000-digit integer", "9" * 5000, "9" * 5000, lambda: 10**5000 - 1),
    Raw("1e400 as a number", "1e400", "1e400", lambda: math.inf),
    Raw("-1e400 as a number", "-1e400", "-1e400", lambda: -math.inf),
    Raw("1e-400 as a number", "1e-400", "1e-400", lambda: 0.0),
    Raw("NaN", "NaN", "nan", lambda: math.nan),
    Raw("Infinity", "Infinity", "inf", lambda: math.inf),
    Raw("-Infinity", "-Infinity", "-inf", lambda: -math.inf),
    Raw("-0", "-0", "-0", lambda: 0),
    *(_deep_arrays(n) for n in (MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_DEPTH + 1, 1000, 10_000)),
    *(_deep_tables(n) for n in (MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_DEPTH + 1, 3_000)),
)

TWICE = "\x00twice\x00"
"""A dict key starting with this is written without it: the key appears twice in the text."""


def plain(doc: Doc) -> Doc:
    """``doc`` as a parser would give it: each :class:`Raw` replaced by its value."""
    if isinstance(doc, Raw):
        return doc.value()
    if isinstance(doc, dict):
        return {k: plain(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [plain(v) for v in doc]
    return doc


# -- hostile values ------------------------------------------------------------------------------

NFC_NAME = "Điện Biên"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)

TEXTS: tuple[str, ...] = (
    "",
    " ",
    "false",
    "true",
    "null",
    "None",
    NFC_NAME,
    NFD_NAME,
    "\ud800",
    "a\udfffb",
    "\ufeffid",
    "\u200b",
    "\u202eabc",
    "x\x00y",
    "ﬁ",
    "x" * (MAX_TEXT + 1),
    "phường" * 1000,
)

NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    1,
    1.9,
    0.5,
    -0.0,
    2**31,
    2**53 + 1,
    2**60,
    2**62,
    2**63,
    2**64,
    10**60,
    10**61,
    10**400,
    -(10**400),
    1e308,
    5e-324,
    1e-320,
    math.nan,
    math.inf,
    -math.inf,
    "0",
    "1",
    "1.9",
    "-0",
    "1e400",
    "-1e999999",
    "1e1000000",
    "1e-61",
    "1e60",
    "1e61",
    "9" * 60,
    "9" * 61,
    "0." + "0" * 70 + "1",
    "1/0",
    "0/0",
    "1/3",
    "-1/3",
    "3/10",
    "30%",
    "150%",
    "-5%",
    "%",
    "1_000",
    "  7  ",
    "0x10",
    "Infinity",
    "NaN",
    "nan",
    "-inf",
    "١٢٣",  # Arabic-Indic digits
    "１２",  # fullwidth digits
    "²",
)

DATES: tuple[str, ...] = (
    "2023",
    "2023-Q4",
    "2023-H2",
    "2023-06",
    "0001",
    "0001-Q1",
    "9999",
    "9999-Q4",
    "9999-12",
    "0000",
    "10000",
    "2024-02-30",
    "2023-13",
    "2023-Q5",
    "2023-01-01/2022-12-31",
    "0001-01-01/0001-01-05",
    "9999-12-01/9999-12-31",
    "0001-01-01T00:00+05:00",
    "9999-12-31T23:00-05:00",
    "2024-03-31T17:00:00+07:00",
    "2024-03-31T24:00",
    "yesterday",
)

SPECIAL_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    *NUMBERS,
    *TEXTS,
    *DATES,
    [],
    {},
    [None],
    {"kind": "not"},
    {"kind": "all", "rules": []},
)


def _deferred(build: Callable[[], st.SearchStrategy[Any]]) -> Any:
    """A strategy factory whose strategy is built once, on first use, and shows as
    ``deferred(name)`` (Hypothesis prints a strategy's repr in its statistics)."""
    strategy = st.deferred(build)
    return functools.wraps(build)(lambda: strategy)


def pick(*strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """One of ``strategies``, each about as often (repeat one to weight it), shrinking
    towards the first. Unlike ``st.one_of``, which spreads its choice over the branches
    of branches (a ``one_of`` of ten text strategies would win ten times in eleven)."""

    @st.composite
    def chosen(draw: st.DrawFn) -> Any:
        return draw(strategies[draw(st.integers(min_value=0, max_value=len(strategies) - 1))])

    return chosen()


def one_of_these(values: tuple[Any, ...] | list[Any]) -> st.SearchStrategy[Any]:
    """``st.sampled_from(values)`` that shrinks the same way but has a short repr (Hypothesis
    shows a strategy's repr in its statistics; these lists hold 10,000-character texts)."""
    chosen = tuple(values)
    return st.integers(min_value=0, max_value=len(chosen) - 1).map(chosen.__getitem__)


_SURROGATES = st.sampled_from(["\ud800", "\udc00", "\udbff\udfff"[::-1]])


@_deferred
def texts() -> st.SearchStrategy[str]:
    """Text: short random text (any code point, lone surrogates included), the bundled
    files' own words, and the special texts above."""
    return st.one_of(
        st.text(max_size=12),
        st.text(st.characters(codec=None), max_size=12),
        _SURROGATES,
        one_of_these(TEXTS),
        one_of_these(vocabulary()[0]),
        one_of_these([v for v in vocabulary()[1] if isinstance(v, str)]),
    )


@_deferred
def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.tuples(st.sampled_from([1, -1]), st.integers(min_value=0, max_value=400)).map(
            lambda se: se[0] * 10 ** se[1]
        ),
        st.floats(),
        st.decimals(allow_nan=False).map(str),
        st.fractions().map(str),
        texts(),
        one_of_these(SPECIAL_VALUES),
        one_of_these(vocabulary()[1]),
    )


@_deferred
def keys() -> st.SearchStrategy[str]:
    return pick(one_of_these(vocabulary()[0]), texts())


@cache
def json_values(*, max_size: int = 4) -> st.SearchStrategy[Any]:
    """Random JSON-like values (NaN, infinities, huge integers and hostile text included):
    mostly scalars, sometimes lists and tables of at most ``max_size`` items."""
    inner: st.SearchStrategy[Any] = st.deferred(
        lambda: pick(
            scalars(),
            scalars(),
            scalars(),
            st.lists(inner, max_size=max_size),
            st.dictionaries(keys(), inner, max_size=max_size),
        )
    )
    return inner


@_deferred
def documents() -> st.SearchStrategy[Any]:
    """A random document: mostly a table of known and unknown keys, sometimes any value."""
    return pick(st.dictionaries(keys(), json_values(), max_size=8), json_values())


# -- mutations of a document ---------------------------------------------------------------------


class _Shown:
    """Shown in a falsifying example by its ``repr`` (Hypothesis' printer would otherwise
    show the fields of a dataclass, and how each was drawn)."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


class _GoneError(Exception):
    """The path of a mutation no longer exists (an earlier mutation removed it)."""


def _text_ops() -> dict[str, Callable[[str], str]]:
    def long(s: str) -> str:
        s = s or "x"
        return s * (MAX_TEXT // len(s) + 1)

    return {
        "nfd": lambda s: unicodedata.normalize("NFD", s),
        "nfc": lambda s: unicodedata.normalize("NFC", s),
        "nfkc": lambda s: unicodedata.normalize("NFKC", s),
        "upper": str.upper,
        "strip_marks": lambda s: "".join(
            c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)
        ),
        "combining": lambda s: s + "\u0301",
        "surrogate": lambda s: s[: len(s) // 2] + "\ud800" + s[len(s) // 2 :],
        "zero_width": lambda s: s + "\u200b",
        "bom": lambda s: "\ufeff" + s,
        "nul": lambda s: s + "\x00",
        "spaces": lambda s: f" {s} ",
        "typo": lambda s: s[:-1],
        "empty": lambda s: "",
        "long": long,
    }


TEXT_OPS = _text_ops()


@dataclass(frozen=True, repr=False)
class Mutation(_Shown):
    """One change at ``path``: ``op`` (with ``arg``) applied to the node there."""

    path: tuple[Key, ...]
    op: str
    arg: Any = None

    def __repr__(self) -> str:
        where = "/".join(map(str, self.path)) or "<root>"
        return f"{self.op}@{where}" + ("" if self.arg is None else f"={self.arg!r}")


def _nest_rule(node: Any, n: int) -> Any:
    return _nested(n, node, lambda x: {"kind": "not", "rule": x})


def _changed(parent: Any, key: Key, m: Mutation, doc: Doc) -> None:
    """Apply ``m`` to ``parent[key]`` (``parent`` is a fresh copy, changed in place)."""
    node = parent[key]
    match m.op:
        case "delete":
            del parent[key]
        case "set":
            parent[key] = m.arg
        case "copy":
            parent[key] = _get(doc, m.arg)
        case "stringify":
            parent[key] = (
                node.json if isinstance(node, Raw) else json.dumps(plain(node), default=str)
            )
        case "wrap":
            parent[key] = [node]
        case "table":
            parent[key] = {"value": node}
        case "nest":
            parent[key] = _nested(m.arg, node, lambda x: [x])
        case "nest_rule":
            parent[key] = _nest_rule(node, m.arg)
        case "duplicate":
            if isinstance(parent, list):
                parent.insert(int(key) + 1, node)
            else:
                parent[TWICE + str(key)] = node
        case "text":
            if isinstance(node, str):
                parent[key] = TEXT_OPS[m.arg](node)
        case "rename":
            if isinstance(parent, dict) and isinstance(key, str):
                parent[TEXT_OPS[m.arg](key)] = parent.pop(key)
        case _:
            raise AssertionError(m.op)


def _get(doc: Doc, path: tuple[Key, ...]) -> Any:
    node = doc
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            raise _GoneError from None
    return node


def _update(node: Any, path: tuple[Key, ...], m: Mutation, doc: Doc) -> Any:
    if isinstance(node, dict) and path[0] in node:
        copy: Any = dict(node)
    elif isinstance(node, list) and isinstance(path[0], int) and path[0] < len(node):
        copy = list(node)
    else:
        raise _GoneError
    if len(path) == 1:
        _changed(copy, path[0], m, doc)
    else:
        copy[path[0]] = _update(node[path[0]], path[1:], m, doc)
    return copy


def mutate(doc: Doc, mutations: tuple[Mutation, ...]) -> Doc:
    """``doc`` with ``mutations`` applied in turn (the containers along each path are
    copied, everything else is shared; ``doc`` itself is never changed)."""
    for m in mutations:
        box = [doc]
        try:
            doc = _update(box, (0, *m.path), m, doc)[0] if m.path or m.op != "delete" else {}
        except _GoneError:
            continue
        except IndexError:  # deleting the root of a one-item list and the like
            continue
    return doc


_LEVELS = st.sampled_from(
    [1, 2, MAX_DOCUMENT_DEPTH - 2, MAX_DOCUMENT_DEPTH - 1, MAX_DOCUMENT_DEPTH, 100, 200]
)
_RULE_LEVELS = st.sampled_from([1, MAX_RULE_DEPTH - 1, MAX_RULE_DEPTH, MAX_RULE_DEPTH + 1, 200])


@cache
def _values() -> st.SearchStrategy[Any]:
    return st.one_of(
        one_of_these(SPECIAL_VALUES),
        one_of_these(RAWS),
        scalars(),
        json_values(max_size=2),
    )


@cache
def _mutation(name: str) -> st.SearchStrategy[Mutation]:
    return _draw_mutation(name)


@st.composite
def _draw_mutation(draw: st.DrawFn, name: str) -> Mutation:
    paths = node_paths(name)
    path = draw(one_of_these(paths))
    op = draw(
        st.sampled_from(
            [
                "delete",
                "set",
                "stringify",
                "wrap",
                "duplicate",
                "text",
                "rename",
                "copy",
                "table",
                "nest",
                "nest_rule",
            ]
        )
    )
    arg: Any = None
    if op == "set":
        arg = draw(_values())
    elif op == "copy":
        arg = draw(one_of_these(paths))
    elif op in ("text", "rename"):
        arg = draw(st.sampled_from(sorted(TEXT_OPS)))
    elif op == "nest":
        arg = draw(_LEVELS)
    elif op == "nest_rule":
        arg = draw(_RULE_LEVELS)
    return Mutation(path, op, arg)


@dataclass(frozen=True, repr=False)
class Corrupted(_Shown):
    """A bundled document (by name) and the mutations applied to it."""

    name: str
    mutations: tuple[Mutation, ...]

    @cached_property
    def data(self) -> Doc:
        """The mutated document (with :class:`Raw` values, for rendering to text)."""
        return mutate(document(self.name), self.mutations)

    @cached_property
    def plain(self) -> Doc:
        """The mutated document as parsed data."""
        return plain(self.data)

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    def __repr__(self) -> str:
        return f"Corrupted({self.name!r}, {list(self.mutations)!r})"


@dataclass(frozen=True, repr=False)
class Random(_Shown):
    """A random document (not derived from a bundled file)."""

    data: Doc

    def __repr__(self) -> str:
        return f"Random({self.data!r})"

    @property
    def plain(self) -> Doc:
        return plain(self.data)

    suffix = ".json"


@cache
def corruptions(names: tuple[str, ...], *, max_mutations: int = 3) -> st.SearchStrategy[Corrupted]:
    """One of the bundled documents ``names`` with 0 to ``max_mutations`` mutations."""

    @st.composite
    def build(draw: st.DrawFn) -> Corrupted:
        name = draw(one_of_these(names))
        # Mostly one mutation; none (the file as bundled) and several now and then.
        count = draw(one_of_these([0, 1, 1, 1, 2, 3]))
        mutations = [draw(_mutation(name)) for _ in range(min(count, max_mutations))]
        return Corrupted(name, tuple(mutations))

    return build()


@cache
def sources(
    names: tuple[str, ...], *, max_mutations: int = 3
) -> st.SearchStrategy[Corrupted | Random]:
    """Mostly corruptions of ``names``, sometimes a random document."""
    corrupted = corruptions(names, max_mutations=max_mutations)
    return pick(corrupted, corrupted, corrupted, documents().map(Random))


# -- rendering documents as files ----------------------------------------------------------------

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_str(s: str) -> str:
    # Lone surrogates are written as escapes (\ud800): valid JSON text, invalid Unicode.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(s, ensure_ascii=False))


def _key(k: object) -> str:
    return str(k).removeprefix(TWICE)


def json_text(doc: Doc) -> str:
    """``doc`` as JSON text (NaN and Infinity as Python's json writes them, lone surrogates
    as escapes, :class:`Raw` values as their text, :data:`TWICE` keys twice)."""
    raws: list[str] = []

    def other(value: object) -> str:
        if isinstance(value, Raw):
            raws.append(value.json)
            return f"{_RAW}{len(raws) - 1}{_RAW}"
        if isinstance(value, date | datetime):
            return value.isoformat()
        return str(value)

    text = json.dumps(doc, ensure_ascii=False, default=other)
    text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    text = text.replace(json.dumps(TWICE)[:-1], '"')
    if raws:
        text = _RAW_MARK.sub(lambda m: raws[int(m[1])], text)
    return text


_RAW = "\x00raw\x00"
_RAW_MARK = re.compile(
    re.escape(json.dumps(_RAW)[:-1]) + r"(\d+)" + re.escape(json.dumps(_RAW)[1:])
)


def _toml_value(v: Any) -> str:
    if isinstance(v, Raw):
        return v.toml
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return repr(v) if math.isfinite(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, dict):
        items = ", ".join(
            f"{_json_str(_key(k))} = {_toml_value(x)}" for k, x in v.items() if x is not None
        )
        return "{" + items + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v if x is not None) + "]"
    return _json_str(str(v))


def toml_text(doc: Doc) -> str:
    """``doc`` as TOML (inline tables; ``null`` has no TOML form and is left out). A
    document that is not a table has no TOML form either: it is written as JSON."""
    if not isinstance(doc, dict):
        return json_text(doc)
    return "".join(
        f"{_json_str(_key(k))} = {_toml_value(v)}\n" for k, v in doc.items() if v is not None
    )


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1258", "latin-1")


@dataclass(frozen=True, repr=False)
class Payload(_Shown):
    """The bytes of a file: a document, written as ``suffix`` text in ``encoding``, then
    ``damage`` (``("truncate", n)``, ``("flip", n)``, ``("garbage", bytes)``, ``("empty",)``)."""

    source: Corrupted | Random
    suffix: str
    encoding: str = "utf-8"
    damage: tuple[Any, ...] = ()

    def __repr__(self) -> str:
        how = "" if self.encoding == "utf-8" else f", {self.encoding}"
        return f"Payload({self.source!r}, {self.suffix!r}{how}" + (
            f", {self.damage!r})" if self.damage else ")"
        )

    @cached_property
    def text(self) -> str:
        data = self.source.data
        return toml_text(data) if self.suffix == ".toml" else json_text(data)

    @cached_property
    def raw(self) -> bytes:
        raw = self.text.encode(
            self.encoding, errors="surrogatepass" if "utf" in self.encoding else "replace"
        )
        match self.damage:
            case ():
                return raw
            case ("truncate", n):
                return raw[: n % (len(raw) + 1)]
            case ("flip", n):
                if not raw:
                    return raw
                i = n % len(raw)
                return raw[:i] + bytes([raw[i] ^ 0x80]) + raw[i + 1 :]
            case ("garbage", junk):
                return bytes(junk)
            case ("empty",):
                return b""
        raise AssertionError(self.damage)


_DAMAGE = st.one_of(
    st.just(()),
    st.tuples(st.just("truncate"), st.integers(min_value=0)),
    st.tuples(st.just("flip"), st.integers(min_value=0)),
    st.tuples(st.just("garbage"), st.binary(max_size=64)),
    st.just(("empty",)),
)


@cache
def payloads(names: tuple[str, ...]) -> st.SearchStrategy[Payload]:
    """Files made from corruptions of ``names`` (or random documents): in their own format
    mostly, sometimes the other one or an unsupported suffix; encoded, maybe damaged."""

    @st.composite
    def build(draw: st.DrawFn) -> Payload:
        source = draw(sources(names))
        # Half the files are written cleanly (so that the corruption inside is what is
        # tested); the others are damaged in one way: the name, the encoding, the bytes.
        how = draw(one_of_these(["clean", "clean", "clean", "suffix", "encoding", "bytes"]))
        suffix, encoding, damage = source.suffix, "utf-8", ()
        if how == "suffix":
            other = ".json" if source.suffix == ".toml" else ".toml"
            suffix = draw(st.sampled_from([other, ".txt", ".JSON", ""]))
        elif how == "encoding":
            encoding = draw(st.sampled_from(ENCODINGS))
        elif how == "bytes":
            damage = draw(_DAMAGE)
        return Payload(source, suffix, encoding, damage)

    return build()
