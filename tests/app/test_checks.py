"""The page check (tests/app/checks.py) fails a broken page: a page test and a hostile case that would
have passed on a page showing "Could not load" now fail on it."""

import pytest
from streamlit.testing.v1 import AppTest

from explorer.i18n import translate
from explorer.ui import getters
from tests.app.checks import assert_no_error_box, error_boxes, message
from tests.app.test_hostile import try_field
from tests.app.test_pages import TIMEOUT, open_page


@pytest.fixture
def broken_bert(monkeypatch) -> AppTest:
    """The BERT page when its pre-training heads cannot be loaded: the page catches it and shows
    "Could not load" boxes while the encoder still loads and draws the rest of the page."""
    real = getters.get_model

    def unloadable_heads(family_key: str, head: str, *rest):
        if head != "base":
            raise OSError("model.safetensors is truncated")
        return real(family_key, head, *rest)

    monkeypatch.setattr(getters, "get_model", unloadable_heads)
    at = open_page("bert", tab="mlm")  # the masked-LM tab needs the pre-training heads
    assert not at.exception  # all the page tests used to check, and it holds here
    assert any("model.safetensors is truncated" in e for e in error_boxes(at))
    return at


def test_an_encoder_that_cannot_be_loaded_is_a_message_on_the_page_not_a_traceback(monkeypatch):
    def unloadable(*_args):
        raise OSError("model.safetensors is truncated")

    monkeypatch.setattr(getters, "get_model", unloadable)
    at = open_page("bert")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Could not load" in e and "truncated" in e for e in error_boxes(at))


def test_the_page_check_fails_on_a_page_that_cannot_load_its_model(broken_bert):
    with pytest.raises(AssertionError, match="error boxes on the page.*Could not load"):
        assert_no_error_box(broken_bert)
    with pytest.raises(AssertionError, match="error boxes other than"):
        assert_no_error_box(broken_bert, message("model.bad_too_long"))


def test_the_hostile_check_fails_on_a_page_that_cannot_load_its_model(broken_bert):
    problem = try_field(broken_bert, "bert_a", "cjk")
    assert problem is not None and "Could not load" in problem


def _boxes(errors: tuple[str, ...], warning: str = "") -> None:
    import streamlit as st

    for text in errors:
        st.error(text)
    if warning:
        st.warning(warning)


def _page(*errors: str, warning: str = "") -> AppTest:
    return AppTest.from_function(_boxes, args=(errors, warning), default_timeout=TIMEOUT).run()


def test_only_the_expected_message_passes_and_only_once():
    shown = translate("en", "model.bad_too_long", name="xxxx…", default="gpt2")
    assert_no_error_box(_page(shown), message("model.bad_too_long"))
    assert_no_error_box(_page(warning="offline: using the packaged model"))  # a warning is no error box
    failing = [
        (_page(), message("model.bad_too_long")),  # the message that should be there is not
        (_page(shown, shown), message("model.bad_too_long")),  # one message, not two
        (_page(shown), message("model.bad_control")),  # another message
        (_page(warning="OSError: [Errno 2] No such file"), None),  # raw exception text in any box
    ]
    for at, expected in failing:
        with pytest.raises(AssertionError):
            assert_no_error_box(at, expected)


def test_a_message_pattern_stands_for_any_value_of_its_placeholders():
    pattern = message("model.bad_not_an_id", "ko")
    assert pattern.search(translate("ko", "model.bad_not_an_id", name="a b", default="bert-base-uncased"))
    assert not pattern.search(translate("ko", "model.bad_control", name="a b", default="bert-base-uncased"))


def test_the_seeds_together_try_every_field_with_every_input_once():
    from tests.app.hostile_sample import SEEDS, tried
    from tests.app.test_hostile import HOSTILE

    for n_fields in range(1, 9):
        pairs = {(j, i) for j in range(n_fields) for i in range(len(HOSTILE))}
        shares = [{p for p in pairs if tried(*p, seed)} for seed in SEEDS]
        assert set().union(*shares) == pairs and sum(map(len, shares)) == len(pairs)  # all, once
        assert max(map(len, shares)) <= len(pairs) / len(SEEDS) + n_fields  # each run about a quarter
        assert {p for p in pairs if tried(*p, None)} == pairs  # HOSTILE_SEED=all
