"""The classroom on the tour under AppTest: a wrong code and a store that goes away each give one
message, the page goes on alone, and an answer given while the store was away counts when it is back."""

import shutil
import time

import pytest

from explorer import registry
from explorer.i18n import translate
from explorer.ui.classroom.state import get_store
from tests.app.test_pages import open_page

STOP = next(s.number for s in registry.tour_stops() if s.page == "cola")  # draws without a model


@pytest.fixture
def store_folder(tmp_path, monkeypatch):
    """A SQLite store of this test's own (the server-wide store is a cached resource)."""
    folder = tmp_path / "rooms"
    monkeypatch.setenv("EXPLORER_ROOM_STORE", f"sqlite:///{folder / 'rooms.sqlite3'}")
    get_store.clear()
    yield folder
    get_store.clear()


def texts(at) -> str:
    return " ".join(str(e.value) for kind in ("warning", "info", "markdown") for e in getattr(at, kind))


def test_a_wrong_code_says_so_and_the_tour_goes_on(store_folder):
    at = open_page("tour", "en", stop=str(STOP), room="kmr4-7xqa")
    assert not at.exception
    assert translate("en", "room.error.no_room", code="KMR4-7XQA") in texts(at)
    assert at.title[0].value == registry.tour_stops()[STOP - 1].text("en", "title")
    assert "room" not in at.query_params  # the wrong code leaves the address


def test_a_store_that_goes_away_gives_one_message_and_loses_no_answer(store_folder):
    host = open_page("tour", "ko", stop=str(STOP))
    host.button(key="room_open").click().run()
    code = host.session_state["room_presenter"].room.code
    guest = open_page("tour", "ko", room=code)
    assert guest.session_state["tour_stop"] == STOP

    shutil.rmtree(store_folder)
    store_folder.write_text("not a folder: no store can be made here")
    guest.radio(key=f"room_answer_{STOP}").set_value(1).run()
    host.button(key="tour_next").click().run()
    gone = translate("ko", "room.error.store_gone")
    for at in (host, guest):
        assert not at.exception
        assert texts(at).count(gone) == 1
    assert host.session_state["tour_stop"] == STOP + 1  # the presenter's page went on alone

    store_folder.unlink()  # the store comes back, empty
    host.run()  # the presenter's page puts the room back at its stop
    guest.run()  # the visitor sees it, follows, and sends the answer it kept
    assert guest.session_state["tour_stop"] == STOP + 1
    assert gone not in texts(guest)
    choices = len(registry.tour_stops()[STOP - 1].choices["ko"])
    tally = host.session_state["room_presenter"].tally(get_store(), STOP, choices, time.time())
    assert tally.counts[1] == 1
