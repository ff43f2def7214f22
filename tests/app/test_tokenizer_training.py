"""Training a tokenizer on a visitor's corpus (issue #27, hole 2): one job of the server's queue, with
its place shown while it waits, and a child process stopped at the server's budget with a message.
The two tests named after the hole fail on e624252."""

import random
import string

import pytest
from streamlit.testing.v1 import AppTest

from explorer import jobqueue
from explorer.i18n import translate
from tests.app import checks
from tests.app.checks import assert_no_error_box, message
from tests.app.test_pages import open_page


@pytest.fixture
def one_slot(monkeypatch):
    """The server's queue made afresh with room for one job, emptied after the test."""
    monkeypatch.setenv("EXPLORER_MAX_JOBS", "1")
    monkeypatch.setattr(jobqueue, "_shared", None)
    yield
    queue = jobqueue._shared
    if queue is not None:
        for ticket in [*queue._queued, *queue._running]:
            queue.cancel(ticket)


def upload(at: AppTest, name: str, raw: bytes) -> None:
    at.radio(key="train_corpus").set_value("upload").run()
    at.file_uploader[0].set_value((name, raw, "text/plain")).run()


def train_button(at: AppTest, lang: str = "en"):
    return next(button for button in at.button if button.label == translate(lang, "train.button"))


def press_train(at: AppTest, lang: str = "en") -> None:
    train_button(at, lang).click().run()


def boxes_of(at: AppTest, kind: str) -> str:
    """The text of every box of one kind, as a person reads it (checks.shown)."""
    return "\n".join(checks.shown(box.value) for box in getattr(at, kind))


def test_hole2_tokenizer_training_waits_for_its_slot_in_the_job_queue(one_slot):
    other = jobqueue.shared().submit(jobqueue.Ticket("another session", "a fine-tune"))
    at = open_page("tokenization")
    upload(at, "mine.txt", b"a small corpus of my own words, said over and over\n" * 40)
    press_train(at)
    assert_no_error_box(at)
    assert "you are number 1 in the queue (1 of 1 jobs running" in boxes_of(at, "info")
    assert "Trained on" not in boxes_of(at, "success"), "nothing trains while it waits"
    assert jobqueue.shared().load().queued == 1
    assert train_button(at).disabled

    jobqueue.shared().finish(other)
    at.run()  # the page's next redraw finds its turn come, and trains
    assert_no_error_box(at)
    assert "Trained on mine" in boxes_of(at, "success")
    load = jobqueue.shared().load()
    assert (load.running, load.queued) == (0, 0), "the training gave its slot back"


def test_a_bundled_sample_trains_at_once_with_the_queue_full(one_slot):
    jobqueue.shared().submit(jobqueue.Ticket("another session", "a fine-tune"))
    at = open_page("tokenization")
    at.multiselect[0].set_value(["bpe"]).run()
    press_train(at)
    assert_no_error_box(at)
    assert "Trained on bundled" in boxes_of(at, "success")
    assert jobqueue.shared().load().queued == 0


def test_the_korean_sample_sweeps_past_the_sizes_unigram_refuses():
    """Unigram refuses 100 to 300 pieces on the Korean sample (it has more syllables than that): the
    sweep leaves those sizes out, and the tokenizers, the sweep and the success message still show
    (the refusal ended the whole press, so the page showed nothing but an exception)."""
    at = open_page("tokenization")
    at.radio(key="train_corpus").set_value("bundled_ko").run()
    press_train(at)
    assert_no_error_box(at)
    assert "Trained on bundled:ko" in boxes_of(at, "success")
    assert translate("en", "train.sweep") in [str(m.value).strip("*") for m in at.markdown]


def test_leaving_the_queue_trains_nothing(one_slot):
    jobqueue.shared().submit(jobqueue.Ticket("another session", "a fine-tune"))
    at = open_page("tokenization")
    upload(at, "mine.txt", b"a few words of my own\n" * 10)
    press_train(at)
    at.button(key="train_leave").click().run()
    assert_no_error_box(at)
    assert "You left the queue: nothing was started." in boxes_of(at, "info")
    assert jobqueue.shared().load().queued == 0 and not at.success


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_hole2_a_pathological_corpus_stops_at_the_training_budget_with_a_message(one_slot, monkeypatch, lang):
    monkeypatch.setenv("EXPLORER_MAX_TOKENIZER_SECONDS", "1")
    rng = random.Random(0)
    # One 'word' of 300,000 random letters: Unigram takes 8-12 s on it here, cut in words or not (its
    # seed pieces are every substring of up to 16 letters); a vocabulary of 100 keeps the sweep to it.
    line = "".join(rng.choice(string.ascii_lowercase) for _ in range(300_000))
    at = open_page("tokenization", lang)
    upload(at, "one_word.txt", line.encode())
    at.multiselect[0].set_value(["unigram"]).run()
    at.select_slider[0].set_value(100).run()
    press_train(at, lang)
    assert_no_error_box(at)
    assert at.warning, "the page says why nothing was trained"
    assert message("train.stopped", lang).search(boxes_of(at, "warning")), boxes_of(at, "warning")
    assert not at.success, "nothing was kept"
    assert jobqueue.shared().load().running == 0, "the stopped training gave its slot back"
