"""Tests for membership disclosure (MD) on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.synth_eval.synth_helpers import random_sessions
from workbench.synth_eval.privacy import md_curve, membership_disclosure
from workbench.synth_eval.schema import MetricSchema

LABELS = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())


def test_md_copied_members_score_14_radii_plus_two_thirds():
    """Generated = members: F1 is 1 below radius 1 and 2/3 at radius 1."""
    members = pd.DataFrame({"t": [1.0, 2.0, 3.0], "c": ["a", "b", "c"]})
    others = pd.DataFrame({"t": [4.0, 5.0, 6.0], "c": ["x", "y", "z"]})

    value = membership_disclosure(members, members, others, LABELS)

    assert value == pytest.approx(14 + 2 / 3)


def test_md_copied_non_members_nan_in_reference_mode_two_thirds_clean():
    """Flagging only non-members is 0/0: NaN (reference) or 0 (clean) per radius."""
    members = pd.DataFrame({"t": [1.0, 2.0], "c": ["a", "b"]})
    others = pd.DataFrame({"t": [4.0, 5.0], "c": ["x", "y"]})

    reference = membership_disclosure(members, others, others, LABELS)
    clean = membership_disclosure(members, others, others, LABELS, mode="clean")

    assert np.isnan(reference)
    assert clean == pytest.approx(2 / 3)


def test_md_curve_radius_counts_differing_columns():
    """A member differing in 1 of 2 columns is flagged from radius 7/14 on."""
    members = pd.DataFrame({"t": [1.0], "c": ["a"]})
    others = pd.DataFrame({"t": [9.0], "c": ["z"]})
    generated = pd.DataFrame({"t": [1.0], "c": ["b"]})

    curve = md_curve(members, generated, others, LABELS)

    assert curve["flagged"].tolist() == [0] * 7 + [1] * 7 + [2]
    assert curve["f1"].tolist()[:8] == [0.0] * 7 + [1.0]


def test_md_draws_at_most_500_rows_each_and_is_seeded():
    """Large tables are subsampled to 500 rows; equal seeds give equal values."""
    real, holdout = random_sessions(700, seed=1), random_sessions(700, seed=2)
    generated = pd.concat([real.iloc[:300], random_sessions(400, seed=3)])

    first = membership_disclosure(real, generated, holdout, seed=5, mode="clean")
    again = membership_disclosure(real, generated, holdout, seed=5, mode="clean")
    curve = md_curve(real, generated, holdout, seed=5)

    assert first == again
    assert curve["flagged"].iloc[-1] == 1000
    assert 2 / 3 < first < 15
