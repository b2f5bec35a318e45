"""``workbench audit``: report what is wrong with captures and labelled flow tables."""

from __future__ import annotations

import argparse
import sys

NAME = "audit"
HELP = (
    "Check captures and flow tables for duplicated or misordered packets, duplicated "
    "or conflicting flows, missing values, and scans labelled benign; write a summary, "
    "the rows behind each finding, and charts."
)
#: Findings printed on the terminal (all are in summary.csv).
SHOWN = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="pcap/pcapng captures and flow files (CICFlowMeter, Zeek, ...)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--window-us",
        type=float,
        default=500.0,
        help="duplicate-packet window in microseconds (default 500)",
    )
    parser.add_argument(
        "--dedup",
        action="store_true",
        help="also write each capture without its duplicates into DIR/dedup/",
    )
    parser.add_argument(
        "--dedup-rule",
        choices=("full", "narrowed"),
        default="full",
        help="duplicates the copies leave out: all, or the narrowed CIC-IDS2017 rule",
    )
    parser.add_argument(
        "--scan-window",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="scan heuristic window (default 60; lengthen it on sampled data)",
    )
    parser.add_argument(
        "--min-ports", type=int, default=100, help="vertical scan: ports of one host"
    )
    parser.add_argument(
        "--min-hosts", type=int, default=20, help="horizontal scan: hosts on one port"
    )
    parser.add_argument(
        "--png", action="store_true", help="save charts as PNG as well as HTML"
    )


def run(args: argparse.Namespace) -> int:
    """Run the audit, write the report, print the findings that count something."""
    from pathlib import Path

    from workbench.audit.job import ScanSettings, run_audit, write_audit
    from workbench.errors import WorkbenchError

    problems = [
        f"{name} must be positive, got {value}"
        for name, value in (
            ("--scan-window", args.scan_window),
            ("--min-ports", args.min_ports),
            ("--min-hosts", args.min_hosts),
        )
        if not value > 0
    ]
    if not args.window_us >= 0:
        problems.append(f"--window-us must not be negative, got {args.window_us}")
    if problems:
        raise WorkbenchError("; ".join(problems))

    result = run_audit(
        args.paths,
        window_s=args.window_us / 1e6,
        scans=ScanSettings(args.scan_window, args.min_ports, args.min_hosts),
        dedup_dir=Path(args.out) / "dedup" if args.dedup else None,
        dedup_rule=args.dedup_rule,
        progress=not args.quiet,
    )
    written = write_audit(result, args.out, png=args.png)
    sys.stdout.write(summary(result.summary, args.out, len(written)))
    return 0


def summary(table, out: str, files: int) -> str:
    """The findings with a nonzero count, one line each, and where the report is."""
    found = table[table["count"] > 0]
    lines = [f"{len(found)} of {len(table)} checks found something:"]
    for row in found.head(SHOWN).itertuples(index=False):
        share = "" if row.share is None else f" ({100 * row.share:.2f} %)"
        lines.append(
            f"  {row.source}: {row.check} [{row.key}]: {row.count} of {row.total}"
            f"{share}"
        )
    if len(found) > SHOWN:
        lines.append(f"  ... {len(found) - SHOWN} more in summary.csv")
    lines.append(f"wrote {files} files to {out} (summary.md, findings/, charts/)")
    return "\n".join(lines) + "\n"
