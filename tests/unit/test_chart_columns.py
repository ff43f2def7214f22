"""A chart drawn at its own size (room.kept) is never wider than its column: the attention maps, the
confusion matrix, head statistics, BigBird's pattern, the LSH chunks and the RevNet drawing, rendered as
Streamlit draws them (the spec's width set to the column's, the box's at most), keep square cells or
their aspect at every width."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from explorer.views import attention_charts, charts, revnet_charts, room
from tests.unit.test_room_charts import _chunks as _lsh_chunks

WIDE, NARROW = 1200, 360  # px columns: a page without its sidebar, half a page at 900 px


def _drawn(chart, column: int) -> str:
    """The chart as an SVG, drawn as ui.export.render_chart draws it in a column `column` px wide (Streamlit
    sets a stretched chart's width to its container's): a kept chart in a box of its width
    (room.box_width), as wide as that box or the column, whichever is narrower; another chart that keeps
    its size at its own width; any other as wide as the column."""
    import altair as alt
    import vl_convert

    with alt.data_transformers.disable_max_rows():
        spec = room.for_room(chart).to_dict()
    box = getattr(room, "box_width", lambda _: None)(chart)
    if box is not None or not room.keeps_its_size(chart):
        spec["width"] = min(box or column, column)
        spec.setdefault("autosize", {"type": "fit", "contains": "padding"})  # Streamlit's default
    return vl_convert.vegalite_to_svg(json.dumps(spec))


def _width(svg: str) -> float:
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))


def _cells(svg: str) -> set[tuple[float, float]]:
    """The (width, height) of every cell of the first rect mark, rounded to 0.1 px."""
    marks = svg[svg.index('class="mark-rect') :]
    marks = marks[: marks.index("</g>")]
    found = re.findall(r'd="M[-\d.]+,[-\d.]+h([\d.]+)v([\d.]+)h', marks)
    return {(round(float(w), 1), round(float(h), 1)) for w, h in found}


def _heatmap(tokens: int, size: int = 480, named: bool = True):
    names = [f"w{i}" for i in range(tokens)] if named else []
    frame = attention_charts.heatmap_frame(np.full((tokens, tokens), 1 / tokens), names, names)
    return attention_charts.attention_heatmap(frame, "head", size)


def _confusion():
    pairs = [("비문", "비문", 10), ("비문", "적격", 5), ("적격", "비문", 3), ("적격", "적격", 40)]
    frame = pd.DataFrame([{"true": a, "predicted": b, "count": n} for a, b, n in pairs])
    return charts.confusion_chart(frame, "예측", "정답")


def _head_stats():
    frame = pd.DataFrame([{"layer": i, "head": h, "value": i * h / 60} for i in range(6) for h in range(12)])
    return attention_charts.head_stat_chart(frame, "entropy")


def _pattern():
    from explorer.views import cost_charts

    names = {p: p for p in ("global", "window", "random", "none")}
    return cost_charts.pattern_chart(cost_charts.parts_frame(np.eye(16, dtype=int), names, 64), names, "p")


def _chunks():
    return _lsh_chunks(1.0)  # the LSH chunk map test_room_charts draws


def _revnet():
    return revnet_charts.blocks_chart(("ResNet\ny = x + F(x)", "RevNet\ny₁", "RevNet 거꾸로\nx₂"))


MAPS = {  # a map and the least height of its rows (their names' type and a gap; 0: unnamed)
    "BERT's map": (lambda: _heatmap(28), 16),
    "GPT's 48 tokens in half a page": (lambda: _heatmap(48, 240), 12),
    "pooled map": (lambda: _heatmap(128, 320, named=False), 0),
    "confusion": (_confusion, 16),
    "head statistics": (_head_stats, 0),
    "BigBird's pattern": (_pattern, 0),
    "Reformer's LSH chunks": (_chunks, 0),
}


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("column", [WIDE, NARROW, 240])
def test_a_map_is_never_wider_than_its_column_and_its_cells_stay_square(name, column):
    """The 480 px map overflowed a column narrower than about 1,280 px windows give it, and the
    confusion matrix and head statistics were stretched to their column (cells 2 : 1)."""
    build, row_min = MAPS[name]
    svg = _drawn(build(), column)
    assert _width(svg) <= column
    ((width, height),) = _cells(svg)  # every cell the same size
    assert height == pytest.approx(max(width, row_min), abs=0.2)  # square, or as tall as a name


@pytest.mark.parametrize(("tokens", "cell"), [(12, 40), (28, 480 / 28), (48, 10)])
def test_at_full_width_a_map_is_drawn_at_its_size(tokens, cell):
    """In a column wide enough, the box holds the map at its size (within a tenth): cells as map_grid
    says, names and legend beside them."""
    svg = _drawn(_heatmap(tokens), WIDE)
    ((width, _),) = _cells(svg)
    assert width == pytest.approx(cell, rel=0.1)


def test_a_narrower_column_shrinks_the_cells_with_it():
    wide, narrow = (_cells(_drawn(_heatmap(12), column)).pop()[0] for column in (WIDE, 320))
    assert narrow < wide * 0.75


def test_the_revnet_drawing_keeps_its_aspect_in_a_narrow_column():
    """Stretched to its column, its arrows (angled for 220 x 140 px panels) missed their boxes."""
    chart = _revnet()
    sizes = {}
    for column in (WIDE, 600, 420):
        svg = _drawn(chart, column)
        height = float(re.search(r'<svg[^>]* height="([\d.]+)"', svg).group(1))
        sizes[column] = (_width(svg), height)
        assert _width(svg) <= column
    ratios = [h / w for w, h in sizes.values()]
    assert max(ratios) == pytest.approx(min(ratios), rel=0.05)
    assert sizes[420][0] < sizes[WIDE][0]


def test_the_input_embedding_panels_fit_their_column():
    """Five 140 px panels in a facet were 925 px wide in an 820 px column at 1280 x 720."""
    names = [f"{i}:w{i} (seg 0)" for i in range(28)]
    parts = ["token", "segment", "position", "sum", "LayerNorm"]
    rows = [
        {"token": t, "part": p, "dim": d, "value": d / 24 - 0.5}
        for p in parts
        for t in names
        for d in range(24)
    ]
    chart = charts.embedding_parts_chart(pd.DataFrame(rows), parts)
    for column in (820, 440):
        svg = _drawn(chart, column)
        assert _width(svg) <= column
        assert len(_cells(svg)) == 1  # one panel's cells all of a size
