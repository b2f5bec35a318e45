"""Tests of ``workbench explain-bench`` on the toy set and on bad input."""

from __future__ import annotations

import pandas as pd

from workbench.cli import main
from workbench.datasets import IOT23_BENIGN, bundled
from workbench.explain_bench.report import FILES


def test_explain_bench_toy_writes_the_report(tmp_path, capsys):
    """A small toy run exits 0, writes and names every file, prints the top-1 table."""
    out = tmp_path / "toy"
    argv = [
        "-q",
        "explain-bench",
        "--data",
        "toy",
        "--out",
        str(out),
        "--rows",
        "3000",
        "--epochs",
        "2",
        "--seeds",
        "0",
        "1",
        "--rate",
        "0.05",
        "--methods",
        "pvalues-interp",
        "abs",
        "random",
    ]

    status = main(argv)

    summary = pd.read_csv(out / "summary.csv")
    printed = capsys.readouterr().out
    wrote = printed.splitlines()[-1]
    assert status == 0
    assert all((out / name).is_file() and name in wrote for name in FILES)
    assert set(summary["method"]) == {"AE-pvalues (interp)", "AE-abs", "random"}
    assert pd.read_csv(out / "scores.csv")["seed"].unique().tolist() == [0, 1]
    assert "top-1 accuracy, all noised rows" in printed


def test_explain_bench_bad_settings_exit_2(tmp_path, capsys):
    """An impossible rate and cut-off give exit status 2 and name both options."""
    argv = [
        "-q",
        "explain-bench",
        "--data",
        "toy",
        "--out",
        str(tmp_path),
        "--rate",
        "2",
        "--cutoffs",
        "1.5",
    ]

    status = main(argv)

    err = capsys.readouterr().err
    assert status == 2
    assert "--rate" in err and "--cutoffs" in err


def test_explain_bench_missing_file_exit_2(tmp_path, capsys):
    """A flow file that does not exist gives exit status 2 and names the path."""
    status = main(
        [
            "-q",
            "explain-bench",
            "--data",
            str(tmp_path / "nope.csv"),
            "--out",
            str(tmp_path / "out"),
        ]
    )

    assert status == 2
    assert "nope.csv" in capsys.readouterr().err


def test_explain_bench_flows_inject_only_the_named_groups(tmp_path):
    """--groups restricts the injected targets to the groups named."""
    out = tmp_path / "iot"
    argv = [
        "-q",
        "explain-bench",
        "--data",
        str(bundled(IOT23_BENIGN[0])),
        "--out",
        str(out),
        "--epochs",
        "2",
        "--seeds",
        "0",
        "--methods",
        "pvalues-exact",
        "abs",
        "--groups",
        "protocol",
        "byte counts",
    ]

    status = main(argv)

    samples = pd.read_csv(out / "samples.csv")
    assert status == 0
    assert set(samples["target"]) == {"protocol", "byte counts"}


def test_explain_bench_unknown_group_exit_2(tmp_path, capsys):
    """An unknown group name gives exit status 2 and lists the known ones."""
    argv = [
        "-q",
        "explain-bench",
        "--data",
        str(bundled(IOT23_BENIGN[0])),
        "--out",
        str(tmp_path),
        "--groups",
        "payload",
    ]

    status = main(argv)

    assert status == 2
    assert "'payload'" in capsys.readouterr().err
