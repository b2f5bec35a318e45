"""``workbench detect``: train on benign flows, score test flows, explain alerts."""

from __future__ import annotations

import argparse
import sys

from workbench.commands._options import (
    add_on_bad_lines,
    out_folder_problems,
    seed_problems,
)

NAME = "detect"
HELP = (
    "Train an autoencoder on benign flows, score test flows, and explain each alert "
    "with per-feature p-values."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "--train",
        nargs="+",
        required=True,
        metavar="PATH",
        help="benign captures or logs (rows labelled malicious are left out)",
    )
    parser.add_argument(
        "--test",
        nargs="+",
        required=True,
        metavar="PATH",
        help="captures or logs to score",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--fpr",
        type=float,
        default=0.01,
        help="target false-positive rate on benign validation flows (default 0.01)",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=100,
        help="maximum training epochs (early stopping; default 100)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--explain-top",
        type=int,
        default=10,
        metavar="K",
        help="features per alert in explanations.csv; 0 for all (default 10)",
    )
    add_on_bad_lines(parser)
    parser.add_argument(
        "--canonical-features",
        action="store_true",
        help="use only the conn fields every reader provides (train and test from "
        "different kinds of source, e.g. IoT-23 CSV and a pcap)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the job and print the headline figures."""
    from workbench.detection_run import run_detection, write_outputs

    _check_options(args)
    detection = run_detection(
        args.train,
        args.test,
        fpr=args.fpr,
        epochs=args.epochs,
        seed=args.seed,
        progress=not args.quiet,
        extra_numeric=not args.canonical_features,
        on_bad_lines=args.on_bad_lines,
    )
    metrics = write_outputs(detection, args.out, explain_top=args.explain_top or None)
    sys.stdout.write(summary(metrics, args.out))
    return 0


def summary(metrics: dict, out: str) -> str:
    """Human-readable headline figures."""
    lines = [
        f"trained on {metrics['train_flows_used']} benign flows "
        f"({metrics['train_flows_read']} read)",
        f"scored {metrics['test_flows']} flows: {metrics['alerts']} alerts above "
        f"threshold {metrics['threshold']:.4g} (target FPR {metrics['target_fpr']})",
    ]
    for name in ("autoencoder", "isolation_forest"):
        figures = metrics.get(name)
        if figures:
            lines.append(
                f"{name:>16}: recall {_fmt(figures['recall'])}  precision "
                f"{_fmt(figures['precision'])}  FPR {_fmt(figures['fpr'])}  "
                f"AUROC {_fmt(figures['auroc'])}"
            )
    if "autoencoder" in metrics:
        per_label = metrics["autoencoder"].get("recall_by_detailed_label", {})
        for label, row in per_label.items():
            lines.append(
                f"{'recall':>16} {label}: {row['recall']:.3f} ({row['flows']} flows)"
            )
    lines.append(f"wrote alerts.csv, explanations.csv, metrics.json, model/ in {out}")
    return "\n".join(lines) + "\n"


def _check_options(args: argparse.Namespace) -> None:
    """Refuse bad options before reading or training anything."""
    if not 0.0 < args.fpr < 1.0:
        raise _usage(f"--fpr must lie strictly between 0 and 1, got {args.fpr}")
    if args.epochs < 1:
        raise _usage(f"--epochs must be at least 1, got {args.epochs}")
    if args.explain_top < 0:
        raise _usage(f"--explain-top must be 0 (all) or more, got {args.explain_top}")
    problems = seed_problems("--seed", [args.seed]) + out_folder_problems(args.out)
    if problems:
        raise _usage("; ".join(problems))


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _usage(message: str) -> Exception:
    from workbench.errors import WorkbenchError

    return WorkbenchError(message)
