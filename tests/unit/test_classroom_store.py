"""The classroom's store on both backends against real servers: a SQLite file in a temporary folder,
and a `redis-server` this module starts on a free loopback port (skipped only when Debian's
redis-server is not installed; `make test` installs it). Fault cases included: wrong codes, forged
keys, closed questions, choices that do not exist, and the store going away and coming back."""

import os
import shutil
import time

import pytest

from explorer.classroom.room import (
    GONE_S,
    ForgedKey,
    Limits,
    NoSuchChoice,
    NoSuchRoom,
    QuestionClosed,
    RoomError,
    RoomFull,
    StoreUnavailable,
    TooManyRooms,
    TooManyTries,
    normalize_code,
    spoken,
)
from explorer.classroom.session import Presenter, Visitor
from explorer.classroom.store import open_store
from tests.redis_server import REDIS, RedisServer

LIMITS = Limits(ttl_s=3600, max_rooms=5, max_members=5, joins_per_minute=4, wrong_codes_per_minute=6)
NOW = time.time()  # Redis expires keys by its own clock


@pytest.fixture(scope="module")
def redis_server():
    if REDIS is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: CI must install Debian's redis-server (make browser)")
        pytest.skip("redis-server is missing: `make test` installs Debian's redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def backend(request, tmp_path):
    """(store, a function that takes the store away, one that brings it back empty)."""
    if request.param == "sqlite":
        folder = tmp_path / "cache"
        store = open_store(f"sqlite:///{folder / 'rooms.sqlite3'}")

        def gone():  # the file removed, and no folder to make a new one in
            shutil.rmtree(folder)
            folder.write_text("not a folder")

        def back():
            folder.unlink()

        yield store, gone, back
    else:
        server = request.getfixturevalue("redis_server")
        store = open_store(server.url)
        store.client.flushdb()
        yield store, server.stop, server.start
        if not server.running():
            server.start()
    store.close()


def test_codes_are_read_aloud_in_two_groups_and_typed_loosely():
    assert normalize_code("kmr4-7xqa") == "KMR47XQA"
    assert normalize_code(" KMR4 7XQA ") == "KMR47XQA"
    assert spoken("KMR47XQA") == "KMR4-7XQA"
    assert normalize_code("KMR4-7XQ") is None  # too short
    assert normalize_code("OIL0-1SZB") is None  # letters left out of the alphabet
    assert normalize_code("x" * 10_000) is None


def test_a_room_moves_and_its_followers_see_the_stop(backend):
    store, _, _ = backend
    presenter = Presenter.open(store, stop=3, limits=LIMITS, now=NOW)
    first = Visitor.join(store, presenter.room.code.lower(), "a", LIMITS, NOW)
    second = Visitor.join(store, presenter.room.code, "b", LIMITS, NOW)
    assert first.last.stop == second.last.stop == 3
    presenter.move(store, 4, now=NOW + 1)
    assert first.poll(store, LIMITS, NOW + 1).stop == 4
    second.following = False
    assert second.poll(store, LIMITS, NOW + 1).stop == 4  # an explorer still sees where the room is
    tally = presenter.tally(store, 4, choices=3, now=NOW + 2)
    assert (tally.present, tally.following) == (2, 1)


def test_each_visitor_answers_once_and_may_change_until_closed(backend):
    store, _, _ = backend
    presenter = Presenter.open(store, stop=1, limits=LIMITS, now=NOW)
    a, b = (Visitor.join(store, presenter.room.code, c, LIMITS, NOW) for c in "ab")
    a.answer(store, 1, 0, choices=3, now=NOW)
    a.answer(store, 1, 2, choices=3, now=NOW)  # changed: still one answer
    b.answer(store, 1, 2, choices=3, now=NOW)
    assert presenter.tally(store, 1, 3, NOW).counts == (0, 0, 2)
    with pytest.raises(NoSuchChoice):
        a.answer(store, 1, 3, choices=3, now=NOW)
    with pytest.raises(NoSuchChoice):
        a.answer(store, 1, -1, choices=3, now=NOW)
    presenter.move(store, 1, "closed", NOW)
    with pytest.raises(QuestionClosed):
        b.answer(store, 1, 0, choices=3, now=NOW)
    with pytest.raises(QuestionClosed):  # a stop the room is not on
        b.answer(store, 2, 0, choices=3, now=NOW)
    presenter.move(store, 1, "revealed", NOW)
    assert presenter.tally(store, 1, 3, NOW).counts == (0, 0, 2)
    presenter.move(store, 1, "ended", NOW)  # the presenter closed the room
    assert a.poll(store, LIMITS, NOW).question == "ended"
    with pytest.raises(QuestionClosed):
        a.answer(store, 1, 0, choices=3, now=NOW)


def test_wrong_codes_forged_keys_and_expired_rooms_are_refused(backend):
    store, _, _ = backend
    presenter = Presenter.open(store, stop=1, limits=LIMITS, now=NOW)
    code = presenter.room.code
    with pytest.raises(NoSuchRoom):
        Visitor.join(store, "KMR47XQA" if code != "KMR47XQA" else "KMR47XQC", "a", LIMITS, NOW)
    with pytest.raises(NoSuchRoom):
        Visitor.join(store, None, "b", LIMITS, NOW)  # typed text that is no code at all
    with pytest.raises(ForgedKey):
        Presenter.claim(store, code, "forged-" + presenter.key, "c", LIMITS, NOW)
    again = Presenter.claim(store, code, presenter.key, "c", LIMITS, NOW)
    assert again.room.code == code
    later = NOW + LIMITS.ttl_s + 1
    with pytest.raises(NoSuchRoom):
        Visitor.join(store, code, "d", LIMITS, later)
    with pytest.raises(NoSuchRoom):
        presenter.move(store, 2, now=later)


def test_joins_are_rate_limited_per_visitor_and_wrong_codes_for_everyone(backend):
    store, _, _ = backend
    code = Presenter.open(store, stop=1, limits=LIMITS, now=NOW).room.code
    for _ in range(LIMITS.joins_per_minute):
        Visitor.join(store, code, "same", LIMITS, NOW)
    with pytest.raises(TooManyTries):
        Visitor.join(store, code, "same", LIMITS, NOW)
    Visitor.join(store, code, "same", LIMITS, NOW + 60)  # the next minute
    with pytest.raises(NoSuchRoom):
        for i in range(LIMITS.wrong_codes_per_minute):
            try:
                Visitor.join(store, "KMR47XQA", f"guesser{i}", LIMITS, NOW + 120)
            except NoSuchRoom:
                continue
        raise NoSuchRoom("all refused as wrong codes")
    with pytest.raises(TooManyTries):  # the next wrong code from anyone, this minute
        Visitor.join(store, "KMR47XQA", "another", LIMITS, NOW + 120)


def test_rooms_and_members_are_bounded(backend):
    store, _, _ = backend
    rooms = [Presenter.open(store, stop=1, limits=LIMITS, now=NOW) for _ in range(LIMITS.max_rooms)]
    with pytest.raises(TooManyRooms):
        Presenter.open(store, stop=1, limits=LIMITS, now=NOW)
    code = rooms[0].room.code
    members = [Visitor.join(store, code, f"v{i}", LIMITS, NOW) for i in range(LIMITS.max_members)]
    with pytest.raises(RoomFull):
        Visitor.join(store, code, "one-too-many", LIMITS, NOW)
    members[0].poll(store, LIMITS, NOW + 1)  # those inside stay inside
    for member in members[1:]:
        member.poll(store, LIMITS, NOW + GONE_S)
    Visitor.join(store, code, "newcomer", LIMITS, NOW + GONE_S + 2)  # members[0] left: a place is free
    Presenter.open(store, stop=1, limits=LIMITS, now=NOW + LIMITS.ttl_s + 1)  # the old rooms expired


def test_a_store_that_goes_away_and_comes_back_loses_no_answer(backend):
    store, gone, back = backend
    presenter = Presenter.open(store, stop=5, limits=LIMITS, now=NOW)
    a, b, c = (Visitor.join(store, presenter.room.code, x, LIMITS, NOW) for x in "abc")
    a.answer(store, 5, 1, choices=2, now=NOW)
    b.answer(store, 5, 0, choices=2, now=NOW)
    assert presenter.tally(store, 5, 2, NOW).counts == (1, 1)
    gone()
    with pytest.raises(StoreUnavailable):
        a.poll(store, LIMITS, NOW + 1)
    with pytest.raises(StoreUnavailable):
        c.answer(store, 5, 1, choices=2, now=NOW + 1)  # kept on c's page, sent when the store is back
    with pytest.raises(StoreUnavailable):
        presenter.move(store, 5, "open", NOW + 1)
    back()  # empty: the file made anew, or Redis restarted without its data
    with pytest.raises(RoomError):
        a.poll(store, LIMITS, NOW + 2)  # not "no such room": the presenter puts it back
    presenter.move(store, 6, "open", NOW + 2)
    for visitor in (a, b, c):
        assert visitor.poll(store, LIMITS, NOW + 3).stop == 6
    assert presenter.tally(store, 5, 2, NOW + 3).counts == (1, 2)
    assert presenter.tally(store, 6, 2, NOW + 3).present == 3
