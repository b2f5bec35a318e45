"""The flow detector: feature encoder, autoencoder, threshold and p-value explainer.

``FlowDetector.fit`` learns on benign flows; ``analyse`` scores a flow table once and
keeps the scores and errors, so that moving the threshold or explaining another alert
never recomputes the network. It does not read files (``workbench.io``) or compute
labelled metrics (``workbench.evaluation``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import schema
from workbench.autoencoder import AutoencoderDetector
from workbench.errors import ModelFileError, NotFittedError, SchemaError
from workbench.features import FlowEncoder
from workbench.pvalues import AEPValues
from workbench.ranking import EXPLANATION_COLUMNS, explain_abs

__all__ = ["FlowDetector", "Analysis"]

_DETECTOR_FILE = "detector.json"
_ENCODER_FILE = "encoder.json"
_FORMAT = 1
_PVALUE_MODES = ("interp", "exact")


@dataclass
class Analysis:
    """A scored flow table: what the threshold and the explanations work on.

    Attributes
    ----------
    flows : pandas.DataFrame
        The flows, in the order they were scored.
    inputs, reconstructions, errors : ndarray of shape (n_flows, n_features)
        Encoded flows, their reconstructions and the signed errors.
    scores : ndarray of shape (n_flows,)
        Anomaly scores.
    """

    detector: FlowDetector
    flows: pd.DataFrame
    inputs: np.ndarray
    errors: np.ndarray
    scores: np.ndarray

    @property
    def reconstructions(self) -> np.ndarray:
        """Reconstructions of every flow (computed on demand from inputs and errors)."""
        return self.inputs + self.errors

    @property
    def alerts(self) -> np.ndarray:
        """Boolean alert mask at the detector's current threshold."""
        return self.detector.autoencoder.threshold.alerts(self.scores)

    @property
    def alert_ids(self) -> np.ndarray:
        """Row positions of the alerts; they serve as stable alert ids."""
        return np.flatnonzero(self.alerts)

    def explain(
        self,
        alert_ids: np.ndarray | list[int] | None = None,
        *,
        top: int | None = None,
        method: str = "pvalues",
    ) -> pd.DataFrame:
        """Tidy explanation of alerts (default: every current alert).

        ``method`` is "pvalues" (AE-pvalues) or "abs" (ranking by absolute error).
        """
        ids = self.alert_ids if alert_ids is None else np.asarray(alert_ids, dtype=int)
        if method not in ("pvalues", "abs"):
            raise ValueError(f"method must be 'pvalues' or 'abs', got {method!r}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.scores)):
            raise IndexError(f"alert ids must lie in [0, {len(self.scores)})")
        if ids.size == 0:
            # No alert at this threshold: an empty table, not an error.
            return pd.DataFrame(columns=list(EXPLANATION_COLUMNS))
        names = self.detector.feature_names
        errors = self.errors[ids].astype(np.float64)
        kwargs = {
            "feature_names": names,
            "alert_ids": ids,
            "values": self.inputs[ids],
            "reconstructions": self.inputs[ids] + self.errors[ids],
            "top": top,
        }
        if method == "pvalues":
            return self.detector.explainer.explain(errors, **kwargs)
        return explain_abs(errors, **kwargs)


class FlowDetector:
    """Autoencoder anomaly detector over canonical flow tables, with explanations.

    Parameters
    ----------
    encoder : FlowEncoder, optional
        Feature encoder (a default one if omitted).
    autoencoder : AutoencoderDetector, optional
        Matrix-level detector (a default one if omitted).
    pvalue_mode : {"interp", "exact"}, default "interp"
        How AE-pvalues read the benign reference errors.

    Examples
    --------
    >>> from workbench.io import read_flows
    >>> from workbench.datasets import bundled, IOT23_BENIGN
    >>> benign = read_flows(bundled(IOT23_BENIGN[2]))
    >>> ae = AutoencoderDetector(max_epochs=3, progress=False)
    >>> det = FlowDetector(autoencoder=ae)
    >>> analysis = det.fit(benign).analyse(benign)
    >>> analysis.scores.shape == (len(benign),)
    True
    """

    def __init__(
        self,
        *,
        encoder: FlowEncoder | None = None,
        autoencoder: AutoencoderDetector | None = None,
        pvalue_mode: str = "interp",
    ) -> None:
        self.encoder = encoder if encoder is not None else FlowEncoder()
        self.autoencoder = (
            autoencoder if autoencoder is not None else (AutoencoderDetector())
        )
        self.pvalue_mode = pvalue_mode

    def fit(self, flows: pd.DataFrame) -> FlowDetector:
        """Learn on ``flows``, which must all be benign (filter them first)."""
        if schema.LABEL in flows.columns:
            malicious = flows[schema.LABEL].eq(schema.MALICIOUS).fillna(False)
            if malicious.any():
                raise SchemaError(
                    f"{int(malicious.sum())} training flows are labelled malicious; "
                    "train on benign flows only (filter with schema.is_benign)."
                )

        X = self.encoder.fit_transform(flows)
        self.autoencoder.fit(X)
        self.explainer = AEPValues(mode=self.pvalue_mode).fit(
            self.autoencoder.reference_errors_
        )
        return self

    @property
    def feature_names(self) -> list[str]:
        """Readable names of the encoded features."""
        return self.encoder.feature_names_

    def analyse(self, flows: pd.DataFrame) -> Analysis:
        """Encode, reconstruct and score ``flows`` once."""
        if not hasattr(self, "explainer"):
            raise NotFittedError("call FlowDetector.fit or FlowDetector.load first")
        X = self.encoder.transform(flows)
        # float32 for the bulk; the explained rows are cast back to float64.
        errors = self.autoencoder.errors(X, dtype=np.float32)
        scores = self.autoencoder.scores_from_errors(errors, X)
        return Analysis(self, flows.reset_index(drop=True), X, errors, scores)

    def set_threshold(self, **kwargs: float) -> FlowDetector:
        """Move the alert threshold (``fpr=``, ``quantile=`` or ``value=``)."""
        self.autoencoder.set_threshold(**kwargs)
        return self

    def save(self, folder: str | Path) -> None:
        """Write the model as JSON files plus one NumPy tensor file (no pickle)."""
        folder = Path(folder)
        self.autoencoder.save(folder)
        self.encoder.save(folder / _ENCODER_FILE)
        meta: dict[str, Any] = {"pvalue_mode": self.pvalue_mode, "format": _FORMAT}
        (folder / _DETECTOR_FILE).write_text(json.dumps(meta, indent=1))

    @classmethod
    def load(cls, folder: str | Path) -> FlowDetector:
        """Read a model folder written by :meth:`save`."""
        folder = Path(folder)
        meta_path = folder / _DETECTOR_FILE
        if not meta_path.is_file():
            raise ModelFileError(
                f"{folder}: no {_DETECTOR_FILE}; give the model folder written by "
                "`workbench detect` or FlowDetector.save."
            )
        try:
            meta = json.loads(meta_path.read_text())
        except json.JSONDecodeError as exc:
            raise ModelFileError(f"{meta_path}: not valid JSON ({exc})") from exc
        _check_meta(meta, meta_path)
        detector = cls(
            encoder=FlowEncoder.load(folder / _ENCODER_FILE),
            autoencoder=AutoencoderDetector.load(folder),
            pvalue_mode=meta.get("pvalue_mode", "interp"),
        )
        detector.explainer = AEPValues(mode=detector.pvalue_mode).fit(
            detector.autoencoder.reference_errors_
        )
        return detector


def _check_meta(meta: object, path: Path) -> None:
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ModelFileError(
            f"{path}: not a detector description of format {_FORMAT}; give a model "
            "folder written by this version of the workbench, or retrain."
        )
    if meta.get("pvalue_mode") not in _PVALUE_MODES:
        raise ModelFileError(
            f"{path}: pvalue_mode must be one of {_PVALUE_MODES}, got "
            f"{meta.get('pvalue_mode')!r}"
        )
