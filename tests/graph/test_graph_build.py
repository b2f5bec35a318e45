"""Tests of reading a capture folder and building the security-object graph."""

from __future__ import annotations

import gzip
import shutil

import pandas as pd
import pytest

from tests.graph.graph_logs import synthetic_logs, write_tiny_capture
from workbench.datasets import bundled
from workbench.errors import InputFormatError, SchemaError
from workbench.graph import build_graph, graph_from_logs, read_capture
from workbench.graph.build import merge_graphs

SHA1_FILE = "ab" * 20


@pytest.fixture
def tiny_capture(tmp_path):
    """Three hand-written connections (DNS, TLS, HTTP) in TSV and JSON logs."""
    return write_tiny_capture(tmp_path)


@pytest.fixture(scope="module")
def benign_logs():
    """Forty synthetic benign visits (DNS lookup, then TLS to a known site)."""
    return synthetic_logs(40, seed=0)


def _edges(graph, edge_type):
    return graph.edges[graph.edges["type"].eq(edge_type)]


def test_build_graph_expected_nodes(tiny_capture):
    """The tiny capture gives one node per identity, across all logs."""

    graph = graph_from_logs(tiny_capture, progress=False)

    ids = set(graph.nodes["node_id"])
    assert ids == {
        "IP:10.0.0.2",
        "IP:10.0.0.53",
        "IP:93.184.216.34",
        "Conn:C1",
        "Conn:C2",
        "Conn:C3",
        "Domain:example.com",
        "Domain:www.example.com",
        "URI:example.com/a/b.js",
        "UserAgent:curl/8.1",
        "Cert:" + "cd" * 20,
        "File:" + SHA1_FILE,
    }


def test_build_graph_shared_address_is_one_node(tiny_capture):
    """The server seen in conn.log and as a DNS answer is one node with both edges."""

    graph = graph_from_logs(tiny_capture, progress=False)

    server = "IP:93.184.216.34"
    assert graph.nodes["node_id"].eq(server).sum() == 1
    assert set(graph.edges.loc[graph.edges["dst"].eq(server), "type"]) == {
        "resp",
        "resolves_to",
    }


def test_build_graph_expected_edges(tiny_capture):
    """Edge counts per type follow the spec's table; duplicates are stored once."""

    graph = graph_from_logs(tiny_capture, progress=False)

    counts = graph.edges["type"].value_counts().to_dict()
    assert counts == {
        "orig": 3,
        "resp": 3,
        "queries": 1,
        "resolves_to": 1,
        "requests": 1,
        "on_host": 1,
        "with_ua": 1,
        "sni": 1,
        "presents": 1,
        "issued_for": 2,
        "transfers": 1,
    }


def test_build_graph_resolves_to_carries_dns_uid(tiny_capture):
    """The resolves_to edge keeps the uid and time of the DNS record."""

    graph = graph_from_logs(tiny_capture, progress=False)

    edge = _edges(graph, "resolves_to").iloc[0]
    assert (edge["src"], edge["dst"], edge["uid"], edge["ts"]) == (
        "Domain:example.com",
        "IP:93.184.216.34",
        "C1",
        1.0,
    )


def test_build_graph_node_attributes(tiny_capture):
    """Keys derive attributes: URI depth and extension, cert validity, file size."""

    graph = graph_from_logs(tiny_capture, progress=False)

    nodes = graph.nodes.set_index("node_id")
    uri = nodes.loc["URI:example.com/a/b.js"]
    cert = nodes.loc["Cert:" + "cd" * 20]
    assert (uri["depth"], uri["extension"], bool(uri["has_query"])) == (2, "js", True)
    assert (cert["validity_days"], cert["key_length"], bool(cert["self_signed"])) == (
        365.0,
        2048.0,
        False,
    )
    assert nodes.loc["File:" + SHA1_FILE, "size"] == 2000.0
    assert bool(nodes.loc["IP:93.184.216.34", "resolved"])
    assert not bool(nodes.loc["IP:10.0.0.53", "resolved"])


def test_build_graph_conn_only(tiny_capture):
    """Without the other logs the graph still holds every connection."""

    for name in ("dns", "http", "ssl", "x509", "files"):
        (tiny_capture / f"{name}.log").unlink()

    graph = graph_from_logs(tiny_capture, progress=False)

    assert set(graph.edges["type"]) == {"orig", "resp"}
    assert graph.nodes["type"].value_counts().to_dict() == {"IP": 3, "Conn": 3}


def test_graph_from_logs_without_conn_raises(tiny_capture):
    """A folder without conn.log is a clear error naming the folder."""

    (tiny_capture / "conn.log").unlink()

    with pytest.raises(InputFormatError, match="holds no conn log") as error:
        graph_from_logs(tiny_capture, progress=False)

    assert str(tiny_capture) in str(error.value)


def test_build_graph_without_conn_table_raises():
    """build_graph refuses a mapping without a conn table."""

    logs = {"dns": pd.DataFrame({"uid": ["C1"], "query": ["a.com"]})}

    with pytest.raises(SchemaError, match="no conn log"):
        build_graph(logs)


def test_read_capture_rotated_gzip_logs(tiny_capture, tmp_path_factory):
    """Rotated, gzip-compressed conn logs are read as one table."""
    folder = tmp_path_factory.mktemp("rotated")
    text = (tiny_capture / "conn.log").read_bytes()
    for day in ("2020-01-01-00-00-00", "2020-01-02-00-00-00"):
        with gzip.open(folder / f"conn.{day}.log.gz", "wb") as handle:
            handle.write(text)
    shutil.copy(tiny_capture / "dns.log", folder / "dns.log")

    logs = read_capture(folder, progress=False)

    assert sorted(logs) == ["conn", "dns"]
    assert len(logs["conn"]) == 6


def test_graph_from_logs_bundled_tsv():
    """The bundled TSV capture: one node per connection, no sni (old ssl.log)."""

    graph = graph_from_logs(bundled("zeek", "tsv"), progress=False)

    lines = bundled("zeek", "tsv", "conn.log").read_text().splitlines()
    records = sum(1 for line in lines if not line.startswith("#"))
    counts = graph.edges["type"].value_counts()
    assert graph.nodes["type"].eq("Conn").sum() == records
    assert counts["orig"] == counts["resp"] == records
    assert "sni" not in counts and counts["presents"] > 0


def test_graph_from_logs_bundled_json():
    """The bundled JSON capture links certificates through cert_chain_fuids."""

    graph = graph_from_logs(bundled("zeek", "json"), progress=False)

    certs = graph.nodes[graph.nodes["type"].eq("Cert")]
    assert certs["key_length"].notna().any()
    assert _edges(graph, "issued_for")["src"].isin(certs["node_id"]).all()
    assert not graph.nodes["key"].isin(["FzTguv1nVRN3QQxMI7"]).any()


def test_time_slice_keeps_whole_connections(tiny_capture):
    """A time slice keeps connections by start time, with all their edges."""
    graph = graph_from_logs(tiny_capture, progress=False)

    early = graph.time_slice(end=2.5)

    assert set(early.edges["uid"]) == {"C1", "C2"}
    assert len(_edges(early, "issued_for")) == 2


def test_neighbourhood_caps_nodes_and_prefers_low_degree(tiny_capture):
    """The neighbourhood never exceeds max_nodes and contains its centre."""
    graph = graph_from_logs(tiny_capture, progress=False)

    small = graph.neighbourhood(["Conn:C2"], radius=2, max_nodes=5)

    assert len(small.nodes) == 5
    assert "Conn:C2" in set(small.nodes["node_id"])
    assert small.edges["src"].isin(small.nodes["node_id"]).all()


def test_merge_graphs_shares_identities(benign_logs):
    """Two captures seeing the same server merge into one server node."""
    first = build_graph(benign_logs)
    second = build_graph(
        {"conn": benign_logs["conn"].assign(uid=lambda t: "B" + t.uid)}
    )

    merged = merge_graphs([first, second])

    assert merged.nodes["node_id"].is_unique
    assert len(merged.edges) == len(first.edges) + len(second.edges)
    assert merged.nodes["node_id"].eq("IP:93.184.216.34").sum() == 1
