"""The chapter's three ways to make a model light, measured on one encoder: quantization (양자화),
pruning (가지치기) and knowledge distillation (지식 증류).

Each works on its own copy of the model (a cached model is shared and never modified): dynamic int8
quantization of the Linear layers (PyTorch's quantize_dynamic), global L1 magnitude pruning of the
encoder's Linear weights made permanent (torch.nn.utils.prune), and a DistilBERT student cut from the
model, one layer in two (explorer/families/distilbert/student.py, before any distillation training).
For each: the serialized size, the time of one forward pass on the CPU, and how far the outputs move
from the original's (cosine of the final hidden states; top-1 agreement of the masked-LM guesses).
"""

from __future__ import annotations

import copy
import io
import platform
import statistics
import time
import warnings
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils import prune

from explorer.families.distilbert.student import student_from_teacher

LINES = ("original", "int8", "pruned", "distilled")
WARMUP, TIMED = 2, 5  # forward passes before timing, and timed


@dataclass(frozen=True)
class Variant:
    """One lighter copy of the model against the original."""

    line: str  # one of LINES
    size_bytes: int  # torch.save of the state dict
    seconds: float  # median time of one forward pass on the input
    cosine: float  # mean cosine of the final hidden states with the original's, over the tokens
    top1: float | None  # share of masked positions whose top-1 guess is the original's (None: no real head)
    zero_share: float | None  # share of exactly-zero weights in the encoder's Linear layers (None: int8)
    layers: int


@dataclass(frozen=True)
class Lightened:
    """The original and its three lighter copies, measured on one input."""

    variants: tuple[Variant, ...]
    amount: float  # share of the encoder's Linear weights pruned
    tokens: int
    masked: int  # positions masked for the top-1 agreement
    threads: int  # CPU threads torch used for the timings
    cpu: str  # the processor's name, for the caption

    def variant(self, line: str) -> Variant:
        return next(v for v in self.variants if v.line == line)


def serialized_bytes(model: nn.Module) -> int:
    """Bytes of the model's state dict as torch.save writes it (quantized weights stay packed)."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes


def encoder_linears(model: nn.Module) -> dict[str, nn.Linear]:
    """The Linear layers of the encoder's blocks by name (not the masked-LM head, whose decoder shares
    its weight with the word embeddings)."""
    return {
        name: m for name, m in model.named_modules() if isinstance(m, nn.Linear) and ".layer." in f".{name}"
    }


def quantized(model: nn.Module) -> nn.Module:
    """A copy whose encoder Linear layers are dynamic int8 (weights int8, activations quantized per call)."""
    float_copy = copy.deepcopy(model).cpu().eval()
    names = set(encoder_linears(float_copy))
    with warnings.catch_warnings():  # PyTorch announces torch.ao's successor on every call; it still works
        warnings.filterwarnings("ignore", message="torch.quantize_per_tensor", category=UserWarning)
        return torch.ao.quantization.quantize_dynamic(float_copy, names, dtype=torch.qint8)


def pruned(model: nn.Module, amount: float) -> nn.Module:
    """A copy whose encoder Linear weights of smallest |w| (a share `amount` of all of them, counted
    globally) are set to zero, permanently (the pruning masks are folded into the weights)."""
    if not 0 <= amount < 1:
        raise ValueError(f"the pruned share must be in [0, 1), not {amount}")
    pruned_copy = copy.deepcopy(model).cpu().eval()
    targets = [(layer, "weight") for layer in encoder_linears(pruned_copy).values()]
    prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=amount)
    for layer, name in targets:
        prune.remove(layer, name)
    return pruned_copy


def zero_share(model: nn.Module) -> float | None:
    """Share of exactly-zero weights in the encoder's float Linear layers (None when it has none)."""
    weights = [layer.weight for layer in encoder_linears(model).values()]
    if not weights:
        return None
    return float(sum(int((w == 0).sum()) for w in weights) / sum(w.numel() for w in weights))


def _run(model: nn.Module, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(T, d) final hidden states and (T, V) masked-LM logits (None without a head) of one input."""
    out = model(**batch, output_hidden_states=True)
    logits = out.logits[0] if hasattr(out, "logits") else None
    return out.hidden_states[-1][0], logits


def timed(models: dict[str, nn.Module], batch: dict[str, torch.Tensor]) -> dict[str, float]:
    """Median seconds of one forward pass per model; the models take turns in every round, so a load
    that comes and goes on a shared machine falls on all of them alike."""
    for model in models.values():
        for _ in range(WARMUP):
            model(**batch)
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(TIMED):
        for name, model in models.items():
            start = time.perf_counter()
            model(**batch)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _masked(ids: torch.Tensor, tokenizer, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(1, T) ids with 15% of the ordinary tokens (at least one) replaced by [MASK], and their positions."""
    special = tokenizer.get_special_tokens_mask(ids[0].tolist(), already_has_special_tokens=True)
    candidates = torch.tensor([i for i, s in enumerate(special) if not s])
    if not len(candidates):
        raise ValueError("the text has no token to mask: type a sentence")
    count = max(1, round(0.15 * len(candidates)))
    positions = candidates[torch.randperm(len(candidates), generator=generator)[:count]].sort().values
    masked = ids.clone()
    masked[0, positions] = tokenizer.mask_token_id
    return masked, positions


def _measure(
    line: str, model, seconds: float, original: tuple, batches: tuple, positions, head: bool
) -> Variant:
    """Size, and how far `model`'s outputs move from `original`'s (hidden states, top-1 guesses)."""
    plain, masked = batches
    hidden, _ = _run(model, plain)
    cosine = float(torch.nn.functional.cosine_similarity(hidden, original[0], dim=-1).mean())
    top1 = None
    if head:
        _, logits = _run(model, masked)
        top1 = float((logits[positions].argmax(-1) == original[1][positions].argmax(-1)).float().mean())
    layers = len([m for m in model.modules() if isinstance(m, nn.ModuleList)][0])
    return Variant(line, serialized_bytes(model), seconds, cosine, top1, zero_share(model), layers)


@torch.inference_mode()
def lighten(model, tokenizer, text: str, amount: float, head: bool, seed: int = 0) -> Lightened:
    """The model (a copy, on the CPU, where dynamic int8 runs) beside its int8, pruned and distilled
    copies, on one text. `head`: the model's masked-LM head is trained, so its guesses are compared."""
    original = copy.deepcopy(model).cpu().eval()
    ids = tokenizer(text, return_tensors="pt", truncation=True, max_length=128)["input_ids"]
    masked, positions = _masked(ids, tokenizer, torch.Generator().manual_seed(seed))
    batches = ({"input_ids": ids}, {"input_ids": masked})
    head = head and hasattr(original, "cls")
    reference = (_run(original, batches[0])[0], _run(original, batches[1])[1])
    copies = {
        "original": original,
        "int8": quantized(original),
        "pruned": pruned(original, amount),
        "distilled": student_from_teacher(
            original, max(1, original.config.num_hidden_layers // 2), seed
        ).eval(),
    }
    seconds = timed(copies, batches[0])
    variants = tuple(
        _measure(line, m, seconds[line], reference, batches, positions, head) for line, m in copies.items()
    )
    threads = torch.get_num_threads()
    return Lightened(variants, amount, ids.shape[-1], len(positions), threads, cpu_name())


def cpu_name() -> str:
    """The processor's model name (Linux's /proc/cpuinfo), or what the platform module knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"
