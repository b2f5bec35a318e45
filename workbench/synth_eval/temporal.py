"""Temporal fidelity of numeric columns: the autocorrelation difference (ACFD).

Per continuous column, the per-second sums of real and generated flows are compared by
their sample autocorrelations over all lags, on the lags where the real one is
significant (95 % Bartlett band), as spec 5.8 defines; the tables show ACFD x 10^5.
The full tables are used, once; categorical columns are ``temporal_lstm``'s.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy.fft import irfft, next_fast_len, rfft
from scipy.stats import norm

from workbench.synth_eval.schema import (
    SESSION_SCHEMA,
    MetricSchema,
    check_mode,
    metric_frame,
)

__all__ = ["ACFD_SCALE", "acf_with_band", "per_second_sums", "acf_difference"]

logger = logging.getLogger(__name__)

#: Published tables show the ACF difference multiplied by this.
ACFD_SCALE = 1e5


def acf_with_band(
    series: np.ndarray, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample autocorrelation at every lag with Bartlett's confidence band.

    The same numbers as ``statsmodels.tsa.stattools.acf(x, nlags=len(x) - 1,
    alpha=alpha, fft=True, bartlett_confint=True)``, computed by FFT.

    Returns
    -------
    tuple of numpy.ndarray
        ``(rho, lower, upper)``, each of length ``len(series)``; all NaN for a constant
        series.

    Examples
    --------
    >>> rho, low, high = acf_with_band(np.array([1.0, -1.0, 1.0, -1.0]))
    >>> rho.tolist(), float(low[0]), float(high[0])
    ([1.0, -0.75, 0.5, -0.25], 1.0, 1.0)
    """
    x = np.asarray(series, dtype=float)
    n = x.size
    centred = x - x.mean()
    size = next_fast_len(2 * n - 1, real=True)
    spectrum = rfft(centred, size)
    acov = irfft(spectrum * np.conj(spectrum), size)[:n] / n
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = acov / acov[0]
    variance = np.full(n, 1.0 / n)
    variance[0] = 0.0
    if n > 2:
        variance[2:] *= 1.0 + 2.0 * np.cumsum(rho[1:-1] ** 2)
    half_width = norm.ppf(1.0 - alpha / 2.0) * np.sqrt(variance)
    return rho, rho - half_width, rho + half_width


def per_second_sums(
    times: np.ndarray, values: np.ndarray, first: int, last: int
) -> np.ndarray:
    """Sum of ``values`` per whole second from ``first`` to ``last`` (empty ones 0).

    Examples
    --------
    >>> per_second_sums(np.array([0.2, 0.7, 2.5]), np.array([1.0, 2.0, 5.0]), 0, 3)
    array([3., 0., 5., 0.])
    """
    seconds = np.floor(times).astype(np.int64)
    keep = (seconds >= first) & (seconds <= last)
    return np.bincount(
        seconds[keep] - first, weights=values[keep], minlength=last - first + 1
    ).astype(float)


def _column_acfd(
    real_t, real_v, gen_t, gen_v, first: int, last: int, alpha: float
) -> float:
    rho_r, low, high = acf_with_band(
        per_second_sums(real_t, real_v, first, last), alpha
    )
    rho_g, _, _ = acf_with_band(per_second_sums(gen_t, gen_v, first, last), alpha)
    with np.errstate(invalid="ignore"):
        significant = low * high >= 0
    gap = np.abs(rho_r - np.nan_to_num(rho_g, nan=0.0))
    return float(gap[significant].sum() / rho_r.size)


def acf_difference(
    real: pd.DataFrame,
    generated: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    mode: str = "reference",
    alpha: float = 0.05,
) -> pd.Series:
    """ACF difference of each continuous column (spec 5.8); lower is better.

    Parameters
    ----------
    real : pandas.DataFrame
        Training flows, the whole table.
    generated : pandas.DataFrame
        Flows to compare (a generator's output or fresh real data), whole.
    schema : MetricSchema, default SESSION_SCHEMA
        Time and continuous columns.
    mode : {"reference", "clean"}, default "reference"
        ``"reference"`` truncates the compared table's values to integers before
        summing, as the published code does; ``"clean"`` keeps them.
    alpha : float, default 0.05
        Level of the band that selects the significant real lags.

    Returns
    -------
    pandas.Series
        ACFD per continuous column (multiply by :data:`ACFD_SCALE` for the tables);
        NaN when the two tables share no second.

    Notes
    -----
    Only the seconds both tables span are kept, so generated times must lie on the
    real table's calendar. Lags run up to the number of kept seconds minus one.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())
    >>> r = pd.DataFrame({"t": np.arange(200.0), "x": np.sin(np.arange(200) / 5)})
    >>> float(acf_difference(r, r, s, mode="clean")["x"])
    0.0
    """
    check_mode(mode)
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    real_t = real[schema.time].to_numpy(float)
    gen_t = generated[schema.time].to_numpy(float)
    first = int(np.floor(max(real_t.min(), gen_t.min())))
    last = int(np.floor(min(real_t.max(), gen_t.max())))
    out = {}
    for column in schema.continuous:
        if last < first:
            logger.warning("the two tables share no second; ACFD of %s is NaN", column)
            out[column] = np.nan
            continue
        gen_v = generated[column].to_numpy(float)
        if mode == "reference":
            gen_v = np.trunc(gen_v)
        out[column] = _column_acfd(
            real_t, real[column].to_numpy(float), gen_t, gen_v, first, last, alpha
        )
    return pd.Series(out, name="ACFD", dtype=float)
