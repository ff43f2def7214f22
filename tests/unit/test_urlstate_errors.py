"""A shared link's values: only a value that its widget refuses is reported as "did not fit"; a page
that breaks for another reason shows its error, not that message (explorer/ui/urlstate.py)."""

from streamlit.testing.v1 import AppTest


def _page_with_a_bug() -> None:
    """One layer slider kept in the URL; layer 4 fits the slider but breaks the page itself."""
    import streamlit as st

    from explorer.ui import urlstate

    def run() -> None:
        if st.slider("Layer", 0, 5, 2, key="bug_layer") == 4:
            raise RuntimeError("a bug in the page, not in the link")
        st.markdown(f"layer {st.session_state.bug_layer}")

    urlstate.URL_KEYS["bug"] = ("bug_layer",)
    urlstate.run(type("Page", (), {"url_path": "bug", "run": staticmethod(run)}))


def _open(layer: str) -> AppTest:
    at = AppTest.from_function(_page_with_a_bug, default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["bug_layer"] = layer
    return at.run()


def _refused(at: AppTest) -> bool:
    return any("did not fit this page" in w.value for w in at.warning)


def test_a_page_that_breaks_on_a_fitting_value_shows_its_error_not_a_refused_link():
    at = _open("4")
    assert [e.message for e in at.exception] == ["a bug in the page, not in the link"]
    assert not _refused(at)


def test_a_value_its_widget_refuses_is_still_reported_as_not_fitting():
    for layer in ("999", "many", "[1]"):  # too large; not a number (the slider's own ValueError)
        at = _open(layer)
        assert not at.exception and _refused(at)
        assert at.markdown[-1].value == "layer 2"  # the page's default
