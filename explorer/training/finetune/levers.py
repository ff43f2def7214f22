"""How the engine trains fast, and which of it to use: a training copy with fused attention on a GPU,
fused AdamW with its own learning rate for the new head, bfloat16 autocast where the hardware has it.
bench/bench_finetune.py turns each lever off to measure it."""

from __future__ import annotations

import contextlib
import copy
import math
from contextlib import nullcontext
from dataclasses import dataclass

import torch

from explorer import device
from explorer.training.finetune.config import FinetuneConfig


@dataclass(frozen=True)
class Levers:
    """The speed-ups the engine uses; bench/bench_finetune.py turns each off to measure it."""

    group_by_length: bool = True  # batches of similar length, padded to their own longest row
    # PyTorch's fused attention for the training copy, on these devices: on a CPU the two measured
    # within 3% of each other at 16-48 tokens (fp32 and bfloat16), on a GPU SDPA is the faster
    sdpa_on: tuple[str, ...] = ("cuda",)
    fused_adamw: bool = True  # one fused AdamW kernel (CPU and CUDA) instead of a loop per tensor
    # bfloat16 autocast on a CPU with bfloat16 in hardware (AMX, AVX512-BF16): 1.4-1.7x per step
    # measured for MiniLM at 16-128 tokens; weights and the optimizer stay float32
    bf16_cpu: bool = True


def training_copy(
    model,
    where: str | torch.device,
    levers: Levers,
    dropout: float | None = None,
    freeze_embeddings: bool = False,
):
    """A trainable copy of a (shared, cached) model on `where`, with fused attention when asked, every
    dropout layer set to `dropout` (None: the model's own) and, with `freeze_embeddings`, its word
    embeddings left out of training (half of MiniLM's 22.7M parameters: no gradient, no update)."""
    model = copy.deepcopy(model)
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    if torch.device(where).type in levers.sdpa_on:  # an architecture without SDPA keeps eager attention
        with contextlib.suppress(ValueError, ImportError):
            model.set_attn_implementation("sdpa")
    if dropout is not None:
        for module in model.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = dropout
    return model.to(where).train()


def head_parameters(model) -> list:
    """What a task puts on top of the pretrained encoder: its new head, and the pooler that feeds the
    head the [CLS] vector (pretrained only for next-sentence prediction, never for this task)."""
    encoder = model.base_model
    pooler = getattr(encoder, "pooler", None)
    body = {id(p) for p in encoder.parameters()} - {id(p) for p in (pooler.parameters() if pooler else ())}
    return [p for p in model.parameters() if id(p) not in body]


def build_optimizer(model, config: FinetuneConfig, levers: Levers, total: int):
    """AdamW (fused when asked) with the head's own learning rate, and its schedule over `total` steps."""
    from transformers import get_linear_schedule_with_warmup

    fused = levers.fused_adamw and next(model.parameters()).device.type in {"cpu", "cuda"}
    head = [p for p in head_parameters(model) if p.requires_grad]
    in_head = {id(p) for p in head}
    groups = [{"params": [p for p in model.parameters() if id(p) not in in_head and p.requires_grad]}]
    groups += [{"params": head, "lr": config.learning_rate * config.head_lr_scale}] if head else []
    optimizer = torch.optim.AdamW(groups, lr=config.learning_rate, fused=fused or None)
    warmup = math.ceil(0.1 * total)  # BERT's 10% warm-up, then a linear decay to 0
    return optimizer, get_linear_schedule_with_warmup(optimizer, warmup, total)


def precision(where: str, levers: Levers) -> str:
    """What the training steps compute in: bfloat16 (autocast) where the hardware does it natively, a
    CUDA GPU from Ampere on or a CPU with AMX/AVX512-BF16 (device.cpu_has_bf16, which EXPLORER_CPU_BF16
    forces); else float32 (older GPUs emulate bfloat16, slower than float32)."""
    if where == "cuda" and torch.cuda.is_bf16_supported(including_emulation=False):
        return "bfloat16"
    if where == "cpu" and levers.bf16_cpu and device.cpu_has_bf16():
        return "bfloat16"
    return "float32"


def autocast(where: str, levers: Levers):
    """bfloat16 autocast where `precision` says so; weights and the optimizer stay float32."""
    if precision(where, levers) == "bfloat16":
        return torch.autocast(where, dtype=torch.bfloat16)
    return nullcontext()
