"""Charts as files a presenter can put on a slide: PNG and SVG rendered by vl-convert, offline.

vl-convert renders Vega-Lite itself (no browser, no network), so a chart exports the same on a
laptop with the network off.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

PNG_SCALE = 2.0  # twice the on-screen size: sharp on a projector


@dataclass(frozen=True)
class Size:
    """A rendered chart's size in pixels, axes and titles included."""

    width: int
    height: int


EXPORT_WIDTH = 720  # px, a chart drawn as wide as the page ("container") in a file: no page there


def _spec(chart) -> str:
    """The chart's Vega-Lite JSON with its data inlined, however many rows: the page already drew them
    (a 128 x 128 attention map is 16,384 rows, past altair's default limit of 5,000); at explicit pixel
    sizes, its plot as wide as its width says (a step matrix's cells as on the page)."""
    import json

    import altair as alt

    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = EXPORT_WIDTH
    autosize = spec.get("autosize", "pad")
    if str(autosize.get("type") if isinstance(autosize, dict) else autosize).startswith("fit"):
        spec["autosize"] = {"type": "pad"}  # no column to fit in a file: fit would squeeze the plot
    return json.dumps(spec)


def to_svg(chart) -> str:
    """The chart (an altair Chart) as an SVG document."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_spec(chart))


def to_png(chart, scale: float = PNG_SCALE) -> bytes:
    """The chart as a PNG, `scale` times its on-screen size."""
    import vl_convert

    return vl_convert.vegalite_to_png(_spec(chart), scale=scale)


def svg_size(svg: str) -> Size:
    """Width and height of an SVG document's root element."""
    root = re.search(r"<svg\b[^>]*>", svg)
    if root is None:
        raise ValueError("not an SVG document")
    width, height = (re.search(rf'\b{name}="([\d.]+)"', root.group(0)) for name in ("width", "height"))
    if width is None or height is None:
        raise ValueError("the SVG root has no width and height")
    return Size(round(float(width.group(1))), round(float(height.group(1))))


def png_size(png: bytes) -> Size:
    """Width and height from a PNG's header (its IHDR chunk)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", png[16:24])
    return Size(width, height)
