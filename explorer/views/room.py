"""How a chart is drawn for its room: Hangul fonts, type sized by the projector setting, map sizes."""

from __future__ import annotations

import altair as alt

FONT = "Noto Sans CJK KR, Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif"


def themed(chart: alt.Chart) -> alt.Chart:
    """Fonts that carry Hangul, for every chart of the app (browser and exported images)."""
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT)


BASE_TYPE = 12  # px, a chart's label type on a screen; titles a step larger
CROWDED = 32  # past this many tokens on an axis, their labels shrink so they do not overlap


def type_size(scale: float = 1.0, tokens: int = 0) -> float:
    """A chart's label size in px: `scale` times the base (larger on a projector), smaller when an axis
    names more than CROWDED tokens (never below 8 px)."""
    crowd = min(1.0, CROWDED / tokens) if tokens else 1.0
    return round(max(8.0, BASE_TYPE * scale * crowd), 1)


def room_size(size: int, scale: float = 1.0) -> int:
    """A figure's side in px for where it is shown: `size` on a screen, `scale` times it in the tour,
    so a map's cells grow with its type."""
    return round(size * scale)


def _configured(chart: alt.Chart, part: str, **values) -> alt.Chart:
    """`chart` with `values` added to its config's `part` (axis, legend, ...), keeping what it had:
    altair's configure_* replace a part whole."""
    chart = chart.copy(deep=["config"])
    if chart.config is alt.Undefined:
        chart.config = alt.Config()
    had = chart.config[part]
    old = {} if had is alt.Undefined else had.to_dict()
    chart.config[part] = {**values, **old} if part != "axisY" else {**old, **values}
    return chart


def for_room(chart: alt.Chart, scale: float = 1.0) -> alt.Chart:
    """Every chart as the page shows it: type sized by `scale` (1 on a screen, larger in the tour;
    sizes a builder set itself are kept) and y-axis titles written across, above the axis, so Korean
    reads as text, not as rotated glyphs."""
    size = type_size(scale)
    chart = _configured(chart, "axis", labelFontSize=size, titleFontSize=size + 1)
    chart = _configured(chart, "legend", labelFontSize=size, titleFontSize=size + 1)
    chart = _configured(chart, "header", labelFontSize=size + 1, titleFontSize=size + 1)
    chart = _configured(chart, "title", fontSize=size + 3)
    return _configured(
        chart, "axisY", titleAngle=0, titleAlign="left", titleAnchor="end", titleBaseline="bottom", titleY=-8
    )


def weight_legend(length: int = 200) -> alt.Legend:
    """The colour legend of an attention map: what a shade means, beside every heatmap."""
    return alt.Legend(title=None, orient="right", gradientLength=length, format=".1f")
