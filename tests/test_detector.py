import numpy as np
import pandas as pd
import pytest

from workbench import schema
from workbench.autoencoder import AutoencoderDetector
from workbench.detector import FlowDetector
from workbench.errors import ModelFileError, NotFittedError, SchemaError


@pytest.fixture
def fitted(toy_flows):
    ae = AutoencoderDetector(hidden=(16, 4), max_epochs=40, progress=False, seed=1)
    return FlowDetector(autoencoder=ae).fit(toy_flows)


def test_detector_flags_odd_flow_and_explains_it(fitted, toy_flows):
    """A DNS flow with a huge payload is an alert with bytes among its top features."""
    odd = toy_flows.head(3).copy()
    odd[schema.ORIG_BYTES] = 5e7
    flows = pd.concat([toy_flows, odd], ignore_index=True)

    analysis = fitted.analyse(flows)
    table = analysis.explain(top=3)

    assert set(analysis.alert_ids) >= {60, 61, 62}
    odd_rows = table[table["alert_id"].isin([60, 61, 62])]
    named = odd_rows.groupby("alert_id")["feature"].agg(set)
    assert all("log(orig_bytes)" in features for features in named)
    assert list(table.columns[:4]) == ["alert_id", "feature", "rank", "p_value"]


def test_detector_abs_ranking_uses_absolute_error(fitted, toy_flows):
    """The AE-abs table orders each alert's features by |error|, largest first."""
    analysis = fitted.analyse(toy_flows)

    table = analysis.explain([0, 1], method="abs")

    for _, rows in table.groupby("alert_id"):
        errors = rows.sort_values("rank")["error"].abs().to_numpy()
        assert (np.diff(errors) <= 0).all()
    with pytest.raises(ValueError, match="method"):
        analysis.explain([0], method="shap")


def test_detector_threshold_moves_alerts_without_rescoring(fitted, toy_flows):
    """Setting a lower cut on the same analysis raises more alerts, same scores."""
    analysis = fitted.analyse(toy_flows)
    scores = analysis.scores.copy()
    before = analysis.alerts.sum()

    fitted.set_threshold(value=float(np.median(scores)))

    assert analysis.alerts.sum() > before
    np.testing.assert_array_equal(analysis.scores, scores)


def test_detector_save_load_same_explanations(tmp_path, fitted, toy_flows):
    """A reloaded model gives identical scores and p-values."""
    fitted.save(tmp_path / "model")

    again = FlowDetector.load(tmp_path / "model")

    a, b = fitted.analyse(toy_flows), again.analyse(toy_flows)
    np.testing.assert_array_equal(a.scores, b.scores)
    pd.testing.assert_frame_equal(a.explain([0, 5]), b.explain([0, 5]))


def test_detector_refuses_bad_use(tmp_path, toy_flows):
    """Malicious training rows, unfitted use and missing folders raise clear errors."""
    poisoned = toy_flows.assign(**{schema.LABEL: schema.MALICIOUS})

    with pytest.raises(SchemaError, match="malicious"):
        FlowDetector().fit(poisoned)
    with pytest.raises(NotFittedError):
        FlowDetector().analyse(toy_flows)
    with pytest.raises(ModelFileError, match="detector.json"):
        FlowDetector.load(tmp_path)


def test_detector_explain_no_alerts_is_empty(fitted, toy_flows):
    """Explaining an empty selection gives an empty table with the usual columns."""
    analysis = fitted.analyse(toy_flows)

    table = analysis.explain([])

    assert table.empty
    assert list(table.columns[:3]) == ["alert_id", "feature", "rank"]


def test_detector_load_damaged_files(tmp_path, fitted):
    """A truncated tensor file or a foreign detector.json is a ModelFileError."""
    fitted.save(tmp_path / "m")
    npz = tmp_path / "m" / "autoencoder.npz"
    npz.write_bytes(npz.read_bytes()[:100])

    with pytest.raises(ModelFileError, match="autoencoder"):
        FlowDetector.load(tmp_path / "m")
    fitted.save(tmp_path / "n")
    (tmp_path / "n" / "detector.json").write_text('{"format": 99}')
    with pytest.raises(ModelFileError, match="format"):
        FlowDetector.load(tmp_path / "n")
