"""Chart display without a network: offline JupyterChart, inline HTML, messages.

The first chart widget built turns on Altair's offline mode, which bundles the Vega
JavaScript from ``vl-convert-python`` instead of loading it from a CDN. Nothing here
computes data; the panels pass finished Altair charts.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["enable_offline", "offline_chart", "message_chart"]


def enable_offline() -> None:
    """Render every chart of this kernel without a CDN, also in exported HTML.

    Static charts become HTML outputs that carry the Vega JavaScript inline (about
    1 MB each, from ``vl-convert-python``), so executed notebooks and their HTML
    exports show them offline; chart widgets load the same bundle.
    """
    alt.renderers.enable("html", template="inline")
    alt.JupyterChart.enable_offline()


def offline_chart(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """Wrap ``chart`` in a :class:`altair.JupyterChart` that needs no CDN."""
    # Bundling the JavaScript takes a few seconds once per process; Altair caches it.
    alt.JupyterChart.enable_offline()
    return alt.JupyterChart(chart)


def message_chart(text: str) -> alt.Chart:
    """A small chart that shows one line of text, in place of an empty figure."""
    return (
        alt.Chart(pd.DataFrame({"message": [text]}))
        .mark_text(fontSize=14, align="left", x=5)
        .encode(text="message:N")
        .properties(width=520, height=40)
    )
