"""Membership disclosure (MD): how well generated flows single out training flows.

An attacker holding generated flows flags every real flow that lies within a Hamming
radius of one of them; MD adds up the F1 score of telling training members from
non-members over 15 radii (spec 5.6). The metric is ranked by its distance to the
value of fresh real data, not by its size. Nothing here subsamples beyond the 500 rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.synth_eval.schema import (
    SESSION_SCHEMA,
    MetricSchema,
    check_mode,
    metric_frame,
)

__all__ = ["MD_ROWS", "MD_RADII", "membership_disclosure", "md_curve"]

#: Rows drawn from members, non-members and generated flows (reference value).
MD_ROWS = 500
#: Radii r = i / 14 for i = 0..14, as fractions of the columns (reference value).
MD_RADII = 15


def _hamming_to_nearest(
    probes: pd.DataFrame, generated: pd.DataFrame, columns: tuple[str, ...]
) -> np.ndarray:
    """Fewest differing columns between each probe row and any generated row."""
    both = pd.concat([probes, generated], ignore_index=True)
    n = len(probes)
    differ = np.zeros((n, len(generated)), dtype=np.int16)
    for column in columns:
        # Exact matches only: numbers and times agree only when equal (reference).
        codes = pd.factorize(both[column])[0].astype(np.int32)
        differ += np.not_equal.outer(codes[:n], codes[n:])
    return differ.min(axis=1) if len(generated) else np.full(n, len(columns))


def md_curve(
    real: pd.DataFrame,
    generated: pd.DataFrame,
    holdout: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    mode: str = "reference",
    n_rows: int = MD_ROWS,
    seed: int = 0,
) -> pd.DataFrame:
    """F1, precision and recall of the membership attack at each of the 15 radii.

    Returns
    -------
    pandas.DataFrame
        One row per radius: ``radius``, ``flagged``, ``precision``, ``recall``,
        ``f1``. ``f1`` is NaN where rows were flagged but no member was (reference
        mode) and 0 there in clean mode.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
    >>> members = pd.DataFrame({"t": [1.0, 2.0], "c": ["a", "b"]})
    >>> others = pd.DataFrame({"t": [3.0, 4.0], "c": ["x", "y"]})
    >>> curve = md_curve(members, members, others, s)
    >>> curve["f1"].round(3).tolist()[:2], float(curve["f1"].iloc[-1].round(3))
    ([1.0, 1.0], 0.667)
    """
    check_mode(mode)
    rng = np.random.default_rng(seed)
    frames = [metric_frame(t, schema) for t in (real, holdout, generated)]
    members, others, synthetic = (_draw(t, n_rows, rng) for t in frames)
    probes = pd.concat([members, others], ignore_index=True)
    nearest = _hamming_to_nearest(probes, synthetic, schema.columns)
    is_member = np.arange(len(probes)) < len(members)

    rows = []
    n_columns = len(schema.columns)
    for i in range(MD_RADII):
        # d <= i / 14 with d = differing / n_columns, compared in integers.
        flagged = nearest * (MD_RADII - 1) <= i * n_columns
        rows.append(_scores(i / (MD_RADII - 1), flagged, is_member, mode))
    return pd.DataFrame(rows)


def _draw(frame: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    take = rng.choice(len(frame), size=min(n, len(frame)), replace=False)
    return frame.iloc[np.sort(take)].reset_index(drop=True)


def _scores(radius: float, flagged: np.ndarray, is_member: np.ndarray, mode: str):
    n_flagged = int(flagged.sum())
    hits = int((flagged & is_member).sum())
    if n_flagged == 0:
        return {"radius": radius, "flagged": 0, "precision": np.nan,
                "recall": 0.0, "f1": 0.0}  # fmt: skip
    precision = hits / n_flagged
    recall = hits / int(is_member.sum())
    if hits == 0:
        f1 = np.nan if mode == "reference" else 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return {"radius": radius, "flagged": n_flagged, "precision": precision,
            "recall": recall, "f1": f1}  # fmt: skip


def membership_disclosure(
    real: pd.DataFrame,
    generated: pd.DataFrame,
    holdout: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    mode: str = "reference",
    n_rows: int = MD_ROWS,
    seed: int = 0,
) -> float:
    """MD: the sum of the attack's F1 over 15 Hamming radii, in [0, 15] (spec 5.6).

    Parameters
    ----------
    real : pandas.DataFrame
        Training flows (members).
    generated : pandas.DataFrame
        Flows of the generator under test.
    holdout : pandas.DataFrame
        Real flows the generator never saw (non-members).
    schema : MetricSchema, default SESSION_SCHEMA
        The distance counts differing values over all ``schema.columns``.
    mode : {"reference", "clean"}, default "reference"
        What a radius that flags only non-members scores: NaN for the whole value
        (reference; such runs are dropped from means) or 0 (clean).
    n_rows : int, default 500
        Rows drawn from each table.
    seed : int, default 0
        Seed of the draws.

    Returns
    -------
    float
        MD; at radius 1 every row is flagged, which adds 2/3.

    Notes
    -----
    Numeric values and times match only when exactly equal, as in the reference
    (its 50-quantile discretisation is built but never applied). A generator that
    copies training flows scores high; rank MD by its distance to the Reference row.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
    >>> members = pd.DataFrame({"t": [1.0, 2.0], "c": ["a", "b"]})
    >>> others = pd.DataFrame({"t": [3.0, 4.0], "c": ["x", "y"]})
    >>> round(membership_disclosure(members, members, others, s), 3)
    14.667
    """
    curve = md_curve(
        real, generated, holdout, schema, mode=mode, n_rows=n_rows, seed=seed
    )
    if curve["f1"].isna().any():
        return float("nan")
    return float(curve["f1"].sum())
