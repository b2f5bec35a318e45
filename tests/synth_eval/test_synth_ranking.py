"""Tests for generator ranks: ties, directions, MD to the reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.errors import SchemaError
from workbench.synth_eval.ranking import rank_generators


def test_rank_ties_share_the_lower_rank():
    """Two equal best means both rank 1, the next ranks 3."""
    means = pd.DataFrame({"JSD": [0.2, 0.1, 0.1]}, index=["A", "B", "C"])

    ranks = rank_generators(means)

    assert ranks["JSD"].tolist() == [3.0, 1.0, 1.0]


def test_rank_density_and_coverage_higher_is_better():
    """Density and Coverage rank the largest value first."""
    means = pd.DataFrame(
        {"Density": [0.2, 0.9], "Coverage": [0.5, 0.4], "CMD": [0.5, 0.4]},
        index=["A", "B"],
    )

    ranks = rank_generators(means)

    assert ranks.loc["B", ["Density", "Coverage", "CMD"]].tolist() == [1.0, 2.0, 1.0]


def test_rank_md_by_distance_to_reference_row():
    """MD 6.0 beats 9.0 when the Reference row holds 6.5; Reference is unranked."""
    means = pd.DataFrame({"MD": [9.0, 6.0, 6.5]}, index=["A", "B", "Reference"])

    ranks = rank_generators(means)

    assert ranks["MD"].to_dict() == {"A": 2.0, "B": 1.0}


def test_rank_mean_rank_skips_nan_metrics():
    """A metric without a value does not count in the mean rank."""
    means = pd.DataFrame({"JSD": [0.1, 0.2], "CMD": [np.nan, 0.3]}, index=["A", "B"])

    ranks = rank_generators(means)

    assert ranks["mean rank"].tolist() == [1.0, 1.5]


def test_rank_md_without_reference_raises():
    """MD cannot be ranked without fresh real data."""
    means = pd.DataFrame({"MD": [5.0, 6.0]}, index=["A", "B"])

    with pytest.raises(SchemaError, match="Reference"):
        rank_generators(means)
