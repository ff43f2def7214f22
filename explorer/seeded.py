"""Random draws from a generator of the caller's own, never from torch's process-wide RNG.

torch draws initial weights, dropout masks and Reformer's hash rotations from one global generator
that every session's thread shares: seeding it for one build moved the draws of every other thread,
and their draws moved the build's (2 of 5 seed-0 builds came out different beside one thread training
with dropout). Inside `draws(generator)`, every random call of this thread that names no generator
takes `generator` instead, and dropout draws its mask from it. It is a TorchFunctionMode, which torch
keeps per thread: other threads' draws neither move this stream nor are moved by it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

_init = torch.nn.init
# Calls that draw and take a `generator=`: in-place fills, factories, and nn.init's initialisers.
_TAKE_GENERATOR = frozenset(
    {
        *(getattr(torch.Tensor, n) for n in ("normal_", "uniform_", "bernoulli_", "random_")),
        *(getattr(torch.Tensor, n) for n in ("exponential_", "geometric_", "log_normal_", "cauchy_")),
        torch.Tensor.bernoulli,
        torch.Tensor.multinomial,
        *(torch.rand, torch.randn, torch.randint, torch.randperm, torch.normal, torch.bernoulli),
        *(torch.multinomial, torch.poisson, torch.rand_like, torch.randn_like, torch.randint_like),
        *(_init.uniform_, _init.normal_, _init.trunc_normal_, _init.orthogonal_, _init.sparse_),
        *(_init.xavier_uniform_, _init.xavier_normal_, _init.kaiming_uniform_, _init.kaiming_normal_),
    }
)
_FACTORIES = frozenset({torch.rand, torch.randn, torch.randint, torch.randperm})
_DROPOUTS = frozenset({F.dropout, torch.dropout})  # torch.dropout(input, p, train) is F.dropout's kernel


class _OwnDraws(TorchFunctionMode):
    """The mode behind `draws`: hands its generator to every draw that names none."""

    def __init__(self, generator: torch.Generator) -> None:
        super().__init__()
        self.generator = generator
        self.others: dict[torch.device, torch.Generator] = {}  # a GPU's, seeded from the CPU stream

    def on(self, device: torch.device | str | None) -> torch.Generator | None:
        """This stream's generator for `device`; None on the meta device, which draws nothing."""
        device = torch.device(device if device is not None else torch.get_default_device())
        if device.type == "cpu":
            return self.generator
        if device.type == "meta":
            return None
        if device not in self.others:
            seed = int(torch.randint(2**62, (1,), generator=self.generator))
            self.others[device] = torch.Generator(device).manual_seed(seed)
        return self.others[device]

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func in _DROPOUTS:
            if "train" in kwargs:
                kwargs["training"] = kwargs.pop("train")
            return self.dropout(*args, **kwargs)
        if func is F.scaled_dot_product_attention and _dropout_p(args, kwargs) > 0:
            return self.attention(*args, **kwargs)
        # nn.init's functions hand themselves over with generator=None spelled out; while transformers
        # builds a model they are its wrappers (transformers.initialization), not torch's objects
        if (func in _TAKE_GENERATOR or "generator" in kwargs) and kwargs.get("generator") is None:
            if func in _FACTORIES:
                where = kwargs.get("device")
            else:
                where = next(
                    (a.device for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)), None
                )
            generator = self.on(where)
            if generator is not None:
                kwargs["generator"] = generator
        return func(*args, **kwargs)

    def dropout(self, input: torch.Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
        """Dropout as torch computes it on a CPU (a Bernoulli keep-mask, kept values scaled by 1/(1-p)),
        with the mask drawn from this stream."""
        if not training or p == 0:
            return input
        if p == 1:
            return input.mul_(0) if inplace else input * 0
        keep = torch.empty_like(input).bernoulli_(1 - p, generator=self.on(input.device))
        keep = keep.div_(1 - p)
        return input.mul_(keep) if inplace else input * keep

    def attention(self, query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, **gqa):
        """scaled_dot_product_attention as its reference (math) version computes it, with the dropout
        mask from this stream: its fused kernels draw theirs from torch's global RNG."""
        if gqa.get("enable_gqa"):
            repeat = query.shape[-3] // key.shape[-3]
            key, value = key.repeat_interleave(repeat, -3), value.repeat_interleave(repeat, -3)
        scores = query @ key.transpose(-2, -1) * (query.shape[-1] ** -0.5 if scale is None else scale)
        if is_causal:
            later = torch.ones(scores.shape[-2:], dtype=torch.bool, device=scores.device).triu(1)
            scores = scores.masked_fill(later, float("-inf"))
        if attn_mask is not None:
            masked = attn_mask.dtype == torch.bool
            scores = scores.masked_fill(~attn_mask, float("-inf")) if masked else scores + attn_mask
        return self.dropout(scores.softmax(-1), dropout_p) @ value


def _dropout_p(args: tuple, kwargs: dict) -> float:
    return kwargs.get("dropout_p", args[4] if len(args) > 4 else 0.0)


@contextmanager
def draws(generator: torch.Generator | int) -> Iterator[torch.Generator]:
    """While inside, this thread's random draws (weights' initialisation, dropout, torch.randn, ...)
    come from `generator` (or a new one seeded with it); yields the generator."""
    if not isinstance(generator, torch.Generator):
        generator = torch.Generator().manual_seed(int(generator))
    with _OwnDraws(generator):
        yield generator
