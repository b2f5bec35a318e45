"""AlertExplorer: a click or select() shows one alert's p-values, errors and flow."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.alert_explorer import AlertExplorer
from widgets.threshold_panel import ThresholdPanel
from workbench import charts, schema


def _lowest_alert(analysis):
    ids = analysis.alert_ids
    return int(ids[np.argmin(analysis.scores[ids])])


def test_alert_explorer_starts_on_the_highest_scoring_alert(analysis):
    """Without a click the explorer shows the top alert."""
    ids = analysis.alert_ids

    explorer = AlertExplorer(analysis)

    assert explorer.selected_alert_id == int(ids[np.argmax(analysis.scores[ids])])
    assert explorer.is_alert


def test_alert_explorer_click_shows_that_alerts_evidence(analysis, click):
    """Clicking an alert in the scatter explains that alert and shows its flow."""
    explorer = AlertExplorer(analysis)
    target = _lowest_alert(analysis)

    click(explorer.scatter, charts.ALERT_SELECTION, alert_id=target)

    assert explorer.selected_alert_id == target
    assert explorer.explanation["alert_id"].unique().tolist() == [target]
    assert len(explorer.explanation) == len(analysis.detector.feature_names)
    assert explorer.flow.loc[schema.UID, "value"] == analysis.flows[schema.UID][target]
    shown = explorer.bars.chart.to_dict()["datasets"].values()
    assert all(row["alert_id"] == target for rows in shown for row in rows)


def test_alert_explorer_select_does_what_a_click_does(analysis, click):
    """select() and a click give the same explanation; select() highlights the point."""
    target = _lowest_alert(analysis)
    clicked = AlertExplorer(analysis)
    click(clicked.scatter, charts.ALERT_SELECTION, alert_id=target)

    selected = AlertExplorer(analysis)
    selected.select(target)

    assert selected.explanation.equals(clicked.explanation)
    param = selected.scatter.chart.to_dict()["params"][0]
    assert param["value"] == [{"alert_id": target}]


def test_alert_explorer_keeps_evidence_when_threshold_passes_the_alert(analysis):
    """Raising the threshold above the selected alert flags it instead of failing."""
    panel = ThresholdPanel(analysis)
    explorer = AlertExplorer(analysis)
    target = _lowest_alert(analysis)
    explorer.select(target)

    panel.slider.value = panel.slider.min
    explorer.refresh_button.click()

    assert analysis.scores[target] <= panel.threshold_value
    assert explorer.selected_alert_id == target
    assert not explorer.is_alert
    assert "not an alert" in explorer.status
    assert explorer.explanation["alert_id"].unique().tolist() == [target]


def test_alert_explorer_without_alerts_shows_nothing(analysis):
    """A threshold above every score leaves nothing selected and says why."""
    analysis.detector.set_threshold(value=float(analysis.scores.max()))

    explorer = AlertExplorer(analysis)

    assert explorer.selected_alert_id is None
    assert explorer.explanation.empty
    assert "no alerts" in explorer.status
    assert explorer.select() is None


def test_alert_explorer_select_refuses_unknown_flows(analysis):
    """An id outside the analysed flows is an error, not a silent no-op."""
    explorer = AlertExplorer(analysis)

    with pytest.raises(IndexError, match="flow position"):
        explorer.select(len(analysis.scores))
