"""``workbench explain-bench``: score explanation methods by injecting known noise."""

from __future__ import annotations

import argparse
import sys

NAME = "explain-bench"
HELP = (
    "Benchmark alert explanations: train an autoencoder on benign rows, inject noise "
    "into one known feature or feature group of held-out benign rows, and score "
    "AE-pvalues, AE-abs, SHAP_AE and a random ranking by top-K accuracy and time."
)
#: Value of --data that selects the arithmetic toy set.
TOY = "toy"
_METHOD_KEYS = ("pvalues-interp", "pvalues-exact", "abs", "shap", "random")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "--data",
        nargs="+",
        required=True,
        metavar="PATH",
        help=f"flow files (benign rows are used), or '{TOY}' for the toy set",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[0, 1, 2], help="injection seeds"
    )
    parser.add_argument(
        "--rate",
        type=float,
        help="share of test rows noised (default: 0.01 toy, 1.0 flows)",
    )
    parser.add_argument(
        "--kinds",
        nargs="+",
        choices=("flip", "oob", "scale"),
        default=["flip", "oob", "scale"],
        help="perturbation kinds for flows (the toy set always flips)",
    )
    parser.add_argument(
        "--factors",
        type=float,
        nargs="+",
        default=[2.0, 5.0, 10.0],
        help="scale factors (default 2 5 10)",
    )
    parser.add_argument(
        "--targets",
        choices=("groups", "features"),
        default="groups",
        help="inject into feature groups or single features (flows; default groups)",
    )
    parser.add_argument(
        "--methods",
        nargs="+",
        choices=_METHOD_KEYS,
        help="methods to compare (default: all; shap only when installed)",
    )
    parser.add_argument(
        "--shap-records",
        type=int,
        default=100,
        metavar="N",
        help="rows SHAP_AE explains per seed (top by MSE; default 100)",
    )
    parser.add_argument(
        "--shap-background",
        type=int,
        default=200,
        metavar="N",
        help="background rows of Kernel SHAP (default 200)",
    )
    parser.add_argument(
        "--shap-nsamples",
        default="auto",
        metavar="N",
        help="Kernel SHAP coalitions per row (default auto: 2d + 2048)",
    )
    parser.add_argument(
        "--cutoffs",
        type=float,
        nargs="+",
        default=[0.7, 0.9],
        help="correlation cut-offs; the first is the headline (default 0.7 0.9)",
    )
    parser.add_argument(
        "--fpr",
        type=float,
        default=0.01,
        help="false-positive rate defining detected rows (default 0.01)",
    )
    parser.add_argument(
        "--epochs", type=int, help="maximum epochs (default: 200 toy, 100 flows)"
    )
    parser.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        metavar="WIDTH",
        help="encoder layer widths (default: 4 2 toy, 64 32 16 flows)",
    )
    parser.add_argument(
        "--model-seed",
        type=int,
        help="seed of data split and model (default: 1234 toy, 0 flows)",
    )
    parser.add_argument(
        "--rows", type=int, default=100_000, help="toy rows (default 100000)"
    )
    parser.add_argument(
        "--test-fraction",
        type=float,
        default=0.4,
        help="share of benign flows held out (default 0.4)",
    )
    parser.add_argument(
        "--max-benign", type=int, metavar="N", help="use at most N benign flows"
    )
    parser.add_argument(
        "--tiebreak-fit",
        choices=("reference", "batch"),
        default="reference",
        help="where AE-pvalues fits its tie-breaker (default reference)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmark, write the report, print the top-1 and time tables."""
    from workbench.explain_bench.jobs import flow_benchmark, toy_benchmark
    from workbench.explain_bench.report import accuracy_table, time_table, write_report

    options = _options(args)
    toy = args.data == [TOY]
    common = {
        "progress": not args.quiet,
        **({"epochs": args.epochs} if args.epochs else {}),
        **({"model_seed": args.model_seed} if args.model_seed is not None else {}),
        **({"rate": args.rate} if args.rate is not None else {}),
        **({"hidden": tuple(args.hidden)} if args.hidden else {}),
    }
    if toy:
        result = toy_benchmark(n_rows=args.rows, **common, **options)
        title = "Explanation benchmark: toy arithmetic set"
    else:
        result = flow_benchmark(
            args.data,
            test_fraction=args.test_fraction,
            max_benign=args.max_benign,
            targets=args.targets,
            kinds=args.kinds,
            factors=args.factors,
            **common,
            **options,
        )
        title = f"Explanation benchmark: {', '.join(args.data)}"
    write_report(result, args.out, title=title)

    headline = ("strict", f"corr>={args.cutoffs[0]:g}")
    for subset in ("all", "detected", "SHAP rows"):
        table = accuracy_table(result, subset, headline)
        if not table.empty:
            keep = ["method", "n", *[c for c in table.columns if c.endswith("top-1")]]
            sys.stdout.write(f"top-1 accuracy, {subset} noised rows:\n")
            sys.stdout.write(table[keep].to_string(index=False) + "\n\n")
    sys.stdout.write(time_table(result).to_string(index=False) + "\n")
    sys.stdout.write(f"wrote report.md, scores.csv, summary.csv in {args.out}\n")
    return 0


def _options(args: argparse.Namespace) -> dict:
    """Keyword arguments of ``run_benchmark`` from the command line."""
    from workbench.errors import WorkbenchError
    from workbench.explain_bench.methods import METHOD_KEYS, available_methods
    from workbench.explain_bench.shap_ae import ShapAE

    problems = []
    if args.rate is not None and not 0.0 < args.rate <= 1.0:
        problems.append(f"--rate must lie in (0, 1], got {args.rate}")
    if not 0.0 < args.fpr < 1.0:
        problems.append(f"--fpr must lie strictly between 0 and 1, got {args.fpr}")
    if any(not 0.0 < c <= 1.0 for c in args.cutoffs):
        problems.append(f"--cutoffs must lie in (0, 1], got {args.cutoffs}")
    if args.hidden is not None and min(args.hidden) < 1:
        problems.append(f"--hidden widths must be positive, got {args.hidden}")
    if args.epochs is not None and args.epochs < 1:
        problems.append(f"--epochs must be at least 1, got {args.epochs}")
    nsamples = args.shap_nsamples
    if nsamples != "auto":
        if not nsamples.isdigit() or int(nsamples) < 1:
            problems.append(
                f"--shap-nsamples must be 'auto' or a count, got {nsamples}"
            )
        else:
            nsamples = int(nsamples)
    if problems:
        raise WorkbenchError("; ".join(problems))

    if args.methods:
        methods = tuple(METHOD_KEYS[key] for key in args.methods)
    else:
        methods = available_methods()
    shap = ShapAE(
        n_records=args.shap_records,
        background_size=args.shap_background,
        nsamples=nsamples,
        progress=not args.quiet,
    )
    return {
        "seeds": tuple(args.seeds),
        "methods": methods,
        "shap": shap,
        "cutoffs": tuple(args.cutoffs),
        "fpr": args.fpr,
        "tiebreak_fit": args.tiebreak_fit,
    }
