"""Tests of the frozen per-edge binary encoding."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.graph.graph_logs import synthetic_logs, write_tiny_capture
from workbench.errors import ModelFileError
from workbench.graph import build_graph, graph_from_logs
from workbench.graph._blocks import Block
from workbench.graph.encode import EdgeEncoder


@pytest.fixture
def tiny_capture(tmp_path):
    """Three hand-written connections (DNS, TLS, HTTP) in TSV and JSON logs."""
    return write_tiny_capture(tmp_path)


@pytest.fixture(scope="module")
def benign_logs():
    """Forty synthetic benign visits (DNS lookup, then TLS to a known site)."""
    return synthetic_logs(40, seed=0)


def _column(encoder, name):
    return encoder.feature_names_.index(name)


def test_edge_encoder_fixed_width_binary(benign_logs, tiny_capture):
    """Any graph is encoded with the fitted width and only 0/1 values."""
    encoder = EdgeEncoder().fit(build_graph(benign_logs))
    other = graph_from_logs(tiny_capture, progress=False)

    X = encoder.transform(other)

    assert X.shape == (len(other.edges), encoder.n_features_)
    assert X.dtype == np.uint8
    assert set(np.unique(X).tolist()) <= {0, 1}
    assert 500 <= encoder.n_features_ <= 3000


def test_edge_encoder_deterministic(benign_logs):
    """Two fits on the same graph give identical layouts and matrices."""
    graph = build_graph(benign_logs)

    first = EdgeEncoder().fit(graph)
    second = EdgeEncoder().fit(graph)

    assert first.to_dict() == second.to_dict()
    assert np.array_equal(first.transform(graph), second.transform(graph))


def test_edge_encoder_one_edge_type_and_node_types(benign_logs):
    """Every edge sets exactly one edge-type bit and one type bit per endpoint."""
    graph = build_graph(benign_logs)
    encoder = EdgeEncoder().fit(graph)

    X = encoder.transform(graph)

    names = np.array(encoder.feature_names_)
    for prefix in ("edge.type=", "src.type=", "dst.type="):
        columns = np.char.startswith(names.astype(str), prefix)
        assert (X[:, columns].sum(axis=1) == 1).all()


def test_edge_encoder_unseen_value_goes_to_other(benign_logs):
    """A protocol and a TLD never seen in training set the OTHER bits."""
    encoder = EdgeEncoder().fit(build_graph(benign_logs))
    conn = benign_logs["conn"].head(1).assign(proto="sctp", uid="Cnew")
    dns = benign_logs["dns"].head(1).assign(uid="Cnew", query="a.example.zz")

    X = encoder.transform(build_graph({"conn": conn, "dns": dns}))

    assert X[:, _column(encoder, "dst.Conn.proto=OTHER")].any()
    assert not X[:, _column(encoder, "dst.Conn.proto=tcp")].any()
    assert X[:, _column(encoder, "dst.Domain.tld=OTHER")].any()


def test_edge_encoder_rare_value_not_in_vocabulary(benign_logs):
    """A value seen fewer than min_count times stays out of the vocabulary."""
    conn = benign_logs["conn"].copy()
    conn.loc[0, "conn_state"] = "REJ"
    graph = build_graph({**benign_logs, "conn": conn})

    encoder = EdgeEncoder(min_count=5).fit(graph)

    assert "dst.Conn.conn_state=SF" in encoder.feature_names_
    assert "dst.Conn.conn_state=REJ" not in encoder.feature_names_


def test_edge_encoder_missing_value_sets_missing(benign_logs):
    """An unset numeric field sets the MISSING bit, not a bin."""
    encoder = EdgeEncoder().fit(build_graph(benign_logs))
    conn = benign_logs["conn"].head(1).assign(duration=np.nan)

    X = encoder.transform(build_graph({"conn": conn}))

    assert X[:, _column(encoder, "dst.Conn.duration=MISSING")].any()


def test_edge_encoder_json_round_trip(benign_logs, tmp_path):
    """A saved encoder loads with the same names and the same encoding."""
    graph = build_graph(benign_logs)
    encoder = EdgeEncoder(min_count=2).fit(graph)

    encoder.save(tmp_path / "encoder.json")
    loaded = EdgeEncoder.load(tmp_path / "encoder.json")

    assert loaded.feature_names_ == encoder.feature_names_
    assert np.array_equal(loaded.transform(graph), encoder.transform(graph))


def test_edge_encoder_edited_file_rejected(benign_logs, tmp_path):
    """Editing a frozen vocabulary breaks the content hash and is refused."""
    EdgeEncoder().fit(build_graph(benign_logs)).save(tmp_path / "encoder.json")
    state = json.loads((tmp_path / "encoder.json").read_text())
    state["blocks"][1]["values"] = ["forged"]
    (tmp_path / "encoder.json").write_text(json.dumps(state))

    with pytest.raises(ModelFileError, match="hash"):
        EdgeEncoder.load(tmp_path / "encoder.json")


def test_numeric_block_bins_match_spec():
    """Bins follow min(B - 1, floor(log2(1 + x))); unset or negative is MISSING."""
    block = Block("src", "Conn", "orig_bytes", "numeric", bins=32)
    values = pd.Series([0.0, 1.0, 2.0, 3.0, 1023.0, 1024.0, 2.0**40, None, -1.0])

    rows, slots = block.hot(values)

    assert rows.tolist() == list(range(9))
    assert slots.tolist() == [0, 1, 1, 2, 10, 10, 31, 32, 32]


def test_port_block_sets_range_and_exact_bits():
    """A port sets its range bit and its exact bit (or OTHER)."""
    block = Block("src", "Conn", "id.resp_p", "port", values=(443,))
    names = block.slots

    rows, slots = block.hot(pd.Series([443, 16464, None], dtype="Int64"))

    hits = sorted(zip(rows.tolist(), [names[s] for s in slots], strict=True))
    assert hits == [
        (0, "443"),
        (0, "<1024"),
        (1, "1024-49151"),
        (1, "OTHER"),
        (2, "MISSING"),
    ]
