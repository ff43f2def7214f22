"""Parameter counts per component of real architectures, and the closed forms they must equal.

Models are built from their configs on the meta device: every tensor has its real shape and no
memory, so even ALBERT-xxlarge is counted exactly in milliseconds. Tensors shared between layers
(ALBERT) are counted once, as `model.parameters()` yields them once.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer import models
from explorer.registry import REFERENCE_MODELS, ReferenceModel

COMPONENTS = ("embeddings", "projection", "encoder", "pooler", "heads")


@dataclass(frozen=True)
class ParamCount:
    """One model's parameters, split by component (in COMPONENTS order)."""

    name: str
    parts: tuple[tuple[str, int], ...]  # (component, parameters); components the model lacks are 0
    total: int  # unique parameters: equals sum(p.numel() for p in model.parameters())

    def part(self, component: str) -> int:
        return dict(self.parts)[component]


def component_of(name: str) -> str:
    """Which component a parameter belongs to, from its name in the model."""
    if "embedding_hidden_mapping_in" in name or "embeddings_project" in name:
        return "projection"  # ALBERT / ELECTRA: embedding size E up to hidden size H
    if name.startswith("embeddings."):
        return "embeddings"
    if name.startswith(("encoder.", "transformer.")):
        return "encoder"
    if name.startswith("pooler"):
        return "pooler"
    return "heads"


def count_params(model, name: str) -> ParamCount:
    """Count a model's unique parameters per component."""
    parts = dict.fromkeys(COMPONENTS, 0)
    for param_name, param in model.base_model.named_parameters():
        parts[component_of(param_name)] += param.numel()
    base = sum(parts.values())
    parts["heads"] += sum(p.numel() for p in model.parameters()) - base
    return ParamCount(name, tuple(parts.items()), sum(parts.values()))


def build(reference: ReferenceModel, device: str = "meta", **overrides: object):
    """The reference architecture with random weights; on "meta" (the default) real shapes and no
    memory, enough to count; on a real device a model that runs (eager attention, eval mode)."""
    import torch
    import transformers

    kwargs = {**reference.config, **overrides, "attn_implementation": "eager"}
    config = getattr(transformers, reference.config_class)(**kwargs)
    with models.exclusive(0), torch.device(device):
        return getattr(transformers, reference.model_class)(config).eval()


def reference_count(name: str, shared: bool = True) -> ParamCount:
    """Exact counts of a published checkpoint's encoder; shared=False gives ALBERT one group per layer."""
    reference = REFERENCE_MODELS[name]
    overrides = {}
    if not shared:
        layers = build(reference).config.num_hidden_layers
        overrides["num_hidden_groups"] = layers
    label = name if shared else f"{name} (no sharing)"
    return count_params(build(reference, **overrides), label)


def layer_params(hidden: int, intermediate: int) -> int:
    """One transformer encoder layer: Q, K, V, output (4 H x H + bias), two LayerNorms, the FFN."""
    attention = 4 * (hidden * hidden + hidden)
    ffn = hidden * intermediate + intermediate + intermediate * hidden + hidden
    return attention + ffn + 2 * 2 * hidden


def bert_params(vocab: int, hidden: int, layers: int, intermediate: int, positions=512, types=2) -> int:
    """BertModel's closed form: embeddings (V + P + S) x H + LayerNorm, L layers, the pooler."""
    embeddings = (vocab + positions + types) * hidden + 2 * hidden
    return embeddings + layers * layer_params(hidden, intermediate) + hidden * hidden + hidden


def albert_params(
    vocab: int, embedding: int, hidden: int, intermediate: int, groups=1, positions=512, types=2
) -> int:
    """AlbertModel's closed form: embeddings in E, the E -> H projection, `groups` distinct layers.

    The depth L does not appear: every layer reuses its group's weights."""
    embeddings = (vocab + positions + types) * embedding + 2 * embedding
    projection = embedding * hidden + hidden
    return embeddings + projection + groups * layer_params(hidden, intermediate) + hidden * hidden + hidden


@dataclass(frozen=True)
class Factorized:
    """The embedding matrix with and without ALBERT's factorization."""

    vocab: int
    embedding: int  # E
    hidden: int  # H
    full: int  # V x H
    factorized: int  # V x E + E x H

    @property
    def saving(self) -> float:
        """Share of the full matrix's parameters that the factorization saves (negative: it costs)."""
        return 1 - self.factorized / self.full


def factorize(vocab: int, embedding: int, hidden: int) -> Factorized:
    """V x H against V x E + E x H; sizes must be positive."""
    if min(vocab, embedding, hidden) < 1:
        raise ValueError("V, E and H must each be at least 1")
    return Factorized(vocab, embedding, hidden, vocab * hidden, vocab * embedding + embedding * hidden)
