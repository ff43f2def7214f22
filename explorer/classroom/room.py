"""A live classroom's room: its record, its codes and keys, its limits and the faults a page shows.

A room is what a presenter opened: a short code that people join with, the hash of a presenter key
(only the presenter's session holds the key itself), the stop the room is on and the state of that
stop's question. Votes and presence live beside it in the store (explorer/classroom/store.py).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

# Letters and digits that are hard to mix up when read aloud or typed: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8  # shown as two groups of four: 25**8 = 1.5e11 codes, a few hundred rooms open at most
QUESTION_STATES = ("open", "closed", "revealed", "ended")  # "ended": the presenter closed the room
PRESENT_S = 10.0  # a visitor whose page polled within this many seconds is in the room
GONE_S = 600.0  # one not seen for this long gives up its place when the room is full


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


@dataclass(frozen=True)
class Limits:
    """What a server owner bounds (environment variables), checked before anything is written."""

    ttl_s: int  # a room expires this long after it was opened (EXPLORER_ROOM_TTL_S, 12 h)
    max_rooms: int  # rooms open at once in one store (EXPLORER_MAX_ROOMS)
    max_members: int  # people in one room (EXPLORER_ROOM_MAX_MEMBERS)
    joins_per_minute: int  # join attempts one visitor may make in a minute
    wrong_codes_per_minute: int  # wrong codes the whole store answers in a minute, all visitors together

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            ttl_s=_env_int("EXPLORER_ROOM_TTL_S", 12 * 3600),
            max_rooms=_env_int("EXPLORER_MAX_ROOMS", 200),
            max_members=_env_int("EXPLORER_ROOM_MAX_MEMBERS", 500),
            joins_per_minute=_env_int("EXPLORER_ROOM_JOINS_PER_MINUTE", 10),
            wrong_codes_per_minute=_env_int("EXPLORER_ROOM_WRONG_CODES_PER_MINUTE", 300),
        )


@dataclass(frozen=True)
class Room:
    """One room as the store keeps it. `epoch` changes when a room is made again after the store
    lost it, so a visitor knows to send its answers again; `version` counts the presenter's moves."""

    code: str
    key_hash: str
    epoch: str
    created: float  # epoch seconds
    expires: float  # epoch seconds
    stop: int  # the tour's stop number the presenter shows
    question: str  # the state of that stop's question: one of QUESTION_STATES
    version: int = 0


class RoomError(Exception):
    """A fault a page shows as one message; `kind` names its text (assets/i18n/*/classroom.toml)."""

    kind = "error"


class StoreUnavailable(RoomError):
    """The store cannot be reached (the SQLite folder gone, Redis stopped); the page goes on alone."""

    kind = "store_gone"


class NoSuchRoom(RoomError):
    """No room has this code: it never existed, was mistyped, or has expired."""

    kind = "no_room"


class ForgedKey(RoomError):
    """A presenter key that is not this room's: only the presenter moves the room."""

    kind = "forged_key"


class RoomRestoring(RoomError):
    """The store lost the room and its presenter has not put it back yet; answers are kept."""

    kind = "restoring"


class QuestionClosed(RoomError):
    kind = "closed"


class NoSuchChoice(RoomError):
    kind = "no_choice"


class TooManyRooms(RoomError):
    kind = "too_many_rooms"


class RoomFull(RoomError):
    kind = "room_full"


class TooManyTries(RoomError):
    """Joins come too fast from this visitor, or wrong codes from everyone: wait a minute."""

    kind = "too_many_tries"


def new_code() -> str:
    """A fresh room code from the secrets module: CODE_LENGTH characters of ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    """A presenter key: 192 random bits, kept only in the presenter's session."""
    return secrets.token_urlsafe(24)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str | None, room: Room) -> bool:
    """True when `key` is this room's presenter key (compared in constant time)."""
    return bool(key) and hmac.compare_digest(hash_key(key), room.key_hash)


def normalize_code(typed: str) -> str | None:
    """A typed code in its stored form (case, spaces and dashes forgiven), or None when it cannot
    be a code: nothing that is not a code reaches the store."""
    code = re.sub(r"[\s\-·.]", "", typed[:40]).upper()
    if len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code):
        return code
    return None


def spoken(code: str) -> str:
    """A code as people read it aloud: two groups of four."""
    return f"{code[:4]}-{code[4:]}"
