"""Benchmark jobs from data to scores: the toy set, or benign flows split in two.

Each job draws or reads the data, trains the autoencoder on benign training rows and
calls :func:`~workbench.explain_bench.run.run_benchmark`. What the CLI and the notebook
share lives here; writing files is ``workbench.explain_bench.report``'s job.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.autoencoder import AutoencoderDetector
from workbench.detection_run import benign_rows
from workbench.errors import SchemaError
from workbench.explain_bench.groups import (
    FLOW_GROUPS,
    FeatureGroup,
    feature_targets,
    group_targets,
)
from workbench.explain_bench.injection import KINDS, SCALE_FACTORS, NoiseInjector
from workbench.explain_bench.result import BenchResult
from workbench.explain_bench.run import run_benchmark
from workbench.explain_bench.toy import (
    TOY_HIDDEN,
    make_toy,
    toy_autoencoder,
    toy_targets,
)
from workbench.features import FlowEncoder
from workbench.io import read_flows

__all__ = ["FlowData", "prepare_flows", "toy_benchmark", "flow_benchmark", "TARGETS"]

logger = logging.getLogger(__name__)

#: What a flow benchmark injects into: feature groups, or single encoded features.
TARGETS = ("groups", "features")


@dataclass(frozen=True, eq=False)
class FlowData:
    """Benign flows split into encoded training and test matrices.

    Attributes
    ----------
    encoder : FlowEncoder
        Fitted on the training flows.
    train, test : ndarray
        Encoded benign training and held-out rows (float64).
    feature_names : list of str
        Encoded column names.
    targets : dict of str to ndarray
        Injection targets (groups or single features).
    summary : dict
        Rows read, benign rows used, and the split sizes.
    """

    encoder: FlowEncoder
    train: np.ndarray
    test: np.ndarray
    feature_names: list[str]
    targets: dict[str, np.ndarray]
    summary: dict[str, int]


def prepare_flows(
    flows: pd.DataFrame,
    *,
    test_fraction: float = 0.4,
    max_benign: int | None = None,
    targets: str = "groups",
    groups: Sequence[FeatureGroup] = FLOW_GROUPS,
    seed: int = 0,
) -> FlowData:
    """Keep the benign flows, split them at random, and encode both parts.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table (``workbench.io.read_flows``); malicious rows are left
        out, an unlabelled table counts as benign.
    test_fraction : float, default 0.4
        Share of the benign rows held out to be noised.
    max_benign : int, optional
        Use at most this many benign rows (a seeded sample), to bound run time.
    targets : {"groups", "features"}, default "groups"
        Inject into feature groups or into single encoded features.
    groups : sequence of FeatureGroup, default ``FLOW_GROUPS``
        The groups, when ``targets="groups"``.
    seed : int, default 0
        Seeds the sample and the split.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction!r}")
    if targets not in TARGETS:
        raise ValueError(f"targets must be one of {TARGETS}, got {targets!r}")
    benign, summary = benign_rows(flows)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(benign))[:max_benign]
    n_test = round(test_fraction * order.size)
    if n_test < 2 or order.size - n_test < 10:
        message = (
            f"{flows.attrs.get('source', 'flow table')}: {order.size} benign flows "
            "are too few to split into training and test rows; give more benign flows"
        )
        raise SchemaError(message)

    train_flows = benign.iloc[np.sort(order[n_test:])]
    test_flows = benign.iloc[np.sort(order[:n_test])]
    encoder = FlowEncoder().fit(train_flows)
    names = list(encoder.feature_names_)
    chosen = (
        group_targets(encoder.feature_fields_, groups)
        if targets == "groups"
        else feature_targets(names)
    )
    summary = {**summary, "train_rows": len(train_flows), "test_rows": n_test}
    return FlowData(
        encoder,
        encoder.transform(train_flows).astype(np.float64),
        encoder.transform(test_flows).astype(np.float64),
        names,
        chosen,
        summary,
    )


def toy_benchmark(
    *,
    n_rows: int = 100_000,
    hidden: Sequence[int] = TOY_HIDDEN,
    epochs: int = 200,
    model_seed: int = 1234,
    rate: float = 0.01,
    progress: bool = True,
    **options: Any,
) -> BenchResult:
    """Run the benchmark on the toy set: flip one of X1..X4 in ``rate`` of test rows.

    ``options`` go to :func:`~workbench.explain_bench.run.run_benchmark` (seeds,
    methods, shap, cutoffs, fpr, max_k, reference, tiebreak_fit).
    """
    toy = make_toy(n_rows, seed=model_seed)
    detector = toy_autoencoder(
        hidden=tuple(hidden), epochs=epochs, seed=model_seed, progress=progress
    )
    detector.fit(toy.train.astype(np.float32))

    injector = NoiseInjector(rate=rate, kinds=("flip",))
    result = run_benchmark(
        detector,
        toy.train,
        toy.test,
        toy_targets(),
        feature_names=toy.feature_names,
        injector=injector,
        **options,
    )
    result.settings.update(
        data="toy",
        rows=n_rows,
        hidden=list(detector.hidden),
        epochs=len(detector.history_),
        max_epochs=epochs,
        final_val_loss=detector.history_[-1]["val_loss"],
    )
    return result


def flow_benchmark(
    data: pd.DataFrame | Sequence[str | Path],
    *,
    test_fraction: float = 0.4,
    max_benign: int | None = None,
    targets: str = "groups",
    groups: Sequence[FeatureGroup] = FLOW_GROUPS,
    hidden: Sequence[int] = (64, 32, 16),
    epochs: int = 100,
    model_seed: int = 0,
    rate: float = 1.0,
    kinds: Sequence[str] = KINDS,
    factors: Sequence[float] = SCALE_FACTORS,
    progress: bool = True,
    **options: Any,
) -> BenchResult:
    """Run the benchmark on flows: train on benign rows, noise held-out benign rows.

    ``data`` is a flow table or paths for :func:`workbench.io.read_flows`. With the
    default ``rate=1.0`` every held-out row gets one injection: rows are explained
    independently, so the rate only sets the sample size (unless
    ``tiebreak_fit="batch"``). ``options`` go to
    :func:`~workbench.explain_bench.run.run_benchmark`.
    """
    flows = (
        data if isinstance(data, pd.DataFrame) else read_flows(data, progress=progress)
    )
    prepared = prepare_flows(
        flows,
        test_fraction=test_fraction,
        max_benign=max_benign,
        targets=targets,
        groups=groups,
        seed=model_seed,
    )
    detector = AutoencoderDetector(
        max_epochs=epochs, seed=model_seed, progress=progress
    )
    detector.fit(prepared.train.astype(np.float32))

    injector = NoiseInjector(rate=rate, kinds=kinds, factors=factors)
    result = run_benchmark(
        detector,
        prepared.train,
        prepared.test,
        prepared.targets,
        feature_names=prepared.feature_names,
        injector=injector,
        **options,
    )
    source = flows.attrs.get("source", "flow table")
    result.settings.update(
        data=str(source),
        **prepared.summary,
        hidden=list(detector.hidden),
        epochs=len(detector.history_),
        max_epochs=epochs,
        final_val_loss=detector.history_[-1]["val_loss"],
        target_kind=targets,
    )
    return result
