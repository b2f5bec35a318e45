"""Identity keys and key-derived attributes of address, domain, URI and agent nodes.

Each function maps a column of raw log values to canonical keys (so that one object
seen in several logs becomes one node) or to the attributes the encoder reads. Values
are parsed once per distinct value. Nothing here reads logs or builds edges.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import pandas as pd

from workbench.features import INTERNAL_NETWORKS

__all__ = [
    "ip_keys",
    "ip_attributes",
    "domain_keys",
    "domain_attributes",
    "host_keys",
    "uri_keys",
    "uri_attributes",
    "user_agent_attributes",
]

#: Prefix lengths of the ``prefix`` attribute: a /24 for IPv4, a /64 for IPv6.
IPV4_PREFIX, IPV6_PREFIX = 24, 64

_INTERNAL = tuple(ipaddress.ip_network(n) for n in INTERNAL_NETWORKS)
_PRODUCT = re.compile(r"[^\s/;()]+")
_EXTENSION = re.compile(r"\.([a-z0-9]{1,8})$")


def _per_distinct(values: pd.Series, function: object) -> pd.Series:
    """Apply ``function`` once per distinct non-missing value of ``values``."""
    text = values.astype("string")
    distinct = text.dropna().unique()
    mapping = {value: function(value) for value in distinct}
    return text.map(mapping).astype("string")


def _canonical_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def ip_keys(values: pd.Series) -> pd.Series:
    """Canonical text of addresses (IPv6 compressed); missing where not an address.

    Examples
    --------
    >>> ip_keys(pd.Series(["2001:DB8:0::1", "example.com", None])).tolist()
    ['2001:db8::1', <NA>, <NA>]
    """
    return _per_distinct(values, _canonical_ip)


def _prefix(key: str) -> str:
    address = ipaddress.ip_address(key)
    length = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{key}/{length}", strict=False))


def _is_internal(key: str) -> bool:
    address = ipaddress.ip_address(key)
    return any(address in network for network in _INTERNAL)


def ip_attributes(keys: pd.Series) -> pd.DataFrame:
    """``internal`` and ``prefix`` (a /24 or /64) of address keys.

    Internal networks are those of :data:`workbench.features.INTERNAL_NETWORKS`, so
    the flat and the graph detectors agree.

    Examples
    --------
    >>> ip_attributes(pd.Series(["192.168.1.7", "8.8.8.8"])).to_numpy().tolist()
    [[True, '192.168.1.0/24'], [False, '8.8.8.0/24']]
    """
    text = keys.astype("string")
    distinct = text.dropna().unique()
    internal = {k: _is_internal(k) for k in distinct}
    prefix = {k: _prefix(k) for k in distinct}
    return pd.DataFrame(
        {
            "internal": text.map(internal).astype("boolean").to_numpy(),
            "prefix": text.map(prefix).astype("string").to_numpy(),
        }
    )


def domain_keys(values: pd.Series) -> pd.Series:
    """Lower-case domain names without the trailing dot; empty names are missing.

    Examples
    --------
    >>> domain_keys(pd.Series(["WWW.Example.COM.", "", None])).tolist()
    ['www.example.com', <NA>, <NA>]
    """
    text = values.astype("string").str.strip().str.lower().str.rstrip(".")
    return text.mask(text.eq(""))


def domain_attributes(keys: pd.Series) -> pd.DataFrame:
    """``labels`` (count), ``length``, ``tld`` and ``sld`` (last two labels).

    Examples
    --------
    >>> domain_attributes(pd.Series(["a.example.co"])).to_numpy().tolist()
    [[3, 12, 'co', 'example.co']]
    """
    text = keys.astype("string")
    parts = text.str.split(".")
    return pd.DataFrame(
        {
            "labels": parts.str.len().astype("Int64").to_numpy(),
            "length": text.str.len().astype("Int64").to_numpy(),
            "tld": parts.str[-1].astype("string").to_numpy(),
            "sld": parts.str[-2:].str.join(".").astype("string").to_numpy(),
        }
    )


def host_keys(hosts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split HTTP ``host`` values into domain keys and address keys (port removed).

    Returns
    -------
    tuple of pandas.Series
        Domain keys (missing where the host is an address) and address keys (missing
        where it is a name).

    Examples
    --------
    >>> names, addresses = host_keys(pd.Series(["Example.com:8080", "10.0.0.1"]))
    >>> names.tolist(), addresses.tolist()
    (['example.com', <NA>], [<NA>, '10.0.0.1'])
    """
    text = hosts.astype("string").str.strip()
    # A bracketed IPv6 literal or a name may carry ":port"; a bare IPv6 may not.
    bare = text.str.replace(r"^\[([^\]]+)\](:\d+)?$", r"\1", regex=True)
    unported = bare.str.replace(r":\d+$", "", regex=True)
    bare = bare.where(bare.str.count(":") > 1, unported)
    addresses = ip_keys(bare)
    names = domain_keys(bare.mask(addresses.notna()))
    return names, addresses


def _split_uri(uri: str) -> tuple[str, bool]:
    if "://" in uri[:12]:
        parts = urlsplit(uri)
        return parts.path or "/", bool(parts.query)
    path, _, query = uri.partition("?")
    return path, bool(query)


def uri_keys(hosts: pd.Series, uris: pd.Series) -> pd.Series:
    """``host + path`` in lower case, query string removed; missing without a URI.

    Examples
    --------
    >>> uri_keys(pd.Series(["Ex.com"]), pd.Series(["/A/b.PHP?x=1"])).tolist()
    ['ex.com/a/b.php']
    """
    paths = _per_distinct(uris, lambda u: _split_uri(u)[0])
    host = hosts.astype("string").str.strip().str.lower().fillna("")
    return (host + paths.str.lower()).astype("string")


def uri_attributes(uris: pd.Series) -> pd.DataFrame:
    """``length`` (of the URI as logged), ``depth``, ``has_query``, ``extension``.

    Examples
    --------
    >>> uri_attributes(pd.Series(["/a/b/c.JS?v=2"])).to_numpy().tolist()
    [[13, 3, True, 'js']]
    """
    text = uris.astype("string")
    split = text.dropna().unique()
    paths = {u: _split_uri(u)[0].lower() for u in split}
    queries = {u: _split_uri(u)[1] for u in split}
    path = text.map(paths).astype("string")
    last = path.str.rsplit("/", n=1).str[-1]
    return pd.DataFrame(
        {
            "length": text.str.len().astype("Int64").to_numpy(),
            "depth": path.str.count("/").astype("Int64").to_numpy(),
            "has_query": text.map(queries).astype("boolean").to_numpy(),
            "extension": last.str.extract(_EXTENSION, expand=False)
            .astype("string")
            .to_numpy(),
        }
    )


def user_agent_attributes(agents: pd.Series) -> pd.DataFrame:
    """``length`` and ``product`` (first product token, e.g. ``Mozilla``).

    Examples
    --------
    >>> user_agent_attributes(pd.Series(["curl/8.1"])).to_numpy().tolist()
    [[8, 'curl']]
    """
    text = agents.astype("string")
    product = text.str.extract(f"^\\s*({_PRODUCT.pattern})", expand=False)
    return pd.DataFrame(
        {
            "length": text.str.len().astype("Int64").to_numpy(),
            "product": product.astype("string").to_numpy(),
        }
    )
