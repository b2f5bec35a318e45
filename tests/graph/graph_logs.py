"""Tiny hand-written Zeek logs and seeded synthetic captures for the graph tests.

Plain functions, imported by the test modules (a second ``conftest.py`` would clash
with the other test folders' under ``--doctest-modules``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.autoencoder import AutoencoderDetector

HOST = "10.0.0.2"
RESOLVER = "10.0.0.53"
SERVER = "93.184.216.34"


def _write_tsv(path: Path, name: str, fields: list[str], types: list[str], rows: list):
    """Write a classic Zeek TSV log with its header lines."""
    lines = [
        "#separator \\x09",
        "#set_separator\t,",
        "#empty_field\t(empty)",
        "#unset_field\t-",
        f"#path\t{name}",
        "#fields\t" + "\t".join(fields),
        "#types\t" + "\t".join(types),
    ]
    lines += ["\t".join(str(v) for v in row) for row in rows]
    lines.append("#close\t2020-01-01-00-00-00")
    path.write_text("\n".join(lines) + "\n")


def _write_json(path: Path, records: list[dict]):
    """Write a Zeek JSON-lines log."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


CONN_FIELDS = [
    "ts",
    "uid",
    "id.orig_h",
    "id.orig_p",
    "id.resp_h",
    "id.resp_p",
    "proto",
    "service",
    "duration",
    "orig_bytes",
    "resp_bytes",
    "conn_state",
    "history",
    "orig_pkts",
    "resp_pkts",
]
CONN_TYPES = [
    "time",
    "string",
    "addr",
    "port",
    "addr",
    "port",
    "enum",
    "string",
    "interval",
    "count",
    "count",
    "string",
    "string",
    "count",
    "count",
]


def write_tiny_capture(tmp_path: Path) -> Path:
    """Write three connections (DNS, TLS, HTTP) to one server, in TSV and JSON logs."""
    _write_tsv(
        tmp_path / "conn.log",
        "conn",
        CONN_FIELDS,
        CONN_TYPES,
        [
            [1.0, "C1", HOST, 5000, RESOLVER, 53, "udp", "dns", 0.01, 40, 56]
            + ["SF", "Dd", 1, 1],
            [2.0, "C2", HOST, 5001, SERVER, 443, "tcp", "ssl", 0.5, 600, 5000]
            + ["SF", "ShADadFf", 8, 9],
            [3.0, "C3", HOST, 5002, SERVER, 80, "tcp", "http", 0.2, 300, 2000]
            + ["SF", "ShADadFf", 5, 5],
        ],
    )
    _write_tsv(
        tmp_path / "dns.log",
        "dns",
        ["ts", "uid", "query", "qtype_name", "rcode_name", "answers"],
        ["time", "string", "string", "string", "string", "vector[string]"],
        [
            [1.0, "C1", "Example.COM.", "A", "NOERROR", SERVER],
            [1.001, "C1", "example.com", "A", "NOERROR", SERVER],
        ],
    )
    _write_tsv(
        tmp_path / "http.log",
        "http",
        ["ts", "uid", "method", "host", "uri", "user_agent", "status_code"],
        ["time", "string", "string", "string", "string", "string", "count"],
        [[3.0, "C3", "GET", "example.com", "/a/b.js?x=1", "curl/8.1", 200]],
    )
    _write_json(
        tmp_path / "ssl.log",
        [
            {
                "ts": 2.0,
                "uid": "C2",
                "version": "TLSv12",
                "cipher": "TLS_AES_128_GCM_SHA256",
                "server_name": "example.com",
                "cert_chain_fuids": ["Fcert1", "Fca"],
                "validation_status": "ok",
            }
        ],
    )
    _write_json(
        tmp_path / "x509.log",
        [
            {
                "ts": 2.0,
                "id": "Fcert1",
                "certificate.subject": "CN=example.com,O=Example",
                "certificate.issuer": "CN=Example CA",
                "certificate.not_valid_before": 0.0,
                "certificate.not_valid_after": 86400.0 * 365,
                "certificate.key_length": 2048,
                "san.dns": ["example.com", "www.example.com"],
            }
        ],
    )
    _write_tsv(
        tmp_path / "files.log",
        "files",
        ["ts", "fuid", "conn_uids", "source", "mime_type", "total_bytes", "sha1"],
        ["time", "string", "set[string]", "string", "string", "count", "string"],
        [
            [3.1, "Ffile1", "C3", "HTTP", "application/javascript", 2000, "ab" * 20],
            [
                2.0,
                "Fcert1",
                "C2",
                "SSL",
                "application/x-x509-user-cert",
                900,
                "cd" * 20,
            ],
        ],
    )
    return tmp_path


def _conn_row(ts: float, uid: str, resp: str, port: int, proto: str, service: str):
    return {
        "ts": ts,
        "uid": uid,
        "id.orig_h": HOST,
        "id.orig_p": 50000 + int(ts) % 1000,
        "id.resp_h": resp,
        "id.resp_p": port,
        "proto": proto,
        "service": service,
        "duration": 0.05,
        "orig_bytes": 500.0,
        "resp_bytes": 4000.0,
        "conn_state": "SF",
        "history": "ShADadFf" if proto == "tcp" else "Dd",
        "orig_pkts": 6.0,
        "resp_pkts": 6.0,
    }


def synthetic_logs(n: int, *, seed: int = 0, start: float = 0.0) -> dict:
    """``n`` benign visits: a DNS lookup then a TLS connection to a known site."""
    rng = np.random.default_rng(seed)
    conn, dns, ssl = [], [], []
    servers = [SERVER, "93.184.216.35"]
    for i in range(n):
        ts = start + 10.0 * i + rng.random()
        server = servers[i % 2]
        conn.append(_conn_row(ts, f"D{seed}x{i}", RESOLVER, 53, "udp", "dns"))
        conn.append(_conn_row(ts + 1, f"W{seed}x{i}", server, 443, "tcp", "ssl"))
        dns.append(
            {
                "ts": ts,
                "uid": f"D{seed}x{i}",
                "query": "www.example.com",
                "qtype_name": "A",
                "rcode_name": "NOERROR",
                "answers": (server,),
            }
        )
        ssl.append(_ssl_row(ts + 1, f"W{seed}x{i}", "www.example.com", "Fgood"))
    x509 = [_x509_row("Fgood", "www.example.com", "Example CA", 2048, 365)]
    return _tables(conn, dns, ssl, x509)


def _ssl_row(ts: float, uid: str, server_name: str, fuid: str) -> dict:
    return {
        "ts": ts,
        "uid": uid,
        "version": "TLSv12",
        "cipher": "TLS_AES_128_GCM_SHA256",
        "server_name": server_name,
        "cert_chain_fuids": (fuid,),
        "validation_status": "ok",
    }


def _x509_row(fuid: str, cn: str, issuer: str, key_length: int, days: int) -> dict:
    return {
        "ts": 0.0,
        "id": fuid,
        "certificate.subject": f"CN={cn}",
        "certificate.issuer": f"CN={issuer}",
        "certificate.not_valid_before": 0.0,
        "certificate.not_valid_after": 86400.0 * days,
        "certificate.key_length": key_length,
        "san.dns": (cn,),
    }


def _tables(conn: list, dns: list, ssl: list, x509: list) -> dict:
    return {
        "conn": pd.DataFrame(conn),
        "dns": pd.DataFrame(dns),
        "ssl": pd.DataFrame(ssl),
        "x509": pd.DataFrame(x509),
    }


def injected_logs(logs: dict, *, ts: float) -> dict:
    """``logs`` plus a TLS connection to a new site with a self-signed 512-bit cert."""
    conn = [_conn_row(ts, "Xbad", "203.0.113.9", 443, "tcp", "ssl")]
    ssl = [_ssl_row(ts, "Xbad", "update.evil-cdn.xyz", "Fbad")]
    x509 = [_x509_row("Fbad", "update.evil-cdn.xyz", "update.evil-cdn.xyz", 512, 9000)]
    extra = _tables(conn, [], ssl, x509)
    return {
        name: pd.concat([logs[name], extra[name]], ignore_index=True) for name in logs
    }


def small_autoencoder(epochs: int = 40, seed: int = 0) -> AutoencoderDetector:
    """A BCE autoencoder small enough for unit tests."""
    return AutoencoderDetector(
        hidden=(32, 8),
        score="bce",
        batch_size=32,
        lr=3e-3,
        max_epochs=epochs,
        patience=40,
        seed=seed,
        progress=False,
    )
