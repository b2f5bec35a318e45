"""Benchmark the security-object graph: building (log rows/s) and scoring (edges/s).

The bundled TSV capture (conn, dns, http, ssl, x509, files) is replicated ``--copies``
times with fresh uids, file ids and shifted times, so that the graph grows while its
vocabularies stay realistic. Printed rates come with a baseline measured in the same
process: building is compared with one ``schema.conform`` pass over the conn rows,
scoring with one forward pass of the same network over every edge (no deduplication).

Usage: ``.venv/bin/python bench/bench_graph.py [--quick] [--copies N]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import torch

from workbench import schema
from workbench.datasets import bundled
from workbench.graph import build_graph, read_capture
from workbench.graph.detect import GraphDetector, default_autoencoder

#: Seconds between copies of the 4-minute capture.
SHIFT = 300.0
_ID_COLUMNS = {"conn": ["uid"], "dns": ["uid"], "http": ["uid"], "ssl": ["uid"]}


def replicate(logs: dict[str, pd.DataFrame], copies: int) -> dict[str, pd.DataFrame]:
    """``copies`` shifted copies of each log, with distinct uids and file ids."""
    out = {}
    for name, table in logs.items():
        parts = []
        for k in range(copies):
            part = table.copy()
            part["ts"] = part["ts"] + k * SHIFT
            for column in _ID_COLUMNS.get(name, []):
                part[column] = part[column] + f"_{k}"
            if name == "files":
                part["fuid"] = part["fuid"] + f"_{k}"
                part["conn_uids"] = part["conn_uids"].map(
                    lambda ids, k=k: tuple(f"{u}_{k}" for u in ids or ())
                )
            if name == "x509":
                part["id"] = part["id"] + f"_{k}"
            if name == "ssl" and "cert_chain_fuids" in part:
                part["cert_chain_fuids"] = part["cert_chain_fuids"].map(
                    lambda ids, k=k: tuple(f"{u}_{k}" for u in ids or ())
                )
            parts.append(part)
        out[name] = pd.concat(parts, ignore_index=True)
    return out


def best_of(repeats: int, function):
    """Return (fastest seconds, last result) over ``repeats`` calls."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_build(logs: dict[str, pd.DataFrame], repeats: int):
    """Print graph building rate against one conform pass over the conn rows."""
    rows = sum(len(t) for t in logs.values())
    seconds, graph = best_of(repeats, lambda: build_graph(logs, source="bench"))
    baseline, _ = best_of(repeats, lambda: schema.conform(logs["conn"], source="b"))
    print(
        f"build: {rows:,} log rows -> {len(graph.nodes):,} nodes, "
        f"{len(graph.edges):,} edges in {seconds:.2f} s = {rows / seconds:,.0f} rows/s"
        f" ({seconds / baseline:.1f}x one conform pass over the conn rows)"
    )
    return graph


def bench_scoring(train_logs, graph, repeats: int, epochs: int) -> None:
    """Print edge scoring rates: encoding, distinct-vector scoring, and the baseline."""
    detector = GraphDetector(autoencoder=default_autoencoder(epochs=epochs))
    detector.fit(build_graph(train_logs).time_slice(end=1379288699.0))
    n = len(graph.edges)

    encode_s, X = best_of(repeats, lambda: detector.encoder.transform(graph))
    analyse_s, analysis = best_of(repeats, lambda: detector.analyse(graph))
    dense = X.astype(np.float32)
    forward_s, _ = best_of(repeats, lambda: detector.autoencoder.reconstruct(dense))
    distinct = analysis.distinct_edges
    print(
        f"encode: {n:,} edges x {X.shape[1]} bits in {encode_s:.2f} s = "
        f"{n / encode_s:,.0f} edges/s"
    )
    print(
        f"score: {n:,} edges ({distinct:,} distinct vectors) in {analyse_s:.2f} s = "
        f"{n / analyse_s:,.0f} edges/s, encoding included "
        f"({forward_s / analyse_s:.2f}x the rate of one forward pass over every edge,"
        f" {forward_s:.2f} s)"
    )


def main() -> None:
    """Run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run")
    parser.add_argument("--copies", type=int, default=None, help="capture copies")
    args = parser.parse_args()
    copies = args.copies or (5 if args.quick else 50)
    repeats = 1 if args.quick else 3
    torch.set_num_threads(1)

    logs = read_capture(bundled("zeek", "tsv"), progress=False)
    print(f"bundled TSV capture replicated {copies} times, torch on 1 thread")
    graph = bench_build(replicate(logs, copies), repeats)
    bench_scoring(logs, graph, repeats, epochs=3 if args.quick else 20)


if __name__ == "__main__":
    main()
