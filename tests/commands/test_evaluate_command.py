"""Tests for ``workbench evaluate``: fit or read generators, write the report."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.cli import main
from workbench.datasets import bundled

CIDDS = ("cidds001", "cidds001_week3_sample8k.csv")


@pytest.fixture(scope="module")
def small_capture(tmp_path_factory):
    """Every fourth record of the CIDDS-001 sample, as a NetFlow CSV."""
    raw = pd.read_csv(bundled(*CIDDS))
    path = tmp_path_factory.mktemp("evaluate") / "cidds_quarter.csv"
    raw.iloc[::4].to_csv(path, index=False)
    return path


def test_evaluate_split_fit_and_file_write_report(small_capture, tmp_path):
    """A time split, one fitted baseline and one generator file give ranked tables."""
    out = tmp_path / "report"

    status = main(
        [
            "-q",
            "evaluate",
            "--train",
            str(small_capture),
            "--split",
            "0.5",
            "--fit",
            "independent-bn",
            "--synthetic",
            f"replay={small_capture}",
            "--out",
            str(out),
            "--runs",
            "2",
            "--n",
            "200",
            "--no-temporal",
        ]
    )

    assert status == 0
    ranks = pd.read_csv(out / "ranks.csv")
    assert ranks["model"].tolist() == ["IndependentBN", "replay"]
    assert ranks["mean rank"].between(1, 2).all()
    assert "| Reference |" in (out / "table.md").read_text()
    assert not (out / "acfd.csv").exists()


def test_evaluate_bad_synthetic_pair_exits_2(small_capture, tmp_path, capsys):
    """A synthetic file without a name is a usage error."""
    status = main(
        [
            "-q",
            "evaluate",
            "--train",
            str(small_capture),
            "--split",
            "0.5",
            "--synthetic",
            str(small_capture),
            "--out",
            str(tmp_path),
        ]
    )

    assert status == 2
    assert "NAME=PATH" in capsys.readouterr().err


def test_evaluate_needs_reference_or_split_exits_2(small_capture, tmp_path, capsys):
    """Neither --reference nor --split leaves nothing to compare with."""
    status = main(
        [
            "-q",
            "evaluate",
            "--train",
            str(small_capture),
            "--fit",
            "independent-bn",
            "--out",
            str(tmp_path),
        ]
    )

    assert status == 2
    assert "--split" in capsys.readouterr().err
