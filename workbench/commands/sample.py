"""``workbench sample``: draw synthetic flows from a FlowChronicle model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands._options import seed_problems

NAME = "sample"
HELP = (
    "Draw synthetic flows from a FlowChronicle model (from 'workbench mine') and write "
    "them as CSV or as a Zeek conn.log."
)
#: Seeds must fit NumPy's generators: unsigned 32-bit integers.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "--model", required=True, metavar="JSON", help="model file written by 'mine'"
    )
    parser.add_argument("--out", required=True, metavar="PATH", help="output file")
    parser.add_argument(
        "--n",
        "--flows",
        dest="flows",
        type=int,
        default=None,
        metavar="N",
        help="number of flows (default: about as many as in training)",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "zeek"),
        default=None,
        help="output format (default: zeek for a .log file, else csv)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--with-pattern",
        action="store_true",
        help="add a pattern_id column naming each flow's pattern",
    )
    parser.add_argument(
        "--ephemeral-ports",
        action="store_true",
        help="fill source ports with random ports 49152-65535 (default: unset)",
    )


def run(args: argparse.Namespace) -> int:
    """Load the model, sample and write the flows."""
    from workbench.flowchronicle.model_io import load_model
    from workbench.flowchronicle.output import write_flows
    from workbench.flowchronicle.sample import sample_flows

    _check_options(args)
    model = load_model(args.model)
    flows = sample_flows(
        model,
        args.flows,
        seed=args.seed,
        with_pattern=args.with_pattern,
        ephemeral_ports=args.ephemeral_ports,
        progress=not args.quiet,
    )
    path = write_flows(flows, args.out, format=args.format)
    sys.stdout.write(f"wrote {len(flows)} synthetic flows to {path}\n")
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before loading the model or sampling."""
    from workbench.errors import WorkbenchError

    problems = []
    if args.flows is not None and args.flows < 1:
        problems.append(f"--n must be at least 1, got {args.flows}")
    problems += seed_problems("--seed", [args.seed])
    if Path(args.out).is_dir():
        problems.append(f"--out {args.out} is a folder; give the file to write")
    if problems:
        raise WorkbenchError("; ".join(problems))
