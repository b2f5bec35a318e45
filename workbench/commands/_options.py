"""Options and checks that several subcommands share, written once.

Each check returns a list of problems (empty when the value is fine) so a command can
collect every problem and report them together before doing any work.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SEED_LIMIT", "add_on_bad_lines", "seed_problems", "out_folder_problems"]

#: Seeds must fit numpy's and scikit-learn's 32-bit random states.
SEED_LIMIT = 2**32


def add_on_bad_lines(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, scope: str = ""
) -> None:
    """Register ``--on-bad-lines {error,skip}``, passed on to the readers.

    ``scope`` starts the help text, e.g. "flow tables: " when a command also reads
    inputs the option does not apply to.
    """
    parser.add_argument(
        "--on-bad-lines",
        choices=("error", "skip"),
        default="error",
        help=f"{scope}stop at the first malformed line (default) or skip and count "
        "them",
    )


def seed_problems(option: str, seeds: Iterable[int]) -> list[str]:
    """A problem for seeds outside ``[0, 2**32)``.

    Examples
    --------
    >>> seed_problems("--seed", [0, 3])
    []
    >>> seed_problems("--seed", [-1])
    ['--seed must lie in [0, 2**32), got [-1]']
    """
    bad = [seed for seed in seeds if not 0 <= seed < SEED_LIMIT]
    return [f"{option} must lie in [0, 2**32), got {bad}"] if bad else []


def out_folder_problems(out: str | Path, option: str = "--out") -> list[str]:
    """A problem when an output folder already exists as a file.

    Examples
    --------
    >>> out_folder_problems("a/folder/not/yet/there")
    []
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        return [f"{option} {path} is a file; give a folder (created if absent)"]
    return []
