"""Tests for ``workbench sample``: model file in, CSV or Zeek conn.log out."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.datasets import bundled
from workbench.io import read_flows
from workbench.schema import RESP_P

CIDDS = ("cidds001", "cidds001_week3_sample8k.csv")


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """A model mined in one round from the bundled CIDDS-001 sample."""
    out = tmp_path_factory.mktemp("sample") / "model.json"
    argv = [
        "-q",
        "mine",
        "--input",
        str(bundled(*CIDDS)),
        "--out",
        str(out),
        "--max-iterations",
        "1",
    ]
    assert main(argv) == 0
    return out


@pytest.mark.parametrize("name", ["conn.log", "flows.csv"])
def test_sample_writes_readable_flows(model_file, tmp_path, name):
    """The requested number of flows is written and read back by workbench.io."""
    out = tmp_path / name

    status = main(
        [
            "-q",
            "sample",
            "--model",
            str(model_file),
            "--out",
            str(out),
            "--n",
            "300",
            "--seed",
            "1",
            "--with-pattern",
        ]
    )

    assert status == 0
    flows = read_flows(out, progress=False)
    assert len(flows) == 300
    assert flows[RESP_P].notna().all()
    assert "pattern_id" in flows.columns


def test_sample_not_a_model_exit_2(tmp_path, capsys):
    """A JSON file that is not a model is refused with its name."""
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"hello": 1}))

    status = main(
        ["-q", "sample", "--model", str(path), "--out", str(tmp_path / "x.csv")]
    )

    assert status == 2
    assert "other.json" in capsys.readouterr().err


def test_sample_zero_flows_exit_2(model_file, tmp_path, capsys):
    """--n 0 is a usage error."""
    argv = [
        "-q",
        "sample",
        "--model",
        str(model_file),
        "--out",
        str(tmp_path / "x.csv"),
        "--n",
        "0",
    ]

    status = main(argv)

    assert status == 2
    assert "--n" in capsys.readouterr().err
