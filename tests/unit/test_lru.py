"""The byte-bounded cache and the model cache: bounded, least recently used out, computed once."""

import threading
import time

import numpy as np

from explorer.lru import SizedLRU


def _nbytes(value: np.ndarray) -> int:
    return value.nbytes


def test_the_total_size_stays_within_the_limit_and_the_least_recent_goes_first():
    cache = SizedLRU(limit=3000, size=_nbytes)
    for key in "abc":
        cache.get(key, lambda: np.zeros(1000, dtype=np.uint8))
    cache.get("a", lambda: None)  # a is now the most recent
    cache.get("d", lambda: np.zeros(1000, dtype=np.uint8))
    assert cache.total == 3000
    assert "b" not in cache and all(k in cache for k in "acd")


def test_a_value_bigger_than_the_limit_is_returned_but_not_kept():
    cache = SizedLRU(limit=100, size=_nbytes)
    cache.get("small", lambda: np.zeros(50, dtype=np.uint8))
    big = cache.get("big", lambda: np.zeros(101, dtype=np.uint8))
    assert big.nbytes == 101
    assert "big" not in cache and "small" in cache and cache.total == 50


def test_sessions_asking_together_compute_a_value_once():
    cache = SizedLRU(limit=10_000, size=_nbytes)
    calls = []

    def compute() -> np.ndarray:
        calls.append(1)
        time.sleep(0.2)  # long enough that every thread asks while it runs
        return np.ones(10, dtype=np.uint8)

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", compute))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 6 and all(r is results[0] for r in results)


def test_at_most_max_models_stay_loaded_and_concurrent_loads_of_one_key_load_once(monkeypatch):
    from explorer import models
    from explorer.ui import getters

    loads = []

    def fake_load(family, head, device, model_id, online):
        loads.append(model_id)
        time.sleep(0.2)
        return object()

    monkeypatch.setattr(models, "load", fake_load)
    getters.get_model.clear()
    key = ("bert", "base", "same", False, "cpu")
    threads = [threading.Thread(target=getters.get_model, args=key) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == ["same"]
    for i in range(getters.MAX_MODELS):  # fills the cache; "same" is the least recently used
        getters.get_model("bert", "base", f"m{i}", False, "cpu")
    getters.get_model("bert", "base", "same", False, "cpu")
    assert loads.count("same") == 2  # evicted, so loaded again
    getters.get_model.clear()


def _ask_together(cache: SizedLRU, key: str, compute, threads: int = 8) -> list:
    """What each of `threads` threads asking for `key` at once got (the value, or the error raised)."""
    got = []

    def ask() -> None:
        try:
            got.append(cache.get(key, compute))
        except ValueError as err:
            got.append(err)

    started = [threading.Thread(target=ask) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return got


def test_hole5_waiters_share_one_computation_of_a_value_too_large_to_keep():
    cache = SizedLRU(limit=100, size=_nbytes)
    calls = []

    def compute() -> np.ndarray:
        calls.append(1)
        time.sleep(0.2)  # every thread asks while it runs
        return np.zeros(101, dtype=np.uint8)  # over the limit: returned, never kept

    results = _ask_together(cache, "big", compute)
    assert len(calls) == 1  # one forward for 8 waiters, not 8 one after another
    assert len(results) == 8 and all(r is results[0] for r in results)
    assert "big" not in cache and cache.total == 0
    cache.get("big", compute)  # a later ask computes it again: nothing of it was kept
    assert len(calls) == 2


def test_hole5_an_error_reaches_every_waiter_once_and_a_later_ask_tries_again():
    cache = SizedLRU(limit=100, size=_nbytes)
    calls = []

    def fail() -> np.ndarray:
        calls.append(1)
        time.sleep(0.2)
        raise ValueError("too long")

    results = _ask_together(cache, "k", fail)
    assert len(calls) == 1 and len(results) == 8
    assert all(isinstance(r, ValueError) for r in results)
    assert cache.get("k", lambda: np.zeros(3, dtype=np.uint8)).nbytes == 3 and "k" in cache
