"""ThresholdPanel: the slider moves the threshold, the figures and the chart rule."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.threshold_panel import ThresholdPanel
from workbench import charts, schema
from workbench.autoencoder import AutoencoderDetector
from workbench.detector import Analysis, FlowDetector
from workbench.evaluation import detection_metrics


def test_threshold_panel_starts_at_the_detector_threshold(analysis):
    """Before any move the panel shows the detector's own threshold and alerts."""
    threshold = analysis.detector.autoencoder.threshold

    panel = ThresholdPanel(analysis)

    assert threshold.fpr is not None
    assert panel.fpr == threshold.fpr
    assert panel.threshold_value == threshold.value
    assert panel.alert_count == int(analysis.alerts.sum())
    assert getattr(panel.chart.params, charts.THRESHOLD_PARAM) == threshold.value


def test_threshold_panel_slider_moves_threshold_and_rule(analysis):
    """A larger target FPR lowers the cut, adds alerts and moves the chart rule."""
    panel = ThresholdPanel(analysis)
    before = panel.alert_count

    panel.slider.value = 0.2

    threshold = analysis.detector.autoencoder.threshold
    assert threshold.fpr == pytest.approx(0.2)
    assert panel.threshold_value == threshold.value
    assert panel.alert_count == int((analysis.scores > threshold.value).sum())
    assert panel.alert_count > before
    assert panel.reference_fpr <= 0.2
    assert getattr(panel.chart.params, charts.THRESHOLD_PARAM) == threshold.value


def test_threshold_panel_figures_match_detection_metrics(analysis):
    """Recall, precision and test FPR are those of the labelled flows at the cut."""
    panel = ThresholdPanel(analysis)

    panel.slider.value = 0.1

    expected = detection_metrics(
        analysis.flows[schema.LABEL], analysis.alerts, analysis.scores
    )
    assert panel.recall == expected["recall"]
    assert panel.precision == expected["precision"]
    assert panel.test_fpr == expected["fpr"]
    assert panel.recall is not None


def test_threshold_panel_moves_without_rescoring(analysis, monkeypatch):
    """Moving the slider neither refits nor runs the network."""
    panel = ThresholdPanel(analysis)

    def refuse(*args, **kwargs):
        raise AssertionError("the threshold panel must not rescore")

    monkeypatch.setattr(AutoencoderDetector, "errors", refuse)
    monkeypatch.setattr(AutoencoderDetector, "fit", refuse)
    monkeypatch.setattr(FlowDetector, "analyse", refuse)
    panel.slider.value = 0.3

    assert panel.fpr == pytest.approx(0.3)


def test_threshold_panel_without_labels_reports_counts_only(analysis):
    """Unlabelled flows give alert counts, and None for the labelled figures."""
    flows = analysis.flows.drop(columns=[schema.LABEL, schema.DETAILED_LABEL])
    unlabelled = Analysis(
        analysis.detector, flows, analysis.inputs, analysis.errors, analysis.scores
    )

    panel = ThresholdPanel(unlabelled)
    panel.slider.value = 0.1

    assert panel.alert_count == int(np.sum(unlabelled.alerts))
    assert (panel.recall, panel.precision, panel.test_fpr) == (None, None, None)
