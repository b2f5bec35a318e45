"""``workbench mine``: learn a FlowChronicle model (JSON) from flow files."""

from __future__ import annotations

import argparse
import sys

NAME = "mine"
HELP = (
    "Mine a FlowChronicle pattern set from flow files and save the generative model as "
    "JSON (input of 'workbench sample')."
)


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
        "--format", default=None, help="input format (default: detected per file)"
    )
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
    """Read, mine, write the model and print a summary."""
    from workbench.errors import WorkbenchError
    from workbench.flowchronicle.describe import describe_model
    from workbench.flowchronicle.model_io import save_model
    from workbench.flowchronicle.search import SearchSettings
    from workbench.flowchronicle.train import train_model
    from workbench.io import read_flows

    if args.max_iterations is not None and args.max_iterations < 0:
        raise WorkbenchError(
            f"--max-iterations must be >= 0, got {args.max_iterations}"
        )
    if args.chunks < 1 or args.jobs < 1 or args.bins < 1:
        raise WorkbenchError("--chunks, --jobs and --bins must be at least 1")
    flows = read_flows(args.inputs, format=args.format, progress=not args.quiet)
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
    table = describe_model(model)
    sys.stdout.write(
        f"mined {len(model.patterns) - 1} patterns from {result.prepared.n} records: "
        f"{result.initial_code_length.total:.0f} -> {result.code_length.total:.0f} "
        f"bits\n{table.head(10).to_string()}\nwrote {path}\n"
    )
    return 0
