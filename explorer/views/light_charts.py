"""Pure figure builder for the three ways to make a model light: one small bar chart per measure."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.families.distilbert.light import Lightened
from explorer.views.room import themed

MEASURES = ("size", "time", "cosine", "top1")


def light_frame(result: Lightened, names: dict[str, str], measures: dict[str, str]) -> pd.DataFrame:
    """Tidy rows: model (its name), measure (its title), value: MB, ms, cosine, top-1 share if measured."""
    rows = []
    for v in result.variants:
        values = {"size": v.size_bytes / 1e6, "time": v.seconds * 1e3, "cosine": v.cosine, "top1": v.top1}
        for measure in MEASURES:
            if values[measure] is not None and measure in measures:
                rows.append({"model": names[v.line], "measure": measures[measure], "value": values[measure]})
    return pd.DataFrame(rows)


def light_chart(frame: pd.DataFrame, order: list[str]) -> alt.FacetChart:
    """A bar per model in each measure's own panel (its own scale), the value written on the bar; the
    models named once, in the legend below."""
    base = alt.Chart().encode(
        x=alt.X("model:N", title=None, sort=order, axis=None),
        y=alt.Y("value:Q", title=None),
    )
    legend = alt.Legend(title=None, orient="bottom", direction="horizontal", labelLimit=300)
    bars = base.mark_bar().encode(color=alt.Color("model:N", sort=order, legend=legend))
    labels = base.mark_text(dy=-6).encode(text=alt.Text("value:Q", format=".3~r"))
    chart = alt.layer(bars, labels, data=frame).properties(width=150, height=200)
    chart = chart.facet(
        column=alt.Column("measure:N", title=None, sort=list(dict.fromkeys(frame["measure"])))
    )
    return themed(chart.resolve_scale(y="independent"))
