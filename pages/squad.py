"""squad: not built yet; the page says what it will show."""

from explorer.ui import layout

layout.render_coming("squad")
