import numpy as np
import pytest

from workbench.errors import SchemaError
from workbench.thresholds import Threshold


@pytest.mark.parametrize("fpr", [0.001, 0.01, 0.05, 0.1, 0.3])
def test_threshold_fpr_bounded_on_reference(fpr):
    """The empirical FPR on the reference scores never exceeds the target."""
    scores = np.random.default_rng(1).exponential(size=1000)

    threshold = Threshold(scores, fpr=fpr)

    assert threshold.reference_fpr <= fpr
    assert threshold.reference_fpr > fpr - 2 / len(scores)


def test_threshold_order_statistic_rule():
    """tau is the ceil((1 - a) n)-th smallest reference score."""
    threshold = Threshold([5.0, 1.0, 3.0, 2.0, 4.0], fpr=0.4)

    assert threshold.value == 3.0
    assert threshold.set(quantile=1.0).value == 5.0
    assert threshold.set(value=2.5).alerts([2.0, 3.0]).tolist() == [False, True]
    assert threshold.fpr is None


def test_threshold_instance_pvalues_conformal():
    """p = (1 + #{r >= s}) / (n + 1)."""
    threshold = Threshold([0.0, 1.0, 2.0, 3.0])

    p = threshold.instance_pvalues([-1.0, 2.0, 9.0])

    np.testing.assert_allclose(p, [5 / 5, 3 / 5, 1 / 5])


def test_threshold_bad_input():
    """Empty or non-finite reference scores and ambiguous settings are refused."""
    with pytest.raises(SchemaError):
        Threshold([])
    with pytest.raises(SchemaError):
        Threshold([1.0, np.nan])
    with pytest.raises(ValueError, match="exactly one"):
        Threshold([1.0, 2.0]).set(fpr=0.1, value=1.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Threshold([1.0, 2.0]).set(fpr=1.5)
