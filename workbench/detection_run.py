"""The main detection job: train on benign captures, score test captures, write results.

``run_detection`` is what ``workbench detect`` and the detection lab both call; it
returns everything in memory, and ``write_outputs`` turns that into ``alerts.csv``,
``explanations.csv``, ``metrics.json`` and ``model/``. Reading files and drawing charts
happen elsewhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import schema
from workbench.autoencoder import AutoencoderDetector
from workbench.detector import Analysis, FlowDetector
from workbench.errors import SchemaError
from workbench.evaluation import IsolationForestReference, detection_metrics
from workbench.features import FlowEncoder
from workbench.io import read_flows

__all__ = [
    "add_top_features",
    "DetectionRun",
    "benign_rows",
    "run_detection",
    "alert_table",
    "write_outputs",
]

logger = logging.getLogger(__name__)

#: Features named per alert in ``alerts.csv``.
TOP_FEATURES = 3


@dataclass
class DetectionRun:
    """Everything one detection job produced, before it is written out."""

    detector: FlowDetector
    analysis: Analysis
    reference: IsolationForestReference
    reference_scores: np.ndarray
    train_summary: dict[str, int]

    def metrics(self) -> dict[str, object]:
        """Counts, threshold, and labelled figures of both detectors."""
        threshold = self.detector.autoencoder.threshold
        flows = self.analysis.flows
        figures: dict[str, object] = {
            **self.train_summary,
            "test_flows": len(flows),
            "alerts": int(self.analysis.alerts.sum()),
            "threshold": threshold.value,
            "target_fpr": threshold.fpr,
            "reference_fpr": threshold.reference_fpr,
        }
        if schema.LABEL in flows.columns and flows[schema.LABEL].notna().any():
            detailed = flows.get(schema.DETAILED_LABEL)
            figures["autoencoder"] = detection_metrics(
                flows[schema.LABEL],
                self.analysis.alerts,
                self.analysis.scores,
                detailed,
            )
            alerts = self.reference.threshold.alerts(self.reference_scores)
            figures["isolation_forest"] = detection_metrics(
                flows[schema.LABEL], alerts, self.reference_scores, detailed
            )
        return figures


def benign_rows(flows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Rows to train on: those labelled benign, or every row of an unlabelled table."""
    if len(flows) == 0:
        raise SchemaError(
            f"{flows.attrs.get('source', 'training data')}: no flows to train on; give "
            "captures or logs that contain traffic."
        )
    if schema.LABEL not in flows.columns or flows[schema.LABEL].isna().all():
        logger.warning(
            "training data has no labels: all %d flows are assumed benign", len(flows)
        )
        return flows, {"train_flows_read": len(flows), "train_flows_used": len(flows)}
    keep = schema.is_benign(flows[schema.LABEL])
    if not keep.any():
        raise SchemaError(
            f"{flows.attrs.get('source', 'training data')}: no flow is labelled "
            "benign; "
            "give captures of normal traffic to --train."
        )
    logger.info("training on %d benign flows of %d read", keep.sum(), len(flows))
    used = flows[keep].reset_index(drop=True)
    return used, {"train_flows_read": len(flows), "train_flows_used": int(keep.sum())}


def run_detection(
    train: pd.DataFrame | Sequence[str | Path],
    test: pd.DataFrame | Sequence[str | Path],
    *,
    fpr: float = 0.01,
    epochs: int = 100,
    seed: int = 0,
    progress: bool = True,
    pvalue_mode: str = "interp",
    extra_numeric: bool = True,
    on_bad_lines: str = "error",
) -> DetectionRun:
    """Train the autoencoder and the Isolation Forest on benign flows; score the test.

    ``train`` and ``test`` are flow tables or paths for :func:`workbench.io.read_flows`
    (read with ``on_bad_lines``). ``extra_numeric=False`` uses only the canonical
    fields, so that training and test data may come from different kinds of source.
    """
    train_flows = _flows(train, progress, on_bad_lines)
    test_flows = _flows(test, progress, on_bad_lines)
    if len(test_flows) == 0:
        raise SchemaError(
            f"{test_flows.attrs.get('source', 'test data')}: no flows to score; give "
            "captures or logs that contain traffic."
        )
    benign, summary = benign_rows(train_flows)

    autoencoder = AutoencoderDetector(
        max_epochs=epochs, fpr=fpr, seed=seed, progress=progress
    )
    detector = FlowDetector(
        encoder=FlowEncoder(extra_numeric=extra_numeric),
        autoencoder=autoencoder,
        pvalue_mode=pvalue_mode,
    )
    detector.fit(benign)
    analysis = detector.analyse(test_flows)

    reference = IsolationForestReference(fpr=fpr, seed=seed)
    reference.fit(detector.encoder.transform(benign))
    return DetectionRun(
        detector, analysis, reference, reference.score_samples(analysis.inputs), summary
    )


def _flows(
    source: pd.DataFrame | Sequence[str | Path], progress: bool, on_bad_lines: str
) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    return read_flows(source, progress=progress, on_bad_lines=on_bad_lines)


def alert_table(analysis: Analysis, explanations: pd.DataFrame) -> pd.DataFrame:
    """One row per alert: flow identity, score and the top features with p-values."""
    ids = analysis.alert_ids
    flows = analysis.flows.iloc[ids]
    identity = [
        c for c in (*schema.FLOW_ID_FIELDS, *schema.LABEL_FIELDS) if c in flows.columns
    ]
    table = flows[identity].reset_index(drop=True)
    table.insert(0, "alert_id", ids)
    table["score"] = analysis.scores[ids]
    threshold = analysis.detector.autoencoder.threshold
    table["p_instance"] = threshold.instance_pvalues(analysis.scores[ids])

    return add_top_features(table, explanations, ids)


def add_top_features(
    table: pd.DataFrame, explanations: pd.DataFrame, ids: np.ndarray
) -> pd.DataFrame:
    """Add ``feature_k`` and ``p_value_k`` columns (k = 1..3) to one row per alert."""
    top = explanations[explanations["rank"] <= TOP_FEATURES]
    wide = top.pivot(index="alert_id", columns="rank", values=["feature", "p_value"])
    for rank in range(1, TOP_FEATURES + 1):
        # Columns are always there, empty where an alert has fewer ranked features.
        for name in ("feature", "p_value"):
            values = wide[(name, rank)] if (name, rank) in wide.columns else None
            table[f"{name}_{rank}"] = (
                values.reindex(ids).to_numpy() if values is not None else np.nan
            )
    return table


def write_outputs(
    run: DetectionRun, out: str | Path, *, explain_top: int | None = 10
) -> dict[str, object]:
    """Write alerts, explanations, metrics and the model; return the metrics."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    explanations = run.analysis.explain(top=explain_top)
    alert_table(run.analysis, explanations).to_csv(out / "alerts.csv", index=False)
    explanations.to_csv(out / "explanations.csv", index=False)
    metrics = run.metrics()
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    run.detector.save(out / "model")
    return metrics
