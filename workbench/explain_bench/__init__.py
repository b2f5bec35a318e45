"""Explanation benchmark: inject known noise, then score how well each method finds it.

Compares AE-pvalues (exact and interpolated), AE-abs, SHAP_AE and a random floor on
the same trained autoencoder, by top-K accuracy against the injected feature or group
and by time per explanation (spec ``ae_pvalues.md`` sections 5 to 7). The modules
under it inject, rank, score and report; training and reading files happen in
``jobs``, and nothing here draws (see ``figures``).
"""

from __future__ import annotations

from workbench.explain_bench.groups import (
    FLOW_GROUPS,
    FeatureGroup,
    feature_targets,
    group_targets,
)
from workbench.explain_bench.injection import Injection, NoiseInjector
from workbench.explain_bench.jobs import flow_benchmark, prepare_flows, toy_benchmark
from workbench.explain_bench.methods import METHODS, Ranking, rank_from_errors
from workbench.explain_bench.report import markdown_report, write_report
from workbench.explain_bench.result import BenchResult
from workbench.explain_bench.run import run_benchmark
from workbench.explain_bench.scoring import correlated_features, topk_accuracy
from workbench.explain_bench.shap_ae import ShapAE
from workbench.explain_bench.toy import make_toy

__all__ = [
    "FLOW_GROUPS",
    "FeatureGroup",
    "feature_targets",
    "group_targets",
    "Injection",
    "NoiseInjector",
    "flow_benchmark",
    "prepare_flows",
    "toy_benchmark",
    "METHODS",
    "Ranking",
    "rank_from_errors",
    "markdown_report",
    "write_report",
    "BenchResult",
    "run_benchmark",
    "correlated_features",
    "topk_accuracy",
    "ShapAE",
    "make_toy",
]
