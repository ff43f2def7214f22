"""Pure figure builders for angular LSH in 2-D: sectors and points per round, collision rate vs cosine."""

from __future__ import annotations

import altair as alt
import pandas as pd
import torch

from explorer.families.reformer.angular import CollisionCurve, Scatter, hash_2d
from explorer.views.charts import themed

EXTENT = 1.25  # the plane drawn: [-EXTENT, EXTENT] on both axes, unit-length points inside


def point_labels(count: int) -> list[str]:
    """a, a' (the nearby pair), b, b' (the far pair), then 1, 2, ... for the random points."""
    return ["a", "a'", "b", "b'"] + [str(i) for i in range(1, count - 3)]


def sector_frame(result: Scatter, round_: int, grid: int = 45) -> pd.DataFrame:
    """A grid over the plane with each cell's bucket in this round: the sectors as rows x, y, bucket."""
    axis = torch.linspace(-EXTENT, EXTENT, grid, dtype=torch.float64)
    xs, ys = torch.meshgrid(axis, axis, indexing="ij")
    cells = torch.stack([xs.ravel(), ys.ravel()], dim=-1)  # (grid*grid, 2)
    buckets = hash_2d(cells, result.rotation[round_])
    return pd.DataFrame({"x": cells[:, 0], "y": cells[:, 1], "bucket": buckets.numpy().astype(str)})


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


def _layers(sectors: pd.DataFrame, points: pd.DataFrame, n_buckets: int, title: str, size: int):
    domain = [str(b) for b in range(n_buckets)]
    colour = alt.Color("bucket:N", scale=alt.Scale(domain=domain, scheme="category10"), legend=None)
    scale = alt.Scale(domain=[-EXTENT, EXTENT], nice=False)
    x = alt.X("x:Q", scale=scale, title=None, axis=alt.Axis(labels=False, ticks=False, grid=False))
    y = alt.Y("y:Q", scale=scale, title=None, axis=alt.Axis(labels=False, ticks=False, grid=False))
    cell = size / (len(sectors) ** 0.5) + 1
    base = (
        alt.Chart(sectors, title=title).mark_square(size=cell**2, opacity=0.28).encode(x=x, y=y, color=colour)
    )
    marks = alt.Chart(points).encode(x=x, y=y)
    dots = marks.mark_circle(size=90, opacity=1, stroke="black", strokeWidth=1).encode(
        color=colour, tooltip=["label:N", "bucket:N"]
    )
    text = marks.mark_text(dx=9, dy=-9, fontWeight="bold").encode(text="label:N")
    return (base + dots + text).properties(width=size, height=size)


def rounds_chart(result: Scatter, title: str, size: int = 230) -> alt.Chart:
    """One square per round: the sectors (buckets) coloured, the points on top in their bucket's colour."""
    panels = [
        _layers(
            sector_frame(result, r), points_frame(result, r), result.n_buckets, title.format(round=r), size
        )
        for r in range(result.rotation.shape[0])
    ]
    return themed(alt.hconcat(*panels))


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
            rows.append(
                {"cosine": float(cosine), "rate": float(rate), "kind": kinds["measured"], "buckets": name}
            )
            rows.append(
                {"cosine": float(cosine), "rate": float(expected), "kind": kinds["expected"], "buckets": name}
            )
    return pd.DataFrame(rows)


def collision_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Collision rate vs cosine similarity: a colour per bucket count; measured solid, closed form dashed."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("cosine:Q", title=x_title, scale=alt.Scale(domain=[-1, 1])),
            y=alt.Y("rate:Q", title=y_title, scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("buckets:N", legend=alt.Legend(title=None, orient="bottom"), sort=None),
            strokeDash=alt.StrokeDash("kind:N", legend=alt.Legend(title=None, orient="bottom")),
            tooltip=[
                "buckets:N",
                "kind:N",
                alt.Tooltip("cosine:Q", format=".2f"),
                alt.Tooltip("rate:Q", format=".3f"),
            ],
        )
        .properties(height=320)
    )
    return themed(chart)
