"""A shared link's values: only a value that its widget refuses is reported as "did not fit"; a page
that breaks for another reason shows its error, not that message (explorer/ui/urlstate.py)."""

from streamlit.testing.v1 import AppTest


def _demo_app() -> None:
    """A page with a text and a layer slider kept in the URL; the text 'boom' breaks the page itself."""
    import streamlit as st

    from explorer.ui import urlstate

    class Page:
        url_path = "demo_errors"

        def run(self) -> None:
            text = st.text_input("Text", "The default sentence.", key="demo_errors_text")
            layer = st.slider("Layer", 0, 5, 2, key="demo_errors_layer")
            if text == "boom":
                raise RuntimeError("a bug in the page, not in the link")
            st.markdown(f"shown: {text} / {layer}")

    urlstate.URL_KEYS["demo_errors"] = ("demo_errors_text", "demo_errors_layer")
    urlstate.run(Page())


def open_with(**params: str) -> AppTest:
    at = AppTest.from_function(_demo_app, default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _refused(at: AppTest) -> bool:
    return any("did not fit this page" in w.value for w in at.warning)


def test_a_page_that_breaks_on_a_fitting_value_shows_its_error_not_a_refused_link():
    at = open_with(demo_errors_text="boom", demo_errors_layer="4")
    assert [e.message for e in at.exception] == ["a bug in the page, not in the link"]
    assert not _refused(at)


def test_a_value_its_widget_refuses_is_still_reported_as_not_fitting():
    for value in ("999", "many", "[1]"):  # too large; not a number (the widget's own ValueError)
        at = open_with(demo_errors_text="fine", demo_errors_layer=value)
        assert not at.exception and _refused(at)
        assert at.markdown[-1].value == "shown: The default sentence. / 2"  # the page's defaults
