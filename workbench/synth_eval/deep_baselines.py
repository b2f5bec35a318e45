"""CTGAN and TVAE baselines through the ``ctgan`` package (optional extra ``ctgan``).

Both learn one session record at a time from the sessions FlowChronicle prepares, with
the start time as a numeric column, so they have no notion of sequence. As in the
reference, addresses, ports, protocol, flags and columns with fewer than 50 distinct
values are categorical; values are not rounded. SDV is not used.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from workbench.errors import NotFittedError
from workbench.flowchronicle.prepare import FEATURES, prepare_sessions
from workbench.schema import TS, conform

__all__ = ["CTGANGenerator", "TVAEGenerator", "CATEGORICAL_BELOW"]

logger = logging.getLogger(__name__)

#: Numeric columns with fewer distinct values than this are categorical (reference).
CATEGORICAL_BELOW = 50
_NO_CTGAN = (
    "the CTGAN and TVAE baselines need the optional package 'ctgan'; install the "
    "extra with: pip install 'netsec-workbench[ctgan]'"
)


def _ctgan():
    try:
        import ctgan
    except ImportError as exc:
        raise ImportError(_NO_CTGAN) from exc
    return ctgan


class _DeepBaseline:
    """Shared fit/sample of the two ``ctgan`` models."""

    name = ""
    _model_class = ""

    def __init__(
        self,
        *,
        epochs: int = 300,
        batch_size: int = 500,
        keep_single_flows: bool = True,
        gpu: bool = False,
    ) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.keep_single_flows = keep_single_flows
        self.gpu = gpu

    def fit(self, flows: pd.DataFrame):
        """Join sessions, mark categorical columns and train the network."""
        model_class = getattr(_ctgan(), self._model_class)
        sessions = prepare_sessions(flows, keep_single_flows=self.keep_single_flows)
        columns = [TS] + [
            f.column
            for f in FEATURES
            if f.column in sessions.columns and sessions[f.column].notna().any()
        ]
        table = sessions[columns].copy()
        kinds = {f.column: f.kind for f in FEATURES}
        discrete = [
            c
            for c in columns[1:]
            if kinds[c] in ("ip", "categorical")
            or table[c].nunique() < CATEGORICAL_BELOW
        ]
        numeric = [c for c in columns if c not in discrete]
        table[discrete] = table[discrete].astype(str)
        table[numeric] = table[numeric].astype(float).fillna(0.0)

        self.model_ = model_class(
            epochs=self.epochs, batch_size=self.batch_size, enable_gpu=self.gpu
        )
        self.model_.fit(table, discrete_columns=discrete)
        self.types_ = {c: sessions[c].dtype for c in columns}
        self.discrete_, self.n_train_ = discrete, len(table)
        logger.info("%s: trained on %d sessions", self.name, len(table))
        return self

    def sample(self, n_flows: int | None = None, *, seed: int = 0) -> pd.DataFrame:
        """Draw session records, sorted by time."""
        if not hasattr(self, "model_"):
            raise NotFittedError(f"call {self.name}.fit(flows) before sample().")
        n_flows = self.n_train_ if n_flows is None else int(n_flows)
        self.model_.set_random_state(seed)
        table = self.model_.sample(n_flows)
        for column, dtype in self.types_.items():
            values = table[column]
            if column in self.discrete_ and values.dtype == object:
                values = values.replace("nan", np.nan)
            if pd.api.types.is_numeric_dtype(dtype):
                values = pd.to_numeric(values, errors="coerce")
                if column != TS:
                    values = values.clip(lower=0)
            table[column] = values
        table = table.sort_values(TS, kind="stable").reset_index(drop=True)
        return conform(table, source=self.name)


class CTGANGenerator(_DeepBaseline):
    """Conditional tabular GAN (Xu et al. 2019) via ``ctgan.CTGAN``.

    Parameters
    ----------
    epochs : int, default 300
        Training epochs (reference value).
    batch_size : int, default 500
        Rows per batch (a multiple of 10 for CTGAN's pac).
    keep_single_flows : bool, default True
        Passed to the session builder.
    gpu : bool, default False
        Train on CUDA when available.

    Examples
    --------
    >>> CTGANGenerator(epochs=5).epochs
    5
    """

    name = "CTGAN"
    _model_class = "CTGAN"


class TVAEGenerator(_DeepBaseline):
    """Tabular variational autoencoder (Xu et al. 2019) via ``ctgan.TVAE``.

    Parameters are those of :class:`CTGANGenerator`.

    Examples
    --------
    >>> TVAEGenerator(epochs=5).name
    'TVAE'
    """

    name = "TVAE"
    _model_class = "TVAE"
