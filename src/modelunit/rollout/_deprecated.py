"""Names that moved, still importable from their old homes with a ``DeprecationWarning``.

``modelunit.rollout`` and ``modelunit.rollout.rebase`` look up names they do not
define here (from their module ``__getattr__``, PEP 562), so the new home is only
imported when an old name is used: importing the planner never loads the geography.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

__all__ = ["MOVED", "moved"]


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
