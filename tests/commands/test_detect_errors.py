import pytest

from workbench.cli import main
from workbench.datasets import IOT23_BENIGN, bundled


def test_detect_missing_file_exit_2(tmp_path, capsys):
    """A path that does not exist gives exit status 2 and names the path."""
    missing = tmp_path / "nope.log"

    status = main(
        [
            "-q",
            "detect",
            "--train",
            str(missing),
            "--test",
            str(missing),
            "--out",
            str(tmp_path / "out"),
        ]
    )

    assert status == 2
    assert "nope.log" in capsys.readouterr().err


def test_detect_empty_file_exit_2(tmp_path, capsys):
    """An empty capture is refused with a message naming it."""
    empty = tmp_path / "empty.csv"
    empty.write_text("")

    status = main(
        [
            "-q",
            "detect",
            "--train",
            str(empty),
            "--test",
            str(empty),
            "--out",
            str(tmp_path / "out"),
        ]
    )

    assert status == 2
    assert "empty.csv" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option,value",
    [
        ("--fpr", "1.5"),
        ("--epochs", "0"),
        ("--seed", "-1"),
        ("--seed", str(2**40)),
        ("--explain-top", "-3"),
    ],
)
def test_detect_bad_option_exit_2(tmp_path, capsys, option, value):
    """Out-of-range options are refused before any work, naming the option."""
    path = str(bundled(IOT23_BENIGN[2]))

    status = main(
        [
            "-q",
            "detect",
            "--train",
            path,
            "--test",
            path,
            "--out",
            str(tmp_path),
            option,
            value,
        ]
    )

    assert status == 2
    assert option in capsys.readouterr().err


def test_detect_usage_error_exit_2(capsys):
    """Missing required arguments exit with status 2 (argparse)."""
    with pytest.raises(SystemExit) as stop:
        main(["detect", "--train", "x"])

    assert stop.value.code == 2


def test_detect_out_is_a_file_exit_2(tmp_path, capsys):
    """An --out that is an existing file is refused before any work."""
    path = str(bundled(IOT23_BENIGN[2]))
    target = tmp_path / "taken"
    target.write_text("x")

    status = main(
        ["-q", "detect", "--train", path, "--test", path, "--out", str(target)]
    )

    assert status == 2
    assert "is a file" in capsys.readouterr().err
