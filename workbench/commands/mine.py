"""``workbench mine``: learn a FlowChronicle model (JSON) from flow files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands._options import add_on_bad_lines, seed_problems

NAME = "mine"
HELP = (
    "Mine a FlowChronicle pattern set from flow files and save the generative model as "
    "JSON (input of 'workbench sample')."
)
#: Seeds are stored and used as unsigned 32-bit integers.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "--input",
        dest="inputs",
        nargs="+",
        required=True,
        metavar="PATH",
        help="flow files or folders (any format workbench.io reads)",
    )
    parser.add_argument(
        "--out", required=True, metavar="JSON", help="model file to write"
    )
    parser.add_argument(
        "--format",
        default=None,
        help="input format: zeek, zeek-json, zeek-csv, cicflowmeter, netflow or pcap "
        "(default: detected per file)",
    )
    add_on_bad_lines(parser)
    parser.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        metavar="N",
        help="cap on search rounds, one pattern each at most (default: no cap)",
    )
    parser.add_argument(
        "--chunks",
        type=int,
        default=1,
        metavar="N",
        help="mine N contiguous time slices apart and merge them (default 1)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="processes for --chunks"
    )
    parser.add_argument(
        "--bins", type=int, default=40, help="quantile bins for counts (default 40)"
    )
    parser.add_argument(
        "--reference-sessions",
        action="store_true",
        help="drop single-record NetFlow sessions, as the reference does",
    )
    parser.add_argument(
        "--fosr", action="store_true", help="spell reuse tags as Fos-R's reader does"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="recorded in the model; the search itself is deterministic (default 0)",
    )


def run(args: argparse.Namespace) -> int:
    """Read, mine, write the model and print a summary (only the path with -q)."""
    from workbench.errors import WorkbenchError
    from workbench.flowchronicle.describe import describe_model
    from workbench.flowchronicle.model_io import save_model
    from workbench.flowchronicle.search import SearchSettings
    from workbench.flowchronicle.train import train_model
    from workbench.io import read_flows

    _check_options(args)
    flows = read_flows(
        args.inputs,
        format=args.format,
        on_bad_lines=args.on_bad_lines,
        progress=not args.quiet,
    )
    settings = SearchSettings(
        max_iterations=args.max_iterations, progress=not args.quiet
    )
    try:
        model, result = train_model(
            flows,
            settings=settings,
            keep_single_flows=not args.reference_sessions,
            n_bins=args.bins,
            n_chunks=args.chunks,
            n_jobs=args.jobs,
            input_file=", ".join(str(p) for p in args.inputs),
            seed=args.seed,
        )
    except ValueError as exc:
        if isinstance(exc, WorkbenchError):
            raise
        raise WorkbenchError(f"cannot mine {args.inputs}: {exc}") from exc
    path = save_model(model, args.out, fosr=args.fosr)
    if not args.quiet:
        table = describe_model(model)
        sys.stdout.write(
            f"mined {len(model.patterns) - 1} patterns from {result.prepared.n} "
            f"records: {result.initial_code_length.total:.0f} -> "
            f"{result.code_length.total:.0f} bits\n{table.head(10).to_string()}\n"
        )
    sys.stdout.write(f"wrote {path}\n")
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before reading or mining anything."""
    from workbench.errors import WorkbenchError
    from workbench.io import FORMATS

    problems = []
    if args.format is not None and args.format not in FORMATS:
        problems.append(
            f"--format {args.format!r} is unknown; choose one of {', '.join(FORMATS)} "
            "or leave it out to detect each file's format"
        )
    if args.max_iterations is not None and args.max_iterations < 0:
        problems.append(f"--max-iterations must be >= 0, got {args.max_iterations}")
    if args.chunks < 1 or args.jobs < 1 or args.bins < 1:
        problems.append("--chunks, --jobs and --bins must be at least 1")
    problems += seed_problems("--seed", [args.seed])
    if Path(args.out).is_dir():
        problems.append(f"--out {args.out} is a folder; give the model file to write")
    if problems:
        raise WorkbenchError("; ".join(problems))
