"""One shape for every family page: title, intro, model field, the text input, then its sections.

What a page shows is data: `registry.FAMILY_PAGES[key].sections` names render functions in
explorer/ui/sections.py, each drawn in its own tab and handed the same `PageInput`
(explorer/ui/page_input.py). Only the open tab runs: a room of thirty people opening BERT's nine
tabs would otherwise compute all nine for each of them. In the tour the page is drawn for a
projector: its inputs folded, no tab strip (the stop opens one tab), the figure on the first screen.
"""

from __future__ import annotations

import streamlit as st

from explorer import registry
from explorer.ui import inputs, models, projector
from explorer.ui.lang import t
from explorer.ui.page_input import PageInput
from explorer.ui.sections import SECTIONS

SECTION = "tour_section"  # the container of a stop's tab (explorer/ui/tour.py styles it)


def _render_text(spec: registry.FamilyPage) -> tuple[str, str | None]:
    if not spec.pair:
        text = st.text_input(t("family.text"), inputs.example(spec.key, "text"), key=f"{spec.key}_text")
        return text, None
    left, right = st.columns(2)
    first = left.text_input(t("bert.sentence_a"), inputs.example(spec.key, "sentence_a"), key=f"{spec.key}_a")
    second = right.text_input(
        t("bert.sentence_b"), inputs.example(spec.key, "sentence_b"), key=f"{spec.key}_b"
    )
    return first, second if second.strip() else None


def _render_inputs(spec: registry.FamilyPage) -> tuple[str, str, str | None]:
    """The model field and the text: (model id, text, sentence B or None)."""
    model_id = models.render_model_field(spec.family)
    return (model_id, *_render_text(spec))


def folded(where=None):
    """The expander a page's inputs fold into in the tour, drawn in `where` (the page when None)."""
    return (where or st).expander(t("family.inputs"), icon=":material/tune:")


def render_family_page(key: str, heading: bool = True, inputs_at=None) -> None:
    """Draw the whole page of one family from its registry record.

    In the tour (`heading` False) the stop's header says what the page shows: no title or intro,
    the inputs folded in an expander drawn in `inputs_at` (a container; the page itself when None),
    and only the stop's tab, without the tab strip.
    """
    spec = registry.FAMILY_PAGES[key]
    if heading:
        st.title(t(f"page.{key}"))
        st.markdown(t(f"{key}.intro"))
        model_id, text, pair = _render_inputs(spec)
    else:
        with folded(inputs_at):
            model_id, text, pair = _render_inputs(spec)
            projector.fold_notes_into(st.container())
    if inputs.render_text_report(text) is None:
        st.stop()
    page = PageInput(key, spec.family, model_id, text, pair)
    if not heading:
        with st.container(key=SECTION):
            SECTIONS[open_section(spec)](page)
        return
    for tab, name in zip(_tabs(spec), spec.sections, strict=True):
        if tab.open:  # tracked tabs: a click on another tab reruns the page with that one open
            with tab:
                SECTIONS[name](page)


def open_section(spec: registry.FamilyPage) -> str:
    """The section open on the page: the one named in session state `<page>_tab` (which the URL
    keeps, as a section name so that a link works in either language), else the first."""
    chosen = f"{spec.key}_tab"
    if st.session_state.get(chosen) not in spec.sections:  # none yet, or a name from a bad link
        st.session_state[chosen] = spec.sections[0]
    return st.session_state[chosen]


def _tabs(spec: registry.FamilyPage) -> list:
    """The page's tabs, opened at `open_section`; only that one is drawn."""
    chosen, widget = f"{spec.key}_tab", f"{spec.key}_tab_widget"
    labels = {t(f"section.{n}"): n for n in spec.sections}
    section = open_section(spec)
    if st.session_state.get(widget) not in labels:  # first draw, or the language changed the labels
        st.session_state[widget] = t(f"section.{section}")

    def remember() -> None:
        st.session_state[chosen] = labels[st.session_state[widget]]

    return st.tabs(list(labels), key=widget, on_change=remember)
