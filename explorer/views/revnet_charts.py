"""Pure figure builder for the book's figure 26: a ResNet block beside a RevNet block, drawn as data flow.

Each diagram is data: nodes (a value, a function box, a + or - sign, or an invisible corner) on a small
grid, and edges between them; arrows end at the next visible node. Three panels: ResNet's y = x + F(x),
RevNet's forward y1 = x1 + F(x2), y2 = x2 + G(y1), and RevNet run backwards, rebuilding x from y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from explorer.views.room import PADDING_PX, kept, themed

WIDTH, HEIGHT = 220, 140  # one panel's drawing, in pixels
X_RANGE, Y_RANGE = (-0.6, 6.6), (-0.6, 2.6)
MARGIN_PX = 17  # where an arrow stops short of its target's centre
GAP, TITLE = 40, 64  # px between two panels, and above each for its title's lines


@dataclass(frozen=True)
class Diagram:
    """One block's data flow: nodes (name, x, y, kind, label) and edges (from, to)."""

    nodes: tuple[tuple[str, float, float, str, str], ...]  # kind: value, function, op, corner
    edges: tuple[tuple[str, str], ...]


RESNET = Diagram(
    nodes=(
        ("x", 0, 1, "value", "x"),
        ("F", 2.2, 1, "function", "F"),
        ("add", 4.4, 1, "op", "+"),
        ("y", 6, 1, "value", "y"),
        ("up", 0.9, 1, "corner", ""),
        ("c1", 0.9, 2.2, "corner", ""),
        ("c2", 4.4, 2.2, "corner", ""),
    ),
    edges=(("x", "F"), ("F", "add"), ("add", "y"), ("up", "c1"), ("c1", "c2"), ("c2", "add")),
)

REVNET = Diagram(
    nodes=(
        ("x1", 0, 2, "value", "x₁"),
        ("x2", 0, 0, "value", "x₂"),
        ("F", 1.3, 1, "function", "F"),
        ("add1", 2.6, 2, "op", "+"),
        ("y1", 6, 2, "value", "y₁"),
        ("tap", 3.7, 2, "corner", ""),
        ("G", 3.7, 1, "function", "G"),
        ("add2", 4.9, 0, "op", "+"),
        ("y2", 6, 0, "value", "y₂"),
    ),
    edges=(
        ("x1", "add1"),
        ("add1", "y1"),
        ("x2", "add2"),
        ("add2", "y2"),
        ("x2", "F"),
        ("F", "add1"),
        ("tap", "G"),
        ("G", "add2"),
    ),
)

REVNET_BACK = Diagram(
    nodes=(
        ("y1", 0, 2, "value", "y₁"),
        ("y2", 0, 0, "value", "y₂"),
        ("tap1", 1.3, 2, "corner", ""),
        ("G", 1.3, 1, "function", "G"),
        ("sub2", 2.6, 0, "op", "−"),
        ("x2", 6, 0, "value", "x₂"),
        ("tap2", 3.7, 0, "corner", ""),
        ("F", 3.7, 1, "function", "F"),
        ("sub1", 4.9, 2, "op", "−"),
        ("x1", 6, 2, "value", "x₁"),
    ),
    edges=(
        ("y1", "sub1"),
        ("sub1", "x1"),
        ("y2", "sub2"),
        ("sub2", "x2"),
        ("tap1", "G"),
        ("G", "sub2"),
        ("tap2", "F"),
        ("F", "sub1"),
    ),
)


def _px(x: float, y: float) -> tuple[float, float]:
    """Data coordinates to pixels, y down as on screen."""
    sx = WIDTH / (X_RANGE[1] - X_RANGE[0])
    sy = HEIGHT / (Y_RANGE[1] - Y_RANGE[0])
    return (x - X_RANGE[0]) * sx, (Y_RANGE[1] - y) * sy


def edge_frame(diagram: Diagram) -> pd.DataFrame:
    """One row per edge: x, y, x2, y2 (stopping short of a visible target) and the arrow's angle in
    degrees (0 points up, as Vega's triangle-up; None where the edge ends at a corner)."""
    where = {name: (x, y, kind) for name, x, y, kind, _ in diagram.nodes}
    rows = []
    for start, end in diagram.edges:
        (x, y, _), (x2, y2, kind) = where[start], where[end]
        (px, py), (px2, py2) = _px(x, y), _px(x2, y2)
        length = math.hypot(px2 - px, py2 - py)
        arrow = kind != "corner"
        if arrow:
            x2 -= (x2 - x) * MARGIN_PX / length
            y2 -= (y2 - y) * MARGIN_PX / length
        angle = math.degrees(math.atan2(px2 - px, py - py2)) if arrow else None
        rows.append({"x": x, "y": y, "x2": x2, "y2": y2, "angle": angle})
    return pd.DataFrame(rows)


def node_frame(diagram: Diagram) -> pd.DataFrame:
    """The visible nodes: x, y, kind, label."""
    rows = [{"x": x, "y": y, "kind": k, "label": s} for _, x, y, k, s in diagram.nodes if k != "corner"]
    return pd.DataFrame(rows)


def _units() -> tuple[float, float]:
    """Pixels per data unit across and up (one panel is WIDTH x HEIGHT px)."""
    return WIDTH / (X_RANGE[1] - X_RANGE[0]), HEIGHT / (Y_RANGE[1] - Y_RANGE[0])


def blocks_frames(titles: tuple[str, str, str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Edges, nodes and titles of the three panels in one drawing: each panel shifted right by the one
    before it and a GAP, its title above it."""
    sx, sy = _units()
    shift = X_RANGE[1] - X_RANGE[0] + GAP / sx
    edges, nodes, heads = [], [], []
    for i, (diagram, title) in enumerate(zip((RESNET, REVNET, REVNET_BACK), titles, strict=True)):
        edge, node = edge_frame(diagram), node_frame(diagram)
        edge[["x", "x2"]] += i * shift
        node["x"] += i * shift
        edges.append(edge)
        nodes.append(node)
        heads.append({"x": X_RANGE[0] + i * shift, "y": Y_RANGE[1] + TITLE / sy, "label": title})
    return pd.concat(edges, ignore_index=True), pd.concat(nodes, ignore_index=True), pd.DataFrame(heads)


def blocks_chart(titles: tuple[str, str, str]) -> alt.LayerChart:
    """Figure 26: ResNet's block, RevNet's block, and RevNet's block run backwards, side by side in one
    drawing (room.kept: at its size, or as wide as a narrower column at the same aspect, marks and type
    shrinking with it, so arrows keep their angles): lines with arrowheads, white boxes (functions) and
    circles (signs, values) labelled."""
    sx, sy = _units()
    edges, nodes, heads = blocks_frames(titles)
    width, height = 3 * WIDTH + 2 * GAP, HEIGHT + TITLE
    x_scale = alt.Scale(domain=(X_RANGE[0], X_RANGE[0] + width / sx), nice=False, zero=False)
    y_scale = alt.Scale(domain=(Y_RANGE[0], Y_RANGE[0] + height / sy), nice=False, zero=False)
    x, y = alt.X("x:Q", scale=x_scale, axis=None), alt.Y("y:Q", scale=y_scale, axis=None)
    lines = alt.Chart(edges).mark_rule(color="#555", strokeWidth=1.6).encode(x=x, y=y, x2="x2", y2="y2")
    arrows = (
        alt.Chart(edges.dropna())
        .mark_point(shape="triangle-up", filled=True, color="#555", size={"expr": "70 * k * k"})
        .encode(x=alt.X("x2:Q", scale=x_scale, axis=None), y=alt.Y("y2:Q", scale=y_scale, axis=None))
        .encode(angle=alt.Angle("angle:Q", scale=None))
    )
    kinds = ["value", "function", "op"]
    shape = alt.Shape(
        "kind:N", scale=alt.Scale(domain=kinds, range=["circle", "square", "circle"]), legend=None
    )
    fill = alt.Color(
        "kind:N", scale=alt.Scale(domain=kinds, range=["#dbe9f6", "#fde2c8", "#fff"]), legend=None
    )
    marks = (
        alt.Chart(nodes)
        .mark_point(filled=True, size={"expr": "900 * k * k"}, stroke="#333", strokeWidth=1.2, opacity=1)
        .encode(x=x, y=y, shape=shape, fill=fill)
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(fontSize={"expr": "max(9, 15 * k)"}, fontWeight="bold")
        .encode(x=x, y=y, text="label")
    )
    named = alt.Chart(heads).mark_text(  # a title's lines split at newlines; not below 10 px
        align="left",
        baseline="top",
        lineBreak="\n",
        fontWeight="bold",
        fontSize={"expr": "max(10, 14 * k)"},
        lineHeight={"expr": "max(11, 18 * k)"},
    )
    layered = alt.layer(lines, arrows, marks, labels, named.encode(x=x, y=y, text="label"))
    layered = kept(layered, width, height, f"width * {height / width}", PADDING_PX)
    return themed(layered.add_params(alt.param(name="k", expr=f"width / {width}"))).configure_view(
        stroke=None
    )
