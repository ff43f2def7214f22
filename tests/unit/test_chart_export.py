"""Charts export as PNG and SVG files that open, at the chart's size (twice it for the PNG)."""

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from explorer.views import attention_charts, chart_export, charts, room, steps_charts

SIDE = 300


def _heatmap():
    matrix = np.full((4, 4), 0.25)
    frame = attention_charts.heatmap_frame(matrix, list("abcd"), list("abcd"))
    return attention_charts.attention_heatmap(frame, "A head", SIDE)


def _bars():
    frame = pd.DataFrame({"token": ["a", "b", "c"], "probability": [0.5, 0.3, 0.2]})
    return charts.probability_chart(frame, "probability")


@pytest.mark.parametrize("build", [_heatmap, _bars], ids=["heatmap", "bars"])
def test_an_exported_png_opens_at_twice_the_size_of_the_svg(build):
    chart = build()
    svg = chart_export.to_svg(chart)
    root = ET.fromstring(svg)  # a well-formed SVG document
    assert root.tag.endswith("svg")
    size = chart_export.svg_size(svg)
    png = chart_export.to_png(chart)
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (2 * size.width, 2 * size.height)
    assert chart_export.png_size(png) == chart_export.Size(2 * size.width, 2 * size.height)


def _cells(svg: str) -> set[tuple[float, float]]:
    """The (width, height) of every cell of the first rect mark of an exported SVG."""
    marks = svg[svg.index('class="mark-rect') :]
    marks = marks[: marks.index("</g>")]
    return {(float(w), float(h)) for w, h in re.findall(r'd="M[-\d.]+,[-\d.]+h([\d.]+)v([\d.]+)h', marks)}


def test_the_heatmap_file_has_the_cells_it_was_drawn_with():
    """The map is SIDE px a side in square cells, in the file as on the page; axes labels, the legend
    and the title only add to it."""
    svg = chart_export.to_svg(_heatmap())
    assert _cells(svg) == {(SIDE / 4, SIDE / 4)}
    size = chart_export.svg_size(svg)
    assert SIDE <= size.width < SIDE + 200 and SIDE <= size.height < SIDE + 200


def test_a_step_matrix_exports_at_its_pixel_size():
    """A (T, d) step-by-step matrix fits its column's width on a page (fit-x); a file has no column, and
    fitting its 72 px width there squeezed the cells to a quarter of a pixel beside labels and legend."""
    chart = steps_charts.matrix_chart(np.ones((3, 4)), list("abc"), list("wxyz"), "Q")
    assert chart.to_dict()["width"] == 72
    for svg in (chart_export.to_svg(chart), chart_export.to_svg(room.for_room(chart, 1.35))):
        assert _cells(svg) == {(18.0, 18.0)}


def test_not_an_image_is_refused():
    with pytest.raises(ValueError, match="not a PNG"):
        chart_export.png_size(b"GIF89a....")
    with pytest.raises(ValueError, match="not an SVG"):
        chart_export.svg_size("<html></html>")


def test_a_pooled_attention_map_of_128_x_128_exports():
    matrix = np.random.default_rng(0).random((128, 128))  # 16,384 rows, past altair's default 5,000
    frame = attention_charts.heatmap_frame(matrix, [], [])
    chart = attention_charts.attention_heatmap(frame, "A long input", SIDE)
    assert Image.open(io.BytesIO(chart_export.to_png(chart))).size[0] > SIDE
    assert ET.fromstring(chart_export.to_svg(chart)).tag.endswith("svg")
