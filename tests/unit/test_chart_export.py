"""Charts export as PNG and SVG files that open, at the chart's size (twice it for the PNG)."""

import io
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from explorer.views import attention_charts, chart_export, charts

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


def test_the_heatmap_file_is_at_least_the_size_it_was_drawn_at():
    """The plot area is SIDE high and, drawn as wide as the page, EXPORT_WIDTH wide in a file; axes
    labels, the legend and the title only add to it."""
    size = chart_export.svg_size(chart_export.to_svg(_heatmap()))
    assert size.width >= chart_export.EXPORT_WIDTH and size.height >= SIDE
    assert size.width < chart_export.EXPORT_WIDTH + 200 and size.height < SIDE + 200


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
