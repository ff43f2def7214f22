"""A chart on the page with PNG and SVG downloads beside it, rendered only when clicked."""

from __future__ import annotations

import streamlit as st

from explorer.ui import projector
from explorer.ui.lang import t
from explorer.views import chart_export, room

# format -> (renderer, mime type, button icon)
FORMATS = {
    "png": (chart_export.to_png, "image/png", ":material/image:"),
    "svg": (chart_export.to_svg, "image/svg+xml", ":material/draw:"),
}


def render_chart(chart, name: str, notice: str = "", where=None, finished: bool = True, **kwargs) -> None:
    """altair_chart(chart, **kwargs), as wide as its container (a map at its own size, so its cells stay
    square, and never wider than its column: views.room.kept) and with type sized for where it is shown
    (larger in the tour: views.room.for_room), a line on what to notice in it, and PNG / SVG downloads of
    the same chart.

    `name` is the file name (and widget key) and must be unique on the page. `where` is the
    container to draw into (a column, a placeholder's container); None means the page itself. A chart
    not `finished` (redrawn at every refresh of a running job) is drawn alone: a second set of buttons
    in one run would repeat their keys, so the notice and downloads come once the job has ended.
    """
    where = st if where is None else where
    chart = room.for_room(chart, projector.scale())  # larger type in the tour, y titles across
    kwargs.pop("use_container_width", None)
    # every chart as wide as its column, but a map at its own size: stretched, its cells would not be
    # square. A kept one (room.kept) fills a box of its width, and a narrower column, at its aspect
    box = room.box_width(chart)
    kwargs["width"] = "stretch"
    (where if box is None else where.container(width=box)).altair_chart(chart, **kwargs)
    if not finished:
        return
    if notice:
        where.caption(f"👀 {notice}")
    buttons = where.container(horizontal=True)  # as wide as the buttons, even in a narrow column
    for ext, (render, mime, icon) in FORMATS.items():
        buttons.download_button(
            t(f"export.{ext}"),
            data=lambda render=render: render(chart),
            file_name=f"{name}.{ext}",
            mime=mime,
            on_click="ignore",
            key=f"export_{name}_{ext}",
            icon=icon,
        )
