"""A fast tokenizer that many sessions can call at once, each with its own truncation and padding.

transformers applies a call's `truncation=`, `max_length=` and `padding=` by setting them on the Rust
tokenizer it wraps, which a cached tokenizer shares between sessions: two sessions meeting got each
other's cut, or "Already borrowed" when one changed the settings while the other was encoding.
`share(tokenizer)` gives the tokenizer a backend whose settings are kept per thread and put in place,
under a lock, only for the span of each call into Rust. Call arguments keep their per-call meaning.
"""

from __future__ import annotations

import copy
import functools
import threading

# Per-thread settings, and the Rust keyword defaults their dictionaries are completed with.
_SETTINGS = ("truncation", "padding", "encode_special_tokens")
_TRUNCATION = {"stride": 0, "strategy": "longest_first", "direction": "right"}
_PADDING = {"direction": "right", "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}
# Plain lookups: they hold the GIL throughout and read no setting, so they need no lock.
_LOOKUPS = frozenset(
    {"id_to_token", "token_to_id", "get_vocab", "get_vocab_size", "get_added_tokens_decoder"}
)


class PerThreadSettings:
    """A Rust tokenizer's stand-in: truncation, padding and special-token splitting are this thread's."""

    def __init__(self, backend) -> None:
        base = {name: getattr(backend, name) for name in _SETTINGS}
        object.__setattr__(self, "_backend", backend)
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_local", threading.local())

    def _mine(self) -> dict:
        """This thread's settings, starting from the backend's own when it was shared."""
        mine = self._local.__dict__
        if not mine:
            mine.update(copy.deepcopy(self._base))
        return mine

    @property
    def truncation(self) -> dict | None:
        return self._mine()["truncation"]

    @property
    def padding(self) -> dict | None:
        return self._mine()["padding"]

    @property
    def encode_special_tokens(self) -> bool:
        return self._mine()["encode_special_tokens"]

    def enable_truncation(self, max_length: int, **kwargs) -> None:
        self._mine()["truncation"] = {"max_length": max_length, **_TRUNCATION, **kwargs}

    def no_truncation(self) -> None:
        self._mine()["truncation"] = None

    def enable_padding(self, **kwargs) -> None:
        self._mine()["padding"] = {"length": None, "pad_to_multiple_of": None, **_PADDING, **kwargs}

    def no_padding(self) -> None:
        self._mine()["padding"] = None

    def _put_in_place(self) -> None:
        """Set this thread's settings on the Rust tokenizer (the lock is held)."""
        backend, mine = self._backend, self._mine()
        if backend.truncation != mine["truncation"]:
            if mine["truncation"] is None:
                backend.no_truncation()
            else:
                backend.enable_truncation(**mine["truncation"])
        if backend.padding != mine["padding"]:
            if mine["padding"] is None:
                backend.no_padding()
            else:
                backend.enable_padding(**mine["padding"])
        if backend.encode_special_tokens != mine["encode_special_tokens"]:
            backend.encode_special_tokens = mine["encode_special_tokens"]

    def __getattr__(self, name: str):
        if name.startswith("_"):  # not set up yet (a copy being made), or not the backend's to give
            raise AttributeError(name)
        value = getattr(self._backend, name)
        if not callable(value) or name in _LOOKUPS:
            return value

        @functools.wraps(value)
        def with_my_settings(*args, **kwargs):
            with self._lock:
                self._put_in_place()
                return value(*args, **kwargs)

        return with_my_settings

    def __setattr__(self, name: str, value) -> None:
        if name == "encode_special_tokens":
            self._mine()[name] = value
        else:  # the pipeline (post-processor, decoder, ...) is the tokenizer's own, shared by all
            setattr(self._backend, name, value)

    def __deepcopy__(self, memo: dict):
        """A private copy (a fine-tune's own, say) is a plain Rust tokenizer with this thread's settings."""
        with self._lock:
            self._put_in_place()
            return copy.deepcopy(self._backend, memo)

    def __reduce_ex__(self, protocol):
        return _from_json, (self.to_str(),)  # pickled as the plain copy above


def _from_json(text: str):
    """A plain Rust tokenizer from its JSON (how a shared one is unpickled)."""
    from tokenizers import Tokenizer

    return Tokenizer.from_str(text)


def share(tokenizer):
    """Give a transformers fast tokenizer per-thread settings, in place; other tokenizers are returned as
    they are (a Python tokenizer keeps no settings between calls)."""
    backend = getattr(tokenizer, "_tokenizer", None)
    fast = hasattr(backend, "enable_truncation") and not isinstance(backend, PerThreadSettings)
    if fast:
        tokenizer._tokenizer = PerThreadSettings(backend)
    return tokenizer
