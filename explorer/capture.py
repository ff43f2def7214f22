"""Forward hooks that see only the calling thread's forward: a cached model is shared by every session."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from torch import nn


@dataclass(frozen=True)
class Call:
    """One forward call of a watched module, as its hook saw it."""

    module: nn.Module
    args: tuple  # positional inputs
    kwargs: dict  # keyword inputs
    output: object


def capture(
    model: nn.Module, modules: Iterable[nn.Module], forward: Callable[[nn.Module], object]
) -> list[Call]:
    """Run forward(model) with hooks on `modules`; the calls they saw from this thread, in order.

    Another session's forward through the same shared model meanwhile passes the hooks unrecorded,
    and the hooks are gone when this returns, whatever `forward` raised.
    """
    caller, calls = threading.get_ident(), []

    def record(module: nn.Module, args: tuple, kwargs: dict, output: object) -> None:
        if threading.get_ident() == caller:
            calls.append(Call(module, args, kwargs, output))

    handles = [module.register_forward_hook(record, with_kwargs=True) for module in modules]
    try:
        forward(model)
    finally:
        for handle in handles:
            handle.remove()
    return calls
