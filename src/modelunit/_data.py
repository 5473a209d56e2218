"""The one place that reads data files: bundled ones by name, the user's by path.

Every loader (catalogs, evidence, geography, targets, scenarios) goes through here, so
every file is read the same way: bytes, then UTF-8 text, then TOML (:mod:`tomllib`) or
JSON (:mod:`json`), never code, with errors that name the file. Nothing here knows
what the data means; the loaders structure it.

>>> from modelunit import _data
>>> "tutorial" in _data.bundled_names("catalogs")
True
>>> data, name = _data.read_bundled("catalogs", "tutorial")
>>> name, data["id"]
('catalogs/tutorial.toml', 'tutorial')
"""

from __future__ import annotations

import itertools
import json
import operator
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

from modelunit.errors import InvalidInputError, Problem, UnknownCatalogError
from modelunit.limits import MAX_DOCUMENT_DEPTH

__all__ = [
    "SCHEMA_KEY",
    "SUFFIXES",
    "bundled_names",
    "exists",
    "parse_bytes",
    "parse_text",
    "read_bundled",
    "read_file",
    "read_source",
    "shown_name",
]


def __dir__() -> list[str]:
    return __all__


#: File types data is read from, in the order a bundled name is looked up.
SUFFIXES: Final = (".toml", ".json")

#: The top-level key that names a file's JSON Schema for editors (``modelunit.schema``);
#: dropped when the file is read.
SCHEMA_KEY: Final = "$schema"


def _folder(folder: str) -> dict[str, Traversable]:
    root = resources.files("modelunit").joinpath("data", folder)
    found: dict[str, Traversable] = {}
    if root.is_dir():
        for entry in root.iterdir():
            for suffix in SUFFIXES:
                if entry.name.endswith(suffix):
                    found.setdefault(entry.name[: -len(suffix)], entry)
    return found


def bundled_names(folder: str) -> tuple[str, ...]:
    """Names (without suffix) of the bundled data files in ``data/<folder>``, sorted."""
    return tuple(sorted(_folder(folder)))


def read_bundled(
    folder: str,
    name: str,
    *,
    what: type[InvalidInputError] = InvalidInputError,
    unknown: type[UnknownCatalogError] = UnknownCatalogError,
) -> tuple[Any, str]:
    """Parse the bundled file ``data/<folder>/<name>.(toml|json)``: (data, its display name).

    An unknown name raises ``unknown`` (an :class:`~modelunit.errors.UnknownCatalogError`
    or a subclass) listing the bundled names.
    """
    entries = _folder(folder)
    entry = entries.get(name)
    if entry is None:
        raise unknown(name, entries)
    shown = f"{folder}/{entry.name}"
    return parse_bytes(entry.read_bytes(), shown, Path(entry.name).suffix, what=what), shown


def read_file(source: str | Path, *, what: type[InvalidInputError] = InvalidInputError) -> Any:
    """Parse a TOML or JSON file into plain data, with errors naming the file."""
    path = Path(source)
    name = shown_name(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise what([Problem("", f"cannot read file: {exc.strerror}")], source=name) from exc
    except ValueError as exc:  # a NUL byte in the name, or a lone surrogate
        raise what(
            [Problem("", f"not a file name the system accepts: {exc}")], source=name
        ) from exc
    return parse_bytes(raw, name, path.suffix.lower(), what=what)


def shown_name(source: str | Path) -> str:
    """The name of a file as messages show it: as given, except that what no terminal can
    print (a lone surrogate) is written as an escape.

    >>> shown_name("catalog.toml"), shown_name("x\\udc80.toml")
    ('catalog.toml', 'x\\\\udc80.toml')
    """
    name = str(source)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


def read_source(
    source: str | Path,
    folder: str,
    *,
    what: type[InvalidInputError] = InvalidInputError,
    unknown: type[UnknownCatalogError] = UnknownCatalogError,
) -> tuple[Any, str]:
    """Parse ``source``: a path to a file, or the name of a file bundled in ``folder``.

    A string without a suffix that is not an existing path is a bundled name.
    Returns the data and the name to show in messages.
    """
    path = Path(source)
    if isinstance(source, str) and not path.suffix and not exists(path):
        return read_bundled(folder, source, what=what, unknown=unknown)
    return read_file(path, what=what), shown_name(source)


def exists(path: Path) -> bool:
    """Whether ``path`` names an existing file or folder; a name the file system refuses
    (too long, say) names none, rather than raising ``OSError``."""
    try:
        return path.exists()
    except OSError:
        return False


def parse_bytes(
    raw: bytes, name: str, suffix: str, *, what: type[InvalidInputError] = InvalidInputError
) -> Any:
    """Decode UTF-8 and parse TOML or JSON (chosen by ``suffix``); errors name ``name``.

    A UTF-8 byte-order mark is allowed, and so is a top-level ``"$schema"`` (text, for
    editors), which is dropped. Documents nested deeper than
    :data:`~modelunit.limits.MAX_DOCUMENT_DEPTH` and integers the parser refuses
    (over 4,300 digits) are errors, as is a JSON object with a key twice.
    """
    if suffix not in (".toml", ".json"):
        raise what(
            [Problem("", f"unsupported file type {suffix!r}; use .toml or .json")], source=name
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise what([Problem("", f"not UTF-8 text: {exc}")], source=name) from exc
    return parse_text(text, name, suffix, what=what)


def parse_text(
    text: str,
    name: str | None,
    suffix: str,
    *,
    what: type[InvalidInputError] = InvalidInputError,
) -> Any:
    """Parse TOML or JSON text (chosen by ``suffix``: ``".toml"`` or ``".json"``); errors
    name ``name``.

    Invalid syntax, a JSON object with a key twice (JSON readers keep the last: a silent
    misread), nesting deeper than :data:`~modelunit.limits.MAX_DOCUMENT_DEPTH` (JSON's
    checked as it is parsed) and integer literals the parser refuses (over 4,300
    digits) are all ``what`` errors.

    >>> parse_text('{"a": 1, "a": 2}', "x.json", ".json")
    Traceback (most recent call last):
    ...
    modelunit.errors.InvalidInputError: 1 problem in x.json:
      - invalid JSON: the key 'a' appears twice in one object
    """
    try:
        data = tomllib.loads(text) if suffix == ".toml" else _json(text)
    except tomllib.TOMLDecodeError as exc:
        raise what([Problem("", f"invalid TOML: {exc}")], source=name) from exc
    except json.JSONDecodeError as exc:
        raise what(
            [Problem(f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}")],
            source=name,
        ) from exc
    except _RepeatedKeyError as exc:
        raise what(
            [Problem("", f"invalid JSON: the key {exc.key!r} appears twice in one object")],
            source=name,
        ) from None
    except (RecursionError, _TooDeepError):
        raise what([_too_deep()], source=name) from None
    except ValueError as exc:  # an integer literal beyond the interpreter's digit limit
        raise what([Problem("", f"invalid {suffix[1:].upper()}: {exc}")], source=name) from None
    # (JSON's depth is checked as it is parsed.)
    if suffix == ".toml" and _depth(data) > MAX_DOCUMENT_DEPTH:
        raise what([_too_deep()], source=name)
    if isinstance(data, dict) and SCHEMA_KEY in data:
        # Editors find a file's JSON Schema through this key; it is not data.
        if not isinstance(data[SCHEMA_KEY], str):
            problem = Problem(SCHEMA_KEY, "expected the path or URL of a JSON Schema (text)")
            raise what([problem], source=name)
        data = {k: v for k, v in data.items() if k != SCHEMA_KEY}
    return data


def too_deep(data: Any) -> Problem | None:
    """A problem if ``data`` (from a file or built in Python: dicts, lists, tuples) nests
    deeper than :data:`~modelunit.limits.MAX_DOCUMENT_DEPTH`, else ``None``."""
    return _too_deep() if _depth(data) > MAX_DOCUMENT_DEPTH else None


def _too_deep() -> Problem:
    return Problem("", f"nested more than {MAX_DOCUMENT_DEPTH} levels deep (tables and arrays)")


class _RepeatedKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # JSON allows a key twice and json.loads keeps the last: a silent misread. TOML refuses.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKeyError(key)
        out[key] = value
    return out


def _json(text: str) -> Any:
    """``json.loads`` refusing an object with a key twice and nesting deeper than
    :data:`~modelunit.limits.MAX_DOCUMENT_DEPTH`.

    Objects are parsed as tuples of pairs (by the C parser, no Python call per object),
    then made dicts, those of an array of objects all at once, the depth checked on the
    way; a key given twice is reported by parsing again with :func:`_no_repeats`, which
    names it as it always has."""
    data = json.loads(text, object_pairs_hook=tuple)
    try:
        return _made_dicts(data, 1)
    except _RepeatedKeyError:
        return json.loads(text, object_pairs_hook=_no_repeats)


class _TooDeepError(Exception):
    """Nested deeper than the limit."""


def _made_dicts(node: Any, depth: int) -> Any:
    """``node`` with its objects (tuples of pairs) made dicts; ``depth``: its own depth
    if it is an array or object."""
    kind = type(node)
    if kind is tuple:
        if depth > MAX_DOCUMENT_DEPTH:
            raise _TooDeepError
        found = dict(node)
        if len(found) != len(node):
            raise _RepeatedKeyError("")
        for key, value in found.items():
            if type(value) in _PARSED_CONTAINERS:
                found[key] = _made_dicts(value, depth + 1)
        return found
    if kind is not list:
        return node
    if depth > MAX_DOCUMENT_DEPTH:
        raise _TooDeepError
    kinds = set(map(type, node))
    if not kinds & _PARSED_CONTAINERS:
        return node
    if kinds == {tuple}:  # an array of objects (records): made dicts in C
        if depth + 1 > MAX_DOCUMENT_DEPTH:
            raise _TooDeepError
        found_all = list(map(dict, node))
        if any(map(operator.ne, map(len, found_all), map(len, node))):
            raise _RepeatedKeyError("")
        inside = set(map(type, itertools.chain.from_iterable(map(dict.values, found_all))))
        if inside & _PARSED_CONTAINERS:
            for obj in found_all:
                for key, value in obj.items():
                    if type(value) in _PARSED_CONTAINERS:
                        obj[key] = _made_dicts(value, depth + 2)
        return found_all
    return [_made_dicts(item, depth + 1) for item in node]


_PARSED_CONTAINERS: Final = frozenset({tuple, list})
_CONTAINERS: Final = frozenset({dict, list, tuple})  # tuples: data built in Python


def _depth(data: Any) -> int:
    """How deeply ``data`` nests (a scalar: 0), level by level in C-level passes, without
    recursion; stops early past the limit."""
    depth = 0
    level: list[Any] = [data]
    while True:
        containers = list(
            itertools.compress(level, map(_CONTAINERS.__contains__, map(type, level)))
        )
        if not containers:
            return depth
        depth += 1
        if depth > MAX_DOCUMENT_DEPTH:
            return depth
        is_dict = list(map(operator.is_, map(type, containers), itertools.repeat(dict)))
        dicts = itertools.compress(containers, is_dict)
        lists = itertools.compress(containers, map(operator.not_, is_dict))
        level = list(
            itertools.chain(
                itertools.chain.from_iterable(map(dict.values, dicts)),
                itertools.chain.from_iterable(lists),
            )
        )
