"""Collect malformed lines while a file is read, then raise or warn once at the end.

Readers report every problem they find with its physical line number; the collector
remembers the earliest one. In ``"error"`` mode :meth:`BadLines.finish` raises it, in
``"skip"`` mode it warns with the count. It does not drop rows itself.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from workbench.errors import InputFormatError, SkippedLinesWarning
from workbench.io._warn import warn_caller

#: The values accepted by the ``on_bad_lines`` argument of the readers.
ON_BAD_LINES = ("error", "skip")

#: How many line numbers a skip warning lists.
SHOWN_LINES = 5

#: How to ask for skipping, in Python and on the command line.
HOW_TO_SKIP = "use on_bad_lines='skip' (Python) or --on-bad-lines skip (command line)"


def check_on_bad_lines(on_bad_lines: str) -> str:
    """Return ``on_bad_lines`` if it is one of :data:`ON_BAD_LINES`, else raise."""
    if on_bad_lines not in ON_BAD_LINES:
        message = (
            f"on_bad_lines={on_bad_lines!r} is not supported; pass 'error' to stop at "
            "the first malformed line or 'skip' to skip such lines."
        )
        raise ValueError(message)
    return on_bad_lines


def field_problem(
    name: str, raw: pd.Series, rows: np.ndarray, expected: str
) -> Callable[[int], str]:
    """A describer for :meth:`BadLines.add`: field ``name`` of ``rows`` is wrong."""

    def describe(i: int) -> str:
        value = raw.iloc[rows[i]]
        value = value.item() if isinstance(value, np.generic) else value
        return f"field {name!r} holds {value!r}, which is not {expected}"

    return describe


class BadLines:
    """Malformed lines of one file.

    Parameters
    ----------
    source : str
        The file, as named in messages.
    mode : {"error", "skip"}
        What :meth:`finish` does when lines were reported.
    unit : str, default "line"
        What a reported number counts ("line", or "packet record" for captures).
    """

    def __init__(self, source: str, mode: str, *, unit: str = "line") -> None:
        self.source = source
        self.mode = check_on_bad_lines(mode)
        self.unit = unit
        self._numbers: list[np.ndarray] = []
        self._first: tuple[int, str] | None = None

    def add(self, numbers: np.ndarray, describe: Callable[[int], str]) -> None:
        """Report the lines ``numbers``; ``describe(i)`` explains ``numbers[i]``."""
        numbers = np.asarray(numbers, dtype=np.int64)
        if numbers.size == 0:
            return
        self._numbers.append(numbers)
        earliest = int(np.argmin(numbers))
        line = int(numbers[earliest])
        if self._first is None or line < self._first[0]:
            self._first = (line, describe(earliest))

    @property
    def numbers(self) -> np.ndarray:
        """Sorted distinct numbers reported so far."""
        if not self._numbers:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(self._numbers))

    @property
    def count(self) -> int:
        """How many distinct lines were reported."""
        return int(self.numbers.size)

    def finish(self) -> int:
        """Raise the earliest problem (``"error"``) or warn (``"skip"``); return count.

        The warning is attributed to the first caller outside the package.

        Raises
        ------
        InputFormatError
            In ``"error"`` mode, when any line was reported.
        """
        if self._first is None:
            return 0
        line, reason = self._first
        where = f"{self.source}, {self.unit} {line}: {reason}"
        if self.mode == "error":
            message = (
                f"{where}. Fix the {self.unit}, or {HOW_TO_SKIP} to skip malformed "
                f"{self.unit}s."
            )
            raise InputFormatError(message)
        numbers = self.numbers
        shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
        more = ", ..." if numbers.size > SHOWN_LINES else ""
        message = (
            f"{self.source}: skipped {numbers.size} malformed {self.unit}(s) "
            f"({self.unit}s {shown}{more}); the first: {reason}."
        )
        warn_caller(message, SkippedLinesWarning)
        return int(numbers.size)
