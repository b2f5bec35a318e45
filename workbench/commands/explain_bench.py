"""``workbench explain-bench``: score explanation methods by injecting known noise."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from workbench.commands._options import (
    add_on_bad_lines,
    out_folder_problems,
    seed_problems,
)

NAME = "explain-bench"
HELP = (
    "Benchmark alert explanations: train an autoencoder on benign rows, inject noise "
    "into one known feature or feature group of held-out benign rows, and score "
    "AE-pvalues, AE-abs, SHAP_AE and a random ranking by top-K accuracy and time."
)
#: Value of --data that selects the arithmetic toy set.
TOY = "toy"
#: Smallest --rows: the toy trains on half of its rows and the model needs 10.
TOY_MIN_ROWS = 20
#: Seeds must fit NumPy's and torch's generators: unsigned 32-bit integers.
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
    _noise_arguments(parser.add_argument_group("noise"))
    _method_arguments(parser.add_argument_group("methods and scores"))
    _model_arguments(parser.add_argument_group("data and model"))


def _noise_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--seeds", type=int, nargs="+", default=[0, 1, 2], help="injection seeds"
    )
    group.add_argument(
        "--rate", type=float, help="share of test rows noised (default: 0.01 toy, 1.0)"
    )
    group.add_argument(
        "--kinds",
        nargs="+",
        choices=("flip", "oob", "scale"),
        default=["flip", "oob", "scale"],
        help="perturbation kinds for flows (the toy set always flips)",
    )
    group.add_argument(
        "--factors",
        type=float,
        nargs="+",
        default=[2.0, 5.0, 10.0],
        help="scale factors (default 2 5 10)",
    )
    group.add_argument(
        "--targets",
        choices=("groups", "features"),
        default="groups",
        help="inject into feature groups or single features (flows; default groups)",
    )
    group.add_argument(
        "--groups",
        nargs="+",
        metavar="NAME",
        help="feature groups to inject into (default: all; quote names with spaces)",
    )


def _method_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--methods",
        nargs="+",
        choices=_METHOD_KEYS,
        help="methods to compare (default: all; shap only when installed)",
    )
    group.add_argument(
        "--shap-records",
        type=int,
        default=100,
        metavar="N",
        help="rows SHAP_AE explains per seed (top by MSE; default 100)",
    )
    group.add_argument(
        "--shap-background",
        type=int,
        default=200,
        metavar="N",
        help="background rows of Kernel SHAP (default 200)",
    )
    group.add_argument(
        "--shap-nsamples",
        default="auto",
        metavar="N",
        help="Kernel SHAP coalitions per row (default auto: 2d + 2048)",
    )
    group.add_argument(
        "--cutoffs",
        type=float,
        nargs="+",
        default=[0.7, 0.9],
        help="correlation cut-offs; the first is the headline (default 0.7 0.9)",
    )
    group.add_argument(
        "--fpr",
        type=float,
        default=0.01,
        help="false-positive rate defining detected rows (default 0.01)",
    )
    group.add_argument(
        "--tiebreak-fit",
        choices=("reference", "batch"),
        default="reference",
        help="where AE-pvalues fits its tie-breaker (default reference)",
    )


def _model_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        metavar="WIDTH",
        help="encoder layer widths (default: 4 2 toy, 64 32 16 flows)",
    )
    group.add_argument(
        "--epochs", type=int, help="maximum epochs (default: 200 toy, 100 flows)"
    )
    group.add_argument(
        "--model-seed", type=int, help="seed of split and model (default 1234 toy, 0)"
    )
    group.add_argument(
        "--rows", type=int, default=100_000, help="toy rows (default 100000)"
    )
    group.add_argument(
        "--test-fraction",
        type=float,
        default=0.4,
        help="share of benign flows held out (default 0.4)",
    )
    group.add_argument(
        "--max-benign", type=int, metavar="N", help="use at most N benign flows"
    )
    add_on_bad_lines(group, "flow files: ")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark, write the report, print the top-1 and time tables."""
    from workbench.errors import WorkbenchError
    from workbench.explain_bench.jobs import flow_benchmark, toy_benchmark
    from workbench.explain_bench.report import write_report

    problems = _problems(args)
    if problems:
        raise WorkbenchError("; ".join(problems))
    options = {**_model_options(args), **_bench_options(args)}

    if args.data == [TOY]:
        result = toy_benchmark(n_rows=args.rows, **options)
        title = "Explanation benchmark: toy arithmetic set"
    else:
        result = flow_benchmark(
            _benign_flows(args),
            test_fraction=args.test_fraction,
            max_benign=args.max_benign,
            targets=args.targets,
            groups=_groups(args.groups),
            kinds=args.kinds,
            factors=args.factors,
            **options,
        )
        title = f"Explanation benchmark: {', '.join(args.data)}"
    write_report(result, args.out, title=title)
    sys.stdout.write(summary(result, args.cutoffs[0], args.out))
    return 0


def summary(result: object, cutoff: float, out: str) -> str:
    """Top-1 accuracy per subset and the timing table, as terminal text."""
    from workbench.explain_bench.report import FILES, accuracy_table, time_table

    lines = []
    for subset in ("all", "detected", "SHAP rows"):
        table = accuracy_table(result, subset, ("strict", f"corr>={cutoff:g}"))
        if not table.empty:
            keep = ["method", "n", *[c for c in table.columns if c.endswith("top-1")]]
            lines += [f"top-1 accuracy, {subset} noised rows:"]
            lines += [table[keep].to_string(index=False), ""]
    lines += [time_table(result).to_string(index=False)]
    lines += [f"wrote {', '.join(FILES)} in {out}"]
    return "\n".join(lines) + "\n"


def _benign_flows(args: argparse.Namespace) -> pd.DataFrame:
    """The flows of --data, refused before any training when none is benign."""
    from workbench.errors import WorkbenchError
    from workbench.io import read_flows
    from workbench.schema import LABEL, is_benign

    flows = read_flows(
        args.data, on_bad_lines=args.on_bad_lines, progress=not args.quiet
    )
    labels = flows[LABEL] if LABEL in flows.columns else None
    if labels is not None and labels.notna().any() and not is_benign(labels).any():
        message = (
            f"--data: no flow of {', '.join(args.data)} is labelled benign; the "
            "benchmark trains on benign flows, so give captures of normal traffic "
            "to --data."
        )
        raise WorkbenchError(message)
    return flows


def _groups(names: list[str] | None) -> tuple:
    """The flow groups named on the command line (all when none is named)."""
    from workbench.errors import WorkbenchError
    from workbench.explain_bench.groups import FLOW_GROUPS

    if not names:
        return FLOW_GROUPS
    known = {group.name: group for group in FLOW_GROUPS}
    unknown = [name for name in names if name not in known]
    if unknown:
        message = f"--groups: unknown {unknown}; choose among {sorted(known)}"
        raise WorkbenchError(message)
    return tuple(known[name] for name in names)


def _problems(args: argparse.Namespace) -> list[str]:
    """One sentence per option outside its allowed range."""
    problems = _count_problems(args)
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
    if nsamples != "auto" and (not nsamples.isdigit() or int(nsamples) < 1):
        problems.append(f"--shap-nsamples must be 'auto' or a count, got {nsamples}")
    if not 0.0 < args.test_fraction < 1.0:
        problems.append(
            f"--test-fraction must lie strictly between 0 and 1, got "
            f"{args.test_fraction}"
        )
    if any(not factor > 0 for factor in args.factors):
        problems.append(f"--factors must be positive, got {args.factors}")
    problems += out_folder_problems(args.out)
    return problems


def _count_problems(args: argparse.Namespace) -> list[str]:
    """Row counts and seeds outside their ranges."""
    problems = []
    if args.data == [TOY] and args.rows < TOY_MIN_ROWS:
        problems.append(f"--rows must be at least {TOY_MIN_ROWS}, got {args.rows}")
    for name, value in (
        ("--max-benign", args.max_benign),
        ("--shap-records", args.shap_records),
        ("--shap-background", args.shap_background),
    ):
        if value is not None and value < 1:
            problems.append(f"{name} must be at least 1, got {value}")
    seeds = [*args.seeds] + ([] if args.model_seed is None else [args.model_seed])
    return problems + seed_problems("--seeds and --model-seed", seeds)


def _model_options(args: argparse.Namespace) -> dict:
    """Job keywords given on the command line (the job's defaults otherwise)."""
    given = {
        "epochs": args.epochs,
        "model_seed": args.model_seed,
        "rate": args.rate,
        "hidden": tuple(args.hidden) if args.hidden else None,
    }
    return {
        "progress": not args.quiet,
        **{k: v for k, v in given.items() if v is not None},
    }


def _bench_options(args: argparse.Namespace) -> dict:
    """Keyword arguments of ``run_benchmark`` from the command line."""
    from workbench.explain_bench.methods import METHOD_KEYS, available_methods
    from workbench.explain_bench.shap_ae import ShapAE

    if args.methods:
        methods = tuple(METHOD_KEYS[key] for key in args.methods)
    else:
        methods = available_methods()
    nsamples = args.shap_nsamples
    shap = ShapAE(
        n_records=args.shap_records,
        background_size=args.shap_background,
        nsamples=nsamples if nsamples == "auto" else int(nsamples),
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
