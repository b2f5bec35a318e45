"""Zeek TSV reading speed of read_zeek_log against a plain pandas.read_csv.

Builds a large conn.log in a temporary folder by repeating the rows of the bundled
data/zeek/tsv/conn.log, reads it with both (best of 3, same process) and prints rows/s
of each and the ratio. The baseline does no typing, no marker handling and no checks.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from workbench.datasets import bundled
from workbench.io import read_flows, read_zeek_log

ROWS = 500_000
REPEATS = 3


def build_log(target: Path, rows: int) -> None:
    lines = bundled("zeek", "tsv", "conn.log").read_bytes().splitlines()
    header = [line for line in lines if line.startswith(b"#") and b"#close" not in line]
    body = [line for line in lines if line and not line.startswith(b"#")]
    copies = rows // len(body) + 1
    data = b"\n".join((body * copies)[:rows])
    target.write_bytes(b"\n".join(header) + b"\n" + data + b"\n#close\t2014-04-03\n")


def best_of(function, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conn.log"
        build_log(path, args.rows)
        size = path.stat().st_size / 1e6
        baseline, plain = best_of(
            lambda: pd.read_csv(path, sep="\t", comment="#", header=None), REPEATS
        )
        ours, table = best_of(lambda: read_zeek_log(path), REPEATS)
        flows_time, flows = best_of(lambda: read_flows(path), REPEATS)
    rows = len(table)
    if rows != len(plain) or rows != len(flows):
        raise SystemExit(f"row counts differ: {rows}, {len(plain)}, {len(flows)}")
    print(f"conn.log: {rows:,} rows, {size:.1f} MB, best of {REPEATS}")
    print(f"pandas.read_csv (baseline): {rows / baseline:12,.0f} rows/s")
    print(f"read_zeek_log             : {rows / ours:12,.0f} rows/s")
    print(f"read_flows                : {rows / flows_time:12,.0f} rows/s")
    print(f"ratio read_zeek_log / baseline time: {ours / baseline:.2f}")
    print(f"ratio read_flows / baseline time   : {flows_time / baseline:.2f}")


if __name__ == "__main__":
    main()
