"""The arithmetic toy data set of the ae-pvalues demo, where the right answer is known.

Four fair bits X1..X4 and two derived features X5 = (X2 - X1)/2 + 1/2 and
X6 = (X3 + X4)/2 (spec section 7). The module only generates data and names the
settings of the teaching case; it trains and noises nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.autoencoder import AutoencoderDetector
from workbench.explain_bench.groups import feature_targets

__all__ = [
    "TOY_FEATURES",
    "TOY_CORRELATED",
    "TOY_SPLIT",
    "TOY_HIDDEN",
    "TOY_BCE_FLOOR",
    "ToyData",
    "make_toy",
    "toy_targets",
    "toy_autoencoder",
]

#: Feature names of the toy set.
TOY_FEATURES = ("X1", "X2", "X3", "X4", "X5", "X6")
#: Analytic accepted sets at cut-off 0.7: |rho| = 1/sqrt(2) between each bit and the
#: derived feature it enters, 0 elsewhere (spec section 7.5).
TOY_CORRELATED = {
    0: {0, 4},
    1: {1, 4},
    2: {2, 5},
    3: {3, 5},
    4: {0, 1, 4},
    5: {2, 3, 5},
}
#: Shares of train, validation and test rows, in row order (33,333 / 16,667 / 50,000
#: of 100,000).
TOY_SPLIT = (1 / 3, 1 / 6, 1 / 2)


@dataclass(frozen=True, eq=False)
class ToyData:
    """Toy rows split in row order.

    Attributes
    ----------
    train : ndarray of shape (n_train, 6)
        Training and validation rows (the autoencoder splits off its validation).
    test : ndarray of shape (n_test, 6)
        Rows to noise and explain.
    feature_names : list of str
        ``X1`` .. ``X6``.
    """

    train: np.ndarray
    test: np.ndarray
    feature_names: list[str]


def make_toy(n_rows: int = 100_000, *, seed: int = 0) -> ToyData:
    """Draw the toy set; the first half trains (and validates), the second half tests.

    Examples
    --------
    >>> toy = make_toy(8, seed=1)
    >>> toy.train.shape, toy.test.shape
    ((4, 6), (4, 6))
    >>> bool(np.all(toy.train[:, 5] == (toy.train[:, 2] + toy.train[:, 3]) / 2))
    True
    """
    if n_rows < 4:
        raise ValueError(f"n_rows must be at least 4, got {n_rows}")
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=(n_rows, 4)).astype(np.float64)
    x5 = (bits[:, 1] - bits[:, 0]) / 2.0 + 0.5
    x6 = (bits[:, 2] + bits[:, 3]) / 2.0
    rows = np.column_stack([bits, x5, x6])

    n_test = round(TOY_SPLIT[2] * n_rows)
    return ToyData(rows[:-n_test], rows[-n_test:], list(TOY_FEATURES))


def toy_targets() -> dict[str, np.ndarray]:
    """Injection targets of the toy set: each of the four bits alone.

    Examples
    --------
    >>> list(toy_targets())
    ['X1', 'X2', 'X3', 'X4']
    """
    return feature_targets(TOY_FEATURES, range(4))


#: Encoder widths of the demo's autoencoder (6-4-2-4-6).
TOY_HIDDEN = (4, 2)
#: Smallest mean binary cross-entropy on the toy set: ln 2 on X5 and X6 when they
#: equal 1/2 (half of the rows each), 0 elsewhere, averaged over 6 features.
TOY_BCE_FLOOR = float(np.log(2.0) / 6.0)


def toy_autoencoder(
    *,
    hidden: tuple[int, ...] = TOY_HIDDEN,
    epochs: int = 200,
    seed: int = 1234,
    progress: bool = True,
) -> AutoencoderDetector:
    """An untrained autoencoder with the demo's widths and training settings.

    Sigmoid output and binary cross-entropy, Adam at 1e-3, batch 128, ``epochs``
    epochs (early stopping, patience 5), a third of the training rows for validation
    (16,667 of 50,000).

    Notes
    -----
    The demo's hidden layers use LeakyReLU and a sigmoid latent; ``AutoencoderDetector``
    builds ReLU layers, so the network has the demo's widths, not its activations.
    The lowest reachable validation loss is :data:`TOY_BCE_FLOOR` (X5 and X6 equal
    1/2 half of the time); with ReLU the 4-2 network stays well above it (0.43 in our
    runs) while 8-4 and 16-8-4 get close. Which method wins on the toy set depends on
    how well the network learnt the bits, so reports give the widths and the loss.

    Examples
    --------
    >>> toy_autoencoder(epochs=5).get_params()["hidden"]
    [4, 2]
    """
    return AutoencoderDetector(
        hidden=tuple(hidden),
        score="bce",
        lr=1e-3,
        batch_size=128,
        max_epochs=epochs,
        patience=5,
        validation_fraction=TOY_SPLIT[1] / (TOY_SPLIT[0] + TOY_SPLIT[1]),
        seed=seed,
        progress=progress,
    )
