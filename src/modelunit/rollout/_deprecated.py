"""Names that moved or were renamed, still working for one release with a
``DeprecationWarning`` that names the new one.

``modelunit.rollout`` and ``modelunit.rollout.rebase`` look up names they do not
define here (from their module ``__getattr__``, PEP 562), so the new home is only
imported when an old name is used: importing the planner never loads the geography.

Renamed fields (:data:`RENAMED`): the classes' ``__init__`` accepts the old keyword
(:func:`renamed_keywords`), their old attribute is a property that warns
(:func:`renamed_read`), and a file's old key is read as the new one (the converter
hooks, which refuse a record giving both).
"""

from __future__ import annotations

import functools
import importlib
import warnings
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeVar

from modelunit.errors import InvalidArgumentError

__all__ = ["MOVED", "RENAMED", "moved", "renamed_keywords", "renamed_read"]

C = TypeVar("C", bound=type)


def __dir__() -> list[str]:
    return __all__


#: Old name -> (the module it lives in now, its name there).
MOVED: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "UnitMapping": ("modelunit.rollout.rebase", "MappingRow"),
        "recognised_on_2025_map": ("modelunit.geography", "recognised_on_2025_map"),
        "ward_mapping_rows": ("modelunit.geography", "ward_mapping_rows"),
    }
)


def moved(module: str, name: str) -> Any:
    """What the old name ``module.name`` (a key of :data:`MOVED`) refers to now, with a
    ``DeprecationWarning`` that names its new home (reported at the caller's line)."""
    new_module, new_name = MOVED[name]
    warnings.warn(
        f"{module}.{name} is deprecated; use {new_module}.{new_name}",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(new_module), new_name)


#: Class name -> {old field name: new field name}: the fields renamed in 0.x (a quota
#: is called a quota; the national limit is named like the regions' ``capacity``).
RENAMED: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "Region": MappingProxyType({"minimum": "quota", "minimum_by_year": "quota_by_year"}),
        "RolloutProblem": MappingProxyType(
            {
                "national_cap": "national_capacity",
                "national_cap_by_year": "national_capacity_by_year",
            }
        ),
    }
)


def renamed_keywords(cls: C) -> C:
    """Class decorator: ``cls(...)`` also accepts the old keywords of
    ``RENAMED[cls.__name__]``, each with a ``DeprecationWarning`` naming the new one;
    giving an old keyword and its new one together is an
    :class:`~modelunit.errors.InvalidArgumentError`. (Type checkers see the new
    keywords only: the class's own ``__init__`` is the documented one.)"""
    renames = RENAMED[cls.__name__]
    init: Callable[..., None] = cls.__init__  # type: ignore[misc]

    @functools.wraps(init)
    def init_accepting_old_names(self: object, *args: Any, **kwargs: Any) -> None:
        if not renames.keys().isdisjoint(kwargs):
            for old, new in renames.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise InvalidArgumentError(
                        f"{cls.__name__}() got both {old}= and {new}=; {old} is the "
                        f"deprecated name of {new}: give only {new}="
                    )
                warnings.warn(
                    f"{cls.__name__}({old}=...) is deprecated; use {new}=",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
        init(self, *args, **kwargs)

    cls.__init__ = init_accepting_old_names  # type: ignore[misc]
    return cls


def renamed_read(owner: str, old: str, new: str) -> None:
    """Warn that ``owner.old`` (an attribute or method) is deprecated for ``owner.new``
    (reported at the line that read it)."""
    warnings.warn(
        f"{owner}.{old} is deprecated; use {owner}.{new}", DeprecationWarning, stacklevel=3
    )
