"""Tests for ``workbench mine`` on the bundled CIDDS-001 sample."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.datasets import bundled

CIDDS = ("cidds001", "cidds001_week3_sample8k.csv")


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    """Model file of a two-round search on the 8,192 bundled records."""
    out = tmp_path_factory.mktemp("mine") / "model.json"
    argv = [
        "-q",
        "mine",
        "--input",
        str(bundled(*CIDDS)),
        "--out",
        str(out),
        "--max-iterations",
        "2",
        "--seed",
        "3",
    ]
    assert main(argv) == 0
    return out


def test_mine_writes_a_model_file(mined, capsys):
    """The JSON holds patterns, weights and the metadata Fos-R requires."""
    data = json.loads(mined.read_text())

    assert {"input_file", "creation_time"} <= set(data["metadata"])
    assert len(data["pattern_weights"]) == len(data["patterns"]) >= 2
    assert data["patterns"][-1]["partial_flows"] == [[]]
    assert data["metadata"]["training"]["max_iterations"] == 2
    assert data["metadata"]["training"]["seed"] == 3


def test_mine_negative_iterations_exit_2(tmp_path, capsys):
    """A negative iteration cap is a usage error, not a crash."""
    argv = [
        "-q",
        "mine",
        "--input",
        str(bundled(*CIDDS)),
        "--out",
        str(tmp_path / "m.json"),
        "--max-iterations",
        "-1",
    ]

    status = main(argv)

    assert status == 2
    assert "--max-iterations" in capsys.readouterr().err


def test_mine_missing_input_exit_2(tmp_path, capsys):
    """A missing input file is reported with exit status 2."""
    argv = [
        "-q",
        "mine",
        "--input",
        str(tmp_path / "nope.csv"),
        "--out",
        str(tmp_path / "m.json"),
    ]

    status = main(argv)

    assert status == 2
    assert "nope.csv" in capsys.readouterr().err
