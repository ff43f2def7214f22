"""Overview: what each page teaches and what runs where."""

import streamlit as st

from explorer.ui import layout
from explorer.ui.lang import t

st.title(t("app.title"))
st.markdown(f"*{t('app.tagline')}*")
st.markdown(t("home.intro"))
st.info(t("home.offline_note"))
layout.render_page_list()
