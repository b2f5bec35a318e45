"""Certificate nodes and the ``sni``, ``presents`` and ``issued_for`` edges of ssl.log.

A certificate is keyed by its fingerprint: ``cert_chain_fps`` when ssl.log has it,
else the x509 ``fingerprint`` or the files.log SHA-1 of the first ``cert_chain_fuids``
entry, else that file id; old ssl.logs give ``cert_hash``. Attributes come from
x509.log, else from the certificate fields old ssl.logs carry.
"""

from __future__ import annotations

import pandas as pd

from workbench import schema
from workbench.graph._parts import Part, column, edge_frame
from workbench.graph.keys import domain_keys
from workbench.graph.tables import CERT, CONN, DOMAIN, node_id

__all__ = ["cert_part", "common_name"]

_SECONDS_PER_DAY = 86400.0
_CN = r"(?:^|,)CN=((?:\\,|[^,])+)"
_TLS_FIELDS = ("version", "cipher", "validation_status")


def common_name(subjects: pd.Series) -> pd.Series:
    r"""The ``CN=`` part of distinguished names (missing where there is none).

    Examples
    --------
    >>> common_name(pd.Series(["CN=*.example.com,O=Ex\\, Inc.", "O=x"])).tolist()
    ['*.example.com', <NA>]
    """
    return subjects.astype("string").str.extract(_CN, expand=False).astype("string")


def cert_part(
    ssl: pd.DataFrame, x509: pd.DataFrame | None, files: pd.DataFrame | None
) -> Part:
    """What ssl.log (joined with x509.log and files.log) adds to the graph."""
    uid, ts = column(ssl, schema.UID), column(ssl, schema.TS, "float64")
    record = {f: column(ssl, f) for f in _TLS_FIELDS}
    conns = node_id(CONN, uid)
    server = domain_keys(column(ssl, "server_name"))
    fuid = _first(column(ssl, "cert_chain_fuids", None))
    details = _x509_details(x509).reindex(fuid.to_numpy()).reset_index(drop=True)
    key = _cert_keys(ssl, fuid, details, files)
    certs = node_id(CERT, key)

    part = Part()
    part.add_keys(CONN, uid)
    part.add_keys(DOMAIN, server)
    part.add_nodes(CERT, key, _attributes(ssl, details))
    part.add_edges(edge_frame("sni", conns, node_id(DOMAIN, server), ts, uid, **record))
    part.add_edges(edge_frame("presents", conns, certs, ts, uid, **record))

    subject = details["subject"].fillna(column(ssl, "subject"))
    names = pd.DataFrame(
        {
            "cert": certs,
            "name": [
                _names(cn, san)
                for cn, san in zip(common_name(subject), details["san"], strict=True)
            ],
            "ts": ts,
            "uid": uid,
            **record,
        }
    ).explode("name")
    _add_issued_for(part, names)
    return part


def _add_issued_for(part: Part, names: pd.DataFrame) -> None:
    """Certificate -> domain edges, one per subject CN or SAN DNS name."""
    domains = domain_keys(names["name"].astype("string"))
    part.add_keys(DOMAIN, domains)
    tls = {f: names[f] for f in _TLS_FIELDS}
    targets = node_id(DOMAIN, domains)
    ts, uid = names["ts"], names["uid"]
    part.add_edges(edge_frame("issued_for", names["cert"], targets, ts, uid, **tls))


def _first(chains: pd.Series) -> pd.Series:
    return pd.Series(
        [c[0] if isinstance(c, tuple | list) and len(c) else None for c in chains],
        dtype="string",
    )


def _names(cn: object, san: object) -> list[str]:
    names = [] if pd.isna(cn) else [str(cn)]
    if isinstance(san, tuple | list):
        names += [str(s) for s in san]
    return list(dict.fromkeys(names))


def _x509_details(x509: pd.DataFrame | None) -> pd.DataFrame:
    columns = {
        "fingerprint": "fingerprint",
        "key_length": "certificate.key_length",
        "not_before": "certificate.not_valid_before",
        "not_after": "certificate.not_valid_after",
        "subject": "certificate.subject",
        "issuer": "certificate.issuer",
        "san": "san.dns",
    }
    frame = pd.DataFrame() if x509 is None else x509
    table = pd.DataFrame(
        {
            name: column(frame, field, None if name == "san" else "string")
            for name, field in columns.items()
        }
    )
    for name in ("key_length", "not_before", "not_after"):
        table[name] = pd.to_numeric(table[name], errors="coerce").astype("float64")
    table.index = column(frame, "id").to_numpy()
    return table[~table.index.duplicated(keep="first")]


def _cert_keys(
    ssl: pd.DataFrame,
    fuid: pd.Series,
    details: pd.DataFrame,
    files: pd.DataFrame | None,
) -> pd.Series:
    hashes = pd.Series(dtype="string")
    if files is not None and "sha1" in files.columns:
        hashes = pd.Series(
            files["sha1"].astype("string").to_numpy(),
            index=column(files, "fuid").to_numpy(),
        )
        hashes = hashes[~hashes.index.duplicated()]
    by_file = pd.Series(hashes.reindex(fuid.to_numpy()).to_numpy(), dtype="string")
    key = _first(column(ssl, "cert_chain_fps", None))
    key = key.fillna(details["fingerprint"].astype("string")).fillna(by_file)
    return key.fillna(fuid).fillna(column(ssl, "cert_hash"))


def _attributes(ssl: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    def numeric(name: str, field: str) -> pd.Series:
        fallback = pd.to_numeric(column(ssl, field, None), errors="coerce")
        return details[name].fillna(fallback.astype("float64"))

    before = numeric("not_before", "not_valid_before")
    after = numeric("not_after", "not_valid_after")
    subject = details["subject"].fillna(column(ssl, "subject"))
    issuer = (
        details["issuer"]
        .fillna(column(ssl, "issuer"))
        .fillna(column(ssl, "issuer_subject"))
    )
    return pd.DataFrame(
        {
            "key_length": details["key_length"],
            "validity_days": (after - before) / _SECONDS_PER_DAY,
            "self_signed": subject.eq(issuer).astype("boolean"),
        }
    )
