"""Page inputs kept in the URL: a link opens the same view; a value that does not fit is refused.

AppTest runs a page file on its own, without app.py, so the
mechanism is driven here by a small page of its own through `urlstate.run`, as app.py runs every
page; tests/e2e/test_room_browser.py checks a real page's link in the browser.
"""

import pytest
from streamlit.testing.v1 import AppTest

from explorer.ui import urlstate
from tests.app.checks import assert_no_error_box


@pytest.mark.parametrize("value", ["plain text", "3", "true", "[1, 2]", '"quoted"', 3, 0.25, True, ""])
def test_every_value_reads_back_as_itself(value):
    assert urlstate.decode(urlstate.encode(value)) == value


def test_every_family_page_keeps_its_model_text_layer_and_head():
    for page, spec in urlstate.registry.FAMILY_PAGES.items():
        keys = urlstate.URL_KEYS[page]
        assert {f"model_{spec.family}", f"{page}_text", f"{page}_layer", f"{page}_head"} <= set(keys)


def _demo_app() -> None:
    """A page with a text, a layer slider and a choice, opted in to the URL by its key list."""
    import streamlit as st

    from explorer.ui import urlstate

    class Page:
        url_path = "demo"

        def run(self) -> None:
            text = st.text_input("Text", "The default sentence.", key="demo_text")
            layer = st.slider("Layer", 0, 5, 2, key="demo_layer")
            view = st.selectbox("View", ["head", "model"], key="demo_view")
            st.markdown(f"shown: {text} / {layer} / {view}")

    urlstate.URL_KEYS["demo"] = ("demo_text", "demo_layer", "demo_view")
    urlstate.run(Page())


def open_with(**params: str) -> AppTest:
    at = AppTest.from_function(_demo_app, default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_link_opens_the_same_view():
    at = open_with(demo_text="The river bank was muddy.", demo_layer="4", demo_view="model")
    assert_no_error_box(at)
    assert at.markdown[-1].value == "shown: The river bank was muddy. / 4 / model"


def test_changed_inputs_go_into_the_url_and_defaults_stay_out():
    at = open_with()
    assert_no_error_box(at)
    assert "demo_text" not in at.query_params and "demo_layer" not in at.query_params
    at.text_input(key="demo_text").set_value("3").run()
    at.slider(key="demo_layer").set_value(5).run()
    assert at.query_params["demo_text"] == '"3"'  # a text that reads as a number is quoted
    assert at.query_params["demo_layer"] == "5"
    at.slider(key="demo_layer").set_value(2).run()
    assert "demo_layer" not in at.query_params  # back at its default


@pytest.mark.parametrize(
    "params",
    [{"demo_layer": "999"}, {"demo_layer": "many"}, {"demo_view": "nonsense"}, {"demo_layer": "[1]"}],
)
def test_a_link_whose_value_does_not_fit_opens_the_defaults_and_says_so(params):
    at = open_with(demo_text="<script>alert(1)</script>", **params)
    assert_no_error_box(at)
    assert any("did not fit this page" in w.value for w in at.warning)
    assert at.markdown[-1].value.endswith(" / 2 / head")  # the refused value is back at its default
