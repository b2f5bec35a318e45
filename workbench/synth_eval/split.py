"""Cut one capture in time into training flows, a reference and a holdout.

The published protocol has separate weeks: train on one, score the next week (shifted
onto the training calendar) as the Reference row, and use another week as non-members
for MD. With a single capture, the first part of its time range trains, the rest is
shifted back by whole days onto the training days and split at random into reference
and holdout. Nothing here reads files or builds sessions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import SchemaError
from workbench.schema import TS

__all__ = ["DAY", "TimeSplit", "split_by_time", "shift_onto"]

logger = logging.getLogger(__name__)

#: Seconds per day; shifts keep the time of day.
DAY = 86_400.0


@dataclass(frozen=True)
class TimeSplit:
    """The three parts of a time split and how they were made.

    Attributes
    ----------
    train, reference, holdout : pandas.DataFrame
        Flows before the cut; the rest, shifted, minus the holdout; the holdout.
    cut : float
        Epoch seconds of the cut (a midnight, UTC).
    shift_days : int
        Days subtracted from the times of the later part.
    """

    train: pd.DataFrame
    reference: pd.DataFrame
    holdout: pd.DataFrame
    cut: float
    shift_days: int


def shift_onto(flows: pd.DataFrame, days: int) -> pd.DataFrame:
    """A copy of ``flows`` with start times moved ``days`` days earlier.

    Examples
    --------
    >>> shift_onto(pd.DataFrame({"ts": [2 * 86400.0 + 5]}), 2)["ts"].tolist()
    [5.0]
    """
    return flows.assign(**{TS: flows[TS].to_numpy(dtype=float) - days * DAY})


def split_by_time(
    flows: pd.DataFrame,
    *,
    train_share: float = 0.5,
    holdout_share: float = 1 / 3,
    seed: int = 0,
) -> TimeSplit:
    """Cut ``flows`` at the midnight nearest ``train_share`` of its time range.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table (raw records or sessions).
    train_share : float, default 0.5
        Where to cut the time range, before rounding to a whole day.
    holdout_share : float, default 1/3
        Share of the later flows kept apart as non-members for MD.
    seed : int, default 0
        Seed of the holdout draw.

    Returns
    -------
    TimeSplit

    Raises
    ------
    SchemaError
        If the range covers less than two days or a part would be empty.

    Examples
    --------
    >>> times = np.arange(0.0, 4 * 86400.0, 3600.0)
    >>> parts = split_by_time(pd.DataFrame({"ts": times}), holdout_share=0.25)
    >>> parts.shift_days, len(parts.train), len(parts.reference), len(parts.holdout)
    (2, 48, 39, 9)
    >>> float(parts.reference["ts"].min()) >= 0.0
    True
    """
    source = str(flows.attrs.get("source", "the flow table"))
    if not 0 < train_share < 1 or not 0 <= holdout_share < 1:
        raise ValueError("train_share must lie in (0, 1) and holdout_share in [0, 1).")
    times = flows[TS].to_numpy(dtype=float)
    first_day = np.floor(times.min() / DAY) * DAY
    cut = np.round((times.min() + train_share * np.ptp(times)) / DAY) * DAY
    later = times >= cut
    if cut <= first_day or later.all() or not later.any():
        message = (
            f"{source}: its flows span {np.ptp(times) / DAY:.1f} days; a time split "
            "needs at least two days. Pass separate training and reference files."
        )
        raise SchemaError(message)
    days = int(round((cut - first_day) / DAY))
    rest = shift_onto(flows[later], days).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    apart = rng.random(len(rest)) < holdout_share
    logger.info(
        "%s: %d training flows before %s, %d reference and %d holdout flows after, "
        "shifted back %d days",
        source,
        int((~later).sum()),
        pd.Timestamp(cut, unit="s").date(),
        int((~apart).sum()),
        int(apart.sum()),
        days,
    )
    return TimeSplit(
        flows[~later].reset_index(drop=True),
        rest[~apart].reset_index(drop=True),
        rest[apart].reset_index(drop=True),
        float(cut),
        days,
    )
