"""Quality of synthetic flows: the FlowChronicle evaluation's metrics and baselines.

Metrics compare a generated flow table with real ones over the columns a
:class:`~workbench.synth_eval.schema.MetricSchema` declares: fidelity (JSD, EMD, PCD,
CMD), Density/Coverage, membership disclosure, domain-knowledge checks and temporal
autocorrelation; baselines (Bayesian networks, optional CTGAN/TVAE) share one fit/sample
interface with a FlowChronicle adapter; ``evaluate`` runs the protocol and ``report``
writes it. The generator itself lives in ``workbench.flowchronicle``.
"""

from __future__ import annotations

from workbench.synth_eval.density import density_coverage
from workbench.synth_eval.dkc import dkc, dkc_rule_shares
from workbench.synth_eval.fidelity import (
    cmd,
    emd_ref,
    emd_ref_per_column,
    emd_w1,
    emd_w1_per_column,
    jsd,
    jsd_per_column,
    pcd,
)
from workbench.synth_eval.generators import (
    GENERATOR_NAMES,
    FlowChronicleGenerator,
    Generator,
    make_generator,
)
from workbench.synth_eval.privacy import membership_disclosure
from workbench.synth_eval.ranking import rank_generators
from workbench.synth_eval.report import markdown_table, write_report
from workbench.synth_eval.run import Evaluation, evaluate, fit_generators
from workbench.synth_eval.schema import (
    MODES,
    SESSION_SCHEMA,
    MetricSchema,
    metric_frame,
)
from workbench.synth_eval.split import TimeSplit, split_by_time
from workbench.synth_eval.temporal import acf_difference

__all__ = [
    "MODES",
    "SESSION_SCHEMA",
    "MetricSchema",
    "metric_frame",
    "jsd",
    "jsd_per_column",
    "emd_ref",
    "emd_ref_per_column",
    "emd_w1",
    "emd_w1_per_column",
    "pcd",
    "cmd",
    "density_coverage",
    "membership_disclosure",
    "dkc",
    "dkc_rule_shares",
    "acf_difference",
    "Generator",
    "FlowChronicleGenerator",
    "GENERATOR_NAMES",
    "make_generator",
    "TimeSplit",
    "split_by_time",
    "Evaluation",
    "evaluate",
    "fit_generators",
    "rank_generators",
    "markdown_table",
    "write_report",
]
