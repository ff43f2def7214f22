"""Pure figure builders for angular LSH in 2-D: sectors and points per round, collision rate vs cosine."""

from __future__ import annotations

import altair as alt
import pandas as pd
import torch

from explorer.families.reformer.angular import CollisionCurve, Scatter, hash_2d
from explorer.views.room import themed

EXTENT = 1.25  # the plane drawn: [-EXTENT, EXTENT] on both axes, unit-length points inside


def point_labels(count: int) -> list[str]:
    """a, a' (the nearby pair), b, b' (the far pair), then 1, 2, ... for the random points."""
    return ["a", "a'", "b", "b'"] + [str(i) for i in range(1, count - 3)]


def sector_frame(result: Scatter, round_: int, grid: int = 60) -> pd.DataFrame:
    """Cells tiling the plane, each with its centre's bucket in this round: rows x, x2, y, y2, bucket."""
    edges = torch.linspace(-EXTENT, EXTENT, grid + 1, dtype=torch.float64)
    centres = (edges[:-1] + edges[1:]) / 2
    xs, ys = torch.meshgrid(centres, centres, indexing="ij")
    cells = torch.stack([xs.ravel(), ys.ravel()], dim=-1)  # (grid*grid, 2)
    half = (edges[1] - edges[0]).item() / 2
    buckets = hash_2d(cells, result.rotation[round_]).numpy().astype(str)
    x, y = cells[:, 0].numpy(), cells[:, 1].numpy()
    return pd.DataFrame({"x": x - half, "x2": x + half, "y": y - half, "y2": y + half, "bucket": buckets})


def axes_frame(result: Scatter, round_: int) -> pd.DataFrame:
    """The n directions [R, -R] of this round, each the centre of its bucket's sector: rows x, y, bucket."""
    columns = result.rotation[round_].T  # (n/2, 2)
    directions = torch.cat([columns, -columns]) * EXTENT  # (n, 2); row b is bucket b's direction
    frame = pd.DataFrame({"x": directions[:, 0].numpy(), "y": directions[:, 1].numpy()})
    frame["bucket"] = [str(b) for b in range(len(frame))]
    frame["x0"], frame["y0"] = 0.0, 0.0
    return frame


def points_frame(result: Scatter, round_: int) -> pd.DataFrame:
    """The points of one round as rows: label, x, y, bucket."""
    labels = point_labels(result.points.shape[0])
    return pd.DataFrame(
        {
            "label": labels,
            "x": result.points[:, 0].numpy(),
            "y": result.points[:, 1].numpy(),
            "bucket": result.buckets[round_].numpy().astype(str),
        }
    )


def _layers(result: Scatter, round_: int, title: str, size: int):
    domain = [str(b) for b in range(result.n_buckets)]
    colour = alt.Color("bucket:N", scale=alt.Scale(domain=domain, scheme="category10"), legend=None)
    scale = alt.Scale(domain=[-EXTENT, EXTENT], nice=False)
    axis = alt.Axis(labels=False, ticks=False, grid=False)
    x, y = alt.X("x:Q", scale=scale, title=None, axis=axis), alt.Y("y:Q", scale=scale, title=None, axis=axis)
    sectors = (
        alt.Chart(sector_frame(result, round_), title=title)
        .mark_rect(opacity=0.3, strokeWidth=0)
        .encode(x=x, x2="x2:Q", y=y, y2="y2:Q", color=colour)
    )
    rays = (
        alt.Chart(axes_frame(result, round_))
        .mark_rule(strokeDash=[4, 3], strokeWidth=1.5)
        .encode(x=alt.X("x0:Q", scale=scale), y=alt.Y("y0:Q", scale=scale), x2="x:Q", y2="y:Q", color=colour)
    )
    marks = alt.Chart(points_frame(result, round_)).encode(x=x, y=y)
    dots = marks.mark_circle(size=90, opacity=1, stroke="black", strokeWidth=1).encode(
        color=colour, tooltip=["label:N", "bucket:N"]
    )
    text = marks.mark_text(dx=9, dy=-9, fontWeight="bold").encode(text="label:N")
    return (sectors + rays + dots + text).properties(width=size, height=size)


def rounds_chart(result: Scatter, title: str, size: int = 230) -> alt.Chart:
    """One square per round: the sectors (buckets) coloured, the points on top in their bucket's colour;
    three rounds a row, so six fit a page beside the sidebar instead of running off its right edge."""
    panels = [_layers(result, r, title.format(round=r), size) for r in range(result.rotation.shape[0])]
    return themed(alt.concat(*panels, columns=3))


def collision_frame(curves: list[CollisionCurve], kinds: dict[str, str], buckets_name: str) -> pd.DataFrame:
    """Measured and closed-form rates of every curve as rows: cosine, rate, kind, buckets (legend text)."""
    rows = []
    for curve in curves:
        for cosine, rate, trials, expected in zip(
            curve.cosine, curve.rate, curve.trials, curve.expected, strict=True
        ):
            if trials == 0:  # a bin no pair fell in has no rate
                continue
            name = buckets_name.format(n=curve.n_buckets)
            row = {"cosine": float(cosine), "buckets": name}
            rows.append({**row, "rate": float(rate), "kind": kinds["measured"], "measured": True})
            rows.append({**row, "rate": float(expected), "kind": kinds["expected"], "measured": False})
    return pd.DataFrame(rows)


def collision_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Collision rate vs cosine similarity: a colour per bucket count; closed form dashed, measured dots."""
    base = alt.Chart(frame).encode(
        x=alt.X("cosine:Q", title=x_title, scale=alt.Scale(domain=[-1, 1])),
        y=alt.Y("rate:Q", title=y_title, scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("buckets:N", legend=alt.Legend(title=None, orient="bottom"), sort=None),
        tooltip=[
            "buckets:N",
            "kind:N",
            alt.Tooltip("cosine:Q", format=".2f"),
            alt.Tooltip("rate:Q", format=".3f"),
        ],
    )
    legend = alt.Legend(title=None, orient="bottom")
    closed = base.transform_filter("!datum.measured").mark_line()
    closed = closed.encode(
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(range=[[6, 4]]), legend=legend)
    )
    measured = base.transform_filter("datum.measured").mark_point(filled=True, size=60)
    measured = measured.encode(shape=alt.Shape("kind:N", scale=alt.Scale(range=["circle"]), legend=legend))
    return themed((closed + measured).properties(height=320))
