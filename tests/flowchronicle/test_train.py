"""Tests for the one-call training of a model from a flow table."""

from __future__ import annotations

from workbench.flowchronicle.sample import sample_flows
from workbench.flowchronicle.search import SearchSettings
from workbench.flowchronicle.train import train_model


def test_train_model_on_real_records_generates(cidds_small):
    """CIDDS-001 records -> model -> synthetic flows with the same columns."""
    flows = cidds_small

    model, result = train_model(
        flows, settings=SearchSettings(max_iterations=2, progress=False), n_bins=10
    )
    synthetic = sample_flows(model, 300, seed=0)

    assert model.metadata["discretisation"]["bins"] == 10
    assert model.metadata["n_flows"] == result.prepared.n
    assert len(synthetic) == 300
    assert set(synthetic["proto"].dropna()) <= set(flows["proto"].dropna())
    assert synthetic["tcp_flags"].str.len().eq(6).all()
