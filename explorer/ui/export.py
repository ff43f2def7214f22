"""A chart on the page with PNG and SVG downloads beside it, rendered only when clicked."""

from __future__ import annotations

import streamlit as st

from explorer import chart_export
from explorer.ui.lang import t


def render_chart(chart, name: str, notice: str = "", **kwargs) -> None:
    """st.altair_chart(chart, **kwargs), a line on what to notice in it, and PNG / SVG downloads.

    `name` is the file name (and widget key) and must be unique on the page.
    """
    st.altair_chart(chart, **kwargs)
    if notice:
        st.caption(f"👀 {notice}")
    png, svg, _ = st.columns([1, 1, 8])
    png.download_button(
        t("export.png"),
        data=lambda: chart_export.to_png(chart),
        file_name=f"{name}.png",
        mime="image/png",
        on_click="ignore",
        key=f"export_{name}_png",
        icon=":material/image:",
    )
    svg.download_button(
        t("export.svg"),
        data=lambda: chart_export.to_svg(chart),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        on_click="ignore",
        key=f"export_{name}_svg",
        icon=":material/draw:",
    )
