import numpy as np
import pandas as pd
import pytest

from workbench import schema
from workbench.errors import ModelFileError, NotFittedError, SchemaError
from workbench.features import FlowEncoder


def test_encoder_feature_names_readable(toy_flows):
    """Names say what each column means: log counts, one-hots, ports, flags."""
    encoder = FlowEncoder()

    encoder.fit(toy_flows)

    names = encoder.feature_names_
    for expected in (
        "log(orig_bytes)",
        "missing(orig_bytes)",
        "proto=udp",
        "proto=other",
        "proto=missing",
        "id.resp_p=53",
        "id.resp_p system",
        "id.orig_h internal",
    ):
        assert expected in names
    assert len(names) == len(set(names)) == len(encoder.feature_fields_)


def test_encoder_transform_matches_layout(toy_flows):
    """One column per feature name, scaled counts in [0, 1] on training rows."""
    encoder = FlowEncoder().fit(toy_flows)

    X = encoder.transform(toy_flows)

    assert X.shape == (len(toy_flows), len(encoder.feature_names_))
    assert X.dtype == np.float32
    col = encoder.feature_names_.index("log(orig_bytes)")
    assert X[:, col].min() == pytest.approx(0.0) and X[:, col].max() == pytest.approx(
        1.0
    )
    udp = X[:, encoder.feature_names_.index("proto=udp")]
    assert np.array_equal(udp == 1, toy_flows[schema.PROTO].eq("udp").to_numpy())


def test_encoder_does_not_clip_out_of_range(toy_flows):
    """A test value far beyond training stays beyond 1 after scaling."""
    encoder = FlowEncoder().fit(toy_flows)
    big = toy_flows.head(1).copy()
    big[schema.ORIG_BYTES] = 1e9

    X = encoder.transform(big)

    assert X[0, encoder.feature_names_.index("log(orig_bytes)")] > 1.5


def test_encoder_unseen_and_missing_categories(toy_flows):
    """Unseen values go to =other, missing ones to =missing, with flags raised."""
    encoder = FlowEncoder().fit(toy_flows)
    odd = toy_flows.head(2).copy()
    odd[schema.PROTO] = pd.array(["icmp", None], dtype="string")
    odd[schema.ORIG_BYTES] = [np.nan, np.inf]

    X = encoder.transform(odd)

    names = encoder.feature_names_
    assert (
        X[0, names.index("proto=other")] == 1
        and X[1, names.index("proto=missing")] == 1
    )
    assert X[:, names.index("missing(orig_bytes)")].tolist() == [1.0, 1.0]
    assert np.isfinite(X).all()


def test_encoder_round_trip_json(tmp_path, toy_flows):
    """A saved and reloaded encoder produces the same matrix."""
    encoder = FlowEncoder().fit(toy_flows)
    encoder.save(tmp_path / "enc.json")

    again = FlowEncoder.load(tmp_path / "enc.json")

    assert again.feature_names_ == encoder.feature_names_
    np.testing.assert_array_equal(
        again.transform(toy_flows), encoder.transform(toy_flows)
    )


def test_encoder_extra_numeric_columns_kept(toy_flows):
    """Extra numeric columns (CICFlowMeter statistics) become features."""
    flows = toy_flows.assign(**{"Flow IAT Max": np.linspace(0, 10, len(toy_flows))})

    encoder = FlowEncoder().fit(flows)

    assert "log(Flow IAT Max)" in encoder.feature_names_
    assert (
        "log(Flow IAT Max)"
        not in FlowEncoder(extra_numeric=False).fit(flows).feature_names_
    )


def test_encoder_errors(tmp_path, toy_flows):
    """Unfitted use, missing fields, absent columns and bad files raise clear errors."""
    with pytest.raises(NotFittedError):
        FlowEncoder().transform(toy_flows)
    with pytest.raises(SchemaError, match="missing canonical fields"):
        FlowEncoder().fit(toy_flows.drop(columns=[schema.PROTO]))
    fitted = FlowEncoder().fit(toy_flows.assign(extra=1.0))
    with pytest.raises(SchemaError, match="extra"):
        fitted.transform(toy_flows)
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ModelFileError, match="bad.json"):
        FlowEncoder.load(tmp_path / "bad.json")


def test_encoder_load_refuses_non_object_json(tmp_path):
    """A JSON list is not an encoder; the message says so and names the file."""
    (tmp_path / "list.json").write_text("[1, 2]")

    with pytest.raises(ModelFileError, match="list.json.*JSON object"):
        FlowEncoder.load(tmp_path / "list.json")
