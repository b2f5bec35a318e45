"""Join the Zeek logs of one capture into the security-object graph.

Connections, addresses, domains, URIs, user agents, certificates and files become
nodes keyed by identity across all logs; each log record adds typed, timestamped
edges carrying its ``uid`` (the spec's section 4). Logs other than ``conn`` are
optional. Certificates are built by :mod:`workbench.graph._certs`. The module does not
encode the graph for a model.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import schema
from workbench.errors import SchemaError
from workbench.graph._certs import cert_part
from workbench.graph._parts import Part, column, edge_frame
from workbench.graph.capture import read_capture
from workbench.graph.keys import (
    domain_attributes,
    domain_keys,
    host_keys,
    ip_attributes,
    ip_keys,
    uri_attributes,
    uri_keys,
    user_agent_attributes,
)
from workbench.graph.tables import (
    CONN,
    DOMAIN,
    DST,
    EDGE_TYPE,
    FILE,
    IP,
    NODE_ID,
    NODE_KEY,
    NODE_TYPE,
    NODE_TYPES,
    SRC,
    URI,
    USER_AGENT,
    SecurityGraph,
    deduplicate_edges,
    node_id,
)

__all__ = ["CONN_ATTRIBUTES", "build_graph", "graph_from_logs", "merge_graphs"]

logger = logging.getLogger(__name__)

_EDGE_CORE = [EDGE_TYPE, SRC, DST, schema.TS, schema.UID]

#: conn.log fields kept on connection nodes (identity fields are not encoded).
CONN_ATTRIBUTES: tuple[str, ...] = tuple(
    f for f in schema.CONN_FIELDS if f != schema.UID
)


def graph_from_logs(
    directory: str | Path, *, on_bad_lines: str = "error", progress: bool = True
) -> SecurityGraph:
    """Read a folder of Zeek logs and build its security-object graph.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> graph = graph_from_logs(bundled("zeek", "json"), progress=False)
    >>> int((graph.nodes["type"] == "Conn").sum()) >= 50
    True
    """
    logs = read_capture(directory, on_bad_lines=on_bad_lines, progress=progress)
    return build_graph(logs, source=str(directory))


def build_graph(
    logs: Mapping[str, pd.DataFrame], *, source: str = "logs"
) -> SecurityGraph:
    """Build the graph from tables of Zeek logs keyed by log type.

    Parameters
    ----------
    logs : mapping of str to pandas.DataFrame
        ``"conn"`` (required), ``"dns"``, ``"http"``, ``"ssl"``, ``"x509"``,
        ``"files"``, with Zeek's own field names (as read by
        :func:`workbench.io.read_zeek_log`); other keys are ignored.
    source : str, default "logs"
        Where the logs came from, for error messages.

    Returns
    -------
    SecurityGraph
        Nodes ordered by type, edges by time; identical (type, source, destination,
        uid) edges stored once.

    Raises
    ------
    SchemaError
        If there is no conn log, or it lacks ``uid``, ``id.orig_h`` or ``id.resp_h``.

    Examples
    --------
    >>> conn = pd.DataFrame({"ts": [1.0], "uid": ["C1"], "id.orig_h": ["10.0.0.2"],
    ...                      "id.resp_h": ["8.8.8.8"], "proto": ["udp"]})
    >>> dns = pd.DataFrame({"ts": [1.0], "uid": ["C1"], "query": ["Example.org"],
    ...                     "answers": [("8.8.8.8",)]})
    >>> g = build_graph({"conn": conn, "dns": dns})
    >>> sorted(g.edges["type"])
    ['orig', 'queries', 'resolves_to', 'resp']
    >>> int((g.nodes["type"] == "IP").sum())
    2
    """
    conn = logs.get("conn")
    if conn is None:
        raise SchemaError(
            f"{source}: no conn log; the graph needs connections. Give the folder "
            "where Zeek wrote conn.log."
        )
    parts = [_conn_part(conn, source)]
    if "dns" in logs:
        parts.append(_dns_part(logs["dns"]))
    if "http" in logs:
        parts.append(_http_part(logs["http"]))
    if "ssl" in logs:
        parts.append(cert_part(logs["ssl"], logs.get("x509"), logs.get("files")))
    if "files" in logs:
        parts.append(_files_part(logs["files"], logs.get("ssl"), logs.get("x509")))

    edges = deduplicate_edges(pd.concat([p.edge_table() for p in parts]))
    record_fields = edges.columns.difference(_EDGE_CORE, sort=False)
    edges[record_fields] = edges[record_fields].astype("string")
    nodes = _assemble_nodes(parts)
    # Whether a DNS answer in the capture led to an address: a cross-log link
    # that the per-edge encoding would otherwise not see.
    answered = edges.loc[edges[EDGE_TYPE].eq("resolves_to"), DST]
    is_ip = nodes[NODE_TYPE].eq(IP)
    nodes["resolved"] = nodes[NODE_ID].isin(answered).astype("boolean").where(is_ip)
    graph = SecurityGraph(nodes, edges)
    logger.info(
        "%s: graph of %d nodes and %d edges", source, len(graph.nodes), len(graph.edges)
    )
    return graph


def merge_graphs(graphs: list[SecurityGraph]) -> SecurityGraph:
    """One graph from several (e.g. several captures): shared keys become one node.

    Examples
    --------
    >>> conn = pd.DataFrame({"ts": [1.0], "uid": ["C1"], "id.orig_h": ["10.0.0.2"],
    ...                      "id.resp_h": ["8.8.8.8"]})
    >>> other = conn.assign(uid="C2")
    >>> g = merge_graphs([build_graph({"conn": conn}), build_graph({"conn": other})])
    >>> len(g.nodes), len(g.edges)
    (4, 4)
    """
    if len(graphs) == 1:
        return graphs[0]
    nodes = pd.concat([g.nodes for g in graphs], ignore_index=True)
    nodes = nodes.groupby(NODE_ID, sort=False).first().reset_index()
    edges = deduplicate_edges(pd.concat([g.edges for g in graphs], ignore_index=True))
    return SecurityGraph(nodes, edges)


def _conn_part(conn: pd.DataFrame, source: str) -> Part:
    missing = [
        f for f in (schema.UID, schema.ORIG_H, schema.RESP_H) if f not in conn.columns
    ]
    if missing:
        raise SchemaError(
            f"{source}: the conn log lacks fields {missing}; give a Zeek conn.log "
            "with its header (#fields line or JSON keys)."
        )
    table = schema.conform(conn, source=source)
    table = table[table[schema.UID].notna()].reset_index(drop=True)
    uid, ts = table[schema.UID], table[schema.TS]
    orig, resp = ip_keys(table[schema.ORIG_H]), ip_keys(table[schema.RESP_H])
    conns = node_id(CONN, uid)

    part = Part()
    part.add_nodes(CONN, uid, table[list(CONN_ATTRIBUTES)])
    part.add_keys(IP, orig, resp)
    part.add_edges(edge_frame("orig", node_id(IP, orig), conns, ts, uid))
    part.add_edges(edge_frame("resp", conns, node_id(IP, resp), ts, uid))
    return part


def _dns_part(dns: pd.DataFrame) -> Part:
    uid, ts = column(dns, schema.UID), column(dns, schema.TS, "float64")
    domain = domain_keys(column(dns, "query"))
    record = {f: column(dns, f) for f in ("qtype_name", "rcode_name")}

    part = Part()
    part.add_keys(CONN, uid)
    part.add_keys(DOMAIN, domain)
    part.add_edges(
        edge_frame(
            "queries", node_id(CONN, uid), node_id(DOMAIN, domain), ts, uid, **record
        )
    )
    answers = pd.DataFrame(
        {"domain": domain, "answer": column(dns, "answers", None), "ts": ts, "uid": uid}
    ).explode("answer")
    address = ip_keys(answers["answer"].astype("string"))
    part.add_keys(IP, address)
    part.add_edges(
        edge_frame(
            "resolves_to",
            node_id(DOMAIN, answers["domain"]),
            node_id(IP, address),
            answers["ts"],
            answers["uid"],
        )
    )
    return part


def _http_part(http: pd.DataFrame) -> Part:
    uid, ts = column(http, schema.UID), column(http, schema.TS, "float64")
    host, uri = column(http, "host"), column(http, "uri")
    uris = uri_keys(host, uri).mask(uri.isna())
    names, addresses = host_keys(host)
    agent = column(http, "user_agent").mask(lambda s: s.str.strip().eq(""))
    status = column(http, "status_code", "Int64")
    record = {
        "method": column(http, "method"),
        "status_class": (status // 100).astype("string") + "xx",
    }
    conns, uri_ids = node_id(CONN, uid), node_id(URI, uris)

    part = Part()
    part.add_keys(CONN, uid)
    part.add_nodes(URI, uris, uri_attributes(uri))
    part.add_keys(DOMAIN, names)
    part.add_keys(IP, addresses)
    part.add_keys(USER_AGENT, agent)
    host_ids = node_id(DOMAIN, names).fillna(node_id(IP, addresses))
    part.add_edges(edge_frame("requests", conns, uri_ids, ts, uid, **record))
    part.add_edges(edge_frame("on_host", uri_ids, host_ids, ts, uid, **record))
    part.add_edges(
        edge_frame("with_ua", conns, node_id(USER_AGENT, agent), ts, uid, **record)
    )
    return part


def _files_part(
    files: pd.DataFrame, ssl: pd.DataFrame | None, x509: pd.DataFrame | None
) -> Part:
    fuid = column(files, "fuid")
    # Certificates travel as files too; they are Cert nodes, not File nodes.
    certs = _certificate_fuids(ssl, x509)
    keep = ~fuid.isin(certs).to_numpy()
    files = files[keep].reset_index(drop=True)
    fuid = fuid[keep].reset_index(drop=True)
    key = column(files, "sha1").fillna(column(files, "md5")).fillna(fuid)
    size = column(files, "total_bytes", "Float64").fillna(
        column(files, "seen_bytes", "Float64")
    )
    attributes = pd.DataFrame(
        {"mime_type": column(files, "mime_type"), "size": size.astype("float64")}
    )

    table = pd.DataFrame(
        {
            "file": node_id(FILE, key),
            "uid": column(files, "conn_uids", None),
            "ts": column(files, schema.TS, "float64"),
            "source": column(files, "source"),
        }
    ).explode("uid")
    uid = table["uid"].astype("string")
    part = Part()
    part.add_nodes(FILE, key, attributes)
    part.add_keys(CONN, uid)
    part.add_edges(
        edge_frame(
            "transfers",
            node_id(CONN, uid),
            table["file"],
            table["ts"],
            uid,
            source=table["source"],
        )
    )
    return part


def _certificate_fuids(ssl: pd.DataFrame | None, x509: pd.DataFrame | None) -> set:
    found: set = set()
    if x509 is not None and "id" in x509.columns:
        found.update(x509["id"].dropna())
    if ssl is not None and "cert_chain_fuids" in ssl.columns:
        for chain in ssl["cert_chain_fuids"].dropna():
            found.update(chain)
    return found


def _assemble_nodes(parts: list[Part]) -> pd.DataFrame:
    tables = []
    for node_type in NODE_TYPES:
        frames = [f for p in parts for f in p.nodes.get(node_type, [])]
        if not frames:
            continue
        merged = pd.concat(frames, ignore_index=True)
        merged = merged[merged[NODE_KEY].notna()]
        # First non-missing value per attribute: a conn record beats a dns mention.
        merged = merged.groupby(NODE_KEY, sort=False, dropna=True).first()
        merged = merged.reset_index()
        merged = pd.concat([merged, _derived(node_type, merged[NODE_KEY])], axis=1)
        merged.insert(0, NODE_TYPE, node_type)
        merged.insert(0, NODE_ID, node_id(node_type, merged[NODE_KEY]).to_numpy())
        tables.append(merged)
    return pd.concat(tables, ignore_index=True)


def _derived(node_type: str, keys: pd.Series) -> pd.DataFrame:
    if node_type == IP:
        return ip_attributes(keys)
    if node_type == DOMAIN:
        return domain_attributes(keys)
    if node_type == USER_AGENT:
        return user_agent_attributes(keys)
    return pd.DataFrame(index=np.arange(len(keys)))
