"""Tests for the evaluation run and its report files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.synth_eval.synth_helpers import random_sessions
from workbench.errors import SchemaError
from workbench.synth_eval.report import markdown_table, write_report
from workbench.synth_eval.run import METRICS, RANKED_METRICS, evaluate


@pytest.fixture(scope="module")
def evaluation():
    """Train, a fresh reference, a copy of train and a shuffled-column generator."""
    train = random_sessions(300, seed=1)
    reference = random_sessions(300, seed=2)
    broken = train.copy()
    broken["orig_bytes"] = np.random.default_rng(0).permutation(broken["orig_bytes"])
    broken["id.resp_p"] = 9999
    synthetic = {"copy": train, "broken": broken}
    return evaluate(train, reference, synthetic, runs=3, n=150, progress=False)


def test_evaluate_tables_have_every_model_and_metric(evaluation):
    """Reference first, one mean per metric, three valid runs of each."""
    means, summary = evaluation.means, evaluation.summary

    assert list(means.index) == ["Reference", "copy", "broken"]
    assert list(means.columns) == list(METRICS)
    assert summary.loc[("copy", "JSD"), "valid"] == 3
    assert list(evaluation.ranks.columns) == [*RANKED_METRICS, "mean rank"]
    assert evaluation.settings["n"] == 150


def test_evaluate_copy_of_training_outranks_broken_generator(evaluation):
    """A generator that replays training data ranks first on the mean rank."""
    ranks = evaluation.ranks

    assert ranks.loc["copy", "mean rank"] < ranks.loc["broken", "mean rank"]
    assert evaluation.means.loc["broken", "DKC"] > evaluation.means.loc["copy", "DKC"]


def test_evaluate_per_column_and_rules_tables(evaluation):
    """Per-column JSD covers the five discrete columns; 21 rule shares per model."""
    per_column = evaluation.per_column

    jsd_columns = per_column.loc[per_column["metric"] == "JSD", "column"].unique()
    assert set(jsd_columns) == {
        "proto",
        "id.orig_h",
        "id.resp_h",
        "id.resp_p",
        "tcp_flags",
    }
    assert evaluation.dkc_rules.shape == (3, 21)
    assert list(evaluation.acfd.columns)[0] == "In Byte"


def test_evaluate_n_above_smallest_table_raises():
    """Subsamples are drawn without replacement: n is capped by the smallest table."""
    train = random_sessions(100, seed=3)

    with pytest.raises(SchemaError, match="n <= 40"):
        evaluate(
            train,
            random_sessions(100, 4),
            {"small": train.head(40)},
            n=60,
            progress=False,
        )


def test_write_report_files(evaluation, tmp_path):
    """CSV tables, the Markdown table, settings and charts are written."""
    written = write_report(evaluation, tmp_path)

    names = {p.name for p in written}
    assert {
        "means.csv",
        "ranks.csv",
        "table.md",
        "settings.json",
        "metrics.vl.json",
        "acfd.csv",
    } <= names
    ranks = pd.read_csv(tmp_path / "ranks.csv")
    assert ranks["model"].tolist() == ["copy", "broken"]
    assert json.loads((tmp_path / "settings.json").read_text())["runs"] == 3
    assert markdown_table(evaluation) in (tmp_path / "table.md").read_text()
