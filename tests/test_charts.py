"""Chart specs of the detection lab: parameters, selections, encodings, row counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench import charts, schema
from workbench.autoencoder import AutoencoderDetector
from workbench.datasets import IOT23_BENIGN, IOT23_MIRAI, bundled
from workbench.detector import FlowDetector
from workbench.errors import SchemaError
from workbench.io import read_flows


@pytest.fixture(scope="module")
def analysis():
    """A detector trained 3 epochs on two honeypots, scoring 600 Mirai 34-1 flows."""
    train = read_flows([bundled(p) for p in IOT23_BENIGN[1:]], progress=False)
    test = read_flows(bundled(IOT23_MIRAI), progress=False).head(600)
    autoencoder = AutoencoderDetector(max_epochs=3, fpr=0.05, seed=0, progress=False)
    detector = FlowDetector(autoencoder=autoencoder).fit(train)
    return detector.analyse(test)


def _explanation(errors, p_values, alert_id=4):
    features = [f"f{i}" for i in range(len(errors))]
    order = np.argsort(p_values, kind="stable")
    return pd.DataFrame(
        {
            "alert_id": alert_id,
            "feature": np.array(features)[order],
            "rank": np.arange(1, len(errors) + 1),
            "p_value": np.asarray(p_values)[order],
            "error": np.asarray(errors)[order],
        }
    )


def _dataset(spec, rows_containing):
    return next(
        rows for rows in spec["datasets"].values() if rows_containing in rows[0]
    )


def test_score_bins_share_sums_to_one_per_group():
    """Each group's shares add up to one, whatever its size."""
    rng = np.random.default_rng(0)
    reference, test = rng.lognormal(size=50), rng.lognormal(1.0, size=700)

    table = charts.score_bins(reference, test, bins=20)

    totals = table.groupby("group")["share"].sum()
    assert totals.round(9).tolist() == [1.0, 1.0]
    assert table.groupby("group")["flows"].sum().sort_values().tolist() == [50, 700]


def test_score_bins_split_test_scores_by_label():
    """Labelled test scores form one group per label, unlabelled rows their own."""
    labels = [schema.BENIGN, schema.MALICIOUS, None, schema.MALICIOUS]

    table = charts.score_bins([0.1, 0.2], [0.1, 0.5, 0.3, 0.9], labels, bins=5)

    counts = table.groupby("group")["flows"].sum().to_dict()
    assert counts["test: malicious"] == 2
    assert counts["test: benign"] == 1
    assert counts["test: unlabelled"] == 1


def test_score_distribution_threshold_is_a_param_on_a_log_axis():
    """The rule reads the threshold param; scores sit on a log-scaled x axis."""
    rng = np.random.default_rng(1)

    spec = charts.score_distribution(
        rng.lognormal(size=100), rng.lognormal(size=100), 2.5, bins=30
    ).to_dict()

    assert spec["params"] == [{"name": charts.THRESHOLD_PARAM, "value": 2.5}]
    areas, rule = spec["layer"]
    assert areas["encoding"]["x"]["scale"] == {"type": "log"}
    assert rule["encoding"]["x"]["datum"] == {"expr": charts.THRESHOLD_PARAM}


def test_score_distribution_bins_large_inputs_below_the_row_limit():
    """A hundred thousand scores become one row per group and bin."""
    rng = np.random.default_rng(2)
    labels = rng.choice([schema.BENIGN, schema.MALICIOUS], size=100_000)

    spec = charts.score_distribution(
        rng.lognormal(size=5_000),
        rng.lognormal(size=100_000),
        1.0,
        test_labels=labels,
        bins=60,
    ).to_dict()

    rows = _dataset(spec, "share")
    assert len(rows) == 3 * 60


def test_alert_scatter_selects_alert_ids_and_colours_by_truth():
    """The point selection is named 'alert' on field alert_id; colour shows labels."""
    points = pd.DataFrame(
        {
            "alert_id": [2, 7],
            "score": [0.3, 4.0],
            "time": pd.to_datetime([1.6e9, 1.6e9 + 5], unit="s"),
            "truth": ["benign", "DDoS"],
        }
    )

    spec = charts.alert_scatter(points, selection=charts.alert_selection(7)).to_dict()

    param = spec["params"][0]
    assert param["name"] == charts.ALERT_SELECTION
    assert param["select"]["fields"] == ["alert_id"]
    assert param["value"] == [{"alert_id": 7}]
    assert spec["encoding"]["x"]["field"] == "time"
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["field"] == "truth"


def test_alert_scatter_falls_back_to_alert_index_without_time():
    """Flows without timestamps are placed by alert id, uncoloured."""
    points = pd.DataFrame({"alert_id": [2, 7], "score": [0.3, 4.0]})

    spec = charts.alert_scatter(points).to_dict()

    assert spec["encoding"]["x"]["field"] == "alert_id"
    assert "color" not in spec["encoding"]


def test_pvalue_bars_put_rank_one_on_top_and_floor_zero():
    """Bars sort by rank; a zero p-value is drawn at the floor and flagged."""
    table = _explanation([0.1, -2.0, 0.5, 0.0], [0.3, 0.0, 0.01, 1.0])

    spec = charts.pvalue_bars(table, top=3).to_dict()

    bars, marks = spec["layer"]
    assert bars["encoding"]["y"]["sort"]["field"] == "rank"
    assert bars["encoding"]["y"]["sort"]["order"] == "ascending"
    assert marks["transform"] == [{"filter": "datum.beyond_reference"}]
    rows = _dataset(spec, "minus_log10_p")
    assert [r["feature"] for r in rows] == ["f1", "f2", "f0"]
    assert rows[0]["minus_log10_p"] == pytest.approx(-np.log10(charts.P_FLOOR))
    assert [r["beyond_reference"] for r in rows] == [True, False, False]


def test_error_bars_rank_features_by_absolute_error():
    """The error chart re-ranks a p-value table by |error|, largest first."""
    table = _explanation([0.1, -2.0, 0.5, 0.0], [0.3, 0.0, 0.01, 1.0])

    spec = charts.error_bars(table, top=2).to_dict()

    rows = _dataset(spec, "abs_rank")
    assert [(r["feature"], r["abs_rank"]) for r in rows] == [("f1", 1), ("f2", 2)]
    assert rows[0]["direction"] == "input above reconstruction"


def test_alert_bars_refuse_two_alerts():
    """Side-by-side bars draw one alert; a table of two is refused."""
    table = pd.concat([_explanation([1.0], [0.1], 1), _explanation([1.0], [0.1], 2)])

    with pytest.raises(SchemaError, match="one alert"):
        charts.alert_bars(table)


def test_label_counts_count_detailed_labels():
    """Counts go per label and detailed label, largest first."""
    flows = pd.DataFrame(
        {
            schema.LABEL: ["benign", "malicious", "malicious", "malicious"],
            schema.DETAILED_LABEL: [None, "C&C", "DDoS", "DDoS"],
        }
    )

    counts = charts.label_counts(flows)

    assert counts["flows"].tolist() == [2, 1, 1]
    assert counts.iloc[0][schema.DETAILED_LABEL] == "DDoS"


def test_alert_points_keep_the_highest_scores(analysis):
    """The cap keeps the highest-scoring alerts, in flow order."""
    limit = 5

    points = charts.alert_points(analysis, limit=limit)

    ids = analysis.alert_ids
    best = np.sort(analysis.scores[ids])[-limit:]
    assert len(points) == limit
    assert np.allclose(np.sort(points["score"].to_numpy()), best)
    assert points["alert_id"].is_monotonic_increasing
    assert {"time", "truth"} <= set(points.columns)


def test_linked_alerts_filter_bars_by_the_alert_selection(analysis):
    """Both bar charts filter on the scatter's selection, set first on the top alert."""
    spec = charts.linked_alerts(analysis, max_alerts=8, top=4).to_dict()

    param = spec["params"][0]
    top_alert = analysis.alert_ids[np.argmax(analysis.scores[analysis.alert_ids])]
    assert param["name"] == charts.ALERT_SELECTION
    assert param["value"] == [{"alert_id": int(top_alert)}]
    bars = spec["hconcat"][1]["vconcat"]
    for chart in bars:
        assert chart["transform"] == [
            {"filter": {"param": charts.ALERT_SELECTION, "empty": False}}
        ]
    sizes = sorted(len(rows) for rows in spec["datasets"].values())
    assert sizes == [8, 8 * 4, 8 * 4]
