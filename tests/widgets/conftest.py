"""Widget fixtures: a small scored capture and a simulated chart click."""

from __future__ import annotations

import pytest

from workbench.autoencoder import AutoencoderDetector
from workbench.datasets import IOT23_BENIGN, IOT23_MIRAI, bundled
from workbench.detector import FlowDetector
from workbench.io import read_flows

#: Target false-positive rate each test starts from.
START_FPR = 0.05


@pytest.fixture(scope="module")
def fitted_analysis():
    """A detector trained 3 epochs on two honeypots, scoring 600 Mirai 34-1 flows."""
    train = read_flows([bundled(p) for p in IOT23_BENIGN[1:]], progress=False)
    test = read_flows(bundled(IOT23_MIRAI), progress=False).head(600)
    autoencoder = AutoencoderDetector(
        max_epochs=3, fpr=START_FPR, seed=0, progress=False
    )
    detector = FlowDetector(autoencoder=autoencoder).fit(train)
    return detector.analyse(test)


@pytest.fixture
def analysis(fitted_analysis):
    """The module's analysis with its threshold back at the starting FPR."""
    fitted_analysis.detector.set_threshold(fpr=START_FPR)
    return fitted_analysis


@pytest.fixture
def click():
    """Simulate a browser click on one point of a JupyterChart selection.

    Sets the chart's synced selection state the way the front end does (and Altair's
    own tests do): the Vega signal value plus the selection store.
    """

    def _click(chart, selection, **fields):
        signal = {
            **{name: [value] for name, value in fields.items()},
            "vlPoint": {"or": [dict(fields)]},
        }
        store = [
            {
                "unit": "concat_0",
                "fields": [{"field": name, "type": "E"} for name in fields],
                "values": list(fields.values()),
            }
        ]
        chart._vl_selections = {
            **chart._vl_selections,
            selection: {"value": signal, "store": store},
        }

    return _click
