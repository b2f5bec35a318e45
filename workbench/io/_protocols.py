"""IP protocol numbers as the names Zeek writes in ``proto``.

Only the protocols Zeek names get a name; every other number is kept as its decimal
text so that nothing is lost. No lookup in the system's protocol database is made.
"""

from __future__ import annotations

import pandas as pd

#: Zeek writes ``icmp`` for ICMP over IPv4 (1) and IPv6 (58).
PROTOCOL_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 58: "icmp"}


def protocol_names(numbers: pd.Series) -> pd.Series:
    """``proto`` text for a column of IP protocol numbers (missing stays missing).

    Examples
    --------
    >>> protocol_names(pd.Series([6, 17, 1, 47, None], dtype="Int64")).tolist()
    ['tcp', 'udp', 'icmp', '47', <NA>]
    """
    numbers = numbers.astype("Int64")
    names = numbers.astype("string")
    for number, name in PROTOCOL_NAMES.items():
        names = names.mask((numbers == number).fillna(False), name)
    return names
