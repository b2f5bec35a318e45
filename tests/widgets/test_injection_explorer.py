"""InjectionExplorer: a click or select() shows one noised sample's explanations."""

from __future__ import annotations

import pytest

from widgets.injection_explorer import InjectionExplorer
from workbench import charts
from workbench.explain_bench.figures import INJECTED_MARK
from workbench.explain_bench.jobs import toy_benchmark
from workbench.explain_bench.methods import ERROR_METHODS


@pytest.fixture(scope="module")
def samples():
    """Noised rows of a toy benchmark with a one-epoch autoencoder."""
    result = toy_benchmark(
        n_rows=2000,
        epochs=1,
        rate=0.05,
        seeds=(0,),
        methods=ERROR_METHODS,
        progress=False,
    )
    return result.samples


def _shown_features(explorer):
    datasets = explorer.bars.chart.to_dict()["datasets"].values()
    return {row["feature"] for rows in datasets for row in rows}


def test_injection_explorer_starts_on_sample_zero_without_shap(samples):
    """Without SHAP_AE rows the explorer shows sample 0 and describes it."""
    explorer = InjectionExplorer(samples)

    assert explorer.selected_sample == 0
    assert explorer.status.startswith("sample 0: flip on X")
    assert explorer.evidence["sample"].unique().tolist() == [0]


def test_injection_explorer_click_shows_that_sample(samples, click):
    """Clicking a point explains that sample and stars its injected bit."""
    explorer = InjectionExplorer(samples)
    target = 7
    injected = samples.table.loc[target, "target"]

    click(explorer.scatter, charts.ALERT_SELECTION, alert_id=target)

    assert explorer.selected_sample == target
    assert explorer.evidence["sample"].unique().tolist() == [target]
    assert explorer.evidence.loc[explorer.evidence["injected"], "feature"].tolist() == [
        injected
    ]
    assert INJECTED_MARK + injected in _shown_features(explorer)


def test_injection_explorer_select_does_what_a_click_does(samples, click):
    """select() and a click give the same evidence; select() highlights the point."""
    clicked = InjectionExplorer(samples)
    click(clicked.scatter, charts.ALERT_SELECTION, alert_id=4)

    selected = InjectionExplorer(samples)
    selected.select(4)

    assert selected.evidence.equals(clicked.evidence)
    param = selected.scatter.chart.to_dict()["params"][0]
    assert param["value"] == [{"alert_id": 4}]


def test_injection_explorer_unknown_sample_raises(samples):
    """A sample position beyond the noised rows is refused."""
    explorer = InjectionExplorer(samples)

    with pytest.raises(IndexError, match="sample"):
        explorer.select(len(samples.table))
