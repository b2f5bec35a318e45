"""Ranks of generators per metric and their average, as the published table does.

Ranks use the unrounded means with ties sharing the lowest rank; Density and Coverage
rank higher-is-better, MD by its distance to the Reference row's MD, all others
lower-is-better. The Reference row is never ranked. Means are computed elsewhere.
"""

from __future__ import annotations

import pandas as pd

from workbench.errors import SchemaError

__all__ = ["HIGHER_IS_BETTER", "TO_REFERENCE", "REFERENCE", "rank_generators"]

#: Metrics where a larger value is better.
HIGHER_IS_BETTER = frozenset({"Density", "Coverage"})
#: Metrics ranked by the distance to the Reference row's value.
TO_REFERENCE = frozenset({"MD"})
#: Name of the row holding fresh real data.
REFERENCE = "Reference"


def rank_generators(means: pd.DataFrame, *, reference: str = REFERENCE) -> pd.DataFrame:
    """Rank each generator per metric and add the mean rank.

    Parameters
    ----------
    means : pandas.DataFrame
        One row per generator (index: names, ``reference`` included when MD is to be
        ranked), one column per metric.
    reference : str, default "Reference"
        Name of the fresh-real-data row; it gets no rank.

    Returns
    -------
    pandas.DataFrame
        Integer-valued ranks per metric (NaN where a mean is NaN) and ``mean rank``
        over the ranked metrics, generators in the input order.

    Raises
    ------
    SchemaError
        If MD is to be ranked but there is no Reference row.

    Examples
    --------
    >>> means = pd.DataFrame({"JSD": [0.1, 0.2, 0.1, 0.0],
    ...                       "Density": [0.5, 0.9, 0.1, 0.7],
    ...                       "MD": [5.0, 6.0, 9.0, 6.5]},
    ...                      index=["A", "B", "C", "Reference"])
    >>> rank_generators(means).round(2).to_dict("list")  # MD: |5 - 6.5| = 1.5 ...
    ... # doctest: +NORMALIZE_WHITESPACE
    {'JSD': [1.0, 3.0, 1.0], 'Density': [2.0, 1.0, 3.0], 'MD': [2.0, 1.0, 3.0],
     'mean rank': [1.67, 1.67, 2.33]}
    """
    generators = means.drop(index=reference, errors="ignore")
    scores = {}
    for metric in means.columns:
        values = generators[metric]
        if metric in TO_REFERENCE:
            if reference not in means.index:
                message = (
                    f"ranking {metric} needs the row {reference!r} (fresh real data); "
                    "evaluate with a reference table."
                )
                raise SchemaError(message)
            values = (values - means.loc[reference, metric]).abs()
        ascending = metric not in HIGHER_IS_BETTER
        scores[metric] = values.rank(method="min", ascending=ascending)
    ranks = pd.DataFrame(scores, index=generators.index)
    ranks["mean rank"] = ranks.mean(axis=1, skipna=True)
    return ranks
