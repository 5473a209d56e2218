"""Turn nested structuring errors into located :class:`~modelunit.errors.Problem` s,
and say which error class reports problems with each type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from modelunit.errors import InvalidInputError, Problem, closest

__all__ = ["ERROR_FOR", "error_class_for", "problems_from", "unexpected_fields"]

ERROR_FOR: Final[dict[object, type[InvalidInputError]]] = {}
"""Type -> the :class:`~modelunit.errors.InvalidInputError` subclass that reports bad data
for it (``CriteriaSet`` -> ``InvalidCatalogError``...). Filled by the modules that
configure the converter for those types."""


def error_class_for(cls: object) -> type[InvalidInputError]:
    """The error class for bad data of type ``cls`` (the generic one if none is registered)."""
    return ERROR_FOR.get(cls, InvalidInputError)


def unexpected_fields(extra: Iterable[object], known: Iterable[str]) -> str:
    """``unexpected field(s): titel_en (did you mean 'title_en'?)``.

    A name that cannot be shown as it is (a control character, an invisible one, a lone
    surrogate that no terminal can print) is shown quoted, with escapes:

    >>> print(unexpected_fields(["\\ud800", "id\\u200b"], ["id"]))
    unexpected field(s): 'id\\u200b' (did you mean 'id'?), '\\ud800'
    """
    names = sorted(known)
    shown = []
    for field in sorted(extra, key=str):
        near = closest(field, names, n=1)
        name = field if isinstance(field, str) and field.isprintable() else repr(field)
        shown.append(f"{name} (did you mean {near[0]!r}?)" if near else name)
    return f"unexpected field(s): {', '.join(shown)}"


def _format_exception(exc: BaseException, type_: object) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        known = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        return unexpected_fields(exc.extra_fields, known)
    if isinstance(exc, KeyError):
        return "required field missing"
    name = getattr(type_, "__name__", None) or str(type_)
    text = str(exc)
    if " not in literal " in text:
        got, _, allowed = text.partition(" not in literal ")
        allowed = allowed.removeprefix("typing.Literal[").removesuffix("]")
        near = closest(got, [a.strip().strip("'\"") for a in allowed.split(",")], n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return f"expected one of {allowed}, got {got!r}{hint}"
    if isinstance(exc, ValueError | TypeError) and text:
        return text
    return f"invalid value, expected {name}"


def _join(path: str, step: str) -> str:
    if step.startswith("["):
        return path + step
    return f"{path}.{step}" if path else step


def problems_from(exc: BaseException, path: str, source: str | None = None) -> list[Problem]:
    """Flatten cattrs' nested validation errors into located problems.

    Like :func:`cattrs.v.transform_error`, but a modelunit validation error
    raised while building a nested object keeps its own problems, with their
    paths made relative to the whole input.
    """
    if isinstance(exc, InvalidInputError):
        return [
            Problem(
                _join(path, p.path) if p.path else path, p.message, p.record, p.source or source
            )
            for p in exc.problems
        ]
    found: list[Problem] = []
    without: list[Exception]
    if isinstance(exc, IterableValidationError):
        items, without = exc.group_exceptions()
        for sub, item in items:
            found += _leaf_or_group(sub, _join(path, f"[{item.index!r}]"), item.type, source)
    elif isinstance(exc, ClassValidationError):
        fields, without = exc.group_exceptions()
        for sub, field in fields:
            found += _leaf_or_group(sub, _join(path, field.name), field.type, source)
    else:
        return [Problem(path, _format_exception(exc, None), source=source)]
    for sub in without:
        found += _leaf_or_group(sub, path, None, source)
    return found


def _leaf_or_group(
    exc: BaseException, path: str, type_: object, source: str | None
) -> list[Problem]:
    if isinstance(exc, ClassValidationError | IterableValidationError | InvalidInputError):
        return problems_from(exc, path, source)
    return [Problem(path, _format_exception(exc, type_), source=source)]
