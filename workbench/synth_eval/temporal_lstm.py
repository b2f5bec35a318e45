"""Temporal fidelity of categorical columns: the LSTM next-value gap (slow, optional).

Per discrete column, an LSTM learns to predict the next value of the time-sorted
training sequence and is scored on a holdout sequence; the same model then keeps
training on the generated sequence and is scored again; the gap between the two
accuracies is averaged over a grid of sizes (spec 5.9). Expect minutes per column on a
CPU with the published grid; the defaults of the evaluation run do not call it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.synth_eval.schema import SESSION_SCHEMA, MetricSchema, metric_frame

__all__ = ["HIDDEN_SIZES", "WINDOWS", "lstm_gap", "lstm_gaps"]

logger = logging.getLogger(__name__)

#: Published grid: hidden units and window lengths; 7 epochs, batches of 4000.
HIDDEN_SIZES, WINDOWS, EPOCHS, BATCH = (500, 400, 300), (256, 128, 64), 7, 4000


def _sequence(frame: pd.DataFrame, schema: MetricSchema, column: str) -> np.ndarray:
    order = np.argsort(frame[schema.time].to_numpy(float), kind="stable")
    return frame[column].astype(str).to_numpy()[order]


def _windows(codes, window: int):
    import torch

    series = torch.as_tensor(codes, dtype=torch.long)
    if series.numel() <= window:
        return None, None
    inputs = series.unfold(0, window, 1)[:-1]
    return inputs, series[window:]


def _model(vocabulary: int, hidden: int):
    import torch

    class NextValue(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = torch.nn.Embedding(vocabulary, hidden)
            self.lstm = torch.nn.LSTM(hidden, hidden, num_layers=2, batch_first=True)
            self.head = torch.nn.Linear(hidden, vocabulary)

        def forward(self, x):
            out, _ = self.lstm(self.embed(x))
            return self.head(out[:, -1])

    return NextValue()


def _train(model, optimiser, inputs, targets, epochs: int, batch: int, generator):
    import torch

    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(targets), generator=generator)
        for start in range(0, len(order), batch):
            pick = order[start : start + batch]
            optimiser.zero_grad()
            loss_fn(model(inputs[pick]), targets[pick]).backward()
            optimiser.step()


def _accuracy(model, inputs, targets, batch: int) -> float:
    import torch

    model.eval()
    hits = 0
    with torch.no_grad():
        for start in range(0, len(targets), batch):
            guess = model(inputs[start : start + batch]).argmax(dim=1)
            hits += int((guess == targets[start : start + batch]).sum())
    return hits / len(targets)


def lstm_gap(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    generated: pd.DataFrame,
    column: str,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    hidden_sizes: Sequence[int] = HIDDEN_SIZES,
    windows: Sequence[int] = WINDOWS,
    epochs: int = EPOCHS,
    batch_size: int = BATCH,
    seed: int = 0,
    progress: bool = False,
) -> float:
    """Mean |accuracy after training on real - after fine-tuning on generated|.

    Parameters
    ----------
    train, holdout, generated : pandas.DataFrame
        Training flows, real flows never trained on (the test sequence), and the
        flows under test; full tables, sorted by time here.
    column : str
        A discrete column of ``schema``.
    hidden_sizes, windows : sequence of int
        The grid averaged over (published: 500/400/300 units, 256/128/64 values).
    epochs, batch_size : int
        Per training phase (published: 7 epochs, batches of 4000).
    seed : int, default 0
        Seeds torch for weights and batch order.
    progress : bool, default False
        Show a progress bar over the grid.

    Returns
    -------
    float
        In [0, 1]; lower is better. NaN when a sequence is shorter than every window.

    Notes
    -----
    The generated phase fine-tunes the real-trained model, as the reference does; a
    fresh model trained on generated data alone would measure something else.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
    >>> real = pd.DataFrame({"t": np.arange(40.0), "c": ["a", "b"] * 20})
    >>> gap = lstm_gap(real, real, real, "c", s, hidden_sizes=(4,), windows=(3,),
    ...                epochs=1)
    >>> 0.0 <= gap <= 1.0
    True
    """
    import torch

    frames = [metric_frame(t, schema) for t in (train, holdout, generated)]
    sequences = [_sequence(f, schema, column) for f in frames]
    _, codes = np.unique(np.concatenate(sequences), return_inverse=True)
    cuts = np.cumsum([len(s) for s in sequences])[:-1]
    real, test, fake = np.split(codes, cuts)
    vocabulary = int(codes.max()) + 1 if codes.size else 1
    gaps = []
    grid = [(h, w) for h in hidden_sizes for w in windows]
    for hidden, window in tqdm(grid, desc=f"LSTM {column}", disable=not progress):
        (xr, yr), (xt, yt), (xg, yg) = (_windows(c, window) for c in (real, test, fake))
        if xr is None or xt is None or xg is None:
            logger.info(
                "%s: a sequence is shorter than window %d; skipped", column, window
            )
            continue
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed)
        model = _model(vocabulary, hidden)
        optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
        _train(model, optimiser, xr, yr, epochs, batch_size, generator)
        acc_real = _accuracy(model, xt, yt, batch_size)
        _train(model, optimiser, xg, yg, epochs, batch_size, generator)
        gaps.append(abs(acc_real - _accuracy(model, xt, yt, batch_size)))
    return float(np.mean(gaps)) if gaps else float("nan")


def lstm_gaps(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    generated: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    **options,
) -> pd.Series:
    """:func:`lstm_gap` for every discrete column of ``schema``.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
    >>> real = pd.DataFrame({"t": np.arange(20.0), "c": ["a", "b"] * 10})
    >>> lstm_gaps(real, real, real, s, hidden_sizes=(4,), windows=(3,),
    ...           epochs=1).index.tolist()
    ['c']
    """
    out = {c: lstm_gap(train, holdout, generated, c, schema, **options)
           for c in schema.discrete}  # fmt: skip
    return pd.Series(out, name="LSTM gap", dtype=float)
