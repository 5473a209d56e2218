"""The layout arguments every reader takes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from modelunit.readers._table import Layout, LayoutKind


def layout_of(
    layout: Layout | LayoutKind,
    columns: Mapping[str, str] | None,
    indicators: Mapping[str, str] | None,
    ignore: Iterable[str],
    defaults: Mapping[str, object] | None,
) -> Layout:
    """A :class:`Layout` from a reader's arguments (a given Layout is used as is, and
    refuses further arguments)."""
    if isinstance(layout, Layout):
        if columns or indicators or tuple(ignore) or defaults:
            from modelunit.errors import InvalidArgumentError  # noqa: PLC0415

            raise InvalidArgumentError(
                "give the columns, indicators, ignore and defaults in the Layout, or "
                "a layout kind ('long' or 'wide') and them as arguments"
            )
        return layout
    return Layout(
        layout,
        columns=dict(columns or {}),
        indicators=dict(indicators or {}),
        ignore=tuple(ignore),  # type: ignore[arg-type]
        defaults=dict(defaults or {}),  # type: ignore[arg-type]
    )
