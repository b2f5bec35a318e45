"""Sec2graph-style detection: an autoencoder over encoded edges, flags per connection.

``GraphDetector.fit`` freezes the edge encoder and trains the autoencoder (binary
cross-entropy) on the edges of benign connections, then holds out the latest
connections to set a connection-level threshold and the AE-pvalues reference.
``analyse`` scores each distinct edge vector once; a connection's score is the
maximum over its edges (spec sections 6 and 7). Reading logs and writing reports
happen elsewhere.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from workbench import schema
from workbench.autoencoder import AutoencoderDetector
from workbench.errors import ModelFileError, NotFittedError, SchemaError
from workbench.graph.analysis import GraphAnalysis, Scored
from workbench.graph.encode import EdgeEncoder
from workbench.graph.tables import SecurityGraph
from workbench.pvalues import AEPValues
from workbench.thresholds import Threshold

__all__ = ["GraphDetector", "default_autoencoder"]

_META = "graph_detector.json"
_ENCODER = "edge_encoder.json"
_REFERENCE = "graph_reference.npz"
#: At most this many held-out edge errors form the AE-pvalues reference.
MAX_REFERENCE_EDGES = 20_000


def default_autoencoder(
    *, epochs: int = 50, seed: int = 0, progress: bool = True
) -> AutoencoderDetector:
    """The spec's network: D -> 512 -> 128 -> 32 -> back, sigmoid outputs, BCE.

    Batches are of 64 edges rather than the spec's 512, so that captures of a few
    thousand edges still get enough optimiser steps; early stopping waits 5 epochs.
    The edge score is the detector's mean binary cross-entropy over the D bits (the
    spec's sum divided by D: same ranking), and there is no dropout layer.

    Examples
    --------
    >>> default_autoencoder(progress=False).get_params()["hidden"]
    [512, 128, 32]
    """
    return AutoencoderDetector(
        hidden=(512, 128, 32),
        score="bce",
        batch_size=64,
        max_epochs=epochs,
        patience=5,
        seed=seed,
        progress=progress,
    )


class GraphDetector:
    """Autoencoder novelty detector over security-graph edges, flagging connections.

    Parameters
    ----------
    encoder : EdgeEncoder, optional
        Edge encoder (a default one if omitted); fitted by :meth:`fit`.
    autoencoder : AutoencoderDetector, optional
        Matrix-level detector; :func:`default_autoencoder` if omitted.
    calibration_fraction : float, default 0.2
        Share of the benign connections, the latest by start time, held out from
        training to set the threshold and the p-value reference.
    fpr : float, default 0.01
        Target false-positive rate over held-out connections.
    pvalue_mode : {"interp", "exact"}, default "interp"
        How AE-pvalues read the reference edge errors.
    error_resolution : float, default 1e-3
        Errors are rounded to this step before p-values are computed (scores use
        the exact errors).

    Attributes
    ----------
    threshold : Threshold
        Connection-level cut over held-out connection scores; move it with
        :meth:`set_threshold` (no retraining, no rescoring).
    explainer : AEPValues
        Fitted on the held-out edges' errors.
    summary_ : dict
        Edge and connection counts of the training and held-out parts.

    Notes
    -----
    On 0/1 inputs most reconstructions of absent bits are within 1e-6 of 0, so
    unrounded reference errors of such a bit are a narrow cloud of float noise and
    any test error outside it would get p = 0. Rounding keeps p-values for
    differences that mean something. The held-out connections are the latest by
    start time (the spec's section 6.4); the autoencoder's own early-stopping split
    inside the training part is random.

    Examples
    --------
    >>> from workbench.graph import graph_from_logs
    >>> from workbench.datasets import bundled
    >>> graph = graph_from_logs(bundled("zeek", "json"), progress=False)
    >>> ae = AutoencoderDetector(hidden=(8,), score="bce", max_epochs=2,
    ...                          progress=False)
    >>> analysis = GraphDetector(autoencoder=ae).fit(graph).analyse(graph)
    >>> len(analysis.edge_scores) == len(graph.edges)
    True
    """

    def __init__(
        self,
        *,
        encoder: EdgeEncoder | None = None,
        autoencoder: AutoencoderDetector | None = None,
        calibration_fraction: float = 0.2,
        fpr: float = 0.01,
        pvalue_mode: str = "interp",
        error_resolution: float = 1e-3,
    ) -> None:
        self.encoder = encoder if encoder is not None else EdgeEncoder()
        self.autoencoder = (
            autoencoder if autoencoder is not None else default_autoencoder()
        )
        self.calibration_fraction = calibration_fraction
        self.fpr = fpr
        self.pvalue_mode = pvalue_mode
        self.error_resolution = error_resolution

    def fit(self, graph: SecurityGraph) -> GraphDetector:
        """Train on a graph of benign traffic; hold out its latest connections."""
        if not 0.0 < self.calibration_fraction < 1.0:
            raise ValueError(
                "calibration_fraction must lie strictly between 0 and 1, got "
                f"{self.calibration_fraction}"
            )
        held_out = self._held_out(graph)
        train, calibration = graph.with_edges(~held_out), graph.with_edges(held_out)

        X = self.encoder.fit_transform(train)
        self.autoencoder.fit(X)
        scored = Scored.of(self, calibration)
        connections = scored.connection_scores()

        rows = _reference_rows(len(scored.edge_scores))
        reference = self.quantise(scored.edge_errors(rows))
        self.explainer = AEPValues(mode=self.pvalue_mode).fit(reference)
        self.threshold = Threshold(connections["score"].to_numpy(), fpr=self.fpr)
        self.reference_errors_ = reference
        self.summary_ = {
            "train_edges": len(train.edges),
            "train_connections": int(train.edges[schema.UID].nunique()),
            "calibration_edges": len(calibration.edges),
            "calibration_connections": len(connections),
        }
        return self

    def _held_out(self, graph: SecurityGraph) -> np.ndarray:
        start = graph.connection_start()
        uids = graph.edges[schema.UID]
        first = start.groupby(uids.to_numpy()).min().sort_values(kind="stable")
        n_held = math.ceil(self.calibration_fraction * len(first))
        if len(first) - n_held < 2 or n_held < 2:
            raise SchemaError(
                f"the training graph holds {len(first)} connections; at least 4 are "
                "needed to train and hold some out. Give a longer benign capture."
            )
        held = set(first.index[-n_held:])
        return uids.isin(held).to_numpy()

    def quantise(self, errors: np.ndarray) -> np.ndarray:
        """Errors rounded to :attr:`error_resolution` (what p-values are read from)."""
        step = self.error_resolution
        return np.round(errors / step) * step if step > 0 else errors

    @property
    def feature_names(self) -> list[str]:
        """Names of the encoded edge features."""
        return self.encoder.feature_names_

    def analyse(self, graph: SecurityGraph) -> GraphAnalysis:
        """Encode and score every edge once; score connections by their worst edge."""
        if not hasattr(self, "threshold"):
            raise NotFittedError("call GraphDetector.fit or GraphDetector.load first")
        scored = Scored.of(self, graph)
        connections = scored.connection_scores()
        fields = graph.connections()
        table = connections.merge(fields, on=schema.UID, how="left", sort=False)
        order = np.lexsort((table[schema.UID].to_numpy(), table["start"].to_numpy()))
        table = table.iloc[order].reset_index(drop=True)
        return GraphAnalysis(self, graph, scored, table)

    def set_threshold(self, **kwargs: float) -> GraphDetector:
        """Move the connection threshold (``fpr=``, ``quantile=`` or ``value=``)."""
        if not hasattr(self, "threshold"):
            raise NotFittedError("call GraphDetector.fit before moving the threshold")
        self.threshold.set(**kwargs)
        return self

    def save(self, folder: str | Path) -> None:
        """Write JSON files and NumPy tensor files (no pickle) into ``folder``."""
        if not hasattr(self, "threshold"):
            raise NotFittedError("call GraphDetector.fit before saving it")
        folder = Path(folder)
        self.autoencoder.save(folder)
        self.encoder.save(folder / _ENCODER)
        meta = {
            "format": 1,
            "calibration_fraction": self.calibration_fraction,
            "pvalue_mode": self.pvalue_mode,
            "error_resolution": self.error_resolution,
            "threshold": {"fpr": self.threshold.fpr, "value": self.threshold.value},
            "summary": self.summary_,
        }
        (folder / _META).write_text(json.dumps(meta, indent=1))
        np.savez(
            folder / _REFERENCE,
            edge_errors=self.reference_errors_,
            connection_scores=self.threshold.reference_scores,
        )

    @classmethod
    def load(cls, folder: str | Path) -> GraphDetector:
        """Read a model folder written by :meth:`save`."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / _META).read_text())
            with np.load(folder / _REFERENCE, allow_pickle=False) as arrays:
                errors, scores = arrays["edge_errors"], arrays["connection_scores"]
            saved = meta["threshold"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(
                f"{folder}: cannot load the graph detector ({exc}); give the model "
                "folder written by `workbench graph-detect` or GraphDetector.save."
            ) from exc
        detector = cls(
            encoder=EdgeEncoder.load(folder / _ENCODER),
            autoencoder=AutoencoderDetector.load(folder),
            calibration_fraction=meta["calibration_fraction"],
            fpr=saved["fpr"] if saved["fpr"] is not None else 0.01,
            pvalue_mode=meta["pvalue_mode"],
            error_resolution=meta["error_resolution"],
        )
        detector.reference_errors_ = errors
        detector.explainer = AEPValues(mode=detector.pvalue_mode).fit(errors)
        detector.threshold = Threshold(scores, fpr=detector.fpr)
        if saved["fpr"] is None:
            detector.threshold.set(value=saved["value"])
        detector.summary_ = meta["summary"]
        return detector


def _reference_rows(n: int) -> np.ndarray:
    if n <= MAX_REFERENCE_EDGES:
        return np.arange(n)
    rng = np.random.default_rng(0)
    return np.sort(rng.choice(n, MAX_REFERENCE_EDGES, replace=False))
