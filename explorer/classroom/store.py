"""Where rooms live: one small interface, two backends, chosen by EXPLORER_ROOM_STORE.

Unset (or `sqlite:///path`): a SQLite file under the app's cache folder (explorer/offline.cache_dir),
shared by the processes of one machine with no set-up. `redis://host:6379/0`: a Redis server that
several app servers share (README's replicas behind a proxy). Both raise StoreUnavailable when they
cannot be reached; explorer/classroom/session.py turns that into one message and a retry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from explorer import offline
from explorer.classroom.room import Room

ENV = "EXPLORER_ROOM_STORE"


class RoomStore(Protocol):
    """The operations a room needs; each is one round trip (one transaction) to the store."""

    def put_room(self, room: Room, max_rooms: int, now: float) -> bool:
        """Add `room` unless its code is taken (False); TooManyRooms when `max_rooms` are open."""

    def get_room(self, code: str, now: float) -> Room | None:
        """The room, or None when there is none or it has expired."""

    def move(self, code: str, stop: int, question: str) -> Room | None:
        """Set the room's stop and question state (version + 1); None when the room is gone."""

    def poll(self, code: str, member: str, following: bool, now: float, max_members: int) -> Room | None:
        """A visitor's heartbeat and read of the room in one; RoomFull for one too many (after the
        places of those not seen for room.GONE_S are freed)."""

    def vote(self, code: str, stop: int, member: str, choice: int) -> None:
        """Record (or change) `member`'s answer to the question of `stop`."""

    def votes(self, code: str, stop: int) -> dict[str, int]:
        """member -> choice for the question of `stop`."""

    def presence(self, code: str, since: float) -> tuple[int, int]:
        """(people whose page polled since `since`, how many of them follow the presenter)."""

    def hit(self, bucket: str, window_s: int, now: float) -> int:
        """Count one attempt in `bucket` and return the attempts in its current window."""

    def close(self) -> None: ...


def default_sqlite_path() -> Path:
    return offline.cache_dir() / "classroom" / "rooms.sqlite3"


def open_store(url: str | None = None) -> RoomStore:
    """The store EXPLORER_ROOM_STORE (or `url`) names; the cache folder's SQLite file by default."""
    url = url if url is not None else os.environ.get(ENV, "")
    if url.startswith(("redis://", "rediss://", "unix://")):
        from explorer.classroom.redis_store import RedisStore

        return RedisStore(url)
    from explorer.classroom.sqlite_store import SqliteStore

    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url.removeprefix("sqlite://")))
    if url:
        raise ValueError(f"{ENV}={url!r}: use redis://host:port/db or sqlite:///path, or leave it unset")
    return SqliteStore(default_sqlite_path())
