"""Rooms in Redis (redis-py): for several app servers sharing one room (README's replicas).

Keys, all under `tfe:room:<code>` and expiring with the room: the room (a hash), its members
(member -> "seen following") and one hash of votes per stop. The open rooms are a sorted set by expiry,
so their number can be bounded. Each operation is one round trip; the ones that read and then write
are small Lua scripts, so two servers cannot interleave inside one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from explorer.classroom.room import GONE_S, Room, RoomFull, StoreUnavailable, TooManyRooms

T = TypeVar("T")
ROOMS = "tfe:rooms"
TIMEOUT_S = 1.0  # a stopped server answers a page within a second, with StoreUnavailable

# KEYS: room, members. ARGV: member, "seen following", max members, seen before which a place is
# freed. -> the room's fields, or "full".
POLL = """
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
  local all = redis.call('HGETALL', KEYS[2])
  for i = 1, #all, 2 do
    local seen = tonumber(string.match(all[i + 1], '^%S+'))
    if seen < tonumber(ARGV[4]) then redis.call('HDEL', KEYS[2], all[i]) end
  end
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then return 'full' end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIREAT', KEYS[2], math.floor(tonumber(redis.call('HGET', KEYS[1], 'expires'))) + 1)
return redis.call('HGETALL', KEYS[1])
"""
# KEYS: room, votes of the stop. ARGV: member, choice.
VOTE = """
local expires = redis.call('HGET', KEYS[1], 'expires')
if not expires then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIREAT', KEYS[2], math.floor(tonumber(expires)) + 1)
return 1
"""
# KEYS: room. ARGV: stop, question.
MOVE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
redis.call('HSET', KEYS[1], 'stop', ARGV[1], 'question', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return redis.call('HGETALL', KEYS[1])
"""


def _reachable(method: Callable[..., T]) -> Callable[..., T]:
    """Redis's connection faults become StoreUnavailable: one message on the page, then a retry."""

    @functools.wraps(method)
    def call(*args, **kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            raise StoreUnavailable(str(error)) from error

    return call


def _room(fields: dict | list | None) -> Room | None:
    if not fields:
        return None
    if isinstance(fields, list):  # a Lua script's HGETALL: flat [key, value, ...]
        fields = dict(zip(fields[::2], fields[1::2], strict=True))
    return Room(
        code=fields["code"],
        key_hash=fields["key_hash"],
        epoch=fields["epoch"],
        created=float(fields["created"]),
        expires=float(fields["expires"]),
        stop=int(fields["stop"]),
        question=fields["question"],
        version=int(fields["version"]),
    )


def _key(code: str, *parts: object) -> str:
    return ":".join(("tfe:room", code, *map(str, parts)))


class RedisStore:
    """The RoomStore of explorer/classroom/store.py in Redis."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=TIMEOUT_S,
            socket_connect_timeout=TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )
        self._poll = self.client.register_script(POLL)
        self._vote = self.client.register_script(VOTE)
        self._move = self.client.register_script(MOVE)

    @_reachable
    def put_room(self, room: Room, max_rooms: int, now: float) -> bool:
        self.client.zremrangebyscore(ROOMS, "-inf", now)
        if self.client.zcard(ROOMS) >= max_rooms:
            raise TooManyRooms(f"{max_rooms} rooms are open")
        key = _key(room.code)
        if not self.client.hsetnx(key, "code", room.code):
            return False
        names = ("key_hash", "epoch", "created", "expires", "stop", "question")
        fields = {name: getattr(room, name) for name in names}
        with self.client.pipeline() as pipe:
            pipe.hset(key, mapping={**fields, "version": room.version})
            pipe.expireat(key, int(room.expires) + 1)
            pipe.zadd(ROOMS, {room.code: room.expires})
            pipe.execute()
        return True

    @_reachable
    def get_room(self, code: str, now: float) -> Room | None:
        room = _room(self.client.hgetall(_key(code)))
        return room if room is not None and room.expires > now else None

    @_reachable
    def move(self, code: str, stop: int, question: str) -> Room | None:
        return _room(self._move(keys=[_key(code)], args=[stop, question]))

    @_reachable
    def poll(self, code: str, member: str, following: bool, now: float, max_members: int) -> Room | None:
        keys = [_key(code), _key(code, "members")]
        fields = self._poll(keys=keys, args=[member, f"{now} {int(following)}", max_members, now - GONE_S])
        if fields == "full":
            raise RoomFull(f"{max_members} people are in the room")
        room = _room(fields)
        return room if room is not None and room.expires > now else None

    @_reachable
    def vote(self, code: str, stop: int, member: str, choice: int) -> None:
        self._vote(keys=[_key(code), _key(code, "votes", stop)], args=[member, choice])

    @_reachable
    def votes(self, code: str, stop: int) -> dict[str, int]:
        found = self.client.hgetall(_key(code, "votes", stop))
        return {member: int(choice) for member, choice in found.items()}

    @_reachable
    def presence(self, code: str, since: float) -> tuple[int, int]:
        present = following = 0
        for value in self.client.hvals(_key(code, "members")):
            seen, follows = value.split()
            if float(seen) >= since:
                present += 1
                following += follows == "1"
        return present, following

    @_reachable
    def hit(self, bucket: str, window_s: int, now: float) -> int:
        key = f"tfe:hits:{bucket}:{int(now // window_s)}"
        with self.client.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, window_s + 1)
            count, _ = pipe.execute()
        return count

    def close(self) -> None:
        self.client.close()
