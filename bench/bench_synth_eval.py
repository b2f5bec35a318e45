"""Synthetic-flow evaluation: time of a full evaluation, and the paper's table measured.

Part 1 times one evaluation run of every metric (Density/Coverage, CMD, PCD, both EMDs,
JSD, DKC, MD, then the ACF difference) on 10,000 real against 10,000 generated flows
(resampled CIDDS-001 sessions; target under 60 s on 2 cores) and prints the seconds per
metric. Part 2 splits the bundled CIDDS-001 sample in time (first half trains, the rest
shifted onto the training days is the Reference, a third of it the MD holdout), fits
FlowChronicle and the baselines, evaluates R runs of n flows and prints the measured
table beside the published one (spec section 8), with ranks among the same generators.

Run: .venv/bin/python bench/bench_synth_eval.py [--runs 20] [--n 2000] [--skip-timing]
     [--skip-table] [--deep] [--epochs 300] [--max-iterations N] [--out DIR]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from workbench.datasets import bundled
from workbench.flowchronicle.prepare import prepare_sessions
from workbench.io import read_flows
from workbench.synth_eval.density import density_coverage
from workbench.synth_eval.dkc import dkc
from workbench.synth_eval.fidelity import cmd, emd_ref, emd_w1, jsd, pcd
from workbench.synth_eval.paper import paper_acfd, paper_means, paper_ranks
from workbench.synth_eval.privacy import membership_disclosure
from workbench.synth_eval.report import markdown_table, side_by_side, write_report
from workbench.synth_eval.run import RANKED_METRICS, evaluate, fit_generators
from workbench.synth_eval.schema import metric_frame
from workbench.synth_eval.split import split_by_time
from workbench.synth_eval.temporal import acf_difference

TARGET_SECONDS = 60.0
CIDDS = ("cidds001", "cidds001_week3_sample8k.csv")


def resampled(sessions: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """n sessions drawn with replacement, start times jittered by up to a minute."""
    rng = np.random.default_rng(seed)
    out = sessions.iloc[rng.integers(0, len(sessions), n)].reset_index(drop=True)
    return out.assign(ts=out["ts"] + rng.uniform(-60, 60, n))


def timing(n: int) -> None:
    """Seconds of every metric on n against n flows."""
    sessions = prepare_sessions(read_flows(bundled(*CIDDS)))
    real, fake, held = (metric_frame(resampled(sessions, n, s)) for s in (1, 2, 3))
    steps = {
        "Density+Coverage": lambda: density_coverage(real, fake),
        "CMD": lambda: cmd(real, fake),
        "PCD": lambda: pcd(real, fake),
        "EMD_ref": lambda: emd_ref(real, fake),
        "EMD_W1": lambda: emd_w1(real, fake),
        "JSD": lambda: jsd(real, fake),
        "DKC": lambda: dkc(fake),
        "MD": lambda: membership_disclosure(real, fake, held),
        "ACFD (full tables)": lambda: acf_difference(real, fake),
    }
    total = 0.0
    print(f"## One evaluation of {n:,} real against {n:,} generated flows")
    for name, step in steps.items():
        start = time.perf_counter()
        step()
        seconds = time.perf_counter() - start
        total += seconds
        print(f"{name:>20}: {seconds:6.2f} s")
    verdict = "meets" if total <= TARGET_SECONDS else "misses"
    print(f"{'total':>20}: {total:6.2f} s (target {TARGET_SECONDS:.0f} s: {verdict})")


def table(args: argparse.Namespace) -> None:
    """Fit the generators on the first half of CIDDS-001, evaluate, compare."""
    parts = split_by_time(read_flows(bundled(*CIDDS)), seed=args.seed)
    names = ["flowchronicle", "independent-bn", "sequence-bn"]
    names += ["tvae", "ctgan"] if args.deep else []
    options = {
        "flowchronicle": {"max_iterations": args.max_iterations},
        "ctgan": {"epochs": args.epochs},
        "tvae": {"epochs": args.epochs},
    }
    fit_seconds = {}
    synthetic = {}
    for name in names:
        start = time.perf_counter()
        synthetic |= fit_generators(
            parts.train, [name], options=options, seed=args.seed, progress=False
        )
        fit_seconds[name] = time.perf_counter() - start
    start = time.perf_counter()
    result = evaluate(
        parts.train,
        parts.reference,
        synthetic,
        holdout=parts.holdout,
        runs=args.runs,
        n=args.n,
        seed=args.seed,
        progress=False,
    )
    eval_seconds = time.perf_counter() - start
    if args.out:
        write_report(result, args.out)

    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)
    models = list(result.means.index)
    print(
        "\n## Fit seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in fit_seconds.items())
    )
    print(f"## Evaluation: {eval_seconds:.0f} s for {args.runs} runs\n")
    print(markdown_table(result))
    print("\n## Measured (ours) beside published (paper) means")
    both = side_by_side(result.means[list(RANKED_METRICS)], paper_means(models))
    print(both.round(3).to_string())
    print("\n## Ranks: ours, and the paper's means re-ranked among the same generators")
    print(result.ranks.to_string())
    print(paper_ranks([m for m in models if m != "Reference"]).to_string())
    print("\n## ACF difference x 1e5: ours, then the paper's")
    print(result.acfd.round(2).to_string())
    print(paper_acfd().loc[lambda t: t.index.isin(models)].to_string())
    print("\n## Valid MD runs")
    print(result.summary.xs("MD", level="metric")["valid"].to_string())


def main() -> None:
    """Run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--timing-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-iterations", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--deep", action="store_true", help="add TVAE and CTGAN")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-table", action="store_true")
    parser.add_argument("--out", default=None, help="also write the report here")
    args = parser.parse_args()
    if not args.skip_timing:
        timing(args.timing_n)
    if not args.skip_table:
        table(args)


if __name__ == "__main__":
    main()
