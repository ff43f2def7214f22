"""Choose the torch device once: cuda, then mps, then cpu; EXPLORER_DEVICE forces one.

EXPLORER_CPU_BF16=1 or 0 forces the answer to "does this CPU multiply bfloat16 in hardware?", which
decides the fine-tune engine's bfloat16 autocast on a CPU: a machine without AMX can then run (and
test) the bfloat16 path, only slower, and one with AMX can train in float32.
"""

from __future__ import annotations

import functools
import os

ENV_VAR = "EXPLORER_DEVICE"
KNOWN = ("cuda", "mps", "cpu")
BF16_VAR = "EXPLORER_CPU_BF16"
_BF16_FORCED = {"1": True, "0": False}


@functools.cache
def pick_device() -> str:
    """Return the device every model of this process runs on ("cuda", "mps" or "cpu")."""
    import torch

    forced = os.environ.get(ENV_VAR, "").strip().lower()
    if forced:
        if forced not in KNOWN:
            raise ValueError(f"{ENV_VAR}={forced!r}: use one of {', '.join(KNOWN)}")
        return forced
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


@functools.cache
def cpu_has_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX): only then is bfloat16
    autocast faster on it; elsewhere it is emulated and slower. EXPLORER_CPU_BF16=1/0 forces the answer."""
    import torch

    forced = os.environ.get(BF16_VAR, "").strip()
    if forced:
        if forced not in _BF16_FORCED:
            raise ValueError(f"{BF16_VAR}={forced!r}: use 1 (bfloat16 autocast on the CPU) or 0 (float32)")
        return _BF16_FORCED[forced]
    probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in probes)


_NAMES = {"cpu": "CPU", "mps": "Apple GPU (MPS)"}


def describe_device(device: str) -> str:
    """The device as users write it, in either language: 'CPU', 'GPU (NVIDIA H100)'."""
    if device == "cuda":
        import torch

        return f"GPU ({torch.cuda.get_device_name(0)})"
    return _NAMES.get(device, device)
