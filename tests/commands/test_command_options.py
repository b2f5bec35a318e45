"""Bad options and odd inputs of the commands: exit status 2 naming the option.

Each is refused with a message naming the option or the file, before any long work;
the happy paths check what is printed and written.
"""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.datasets import IOT23_BENIGN, bundled

CIDDS = bundled("cidds001", "cidds001_week3_sample8k.csv")
HONEYPOT = bundled(IOT23_BENIGN[2])
XSS = bundled("cicids2017", "Web_Attack_-_XSS_18.csv")
SSH = bundled("pcaps", "ndpi", "ssh.pcap")


def _with_bad_line(tmp_path):
    """The honeypot CSV with a port of 'x' on line 3."""
    lines = HONEYPOT.read_text().splitlines()
    cells = lines[2].split(",")
    cells[3] = "x"
    lines[2] = ",".join(cells)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_mine_unknown_format_exit_2(tmp_path, capsys):
    """An unknown --format is named with the known ones; no model is written."""
    out = tmp_path / "m.json"

    status = main(
        ["-q", "mine", "--input", str(CIDDS), "--out", str(out), "--format", "bogus"]
    )

    err = capsys.readouterr().err
    assert status == 2
    assert "--format 'bogus'" in err and "netflow" in err
    assert not out.exists()


def test_mine_out_folder_exit_2(tmp_path, capsys):
    """--out naming a folder is refused before mining."""
    status = main(["-q", "mine", "--input", str(CIDDS), "--out", str(tmp_path)])

    assert status == 2
    assert "--out" in capsys.readouterr().err


def test_mine_quiet_prints_only_the_path(tmp_path, capsys):
    """With -q mine prints the model path and no pattern table."""
    out = tmp_path / "m.json"
    argv = ["-q", "mine", "--input", str(HONEYPOT), "--out", str(out)]

    status = main([*argv, "--max-iterations", "0"])

    assert status == 0
    assert capsys.readouterr().out == f"wrote {out}\n"


SEEDS = [
    ("mine", ["--input", "nope.csv", "--out", "m.json", "--seed", "-1"], "--seed"),
    ("sample", ["--model", "nope.json", "--out", "s.csv", "--seed", "-1"], "--seed"),
    (
        "sample",
        ["--model", "nope.json", "--out", "s.csv", "--seed", "4294967296"],
        "--seed",
    ),
    (
        "graph-detect",
        ["--train-logs", "a", "--test-logs", "b", "--out", "o", "--seed", "-1"],
        "--seed",
    ),
    (
        "evaluate",
        [
            "--train",
            "t.csv",
            "--split",
            "0.5",
            "--out",
            "o",
            "--fit",
            "independent-bn",
            "--seed",
            "-5",
        ],
        "--seed",
    ),
    ("explain-bench", ["--data", "toy", "--out", "o", "--seeds", "0", "-1"], "--seeds"),
    (
        "explain-bench",
        ["--data", "toy", "--out", "o", "--model-seed", "4294967296"],
        "--model-seed",
    ),
]


@pytest.mark.parametrize(
    ("command", "argv", "option"),
    SEEDS,
    ids=[f"{case[0]}-{case[1][-1]}" for case in SEEDS],
)
def test_command_seed_out_of_range_exit_2(tmp_path, capsys, command, argv, option):
    """A seed outside [0, 2**32) is refused before any file is opened."""
    status = main(["-q", command, *argv])

    err = capsys.readouterr().err
    assert status == 2
    assert option in err and "2**32" in err
    assert "nope" not in err


@pytest.mark.parametrize(
    "content",
    ["[1, 2]", '"a model"', "{}"],
    ids=["list", "string", "empty-object"],
)
def test_sample_model_not_an_object_exit_2(tmp_path, capsys, content):
    """A JSON model file of the wrong shape gives exit status 2 naming the file."""
    model = tmp_path / "list.json"
    model.write_text(content)

    status = main(
        ["-q", "sample", "--model", str(model), "--out", str(tmp_path / "s.csv")]
    )

    assert status == 2
    assert "list.json" in capsys.readouterr().err


def test_explain_bench_too_few_toy_rows_exit_2(tmp_path, capsys):
    """--rows 0 on the toy set names --rows instead of raising ValueError."""
    status = main(
        ["-q", "explain-bench", "--data", "toy", "--out", str(tmp_path), "--rows", "0"]
    )

    assert status == 2
    assert "--rows must be at least" in capsys.readouterr().err


def test_explain_bench_no_benign_flow_names_data_option(tmp_path, capsys):
    """Flows that are all malicious are refused naming --data, not --train."""
    status = main(["-q", "explain-bench", "--data", str(XSS), "--out", str(tmp_path)])

    err = capsys.readouterr().err
    assert status == 2
    assert "to --data" in err and "--train" not in err


def test_audit_out_is_a_file_exit_2(tmp_path, capsys):
    """--out naming an existing file is refused, naming it."""
    out = tmp_path / "report.txt"
    out.write_text("keep me")

    status = main(["-q", "audit", str(HONEYPOT), "--out", str(out)])

    assert status == 2
    err = capsys.readouterr().err
    assert "--out" in err and "report.txt" in err
    assert out.read_text() == "keep me"


def test_audit_dedup_without_duplicates_says_so(tmp_path, capsys):
    """A capture without duplicates gets no copy and no dedup folder, and a line."""
    out = tmp_path / "out"

    status = main(["-q", "audit", str(SSH), "--out", str(out), "--dedup"])

    assert status == 0
    assert not (out / "dedup").exists()
    assert "dedup: ssh.pcap has no duplicates (full rule)" in capsys.readouterr().out


def test_audit_dedup_without_captures_says_so(tmp_path, capsys):
    """--dedup on flow tables only says that there was nothing to deduplicate."""
    out = tmp_path / "out"

    status = main(["-q", "audit", str(HONEYPOT), "--out", str(out), "--dedup"])

    assert status == 0
    assert not (out / "dedup").exists()
    assert "no capture among the inputs" in capsys.readouterr().out


def test_audit_on_bad_lines_reaches_the_reader(tmp_path, capsys):
    """A malformed line stops the audit by default and is skipped when asked."""
    path = _with_bad_line(tmp_path)
    argv = ["-q", "audit", str(path), "--out", str(tmp_path / "out")]

    stopped = main(argv)
    err = capsys.readouterr().err
    with pytest.warns(UserWarning, match="skipped 1 malformed line"):
        skipped = main([*argv, "--on-bad-lines", "skip"])

    assert stopped == 2 and "line 3" in err and "--on-bad-lines skip" in err
    assert skipped == 0
    assert "129" in (tmp_path / "out" / "summary.csv").read_text()
