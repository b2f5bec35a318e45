"""Dataset audit: find what is wrong with a capture or a labelled flow table.

Checks run on the data alone: duplicated and misordered packets (``packets``),
duplicated, conflicting, misordered and reversed flows (``flows``), missing values
and what a ``dropna`` would lose (``missing``), and scans and how they are labelled
(``scans``). ``cost`` measures what a labelling fault does to a detector's figures;
``job`` runs everything and ``report`` writes it. Nothing here modifies an input.
"""

from __future__ import annotations

from workbench.audit.capture import iter_packets, write_pcap
from workbench.audit.cost import (
    LabelFaultCost,
    label_fault_cost,
    original_release_labels,
)
from workbench.audit.flows import flow_findings
from workbench.audit.job import (
    AuditResult,
    ScanSettings,
    audit_table,
    read_table,
    run_audit,
    write_audit,
)
from workbench.audit.missing import dropna_loss, missing_values
from workbench.audit.packets import PcapAudit, audit_pcap, deduplicate_pcap
from workbench.audit.report import Finding, summary_table
from workbench.audit.scans import ScanResult, probe_flows, scan_candidates

__all__ = [
    "AuditResult",
    "Finding",
    "LabelFaultCost",
    "PcapAudit",
    "ScanResult",
    "ScanSettings",
    "audit_pcap",
    "audit_table",
    "deduplicate_pcap",
    "dropna_loss",
    "flow_findings",
    "iter_packets",
    "label_fault_cost",
    "missing_values",
    "original_release_labels",
    "probe_flows",
    "read_table",
    "run_audit",
    "scan_candidates",
    "summary_table",
    "write_audit",
    "write_pcap",
]
