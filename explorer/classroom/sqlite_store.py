"""Rooms in one SQLite file (the standard library's sqlite3, WAL): the embedded default.

Each thread has its own connection. Before each operation the file is checked: when it was removed
(or replaced), the store opens a new one, and the sessions that hold a room put it back
(explorer/classroom/session.py); when no file can be made there, StoreUnavailable.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from explorer.classroom.room import GONE_S, Room, RoomFull, StoreUnavailable, TooManyRooms

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, key_hash TEXT, epoch TEXT, created REAL,
    expires REAL, stop INTEGER, question TEXT, version INTEGER);
CREATE TABLE IF NOT EXISTS members (code TEXT, member TEXT, seen REAL, following INTEGER,
    PRIMARY KEY (code, member)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS votes (code TEXT, stop INTEGER, member TEXT, choice INTEGER,
    PRIMARY KEY (code, stop, member)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hits (bucket TEXT PRIMARY KEY, window_end REAL, count INTEGER) WITHOUT ROWID;
"""
FIELDS = "code, key_hash, epoch, created, expires, stop, question, version"


class SqliteStore:
    """The RoomStore of explorer/classroom/store.py in a SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
        return conn

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction on this thread's connection, opened again when the file went away."""
        try:
            conn, inode = getattr(self._local, "conn", (None, None))
            current = os.stat(self.path).st_ino if self.path.exists() else None
            if conn is None or current != inode:
                if conn is not None:
                    conn.close()
                conn = self._connect()
                self._local.conn = (conn, os.stat(self.path).st_ino)
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            self._local.conn = (None, None)
            raise StoreUnavailable(str(error)) from error

    def put_room(self, room: Room, max_rooms: int, now: float) -> bool:
        with self._tx() as db:
            expired = "SELECT code FROM rooms WHERE expires <= ?"
            for table in ("members", "votes"):
                db.execute(f"DELETE FROM {table} WHERE code IN ({expired})", (now,))
            db.execute("DELETE FROM rooms WHERE expires <= ?", (now,))
            db.execute("DELETE FROM hits WHERE window_end <= ?", (now,))
            if db.execute("SELECT 1 FROM rooms WHERE code = ?", (room.code,)).fetchone():
                return False
            if db.execute("SELECT count(*) FROM rooms").fetchone()[0] >= max_rooms:
                raise TooManyRooms(f"{max_rooms} rooms are open")
            db.execute(f"INSERT INTO rooms ({FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _row(room))
            return True

    def get_room(self, code: str, now: float) -> Room | None:
        with self._tx() as db:
            return _room(db, code, now)

    def move(self, code: str, stop: int, question: str) -> Room | None:
        with self._tx() as db:
            db.execute(
                "UPDATE rooms SET stop = ?, question = ?, version = version + 1 WHERE code = ?",
                (stop, question, code),
            )
            return _room(db, code, None)

    def poll(self, code: str, member: str, following: bool, now: float, max_members: int) -> Room | None:
        with self._tx() as db:
            room = _room(db, code, now)
            if room is None:
                return None
            known = "SELECT 1 FROM members WHERE code = ? AND member = ?"
            if not db.execute(known, (code, member)).fetchone():
                db.execute("DELETE FROM members WHERE code = ? AND seen < ?", (code, now - GONE_S))
                count = db.execute("SELECT count(*) FROM members WHERE code = ?", (code,)).fetchone()[0]
                if count >= max_members:
                    raise RoomFull(f"{max_members} people are in the room")
            db.execute(
                "INSERT OR REPLACE INTO members VALUES (?, ?, ?, ?)", (code, member, now, int(following))
            )
            return room

    def vote(self, code: str, stop: int, member: str, choice: int) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?)", (code, stop, member, choice))

    def votes(self, code: str, stop: int) -> dict[str, int]:
        with self._tx() as db:
            rows = db.execute("SELECT member, choice FROM votes WHERE code = ? AND stop = ?", (code, stop))
            return dict(rows.fetchall())

    def presence(self, code: str, since: float) -> tuple[int, int]:
        with self._tx() as db:
            present, following = db.execute(
                "SELECT count(*), coalesce(sum(following), 0) FROM members WHERE code = ? AND seen >= ?",
                (code, since),
            ).fetchone()
            return present, following

    def hit(self, bucket: str, window_s: int, now: float) -> int:
        window_end = (now // window_s + 1) * window_s
        with self._tx() as db:
            db.execute(
                "INSERT INTO hits VALUES (?, ?, 1) ON CONFLICT(bucket) DO UPDATE SET "
                "count = CASE WHEN window_end = excluded.window_end THEN count + 1 ELSE 1 END, "
                "window_end = excluded.window_end",
                (bucket, window_end),
            )
            return db.execute("SELECT count FROM hits WHERE bucket = ?", (bucket,)).fetchone()[0]

    def close(self) -> None:
        conn, _ = getattr(self._local, "conn", (None, None))
        if conn is not None:
            conn.close()
        self._local.conn = (None, None)


def _row(room: Room) -> tuple:
    return tuple(getattr(room, name) for name in FIELDS.split(", "))


def _room(db: sqlite3.Connection, code: str, now: float | None) -> Room | None:
    row = db.execute(f"SELECT {FIELDS} FROM rooms WHERE code = ?", (code,)).fetchone()
    if row is None or (now is not None and row[4] <= now):
        return None
    return Room(*row)
