"""How a chart is drawn for its room: Hangul fonts, type sized by the projector setting, map sizes."""

from __future__ import annotations

from dataclasses import dataclass

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


def weight_legend(length: int | dict = 200) -> alt.Legend:
    """The colour legend of an attention map: what a shade means, beside every heatmap; `length` in px
    or a Vega expression ({"expr": ...})."""
    return alt.Legend(title=None, orient="right", gradientLength=length, format=".1f")


FIT = alt.AutoSizeParams(type="fit-x", contains="padding")  # as wide as its box: names and legend inside
ROW_PAD = 4  # px a labelled row is taller than its label, so neighbouring names do not touch
LABEL_LIMIT = 260  # px a token's name may take before it is cut ("15 afterwa…" at the tour's type size)
LEGEND_PX = 60  # px a colour legend takes beside a map: its gap, gradient and numbers
PADDING_PX = 12  # px Vega pads a chart with and the gap between names and plot, both sides together
BOX = "box"  # usermeta key: the px width of the box a kept chart is drawn in (room.box_width)


def text_px(text: str, size: float) -> float:
    """About how many px `text` takes at `size` px type: a Latin letter or digit about 0.6 of `size`,
    Hangul (and other wide script) all of it."""
    return sum(size if ord(c) >= 0x1100 else 0.6 * size for c in text)


def kept(chart: alt.Chart, width: float, height: float, follows: str, margin: float) -> alt.Chart:
    """The one rule for a chart drawn at its own size (a map of cells, a diagram): its plot `width` x
    `height` px in a box `width + margin` px wide (margin: names, legend; room.box_width), and in a
    narrower column as wide as the column at the same aspect: its height is `follows`, a Vega expression
    of the plot's `width` (autosize fit-x: names and legend inside), so cells stay square."""
    chart = chart.properties(
        width=round(width), height=round(height), autosize=FIT, usermeta={BOX: round(width + margin)}
    )
    return chart.add_params(alt.param(name="height", expr=follows))


def box_width(chart: alt.Chart) -> int | None:
    """The px width of the box a kept chart is drawn in (room.kept), None for any other chart."""
    meta = getattr(chart, "usermeta", alt.Undefined)
    return meta.get(BOX) if isinstance(meta, dict) else None


@dataclass(frozen=True)
class Grid:
    """A map of cells as drawn: its shape, the type of its row and column names, one cell's size (px) and
    the px its row names take (at most LABEL_LIMIT) and the least height of a named row (0: unnamed)."""

    rows: int
    cols: int
    row_label: float
    col_label: float
    cell_width: float
    cell_height: float
    names_px: float = 0.0
    row_min: float = 0.0

    def y_axis(self) -> alt.Axis:
        """Every row named at the label size, the first and last too (labelFlush off)."""
        return alt.Axis(
            labelOverlap=False, labelFontSize=self.row_label, labelFlush=False, labelLimit=LABEL_LIMIT
        )

    def x_axis(self, angle: float = -60) -> alt.Axis:
        """Column names slanted by `angle`, every one while they fit their cells; in a column narrower than
        the map's box, as large as its narrower cells (never below 8 px)."""
        size, overlap = self.col_label, self.cell_width < self.col_label
        fits = {"expr": f"max(8, min({size}, width / {self.cols}))"}
        return alt.Axis(
            labelAngle=angle,
            labelOverlap=overlap,
            labelFontSize=fits,
            labelFlush=False,
            labelLimit=LABEL_LIMIT,
        )

    def sized(self, chart: alt.Chart, keep: bool = True, legend: bool = True) -> alt.Chart:
        """`chart` with its plot cols x rows cells. `keep`: drawn at that size in its box (room.kept: row
        names and the `legend` beside it), and in a narrower column as wide as the column with cells still
        square (rows no shorter than their names); else as wide as its column on a page (fit-x: rows keep
        their height), and at its size in an exported file (chart_export)."""
        width, height = round(self.cell_width * self.cols), round(self.cell_height * self.rows)
        if not keep:
            return chart.properties(width=width, height=height, autosize=FIT)
        follows = f"{self.rows} * max(width / {self.cols}, {self.row_min})"
        margin = self.names_px + PADDING_PX + (LEGEND_PX if legend else 0)
        return kept(chart, width, height, follows, margin)


def map_grid(
    rows: int,
    cols: int,
    side: int,
    scale: float = 1.0,
    named: bool = True,
    widest: float | None = None,
    names: tuple[str, ...] = (),
) -> Grid:
    """The one sizing rule of the maps of cells (attention heatmaps, the step-by-step matrices, the
    confusion matrix, head statistics): `side` px across times `scale` (larger in the tour), cells at
    most `widest` px wide (times `scale`) when given; square cells, or taller where names need it: each
    named row at least as tall as its name, names sized by type_size (smaller past CROWDED tokens);
    `names`: the rows' names, for the room they take beside the map."""
    row_label = type_size(scale, rows) if named else type_size(scale)
    col_label = type_size(scale, cols) if named else type_size(scale)
    width = room_size(side, scale) / cols
    if widest is not None:
        width = max(4, min(round(widest * scale), width))
    row_min = round(row_label + ROW_PAD) if named else 0
    names_px = min(LABEL_LIMIT, max((text_px(n, row_label) for n in names), default=2 * row_label))
    return Grid(rows, cols, row_label, col_label, width, max(width, row_min), names_px, row_min)


def keeps_its_size(chart: alt.Chart) -> bool:
    """Whether a chart is drawn at its own pixel size, or as wide as a narrower column at its aspect (a map
    with square cells, a diagram: room.kept), rather than stretched to its column."""
    return box_width(chart) is not None
