"""The audit job: run every check on captures and flow tables, then write the report.

``run_audit`` is what ``workbench audit`` and the audit notebook both call; it keeps
everything in memory, and ``write_audit`` writes the summary, the rows behind each
finding, the extra tables and the charts. Captures are audited one by one; all flow
tables given are read into one table, so cross-file checks (duplicates, reverse
directions, scans) see them together. Nothing here modifies an input file.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.audit import charts
from workbench.audit._rows import FILE, FILE_ROW
from workbench.audit.capture import is_capture
from workbench.audit.flows import flow_findings
from workbench.audit.missing import dropna_loss, missing_findings, missing_values
from workbench.audit.packets import (
    DEFAULT_WINDOW_S,
    PcapAudit,
    audit_pcap,
    deduplicate_pcap,
)
from workbench.audit.report import Finding, summary_table, write_report
from workbench.audit.scans import ScanResult, scan_candidates, scan_findings
from workbench.io import read_flows

__all__ = [
    "ScanSettings",
    "AuditResult",
    "read_table",
    "run_audit",
    "audit_table",
    "write_audit",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanSettings:
    """Window and thresholds of the scan heuristic (see ``scan_candidates``)."""

    window_s: float = 60.0
    min_ports: int = 100
    min_hosts: int = 20


@dataclass
class AuditResult:
    """Findings, tables and charts of one audit, before they are written."""

    findings: list[Finding] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    charts: dict[str, alt.TopLevelMixin] = field(default_factory=dict)
    pcaps: list[PcapAudit] = field(default_factory=list)
    flows: pd.DataFrame | None = None
    scans: ScanResult | None = None

    @property
    def summary(self) -> pd.DataFrame:
        """One line per finding (see :func:`workbench.audit.report.summary_table`)."""
        return summary_table(self.findings)


def read_table(
    paths: Sequence[str | Path], *, progress: bool = False, on_bad_lines: str = "error"
) -> pd.DataFrame:
    """Read flow files into one table that says where each row came from.

    Adds ``file`` (the file or folder name) and ``file_row`` (position of the row in
    that file's table, from 0). ``on_bad_lines`` is passed to the readers.

    Examples
    --------
    >>> from workbench.datasets import bundled, IOT23_BENIGN
    >>> t = read_table([bundled(IOT23_BENIGN[2])])
    >>> t["file"].iloc[-1], int(t["file_row"].iloc[-1])
    ('CTU-Honeypot-Capture-7-1-labeled.csv', 129)
    """
    frames = []
    for path in tqdm(paths, desc="reading flows", unit=" file", disable=not progress):
        table = read_flows([path], on_bad_lines=on_bad_lines)
        table[FILE] = Path(path).name
        table[FILE_ROW] = np.arange(len(table))
        frames.append(table)
    flows = pd.concat(frames, ignore_index=True)
    flows.attrs["source"] = "; ".join(str(p) for p in paths)
    return flows


def _source_name(paths: Sequence[str | Path]) -> str:
    names = [Path(p).name for p in paths]
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def run_audit(
    paths: Sequence[str | Path],
    *,
    window_s: float = DEFAULT_WINDOW_S,
    scans: ScanSettings | None = None,
    dedup_dir: str | Path | None = None,
    dedup_rule: str = "full",
    progress: bool = True,
    on_bad_lines: str = "error",
) -> AuditResult:
    """Audit captures (pcap, pcapng) and flow tables; return findings and charts.

    Parameters
    ----------
    paths : sequence of path
        Captures and flow files (any format :func:`workbench.io.read_flows` reads).
    window_s : float, default 0.0005
        Duplicate-packet window in seconds.
    scans : ScanSettings, optional
        Scan heuristic settings (defaults: 60 s windows, 100 ports, 20 hosts).
    dedup_dir : path, optional
        Write each capture without its duplicates into this folder, same file name.
    dedup_rule : {"full", "narrowed"}
        Which duplicates the copies leave out.
    progress : bool, default True
        Show progress bars.
    on_bad_lines : {"error", "skip"}
        What the flow readers do with malformed lines.
    """
    scans = scans or ScanSettings()
    result = AuditResult()
    captures = [Path(p) for p in paths if is_capture(p)]
    tables = [Path(p) for p in paths if not is_capture(p)]
    for capture in captures:
        _audit_capture(result, capture, window_s, scans, progress)
        if dedup_dir is not None:
            Path(dedup_dir).mkdir(parents=True, exist_ok=True)
            target = Path(dedup_dir) / capture.name
            audit = result.pcaps[-1]
            deduplicate_pcap(capture, target, rule=dedup_rule, audit=audit)
    if tables:
        flows = read_table(tables, progress=progress, on_bad_lines=on_bad_lines)
        _audit_flows(result, flows, _source_name(tables), scans)
    result.charts["findings"] = charts.findings_chart(result.summary)
    return result


def audit_table(
    flows: pd.DataFrame, source: str, *, scans: ScanSettings | None = None
) -> AuditResult:
    """Run the flow-table checks on a table in memory (e.g. after relabelling).

    Examples
    --------
    >>> from workbench.datasets import bundled, IOT23_BENIGN
    >>> result = audit_table(read_table([bundled(IOT23_BENIGN[2])]), "honeypot 7-1")
    >>> int(result.summary.query("check == 'scan flows'")["count"].iloc[0])
    0
    """
    result = AuditResult()
    _audit_flows(result, flows, source, scans or ScanSettings())
    result.charts["findings"] = charts.findings_chart(result.summary)
    return result


def _audit_capture(
    result: AuditResult,
    path: Path,
    window_s: float,
    scans: ScanSettings,
    progress: bool,
) -> None:
    audit = audit_pcap(path, window_s=window_s, progress=progress)
    result.pcaps.append(audit)
    result.findings += audit.findings()
    stem = path.stem
    result.tables[f"{stem}_duplicates_per_flow"] = audit.per_flow()
    result.tables[f"{stem}_duplicates_per_class"] = audit.per_class()
    if audit.packets["duplicate"].any():
        result.charts[f"{stem}_duplicate_gaps"] = charts.duplicate_gap_chart(
            audit.packets
        )
        result.charts[f"{stem}_duplicate_flows"] = charts.duplicate_flow_chart(
            audit.per_flow()
        )
    # Scans are a property of flows: meter the capture (nfstream) and look at those.
    flows = read_flows([path])
    found = _scan(flows, scans)
    # Metered flows carry no labels: the third finding (scans labelled benign) is moot.
    result.findings += scan_findings(flows, found, path.name)[:2]
    result.tables[f"{stem}_scan_episodes"] = found.episodes


def _scan(flows: pd.DataFrame, scans: ScanSettings) -> ScanResult:
    return scan_candidates(
        flows,
        window_s=scans.window_s,
        min_ports=scans.min_ports,
        min_hosts=scans.min_hosts,
    )


def _audit_flows(
    result: AuditResult, flows: pd.DataFrame, source: str, scans: ScanSettings
) -> None:
    found = _scan(flows, scans)
    result.flows, result.scans = flows, found
    result.findings += flow_findings(flows, source)
    result.findings += missing_findings(flows, source)
    result.findings += scan_findings(flows, found, source)

    missing, loss = missing_values(flows), dropna_loss(flows, inf_as_nan=True)
    result.tables.update(
        missing_values=missing, dropna_loss=loss, scan_episodes=found.episodes
    )
    result.charts["dropna_loss"] = charts.dropna_chart(loss)
    if len(missing):
        result.charts["missing_values"] = charts.missing_chart(missing)
    if len(found.episodes):
        result.charts["scans"] = charts.scan_chart(found.episodes)


def write_audit(
    result: AuditResult, out_dir: str | Path, *, png: bool = False
) -> list[Path]:
    """Write the report of ``result`` into ``out_dir``; return the paths written.

    See :func:`workbench.audit.report.write_report` for the files.
    """
    return write_report(
        result.findings,
        out_dir,
        charts=result.charts,
        tables=result.tables,
        png=png,
    )
