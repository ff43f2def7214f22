"""What one page's session holds of a room, and how it keeps the room alive through store faults.

The store is the room's meeting point, not its only copy: the presenter's session keeps the room
(code, key hash, stop, question state) and the answers it last counted; each visitor's session keeps
its own answers. When the store loses a room (the SQLite file removed, Redis restarted empty), the
presenter's next call puts it back with a new epoch and the answers it had seen, and each visitor who
sees the new epoch sends its answers again: nothing voted is lost. While the store cannot be reached,
each call raises StoreUnavailable and the page goes on alone.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace

from explorer.classroom.room import (
    PRESENT_S,
    ForgedKey,
    Limits,
    NoSuchChoice,
    NoSuchRoom,
    QuestionClosed,
    Room,
    RoomError,
    RoomRestoring,
    TooManyRooms,
    TooManyTries,
    hash_key,
    key_matches,
    new_code,
    new_key,
    normalize_code,
)
from explorer.classroom.store import RoomStore

MINUTE = 60


@dataclass(frozen=True)
class Tally:
    """The presenter's live count: answers per choice (in the stop's order) and who is there."""

    stop: int
    counts: tuple[int, ...]
    present: int  # people whose page polled within PRESENT_S
    following: int  # of them, those following the presenter

    @property
    def total(self) -> int:
        return sum(self.counts)


def check_tries(store: RoomStore, client: str, limits: Limits, now: float) -> None:
    """TooManyTries when this client has tried to join (or claim) too often this minute."""
    if store.hit(f"join:{client}", MINUTE, now) > limits.joins_per_minute:
        raise TooManyTries(client)


def find_room(store: RoomStore, typed: str | None, limits: Limits, now: float) -> Room:
    """The open room with this code (as typed); NoSuchRoom otherwise, counted against every visitor's
    wrong codes (a code cannot be guessed in practice: 25**8 codes, and this many wrong ones a minute)."""
    code = normalize_code(typed or "")
    room = store.get_room(code, now) if code else None
    if room is None:
        if store.hit("wrong-codes", MINUTE, now) > limits.wrong_codes_per_minute:
            raise TooManyTries("wrong codes")
        raise NoSuchRoom(code or "?")
    return room


@dataclass
class Presenter:
    """The presenter's side of a room; the key never leaves this object (and the session holding it)."""

    room: Room
    key: str
    seen_votes: dict[int, dict[str, int]] = field(default_factory=dict)  # stop -> member -> choice
    synced: bool = True  # False when a move was made while the store was away

    @classmethod
    def open(cls, store: RoomStore, stop: int, limits: Limits, now: float) -> Presenter:
        """A new room at `stop` with its question open: a fresh code (drawn again on a clash) and key."""
        key = new_key()
        for _ in range(8):
            epoch = secrets.token_hex(4)
            room = Room(new_code(), hash_key(key), epoch, now, now + limits.ttl_s, stop, "open")
            if store.put_room(room, limits.max_rooms, now):
                return cls(room, key)
        raise TooManyRooms("no free code")

    @classmethod
    def claim(
        cls, store: RoomStore, code: str | None, key: str, client: str, limits: Limits, now: float
    ) -> Presenter:
        """The presenter's side of an open room, for whoever holds its key (another tab, a reload)."""
        check_tries(store, client, limits, now)
        room = find_room(store, code, limits, now)
        if not key_matches(key, room):
            raise ForgedKey(room.code)
        return cls(room, key)

    def move(self, store: RoomStore, stop: int, question: str = "open", now: float = 0.0) -> Room:
        """Show `stop` to the room (its question `question`); kept here when the store is away."""
        self.room = replace(self.room, stop=stop, question=question)
        self.synced = False
        return self.sync(store, now)

    def sync(self, store: RoomStore, now: float) -> Room:
        """Write this session's room to the store, putting it back first if the store lost it."""
        self._check_expiry(now)
        if self.synced:
            return self.room
        moved = store.move(self.room.code, self.room.stop, self.room.question)
        if moved is None:
            moved = self._restore(store, now)
        self.room, self.synced = moved, True
        return moved

    def tally(self, store: RoomStore, stop: int, choices: int, now: float) -> Tally:
        """Answers to `stop`'s question per choice, and who is in the room, as the store has them now."""
        self.sync(store, now)
        if store.get_room(self.room.code, now) is None:
            self._restore(store, now)
        votes = store.votes(self.room.code, stop)
        self.seen_votes[stop] = {**self.seen_votes.get(stop, {}), **votes}
        counts = [0] * choices
        for choice in votes.values():
            if 0 <= choice < choices:
                counts[choice] += 1
        present, following = store.presence(self.room.code, now - PRESENT_S)
        return Tally(stop, tuple(counts), present, following)

    def _check_expiry(self, now: float) -> None:
        if now >= self.room.expires:
            raise NoSuchRoom(self.room.code)

    def _restore(self, store: RoomStore, now: float) -> Room:
        """Put the room back under its code with a new epoch, with every answer this session had seen."""
        self._check_expiry(now)
        room = replace(self.room, epoch=secrets.token_hex(4))
        if not store.put_room(room, Limits.from_env().max_rooms + 1, now):  # back in the place it held
            room = store.get_room(room.code, now) or room
        for stop, votes in self.seen_votes.items():
            for member, choice in votes.items():
                store.vote(room.code, stop, member, choice)
        return room


@dataclass
class Visitor:
    """A visitor's side of a room: whether it follows, the room as last seen, and its own answers."""

    code: str
    member: str
    following: bool = True
    last: Room | None = None
    answers: dict[int, int] = field(default_factory=dict)  # stop -> choice, this visitor's own
    unsent: set[int] = field(default_factory=set)  # stops whose answer the store has not taken yet

    @classmethod
    def join(cls, store: RoomStore, code: str | None, client: str, limits: Limits, now: float) -> Visitor:
        """Join the open room with this code (rate limited per client and for wrong codes overall)."""
        check_tries(store, client, limits, now)
        room = find_room(store, code, limits, now)
        visitor = cls(room.code, secrets.token_hex(8))
        visitor.poll(store, limits, now)
        return visitor

    def poll(self, store: RoomStore, limits: Limits, now: float) -> Room:
        """Say this visitor is here, and read the room; after the store lost it, send answers again."""
        room = store.poll(self.code, self.member, self.following, now, limits.max_members)
        if room is None:
            if self.last is not None and now < self.last.expires:
                raise RoomRestoring(self.code)  # the presenter's next call puts it back
            raise NoSuchRoom(self.code)
        if self.last is not None and room.epoch != self.last.epoch:
            self.unsent |= set(self.answers)
        self.last = room
        for stop in sorted(self.unsent):
            store.vote(self.code, stop, self.member, self.answers[stop])
            self.unsent.discard(stop)
        return room

    def answer(self, store: RoomStore, stop: int, choice: int, choices: int, now: float) -> None:
        """Answer (or change the answer to) the question of `stop`, while the presenter keeps it open."""
        if not 0 <= choice < choices:
            raise NoSuchChoice(str(choice))
        room = self.last
        try:
            room = store.get_room(self.code, now) or room
        except RoomError:
            if room is None or room.stop != stop or room.question != "open":
                raise
            self.answers[stop] = choice  # the question was open when last seen: kept, sent on return
            self.unsent.add(stop)
            raise
        if room is None or room.stop != stop or room.question != "open":
            raise QuestionClosed(str(stop))
        self.answers[stop] = choice
        store.vote(self.code, stop, self.member, choice)
        self.unsent.discard(stop)
