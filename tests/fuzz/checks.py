"""The properties every fuzzed entry point keeps, and the settings each test runs with.

- :func:`attempt` calls an entry point: a :class:`~modelunit.errors.ModelUnitError` is
  the promised way to refuse input (returned, and its message checked); any other
  exception propagates, so Hypothesis fails the test and shows the (shrunk) input.
- Nothing hangs: each call runs under an alarm on the CPU time it uses
  (:data:`HANG_SECONDS`: a loop that never ends is caught, a machine busy with other
  work is not mistaken for one), and each example under a Hypothesis ``deadline``
  suited to its entry point (:func:`fuzz_settings`).
- :func:`round_trips`: what loads survives ``structure(unstructure(x))`` and JSON text.

Example counts scale with the loaded Hypothesis profile: a test asks for a ``share``
of the profile's ``max_examples`` (the default profile's 60 keeps the suite fast; the
``fuzz`` profile's are in ``tests/conftest.py``).
"""

from __future__ import annotations

import signal
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import FrameType
from typing import Any, TypeVar

from hypothesis import event, settings

from modelunit.errors import InvalidInputError, ModelUnitError
from modelunit.serialization import from_json, structure, to_json, unstructure

T = TypeVar("T")

HANG_SECONDS = 20.0
"""CPU seconds any one call may use before it counts as a hang (far beyond any deadline)."""


class HangError(AssertionError):
    """A call used more than :data:`HANG_SECONDS` of CPU time."""


@contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`HangError` in the calling (main) thread once the process has used
    ``seconds`` of CPU time in the block (``ITIMER_PROF``: time spent waiting for a busy
    machine does not count)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise HangError(f"no answer after {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def check_error(exc: ModelUnitError, *, file: str | None = None) -> None:
    """What a refusal must be: printable text (valid Unicode: a terminal can show it) that
    names ``file`` when there is one."""
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} with an empty message"
    try:
        message.encode("utf-8")
    except UnicodeEncodeError as bad:  # a lone surrogate in a message cannot be printed
        raise AssertionError(f"an unprintable message from {type(exc).__name__}") from bad
    if file is not None:
        shown = file.encode("utf-8", "backslashreplace").decode("utf-8")
        assert shown in message, f"the error does not name the file {shown!r}:\n{message}"
    if isinstance(exc, InvalidInputError):
        assert exc.problems, f"{type(exc).__name__} lists no problem"


def attempt(
    call: Callable[..., T], *args: Any, file: str | None = None, **kwargs: Any
) -> T | Exception:
    """``call(*args, **kwargs)``, or the ``ModelUnitError`` it raised (checked by
    :func:`check_error`, which looks for ``file`` in its message). Anything else, or a
    hang, fails the test."""
    try:
        with time_limit():
            result = call(*args, **kwargs)
    except ModelUnitError as exc:
        event(f"refused: {type(exc).__name__}")
        check_error(exc, file=file)
        return exc
    event("accepted")
    return result


def round_trips(obj: object) -> None:
    """``obj`` comes back equal from its unstructured form and from its JSON text."""
    cls = type(obj)
    with time_limit():
        for back in (structure(unstructure(obj), cls), from_json(to_json(obj), cls)):
            if back == obj:
                continue
            if unicodedata.normalize("NFC", repr(back)) == unicodedata.normalize("NFC", repr(obj)):
                raise AssertionError(f"{obj!r} came back in NFC")
            raise AssertionError(f"{obj!r}\ncame back as\n{back!r}")


def fuzz_settings(*, deadline_ms: int, share: float = 1.0, most: int | None = None) -> settings:
    """Settings for one fuzz test: ``share`` of the profile's examples (at most ``most``),
    each within ``deadline_ms`` milliseconds."""
    count = max(1, round(settings.default.max_examples * share))
    if most is not None:
        count = min(count, most)
    return settings(max_examples=count, deadline=timedelta(milliseconds=deadline_ms))
