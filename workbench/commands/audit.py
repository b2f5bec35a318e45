"""``workbench audit``: report what is wrong with captures and labelled flow tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.audit.job import AuditResult, ScanSettings

from workbench.commands._options import add_on_bad_lines, out_folder_problems

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
        help="also write each capture that has duplicates without them into DIR/dedup/",
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
    add_on_bad_lines(parser, "flow tables: ")


def run(args: argparse.Namespace) -> int:
    """Run the audit, write the report, print the findings that count something."""
    from workbench.audit.job import ScanSettings, write_audit

    _check_options(args)
    scans = ScanSettings(args.scan_window, args.min_ports, args.min_hosts)
    result = _audit(args, scans)
    written = write_audit(result, args.out, png=args.png)
    dedup = _deduplicate(result, args) if args.dedup else []
    sys.stdout.write(summary(result.summary, args.out, len(written)))
    sys.stdout.write("".join(f"{line}\n" for line in dedup))
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before reading anything."""
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
    problems += out_folder_problems(args.out)
    if problems:
        raise WorkbenchError("; ".join(problems))


def _audit(args: argparse.Namespace, scans: ScanSettings) -> AuditResult:
    """Audit the captures, then the flow tables read with ``--on-bad-lines``."""
    from workbench.audit.job import run_audit

    return run_audit(
        args.paths,
        window_s=args.window_us / 1e6,
        scans=scans,
        progress=not args.quiet,
        on_bad_lines=args.on_bad_lines,
    )


def _deduplicate(result: AuditResult, args: argparse.Namespace) -> list[str]:
    """Write copies of the captures that have duplicates; one line per capture."""
    from workbench.audit.packets import deduplicate_pcap
    from workbench.errors import WorkbenchError

    if not result.pcaps:
        return ["dedup: no capture among the inputs; nothing to deduplicate"]
    folder = Path(args.out) / "dedup"
    rule = args.dedup_rule
    lines = []
    for audit in result.pcaps:
        dropped = len(audit.dropped(rule))
        if not dropped:
            lines.append(
                f"dedup: {audit.path.name} has no duplicates ({rule} rule); no copy "
                "written"
            )
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / audit.path.name
        try:
            deduplicate_pcap(audit.path, target, rule=rule, audit=audit)
        except ValueError as exc:
            raise WorkbenchError(f"--dedup: {exc}") from exc
        lines.append(
            f"dedup: wrote {target} without {dropped} duplicates ({rule} rule)"
        )
    return lines


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
