"""``workbench graph-detect``: Sec2graph-style detection on Zeek logs.

The work is in :mod:`workbench.graph.run`; this module parses options only.
"""

from __future__ import annotations

import argparse
import math
import sys

from workbench.commands._options import (
    add_on_bad_lines,
    out_folder_problems,
    seed_problems,
)

NAME = "graph-detect"
HELP = (
    "Build the security-object graph of Zeek logs, train an edge autoencoder on "
    "benign traffic, flag test connections and explain each alert's worst edge."
)
#: Seeds must fit NumPy's and torch's generators: unsigned 32-bit integers.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "--train-logs",
        nargs="+",
        required=True,
        metavar="DIR",
        help="folders of Zeek logs of benign traffic (conn.log required)",
    )
    parser.add_argument(
        "--test-logs",
        nargs="+",
        required=True,
        metavar="DIR",
        help="folders of Zeek logs to score",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--train-before",
        type=float,
        metavar="EPOCH",
        help="train only on connections that start before this time (epoch seconds; "
        "applies to every training folder)",
    )
    parser.add_argument(
        "--attack-port",
        type=int,
        action="append",
        default=[],
        metavar="PORT",
        help="label connections from or to this port as the attack (repeatable); "
        "they are left out of training and measured in metrics.json",
    )
    parser.add_argument(
        "--attack-host",
        action="append",
        default=[],
        metavar="ADDR",
        help="label connections from or to this address as the attack (repeatable)",
    )
    parser.add_argument(
        "--attack-name",
        default="attack",
        help="name of the labelled attack (default 'attack')",
    )
    parser.add_argument(
        "--fpr",
        type=float,
        default=0.01,
        help="target false-positive rate on held-out benign connections (default 0.01)",
    )
    parser.add_argument(
        "--epochs", type=int, default=50, help="maximum training epochs (default 50)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--explain-top",
        type=int,
        default=10,
        metavar="K",
        help="attributes per alert in explanations.csv; 0 for all (default 10)",
    )
    parser.add_argument(
        "--no-flat",
        action="store_true",
        help="skip the flat conn-only detector used for comparison",
    )
    add_on_bad_lines(parser)
    # The older spelling of --on-bad-lines skip, kept for existing scripts.
    parser.add_argument("--skip-bad-lines", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    """Run the job and print the headline figures."""
    from workbench.graph.labels import LabelRule
    from workbench.graph.run import run_graph_detection, write_graph_outputs

    _check_options(args)
    rules = []
    if args.attack_port or args.attack_host:
        rules.append(
            LabelRule(
                args.attack_name,
                ports=tuple(args.attack_port),
                hosts=tuple(args.attack_host),
            )
        )
    detection = run_graph_detection(
        args.train_logs,
        args.test_logs,
        train_before=args.train_before,
        rules=rules,
        fpr=args.fpr,
        epochs=args.epochs,
        seed=args.seed,
        flat=not args.no_flat,
        on_bad_lines="skip" if args.skip_bad_lines else args.on_bad_lines,
        progress=not args.quiet,
    )
    metrics = write_graph_outputs(
        detection, args.out, explain_top=args.explain_top or None
    )
    sys.stdout.write(summary(metrics, args.out))
    return 0


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before reading logs or training."""
    from workbench.errors import WorkbenchError

    problems = []
    if not 0.0 < args.fpr < 1.0:
        problems.append(f"--fpr must lie strictly between 0 and 1, got {args.fpr}")
    if args.epochs < 1:
        problems.append(f"--epochs must be at least 1, got {args.epochs}")
    problems += seed_problems("--seed", [args.seed])
    if args.explain_top < 0:
        problems.append(
            f"--explain-top must be 0 (all) or more, got {args.explain_top}"
        )
    if args.train_before is not None and not math.isfinite(args.train_before):
        problems.append(
            f"--train-before must be a finite time, got {args.train_before}"
        )
    bad_ports = [port for port in args.attack_port if not 0 <= port <= 65535]
    if bad_ports:
        problems.append(f"--attack-port must lie in 0..65535, got {bad_ports}")
    problems += out_folder_problems(args.out)
    if problems:
        raise WorkbenchError("; ".join(problems))


def summary(metrics: dict, out: str) -> str:
    """Human-readable headline figures."""
    test = metrics["graph"]["test"]
    lines = [
        f"trained on {metrics['train_connections']} connections "
        f"({metrics['train_edges']} edges), threshold set on "
        f"{metrics['calibration_connections']} later ones",
        f"test graph: {sum(test['node'].values())} nodes, "
        f"{sum(test['edge'].values())} edges; edge width {metrics['encoder_width']}",
        f"scored {metrics['test_connections']} connections: {metrics['alerts']} "
        f"alerts above threshold {metrics['threshold']:.4g} "
        f"(target FPR {metrics['target_fpr']})",
    ]
    for row in metrics.get("comparison", []):
        lines.append(
            f"{row['detector']:>18}: {row['alerts']} alerts  recall "
            f"{_fmt(row['recall'])}  precision {_fmt(row['precision'])}  FPR "
            f"{_fmt(row['fpr'])}  AUROC {_fmt(row['auroc'])}"
        )
    lines.append(f"wrote alerts.csv, explanations.csv, metrics.json, model/ in {out}")
    return "\n".join(lines) + "\n"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
