"""Raw bytes of one input file, with gzip undone and empty files refused.

The readers parse from memory; this module only opens files. It does not guess formats
(see ``detect``) and does not decode text.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from workbench.errors import InputFormatError

GZIP_MAGIC = b"\x1f\x8b"

#: How many bytes the format sniffer looks at.
HEAD_SIZE = 65536


def existing_file(path: str | Path) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, checked to be an existing file."""
    path = Path(path)
    if not path.exists():
        message = f"{path}: no such file or directory; check the path."
        raise FileNotFoundError(message)
    if path.is_dir():
        message = f"{path} is a directory here, but a single file is needed."
        raise IsADirectoryError(message)
    return path


def is_gzip(path: Path) -> bool:
    """Whether the file starts with the gzip magic bytes."""
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def read_bytes(path: Path) -> bytes:
    """Whole content of ``path``, decompressed when it is gzip.

    Raises
    ------
    InputFormatError
        If the file is empty (or holds only white space) or is a damaged gzip file.
    """
    data = path.read_bytes()
    if data[:2] == GZIP_MAGIC:
        data = _gunzip(data, path)
    if not data or data.isspace():
        message = f"{path} is empty; pass a file that holds flows or log lines."
        raise InputFormatError(message)
    return data


def read_head(path: Path, size: int = HEAD_SIZE) -> bytes:
    """The first ``size`` bytes of the (decompressed) content of ``path``."""
    with path.open("rb") as handle:
        head = handle.read(size)
    if head[:2] != GZIP_MAGIC:
        return head
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise _gzip_error(path, exc) from exc


def _gunzip(data: bytes, path: Path) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise _gzip_error(path, exc) from exc


def _gzip_error(path: Path, exc: BaseException) -> InputFormatError:
    message = (
        f"{path} starts like a gzip file but cannot be decompressed ({exc}); the file "
        "may be truncated. Compress it again or pass the uncompressed file."
    )
    return InputFormatError(message)
