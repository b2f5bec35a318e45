"""The published CIDDS-001 numbers of the FlowChronicle paper, for side-by-side tables.

Means of 20 runs on 10,000-flow subsamples (CoNEXT 2024, Table of Section 7.3, from the
reference repository's ``results/independent_evaluation.csv``) and the temporal ACF
difference x 10^5 of Section 7.4. Values are copied as published (three decimals);
nothing here is measured.
"""

from __future__ import annotations

import pandas as pd

from workbench.synth_eval.ranking import REFERENCE, rank_generators

__all__ = ["PAPER_METRICS", "paper_means", "paper_ranks", "paper_acfd"]

#: Column order of the published table (EMD is EMD_ref).
PAPER_METRICS = ("Density", "CMD", "PCD", "EMD", "JSD", "Coverage", "DKC", "MD")

_MEANS = {
    REFERENCE: (0.688, 0.055, 1.376, 0.000, 0.151, 0.587, 0.001, 6.709),
    "IndependentBN": (0.238, 0.224, 2.739, 0.108, 0.267, 0.377, 0.055, 5.466),
    "SequenceBN": (0.296, 0.133, 2.183, 0.076, 0.209, 0.441, 0.020, 5.509),
    "TVAE": (0.492, 0.184, 1.837, 0.010, 0.297, 0.330, 0.067, 5.172),
    "CTGAN": (0.564, 0.148, 1.601, 0.010, 0.148, 0.508, 0.107, 5.696),
    "E-WGAN-GP": (0.018, 0.342, 3.633, 0.018, 0.382, 0.023, 0.070, 4.655),
    "NetShare": (0.323, 0.285, 1.468, 0.031, 0.357, 0.219, 0.055, 3.816),
    "Transformer": (0.624, 0.776, 3.624, 0.001, 0.553, 0.028, 0.045, 3.750),
    "FlowChronicle": (0.410, 0.035, 2.060, 0.018, 0.097, 0.589, 0.019, 5.874),
}

_RANKS = {
    "IndependentBN": (7, 5, 6, 8, 4, 4, 4, 4, 5.250),
    "SequenceBN": (6, 2, 5, 7, 3, 3, 2, 3, 3.875),
    "TVAE": (3, 4, 3, 2, 5, 5, 6, 5, 4.125),
    "CTGAN": (2, 3, 2, 3, 2, 2, 8, 2, 3.000),
    "E-WGAN-GP": (8, 7, 8, 5, 7, 8, 7, 6, 7.000),
    "NetShare": (5, 6, 1, 6, 6, 6, 5, 7, 5.250),
    "Transformer": (1, 8, 7, 1, 8, 7, 3, 8, 5.375),
    "FlowChronicle": (4, 1, 4, 4, 1, 1, 1, 1, 2.125),
}

_ACFD = {
    "Test week (real)": (4.72, 3.89, 5.33, 5.59, 5.19),
    "IndependentBN": (19.7, 10.3, 17.4, 21.1, 34.6),
    "SequenceBN": (12.8, 9.57, 14.8, 16.2, 26.3),
    "TVAE": (15.4, 29.5, 41.1, 40.2, 62.7),
    "CTGAN": (21.3, 22.3, 45.5, 49.4, 46.8),
    "E-WGAN-GP": (4.87, 3.90, 5.70, 5.89, 7.08),
    "NetShare": (6.27, 5.23, 7.37, 7.55, 8.07),
    "Transformer": (4.73, 3.86, 5.30, 5.55, 5.27),
    "FlowChronicle": (4.41, 3.63, 5.04, 5.34, 5.11),
}


def paper_means(models: list[str] | None = None) -> pd.DataFrame:
    """Published means, Reference row first; ``models`` keeps only those rows.

    Examples
    --------
    >>> float(paper_means(["FlowChronicle"]).loc["FlowChronicle", "JSD"])
    0.097
    """
    table = pd.DataFrame.from_dict(_MEANS, orient="index", columns=list(PAPER_METRICS))
    return (
        table if models is None else table.loc[[m for m in models if m in table.index]]
    )


def paper_ranks(models: list[str] | None = None) -> pd.DataFrame:
    """Published ranks among all eight generators, or re-ranked among ``models``.

    Examples
    --------
    >>> paper_ranks()["mean rank"].idxmin()
    'FlowChronicle'
    >>> paper_ranks(["FlowChronicle", "SequenceBN"]).loc["SequenceBN", "JSD"]
    np.float64(2.0)
    """
    if models is None:
        columns = [*PAPER_METRICS, "mean rank"]
        return pd.DataFrame.from_dict(_RANKS, orient="index", columns=columns)
    # Ranks among a subset come from the published means (ties may differ slightly:
    # the paper ranked unrounded values).
    return rank_generators(paper_means([REFERENCE, *models]))


def paper_acfd() -> pd.DataFrame:
    """Published ACF difference x 10^5 per continuous column.

    Examples
    --------
    >>> paper_acfd().loc["FlowChronicle", "Duration"]
    np.float64(5.11)
    """
    columns = ["In Byte", "Out Byte", "In Packet", "Out Packet", "Duration"]
    return pd.DataFrame.from_dict(_ACFD, orient="index", columns=columns)
