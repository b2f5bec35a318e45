"""The project's own exceptions and warnings, in one place.

Every message names the file, the line or the field concerned and says what to do next.
Nothing here logs or prints; callers decide how to show the error.
"""

from __future__ import annotations

__all__ = [
    "WorkbenchError",
    "InputFormatError",
    "SchemaError",
    "ModelFileError",
    "NotFittedError",
    "ModelEditError",
    "SkippedLinesWarning",
    "MissingFieldWarning",
]


class WorkbenchError(Exception):
    """Base class of every error the workbench raises on purpose."""


class InputFormatError(WorkbenchError, ValueError):
    """A capture or log cannot be read: unknown format, truncated, malformed, empty."""


class SchemaError(WorkbenchError, ValueError):
    """A table lacks a required column, or a column holds values of the wrong kind."""


class ModelFileError(WorkbenchError, ValueError):
    """A saved model folder or file is missing, inconsistent or of another version."""


class NotFittedError(WorkbenchError, RuntimeError):
    """An estimator was used before ``fit``."""


class ModelEditError(WorkbenchError, ValueError):
    """An edit of a generative model is impossible: unknown pattern, row or feature."""


class SkippedLinesWarning(UserWarning):
    """A reader skipped malformed lines; the message says how many and where."""


class MissingFieldWarning(UserWarning):
    """A file lacks an optional field of its format; the field is left missing.

    The message names the file and the field, and any unknown column whose name is
    close to it (a likely misspelling).
    """
