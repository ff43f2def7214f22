"""The sidebar (language, device, hub, offline switch, sources used) and shared page sections."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explorer import device, hub, registry
from explorer.models import Source
from explorer.ui import lang, projector, queue_views, urlstate
from explorer.ui.lang import t
from explorer.ui.markdown import literal

_SOURCES, _TITLED = "_sources_box", "_sources_titled"
# A page's tab strip wraps onto a second line instead of scrolling: the open tab is always in sight,
# also with BERT's nine tabs beside an open sidebar on a projector's 1280 px.
_TABS_CSS = (
    '<style>[data-testid="stTabs"] [role="tablist"] {flex-wrap: wrap; overflow-x: visible; row-gap: 0.25rem}'
    "</style>"
)


def online() -> bool:
    """True when models may come from the hub: reachable, and the user did not ask for offline."""
    return hub.reachable() and not st.session_state.get("offline_only", False)


def render_sidebar(current: str) -> None:
    """Language switch, tour switch, device, hub status, offline switch, and a box that pages fill
    with sources; `current` is the url path of the page this run draws."""
    projector.switch(current == "tour")
    st.html(_TABS_CSS)
    lang.render_switch()
    render_tour_switch(current)
    st.sidebar.markdown(t("sidebar.device", device=device.describe_device(device.pick_device())))
    queue_views.render_load()
    if hub.reachable():
        st.sidebar.caption(t("sidebar.hub_online"))
        st.sidebar.toggle(t("sidebar.offline_only"), key="offline_only", help=t("sidebar.offline_only_help"))
    elif hub.lost_reason():
        st.sidebar.warning(t("sidebar.hub_lost", reason=hub.lost_reason()))
    else:
        st.sidebar.caption(t("sidebar.hub_offline"))
    st.session_state[_SOURCES] = st.sidebar.container()
    st.session_state[_TITLED] = False


def render_tour_switch(current: str) -> None:
    """A sidebar switch into the presenter's tour (app_pages/tour.py) and out of it, onto the page
    of the stop being shown (its tab and inputs stay as the tour set them)."""
    on_tour = current == "tour"
    wanted = st.sidebar.toggle(
        t("tour.switch"), value=on_tour, help=t("tour.switch_help"), key=f"tour_switch_{on_tour}"
    )
    if wanted == on_tour:
        return
    stops = registry.tour_stops()
    number = st.session_state.get("tour_stop", 1)  # explorer/ui/tour.STOP
    shown = stops[number - 1].page if number in range(1, len(stops) + 1) else stops[0].page
    # Streamlit forgets a widget's value when a page switch skips drawing it; set through the
    # session state, a value is kept until the widget is drawn again on the other side.
    for key in (*urlstate.URL_KEYS.get(shown, ()), *urlstate.URL_KEYS.get(current, ())):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    target = "app_pages/tour.py" if wanted else f"app_pages/{shown}.py"
    st.switch_page(target, query_params={lang.KEY: lang.current()})  # else the URL loses ?lang=


def describe(source: Source) -> str:
    """A source in plain words, in the session's language; a head the checkpoint lacked is said."""
    said = t(f"source.{source.kind}", name=literal(source.name))  # a typed hub id or folder: text
    return f"{said} · {t('source.random_head')}" if source.random_head else said


def render_source(label: str, source: Source, device_note: str = "") -> None:
    """Say in the sidebar what a section of this page runs on, and why if it is a fallback."""
    box = st.session_state.get(_SOURCES) or st.sidebar
    if not st.session_state.get(_TITLED):
        box.subheader(t("sidebar.models"))
        st.session_state[_TITLED] = True
    box.markdown(f"**{label}**: {describe(source)}")
    if device_note:
        box.warning(t("model.device_fallback", device=device.pick_device(), note=device_note))
    if source.reason:
        with box.expander(t("source.why")):
            st.caption(literal(source.reason))


def still_bars(key: str):
    """A container (`with` it) whose progress bars do not animate. A bar redrawn on every refresh of
    a live run renders frames of its CSS transition each time: about 0.06 s of the browser's CPU per
    redraw in headless Chromium, taken from the training when they share a small CPU."""
    st.html(f"<style>.st-key-{key} [data-testid='stProgress'] * {{transition: none !important}}</style>")
    return st.container(key=key)


def render_coming(page: str) -> None:
    """A page that is not built yet says what it will show; it never fakes content."""
    st.title(t(f"page.{page}"))
    st.info(t("coming.body"))
    st.markdown(t(f"coming.{page}"))


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: its script, i18n key, icon, navigation section, and whether it is built."""

    key: str
    icon: str
    section: str
    intro: str = ""  # i18n key of what the page teaches; a page not built yet uses coming.<key>

    @property
    def ready(self) -> bool:
        return bool(self.intro)


PAGES = (
    PageSpec("home", ":material/home:", "start", "home.intro"),
    PageSpec("tour", ":material/slideshow:", "start", "tour.intro"),
    PageSpec("tokenization", ":material/content_cut:", "basics", "tok.intro"),
    PageSpec("bert", ":material/swap_horiz:", "families", "bert.intro"),
    PageSpec("gpt", ":material/east:", "families", "gpt.intro"),
    PageSpec("roberta", ":material/autorenew:", "families", "roberta.intro"),
    PageSpec("albert", ":material/share:", "families", "albert.intro"),
    PageSpec("electra", ":material/published_with_changes:", "families", "electra.intro"),
    PageSpec("distilbert", ":material/compress:", "families", "distilbert.intro"),
    PageSpec("bigbird", ":material/grid_view:", "families", "bigbird.intro"),
    PageSpec("reformer", ":material/tag:", "families", "reformer.intro"),
    PageSpec("cola", ":material/spellcheck:", "finetune", "cola.intro"),
    PageSpec("squad", ":material/quiz:", "finetune", "squad.intro"),
    PageSpec("glue", ":material/table_chart:", "finetune", "glue.intro"),
)


def pages() -> dict[str, list]:
    """st.Page objects grouped by translated section name, for st.navigation."""
    groups: dict[str, list] = {}
    for spec in PAGES:
        page = st.Page(
            f"app_pages/{spec.key}.py",
            title=t(f"page.{spec.key}"),
            icon=spec.icon,
            url_path=spec.key,
            default=spec.key == "home",
        )
        groups.setdefault(t(f"nav.{spec.section}"), []).append(page)
    return groups


def render_page_list() -> None:
    """A table of pages: what each teaches and whether it is built yet."""
    st.subheader(t("home.pages"))
    for spec in PAGES[1:]:
        status = t("home.ready") if spec.ready else t("home.coming")
        what = t(spec.intro) if spec.ready else t(f"coming.{spec.key}")
        st.markdown(f"{spec.icon} **{t(f'page.{spec.key}')}** · _{status}_  \n{what}")
