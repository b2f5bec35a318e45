"""Read every supported capture and log format into one canonical flow table.

``read_flows`` returns flows in the Zeek ``conn.log`` naming of
:mod:`workbench.schema`; ``read_zeek_log`` returns any Zeek log with its own columns;
``detect_format`` names a file's format from its content. Nothing here derives
features, sorts flows across files or writes files.
"""

from __future__ import annotations

from workbench.io.detect import FORMATS, detect_format
from workbench.io.flows import read_flows
from workbench.io.zeek import read_zeek_log

__all__ = ["FORMATS", "detect_format", "read_flows", "read_zeek_log"]
