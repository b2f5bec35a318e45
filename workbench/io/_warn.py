"""Warn the code that called the workbench, not the reader module that noticed.

Readers warn from deep inside the package; a ``stacklevel`` counted by hand breaks
whenever a call path changes, so the level is found by walking the stack to the first
frame outside :mod:`workbench`. Nothing here decides what to warn about.
"""

from __future__ import annotations

import sys
import warnings

#: Frames of modules under this package are skipped when warnings are attributed.
PACKAGE = "workbench"


def warn_caller(message: str, category: type[Warning]) -> None:
    """Warn with ``message``, attributed to the first caller outside the package."""
    warnings.warn(message, category, stacklevel=caller_stacklevel())


def caller_stacklevel() -> int:
    """The ``stacklevel`` naming the first frame outside :data:`PACKAGE`.

    Counted for a :func:`warnings.warn` call made by the function that calls this one
    (level 1 is that function).
    """
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and _inside(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
        level += 1
    return level


def _inside(module: str) -> bool:
    return module == PACKAGE or module.startswith(PACKAGE + ".")
