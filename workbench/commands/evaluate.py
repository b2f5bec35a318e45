"""``workbench evaluate``: score synthetic flows against real ones, paper-style."""

from __future__ import annotations

import argparse
import sys

from workbench.commands._options import (
    add_on_bad_lines,
    out_folder_problems,
    seed_problems,
)

NAME = "evaluate"
HELP = (
    "Score generated flow files (and/or generators fitted here) against training and "
    "reference flows with the FlowChronicle metrics; write CSV, Markdown and charts."
)
#: Seeds must fit NumPy's and torch's generators: unsigned 32-bit integers.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument("--train", required=True, metavar="PATH", help="training flows")
    parser.add_argument(
        "--reference",
        metavar="PATH",
        help="fresh real flows on the training calendar (the Reference row)",
    )
    parser.add_argument(
        "--split",
        type=float,
        metavar="SHARE",
        help="instead of --reference: cut --train at the midnight nearest SHARE of "
        "its time range, shift the rest onto the training days, keep a third apart "
        "as MD holdout",
    )
    parser.add_argument(
        "--holdout", metavar="PATH", help="real non-members for MD (default: a third "
        "of the reference)",
    )  # fmt: skip
    parser.add_argument(
        "--synthetic",
        nargs="+",
        default=[],
        metavar="NAME=PATH",
        help="generated flow files, one per generator name",
    )
    parser.add_argument(
        "--fit",
        nargs="+",
        default=[],
        metavar="GENERATOR",
        help="fit these generators on --train first: flowchronicle, independent-bn, "
        "sequence-bn, ctgan, tvae",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--runs", type=int, default=20, help="runs (default 20)")
    parser.add_argument(
        "--n",
        type=int,
        default=None,
        help="flows per subsample (default 10000 or the smallest table)",
    )
    parser.add_argument(
        "--mode", choices=("reference", "clean"), default="reference",
        help="metric mode (default: reference, as published)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--no-temporal", action="store_true", help="skip the ACF difference"
    )
    parser.add_argument(
        "--lstm",
        action="store_true",
        help="also compute the LSTM next-value gap (slow: the published grid)",
    )
    parser.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        metavar="N",
        help="cap FlowChronicle's search rounds when fitting it (default: no cap)",
    )
    parser.add_argument(
        "--epochs", type=int, default=300, help="CTGAN/TVAE epochs (default 300)"
    )
    add_on_bad_lines(parser)


def _pairs(items: list[str]) -> dict[str, str]:
    from workbench.errors import WorkbenchError

    pairs = {}
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise WorkbenchError(f"--synthetic {item!r}: write NAME=PATH")
        pairs[name] = path
    return pairs


def _reader(args: argparse.Namespace):
    """read_flows with the command's --on-bad-lines."""
    from functools import partial

    from workbench.io import read_flows

    return partial(read_flows, on_bad_lines=args.on_bad_lines)


def _real_tables(args: argparse.Namespace):
    from workbench.synth_eval.split import split_by_time

    read = _reader(args)
    train = read(args.train, progress=not args.quiet)
    if args.split is not None:
        parts = split_by_time(train, train_share=args.split, seed=args.seed)
        holdout = parts.holdout if args.holdout is None else read(args.holdout)
        return parts.train, parts.reference, holdout
    holdout = None if args.holdout is None else read(args.holdout)
    return train, read(args.reference), holdout


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before reading or fitting anything."""
    from workbench.errors import WorkbenchError

    problems = []
    if args.runs < 1 or (args.n is not None and args.n < 10):
        problems.append("--runs must be at least 1 and --n at least 10")
    if (args.reference is None) == (args.split is None):
        problems.append("give exactly one of --reference PATH and --split SHARE")
    if args.split is not None and not 0.0 < args.split < 1.0:
        problems.append(f"--split must lie strictly between 0 and 1, got {args.split}")
    problems += seed_problems("--seed", [args.seed])
    if args.epochs < 1:
        problems.append(f"--epochs must be at least 1, got {args.epochs}")
    if args.max_iterations is not None and args.max_iterations < 0:
        problems.append(f"--max-iterations must be >= 0, got {args.max_iterations}")
    problems += out_folder_problems(args.out)
    if problems:
        raise WorkbenchError("; ".join(problems))


def run(args: argparse.Namespace) -> int:
    """Read or fit, evaluate, write the report and print the table."""
    from workbench.errors import WorkbenchError
    from workbench.synth_eval.report import markdown_table, write_report
    from workbench.synth_eval.run import evaluate, fit_generators

    _check_options(args)
    synthetic_paths = _pairs(args.synthetic)
    if not synthetic_paths and not args.fit:
        raise WorkbenchError("nothing to evaluate: give --synthetic NAME=PATH or --fit")
    train, reference, holdout = _real_tables(args)
    read = _reader(args)
    synthetic = {name: read(path) for name, path in synthetic_paths.items()}
    options = {
        "flowchronicle": {"max_iterations": args.max_iterations},
        "ctgan": {"epochs": args.epochs},
        "tvae": {"epochs": args.epochs},
    }
    fitted = fit_generators(
        train, args.fit, options=options, seed=args.seed, progress=not args.quiet
    )
    result = evaluate(
        train,
        reference,
        {**fitted, **synthetic},
        holdout=holdout,
        runs=args.runs,
        n=args.n,
        mode=args.mode,
        temporal=not args.no_temporal,
        lstm={"progress": not args.quiet} if args.lstm else None,
        seed=args.seed,
        progress=not args.quiet,
    )
    written = write_report(result, args.out)
    sys.stdout.write(f"{markdown_table(result)}\n\nwrote {len(written)} files to "
                     f"{args.out}\n")  # fmt: skip
    return 0
