"""Transformer Family Explorer: page config, sidebar, and navigation over app_pages/."""

from explorer import hub

hub.prepare()  # before transformers is imported anywhere: decides offline mode in ~1 s

import streamlit as st  # noqa: E402

from explorer import warmup  # noqa: E402
from explorer.ui import layout, urlstate  # noqa: E402
from explorer.ui.lang import t  # noqa: E402
from explorer.ui.server import runlog  # noqa: E402

st.set_page_config(page_title=t("app.title"), page_icon="🔤", layout="wide")
with runlog.logged_run() as run:  # EXPLORER_RUN_LOG names a file: one line per run, for bench room
    with st.spinner(t("app.warming")):
        warmup.warm_up()  # once per server, under a lock: sessions starting together must not race
    page = st.navigation(layout.pages(), expanded=True)  # every page listed: no "View N more" (English)
    run.page = page.url_path
    layout.render_sidebar(page.url_path)
    urlstate.run(page)  # a page's main inputs live in the URL
