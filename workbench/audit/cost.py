"""What a labelling fault costs: one detector, one set of scores, two sets of labels.

CIC-IDS2017 as first released labels the Thursday port scan (run from the infiltrated
host 192.168.10.8) benign. :func:`label_fault_cost` trains the project's
:class:`~workbench.detector.FlowDetector` on benign flows, scores a test set holding
held-out benign flows and scan flows once, and measures false-positive rate and recall
under the faulty and the corrected labels. Only labels change between the two, so any
difference in the figures comes from the labels, not from the detector. The module
does not correct labels in files.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_curve

from workbench import schema
from workbench.autoencoder import AutoencoderDetector
from workbench.detector import Analysis, FlowDetector
from workbench.errors import SchemaError
from workbench.evaluation import detection_metrics
from workbench.thresholds import Threshold

__all__ = [
    "THURSDAY_SCAN",
    "THURSDAY_SCAN_PER_BENIGN",
    "LabelFaultCost",
    "original_release_labels",
    "label_fault_cost",
]

logger = logging.getLogger(__name__)

#: Detailed label of the Thursday scan in the corrected CIC-IDS2017 (CNS 2022).
THURSDAY_SCAN = "Infiltration - Portscan"
#: Scan rows per benign row on Thursday in the CRiSIS-2022 files (64,185 and 291,211
#: rows; spec cicids2017_quality.md section 3): the test mix of the faulty day.
THURSDAY_SCAN_PER_BENIGN = 64_185 / 291_211
_FIGURES = (
    "fpr",
    "recall",
    "precision",
    "auroc",
    "benign_flows",
    "malicious_flows",
    "false_positives",
    "true_positives",
)


def original_release_labels(
    flows: pd.DataFrame, detailed_label: str = THURSDAY_SCAN
) -> pd.DataFrame:
    """A copy of ``flows`` whose ``detailed_label`` rows are labelled benign again.

    This rebuilds the original release's mistake from the corrected labels.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["malicious", "malicious"],
    ...                   "detailed_label": [THURSDAY_SCAN, "Portscan"]})
    >>> original_release_labels(t)["label"].tolist()
    ['benign', 'malicious']
    """
    for column in schema.LABEL_FIELDS:
        if column not in flows.columns:
            raise SchemaError(
                f"{flows.attrs.get('source', 'flow table')}: no {column!r} column; "
                "relabelling needs labelled flows (read them with read_flows)."
            )
    hit = flows[schema.DETAILED_LABEL].eq(detailed_label).fillna(False)
    out = flows.copy()
    out[schema.LABEL] = out[schema.LABEL].mask(hit, schema.BENIGN)
    out[schema.DETAILED_LABEL] = out[schema.DETAILED_LABEL].mask(hit, pd.NA)
    return out


@dataclass
class LabelFaultCost:
    """Scores of one detector on one test set, measured against two label sets.

    Attributes
    ----------
    analysis : Analysis
        The scored test flows (corrected labels).
    faulty : pandas.Series
        The test labels with the fault rebuilt.
    figures : pandas.DataFrame
        One line per label set (``faulty``, ``corrected``): FPR, recall, precision,
        AUROC and the counts behind them.
    alert_rates : pandas.DataFrame
        Share of alerts per part of the test set (held-out benign, each attack).
    """

    analysis: Analysis
    faulty: pd.Series
    figures: pd.DataFrame
    alert_rates: pd.DataFrame

    def _label_sets(self) -> dict[str, pd.Series]:
        return {"faulty": self.faulty, "corrected": self.analysis.flows[schema.LABEL]}

    def sweep(self, fprs: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1)) -> pd.DataFrame:
        """Figures under both label sets at several target false-positive rates.

        Each threshold comes from the same benign validation scores; nothing is
        retrained or rescored.
        """
        reference = self.analysis.detector.autoencoder.threshold.reference_scores
        rows = []
        for target in fprs:
            alerts = Threshold(reference, fpr=target).alerts(self.analysis.scores)
            for name, labels in self._label_sets().items():
                figures = _figures(name, labels, alerts, self.analysis.scores)
                rows.append({"target_fpr": target, **figures})
        return pd.DataFrame(rows)

    def write(self, folder: str | Path) -> list[Path]:
        """Write ``label_fault_cost.json`` (figures, sweep, alert rates) and CSVs."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tables = {
            "figures": self.figures,
            "sweep": self.sweep(),
            "alert_rates": self.alert_rates,
        }
        written = []
        for name, table in tables.items():
            written.append(folder / f"label_fault_{name}.csv")
            table.to_csv(written[-1], index=False)
        records = {
            k: json.loads(t.to_json(orient="records")) for k, t in tables.items()
        }
        written.append(folder / "label_fault_cost.json")
        written[-1].write_text(json.dumps(records, indent=1) + "\n")
        return written

    def roc(self) -> pd.DataFrame:
        """ROC points (``labels``, ``fpr``, ``tpr``) of the scores under both labels."""
        parts = []
        for name, labels in self._label_sets().items():
            positive = labels.eq(schema.MALICIOUS).fillna(False).to_numpy(bool)
            fpr, tpr, _ = roc_curve(positive, self.analysis.scores)
            parts.append(pd.DataFrame({"labels": name, "fpr": fpr, "tpr": tpr}))
        return pd.concat(parts, ignore_index=True)


def _split(benign: pd.DataFrame, train_share: float, seed: int) -> tuple:
    if not 0.0 < train_share < 1.0:
        raise ValueError(f"train_share must lie in (0, 1), got {train_share}")
    order = np.random.default_rng(seed).permutation(len(benign))
    cut = int(round(train_share * len(benign)))
    return benign.iloc[order[:cut]], benign.iloc[order[cut:]]


def _scan_sample(
    scan: pd.DataFrame, held_out: int, per_benign: float | None, seed: int
) -> pd.DataFrame:
    if per_benign is None:
        return scan
    wanted = int(round(per_benign * held_out))
    if wanted > len(scan):
        logger.warning(
            "only %d scan rows for the %d wanted; using them all", len(scan), wanted
        )
        return scan
    order = np.random.default_rng(seed + 1).permutation(len(scan))[:wanted]
    return scan.iloc[np.sort(order)]


def label_fault_cost(
    benign: pd.DataFrame,
    scan: pd.DataFrame,
    *,
    others: pd.DataFrame | None = None,
    detailed_label: str = THURSDAY_SCAN,
    train_share: float = 0.5,
    scan_per_benign: float | None = THURSDAY_SCAN_PER_BENIGN,
    fpr: float = 0.01,
    epochs: int = 30,
    seed: int = 0,
    progress: bool = True,
) -> LabelFaultCost:
    """Train on part of ``benign``, score the rest with ``scan``, compare two labels.

    Parameters
    ----------
    benign : pandas.DataFrame
        Benign flows; ``train_share`` of them train the detector, the rest are tested.
    scan : pandas.DataFrame
        Flows of the mislabelled attack, with corrected (malicious) labels.
    others : pandas.DataFrame, optional
        Further attack flows for the test set, labelled alike in both label sets.
    detailed_label : str
        Attack name whose rows the faulty labels call benign.
    scan_per_benign : float or None
        Scan rows per held-out benign row in the test set (default: Thursday's mix);
        ``None`` keeps every scan row.
    fpr : float, default 0.01
        Target false-positive rate of the threshold, on benign validation flows.
    epochs, seed, progress
        Training length, random seed and progress bar of the autoencoder.

    Notes
    -----
    With a detector that flags a share ``a`` of the scan flows and ``f`` of the
    benign ones, the faulty labels measure an FPR of about
    ``(f * B + a * S) / (B + S)`` on ``B`` benign and ``S`` scan flows: on Thursday's
    mix, ``S / (B + S)`` is 18 %, so a detector that catches the scan reports an
    FPR near 20 % that is mostly the labels' doing.
    """
    for name, table in (("benign", benign), ("scan", scan)):
        if schema.LABEL not in table.columns:
            raise SchemaError(f"the {name} flows carry no {schema.LABEL!r} column.")
    train, held_out = _split(benign, train_share, seed)
    scan = _scan_sample(scan, len(held_out), scan_per_benign, seed)
    parts = [held_out, scan] + ([others] if others is not None else [])
    test = pd.concat(parts, ignore_index=True)

    autoencoder = AutoencoderDetector(
        max_epochs=epochs, fpr=fpr, seed=seed, progress=progress
    )
    detector = FlowDetector(autoencoder=autoencoder).fit(train)
    analysis = detector.analyse(test)

    faulty = original_release_labels(test, detailed_label)[schema.LABEL]
    alerts, scores = analysis.alerts, analysis.scores
    figures = pd.DataFrame(
        [
            _figures("faulty", faulty, alerts, scores),
            _figures("corrected", test[schema.LABEL], alerts, scores),
        ]
    )
    return LabelFaultCost(analysis, faulty, figures, _rates(analysis))


def _figures(
    name: str, labels: pd.Series, alerts: np.ndarray, scores: np.ndarray
) -> dict:
    metrics = detection_metrics(labels, alerts, scores)
    return {"labels": name, **{key: metrics[key] for key in _FIGURES}}


def _rates(analysis: Analysis) -> pd.DataFrame:
    flows = analysis.flows
    parts = flows[schema.DETAILED_LABEL].astype("string").fillna("benign (held out)")
    frame = pd.DataFrame({"part": parts.to_numpy(), "alert": analysis.alerts})
    rates = frame.groupby("part", sort=True)["alert"].agg(["size", "mean"])
    return rates.reset_index().rename(columns={"size": "flows", "mean": "alert_rate"})
