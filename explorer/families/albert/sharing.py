"""Cross-layer parameter sharing: which weights each layer ran with, and how much each layer moves
its input (the ALBERT paper's figure of L2 distance and cosine similarity per layer)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.capture import capture


@dataclass(frozen=True)
class LayerUse:
    """The weights each layer's computation read, in the order the layers ran."""

    weights: tuple[tuple[int, ...], ...]  # per layer run: data pointers of the parameters it used
    parameters: int  # unique parameters in all layers together

    @property
    def runs(self) -> int:
        return len(self.weights)

    @property
    def distinct(self) -> int:
        """How many different sets of weights the layers used (1 when all layers share one set)."""
        return len(set(self.weights))

    def labels(self) -> list[str]:
        """A letter per layer run naming its set of weights: 'A A A ...' when shared."""
        names: dict[tuple[int, ...], str] = {}
        return [names.setdefault(w, chr(ord("A") + len(names) % 26)) for w in self.weights]


def _layers(model) -> list[torch.nn.Module]:
    """The modules that run once per layer: BertLayer, AlbertLayer, RobertaLayer and the like."""
    found = [m for m in model.modules() if type(m).__name__.endswith("Layer") and hasattr(m, "attention")]
    if not found:
        raise ValueError(f"{type(model).__name__} has no encoder layers this view knows")
    return found


@torch.inference_mode()
def layer_use(model, tokenizer, text: str) -> LayerUse:
    """Run the model once and record, for each layer run, the storage of every weight it used."""
    modules = _layers(model)
    batch = tokenizer(text, truncation=True, max_length=128, return_tensors="pt")
    device = next(model.parameters()).device
    calls = capture(model, modules, lambda m: m(**{k: v.to(device) for k, v in batch.items()}))
    runs = tuple(tuple(p.data_ptr() for p in call.module.parameters()) for call in calls)
    unique = {id(p): p.numel() for m in modules for p in m.parameters()}
    return LayerUse(runs, sum(unique.values()))


@dataclass(frozen=True)
class LayerDrift:
    """How far each layer moves the token vectors it is given, averaged over the tokens."""

    l2: np.ndarray  # (L,) mean Euclidean distance between a layer's input and output vectors
    cosine: np.ndarray  # (L,) mean cosine similarity between them


@torch.inference_mode()
def layer_drift(model, tokenizer, text: str, max_tokens: int = 128) -> LayerDrift:
    """L2 distance and cosine similarity between the input and output of every layer."""
    batch = tokenizer(text, truncation=True, max_length=max_tokens, return_tensors="pt")
    device = next(model.parameters()).device
    states = model(**{k: v.to(device) for k, v in batch.items()}, output_hidden_states=True).hidden_states
    pairs = [(a[0].float(), b[0].float()) for a, b in zip(states[:-1], states[1:], strict=True)]
    l2 = np.array([float((b - a).norm(dim=-1).mean()) for a, b in pairs])
    cosine = np.array([float(torch.nn.functional.cosine_similarity(a, b, dim=-1).mean()) for a, b in pairs])
    return LayerDrift(l2, cosine)
