"""Paths of the data files bundled with the project, for the labs and the tests.

Only locations live here; reading is ``workbench.io``'s job. The files and their
licences are described in ``data/PROVENANCE.md``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR", "bundled", "IOT23_BENIGN", "IOT23_MIRAI"]

#: The ``data/`` folder of the source tree (the package is installed in editable mode).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def bundled(*parts: str) -> Path:
    """Path of a bundled file, checked to exist.

    Examples
    --------
    >>> bundled("iot23", "CTU-Honeypot-Capture-7-1-labeled.csv").name
    'CTU-Honeypot-Capture-7-1-labeled.csv'
    """
    path = DATA_DIR.joinpath(*parts)
    if not path.exists():
        message = (
            f"bundled data file {path} is missing; run from a full clone of the "
            "repository (see data/PROVENANCE.md for what belongs there)."
        )
        raise FileNotFoundError(message)
    return path


#: The three IoT-23 honeypot captures: benign only.
IOT23_BENIGN = tuple(
    f"iot23/CTU-Honeypot-Capture-{n}-labeled.csv" for n in ("4-1", "5-1", "7-1")
)
#: IoT-23 Mirai capture 34-1: DDoS, C&C and a horizontal port scan.
IOT23_MIRAI = "iot23/CTU-Malware-Capture-34-1-labeled.csv"
