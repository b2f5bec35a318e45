"""The evaluation run: repeated subsamples, every metric, means, spread and ranks.

``evaluate`` scores the reference table and each generated table against the training
flows R times on subsamples of n flows (spec section 4), then once on the full tables
for the temporal metric, and ranks the generators. ``fit_generators`` trains the
generators on the training flows first. Files are written by ``report``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.errors import SchemaError
from workbench.flowchronicle.prepare import prepare_sessions
from workbench.synth_eval.density import density_coverage
from workbench.synth_eval.dkc import DKC_DIVISOR, dkc_rule_shares
from workbench.synth_eval.fidelity import (
    cmd,
    emd_ref_per_column,
    emd_w1_per_column,
    jsd_per_column,
    pcd,
)
from workbench.synth_eval.generators import make_generator
from workbench.synth_eval.privacy import membership_disclosure
from workbench.synth_eval.ranking import REFERENCE, rank_generators
from workbench.synth_eval.schema import (
    SESSION_SCHEMA,
    MetricSchema,
    check_mode,
    metric_frame,
)
from workbench.synth_eval.temporal import acf_difference

__all__ = [
    "RANKED_METRICS",
    "METRICS",
    "DEFAULT_RUNS",
    "DEFAULT_N",
    "Evaluation",
    "evaluate",
    "fit_generators",
]

logger = logging.getLogger(__name__)

#: The published table's metrics, in its column order; these are ranked.
RANKED_METRICS = ("Density", "CMD", "PCD", "EMD", "JSD", "Coverage", "DKC", "MD")
#: Every metric of a run: the ranked ones plus the textbook EMD (not ranked).
METRICS = RANKED_METRICS + ("EMD_W1",)
#: Reference values: 20 runs on 10,000-flow subsamples.
DEFAULT_RUNS, DEFAULT_N = 20, 10_000


@dataclass(frozen=True)
class Evaluation:
    """Everything one evaluation run measured.

    Attributes
    ----------
    runs : pandas.DataFrame
        Long table: ``model``, ``run``, ``metric``, ``value`` (NaN for invalid MD).
    summary : pandas.DataFrame
        Per model and metric: ``mean`` (NaN runs skipped), ``std``, ``valid``.
    means : pandas.DataFrame
        Models by metrics (Reference first).
    ranks : pandas.DataFrame
        Generators by ranked metrics plus ``mean rank``.
    per_column : pandas.DataFrame
        Mean JSD, EMD_ref and EMD_W1 per column: ``model``, ``metric``, ``column``,
        ``value``.
    dkc_rules : pandas.DataFrame
        Mean share of flows breaking each rule, models by rule numbers.
    acfd : pandas.DataFrame or None
        ACF difference x 10^5 per continuous column (full tables), models by columns.
    settings : dict
        Runs, n, mode, seed, table sizes and how the holdout was made.
    lstm : pandas.DataFrame or None
        LSTM next-value gap per discrete column (full tables), when asked for.
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    means: pd.DataFrame
    ranks: pd.DataFrame
    per_column: pd.DataFrame
    dkc_rules: pd.DataFrame
    acfd: pd.DataFrame | None
    settings: dict = field(default_factory=dict)
    lstm: pd.DataFrame | None = None


def _sessions(table: pd.DataFrame, name: str, schema: MetricSchema) -> pd.DataFrame:
    table = table.copy()
    table.attrs["source"] = name
    return metric_frame(prepare_sessions(table), schema, name=name)


def _draw(frame: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    return frame.iloc[np.sort(rng.choice(len(frame), n, replace=False))]


def _one_run(real, holdout, generated, schema, mode, seed) -> tuple[dict, dict, list]:
    """Every metric of one (real, generated) pair of subsamples."""
    density, coverage = density_coverage(real, generated, schema)
    jsd_cols = jsd_per_column(real, generated, schema)
    emd_cols = emd_ref_per_column(real, generated, schema)
    w1_cols = emd_w1_per_column(real, generated, schema)
    rules = dkc_rule_shares(generated, schema, mode=mode)
    values = {
        "Density": density,
        "CMD": cmd(real, generated, schema),
        "PCD": pcd(real, generated, schema),
        "EMD": float(emd_cols.mean()),
        "JSD": float(jsd_cols.mean()),
        "Coverage": coverage,
        "DKC": float(rules.sum() / DKC_DIVISOR),
        "MD": membership_disclosure(
            real, generated, holdout, schema, mode=mode, seed=seed
        ),
        "EMD_W1": float(w1_cols.mean()),
    }
    columns = [("JSD", jsd_cols), ("EMD", emd_cols), ("EMD_W1", w1_cols)]
    return values, rules.to_dict(), columns


def _pick_n(n: int | None, sizes: Mapping[str, int]) -> int:
    smallest = min(sizes, key=sizes.get)
    if n is None:
        return min(DEFAULT_N, sizes[smallest])
    if n > sizes[smallest]:
        message = (
            f"--n {n} is more than the {sizes[smallest]} flows of {smallest}; "
            f"subsamples are drawn without replacement, so pass n <= "
            f"{sizes[smallest]}."
        )
        raise SchemaError(message)
    return n


def evaluate(
    train: pd.DataFrame,
    reference: pd.DataFrame,
    synthetic: Mapping[str, pd.DataFrame],
    *,
    holdout: pd.DataFrame | None = None,
    runs: int = DEFAULT_RUNS,
    n: int | None = None,
    schema: MetricSchema = SESSION_SCHEMA,
    mode: str = "reference",
    temporal: bool = True,
    lstm: dict | None = None,
    seed: int = 0,
    progress: bool = True,
) -> Evaluation:
    """Score generated flow tables the way the FlowChronicle paper does.

    Parameters
    ----------
    train : pandas.DataFrame
        Flows the generators were trained on (raw NetFlow records are joined into
        sessions, as for training).
    reference : pandas.DataFrame
        Fresh real flows on the training calendar: the ``Reference`` row.
    synthetic : mapping of str to pandas.DataFrame
        Generated flows per generator name.
    holdout : pandas.DataFrame, optional
        Real non-members for MD. Default: a seeded third of ``reference``, which
        the Reference row then no longer uses (recorded in ``settings``).
    runs : int, default 20
        Repetitions on fresh subsamples.
    n : int, optional
        Flows per subsample; default 10,000 or the smallest table's size.
    schema : MetricSchema, default SESSION_SCHEMA
        The evaluated columns.
    mode : {"reference", "clean"}, default "reference"
        EMD is always given both ways; this switches MD's 0/0 case, the DKC quirks
        and the ACF's integer casting.
    temporal : bool, default True
        Also compute the ACF difference on the full tables.
    lstm : dict, optional
        Also compute the (slow) LSTM next-value gap on the full tables, with these
        options of :func:`~workbench.synth_eval.temporal_lstm.lstm_gaps` (``{}``:
        the published grid).
    seed : int, default 0
        Run r draws its subsamples with seed (seed, r).
    progress : bool, default True
        Show a progress bar over runs.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> def flows(k):
    ...     return pd.DataFrame({"ts": rng.uniform(0, 600, k), "proto": "tcp",
    ...         "id.orig_h": rng.choice(["a", "b"], k), "id.resp_h": "c",
    ...         "id.resp_p": 80, "tcp_flags": ".A....", "orig_bytes": 500.0,
    ...         "resp_bytes": rng.integers(0, 9, k) * 100.0, "orig_pkts": 3.0,
    ...         "resp_pkts": 2.0, "duration": rng.random(k)})
    >>> train = flows(60)
    >>> result = evaluate(train, flows(60), {"copy": train}, runs=2, n=30,
    ...                   progress=False)
    >>> list(result.means.index), float(result.ranks.loc["copy", "mean rank"])
    (['Reference', 'copy'], 1.0)
    """
    check_mode(mode)
    if runs < 1 or not synthetic or REFERENCE in synthetic:
        raise ValueError(
            f"need runs >= 1 and at least one generator not named {REFERENCE!r}."
        )
    real = _sessions(train, "train", schema)
    ref = _sessions(reference, REFERENCE, schema)
    holdout_made = holdout is None
    if holdout_made:
        apart = np.random.default_rng(seed).random(len(ref)) < 1 / 3
        ref, held = ref[~apart].reset_index(drop=True), ref[apart]
    else:
        held = _sessions(holdout, "holdout", schema)
    models = {REFERENCE: ref} | {
        name: _sessions(t, name, schema) for name, t in synthetic.items()
    }
    sizes = {"train": len(real)} | {k: len(v) for k, v in models.items()}
    n = _pick_n(n, sizes)
    sizes["holdout"] = len(held)

    records, rule_rows, column_rows = [], [], []
    for r in tqdm(range(runs), desc="evaluation runs", disable=not progress):
        rng = np.random.default_rng([seed, r])
        real_s = _draw(real, n, rng)
        held_s = _draw(held, min(n, len(held)), rng)
        for name, table in models.items():
            values, rules, columns = _one_run(
                real_s, held_s, _draw(table, n, rng), schema, mode, seed + r
            )
            records += [(name, r, m, v) for m, v in values.items()]
            rule_rows.append({"model": name, **rules})
            column_rows += [
                (name, metric, col, val)
                for metric, series in columns
                for col, val in series.items()
            ]
    result = _collect(
        records, rule_rows, column_rows, real, models, schema, mode, temporal,
        dict(runs=runs, n=n, mode=mode, seed=seed, sizes=sizes,
             holdout="a third of the reference" if holdout_made else "given"),
    )  # fmt: skip
    if lstm is None:
        return result
    from workbench.synth_eval.temporal_lstm import lstm_gaps

    gaps = {
        name: lstm_gaps(real, held, table, schema, seed=seed, **lstm)
        for name, table in models.items()
    }
    table = pd.DataFrame(gaps).T.rename(columns=schema.label)
    return replace(result, lstm=table)


def _collect(records, rule_rows, column_rows, real, models, schema, mode, temporal,
             settings) -> Evaluation:  # fmt: skip
    order = list(models)
    runs = pd.DataFrame(records, columns=["model", "run", "metric", "value"])
    grouped = runs.groupby(["model", "metric"], sort=False)["value"]
    summary = pd.DataFrame(
        {"mean": grouped.mean(), "std": grouped.std(), "valid": grouped.count()}
    )
    means = summary["mean"].unstack("metric").reindex(index=order, columns=METRICS)
    ranks = rank_generators(means[list(RANKED_METRICS)])
    per_column = (
        pd.DataFrame(column_rows, columns=["model", "metric", "column", "value"])
        .groupby(["model", "metric", "column"], sort=False)["value"]
        .mean()
        .reset_index()
    )
    dkc_rules = pd.DataFrame(rule_rows).groupby("model", sort=False).mean()
    acfd = None
    if temporal:
        acfd = pd.DataFrame(
            {
                name: acf_difference(real, table, schema, mode=mode) * 1e5
                for name, table in models.items()
            }
        ).T.rename(columns=schema.label)
    return Evaluation(
        runs, summary, means, ranks, per_column, dkc_rules.loc[order], acfd, settings
    )


def fit_generators(
    train: pd.DataFrame,
    names: Sequence[str] = ("flowchronicle", "independent-bn", "sequence-bn"),
    *,
    options: Mapping[str, dict] | None = None,
    n_flows: int | None = None,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, pd.DataFrame]:
    """Fit each named generator on ``train`` and sample from it.

    Parameters
    ----------
    train : pandas.DataFrame
        Canonical training flows.
    names : sequence of str
        Command-line names (see ``generators.GENERATOR_NAMES``).
    options : mapping, optional
        Keyword options per name, e.g. ``{"flowchronicle": {"max_iterations": 20}}``.
    n_flows : int, optional
        Flows per generator; default about as many as in training.
    seed : int, default 0
        Sampling seed.
    progress : bool, default True
        Show a progress bar over generators.

    Returns
    -------
    dict
        Display name (``FlowChronicle``, ``IndependentBN``, ...) to generated flows.
    """
    options = options or {}
    out = {}
    for name in tqdm(names, desc="fitting generators", disable=not progress):
        generator = make_generator(name, **options.get(name, {}))
        logger.info("fitting %s on %d flows", generator.name, len(train))
        out[generator.name] = generator.fit(train).sample(n_flows, seed=seed)
    return out
