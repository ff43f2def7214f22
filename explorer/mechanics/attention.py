"""Attention maps (L, H, T, T) from any loaded model, head statistics, and bertviz views that work offline."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import torch

from explorer import offline, seeded
from explorer.tokens.text import pair_to_cut
from explorer.tokens.tokenize import display_piece


@dataclass(frozen=True)
class AttentionResult:
    """Every head's attention for one input, with the tokens it is over."""

    tokens: tuple[str, ...]
    maps: np.ndarray  # (L, H, T, T) float32; rows (queries) sum to 1
    special: tuple[bool, ...]
    segment_b: int | None  # index of the first token of sentence B, for pairs
    total_tokens: int  # before cutting to the model's maximum

    @property
    def shape(self) -> tuple[int, int, int]:
        layers, heads, length, _ = self.maps.shape
        return layers, heads, length

    @property
    def truncated(self) -> bool:
        return self.total_tokens > len(self.tokens)


def encode(tokenizer, text: str, text_pair: str | None, max_tokens: int) -> dict:
    """Model inputs for a text (or pair), cut to max_tokens, plus the full length before the cut."""
    full = tokenizer(text, text_pair, add_special_tokens=True, verbose=False)["input_ids"]
    text, text_pair = pair_to_cut(text, text_pair, max_tokens)  # the total above counts the whole texts
    batch = tokenizer(
        text,
        text_pair,
        truncation=True,
        max_length=max_tokens,
        return_tensors="pt",
        return_special_tokens_mask=True,
    )
    return {"batch": batch, "total": len(full)}


@torch.inference_mode()
def attention_maps(
    model, tokenizer, text: str, text_pair: str | None = None, max_tokens: int = 512
) -> AttentionResult:
    """Run the model once with output_attentions and stack its maps as (L, H, T, T). A model that draws
    while it runs (Reformer's LSH rotations) draws from a seed of its own, so a map is reproducible."""
    encoded = encode(tokenizer, text, text_pair, max_tokens)
    batch = encoded["batch"]
    special = batch.pop("special_tokens_mask")[0].tolist()
    device = next(model.parameters()).device
    with seeded.draws(0):
        out = model(**{k: v.to(device) for k, v in batch.items()}, output_attentions=True)
    if not out.attentions or out.attentions[0] is None:
        raise ValueError("this model returned no attention maps (load it with eager attention)")
    maps = torch.stack([layer[0] for layer in out.attentions]).float().cpu().numpy()
    maps.setflags(write=False)  # results are cached and shared: nobody may change them
    types = batch.get("token_type_ids")
    segment_b = int(types[0].tolist().index(1)) if types is not None and 1 in types[0].tolist() else None
    pieces = tokenizer.convert_ids_to_tokens(batch["input_ids"][0].tolist())
    tokens = tuple(display_piece(tokenizer, piece) for piece in pieces)
    return AttentionResult(tokens, maps, tuple(map(bool, special)), segment_b, encoded["total"])


@dataclass(frozen=True)
class HeadStats:
    """One number per head (L, H) for what the chapter asks of attention heads."""

    entropy: np.ndarray  # mean entropy of a query's attention, in bits
    to_cls: np.ndarray  # mean weight on the first token ([CLS] / <s>)
    to_sep: np.ndarray  # mean weight on separator / end tokens
    to_previous: np.ndarray  # mean weight on the token just before
    to_next: np.ndarray  # mean weight on the token just after
    to_self: np.ndarray  # mean weight on the query's own position

    def as_dict(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def head_stats(result: AttentionResult, sep_tokens: tuple[str, ...] = ("[SEP]", "</s>")) -> HeadStats:
    """Entropy and where the weight goes, averaged over query positions, for every head."""
    maps = result.maps.astype(np.float64)  # (L, H, T, T)
    length = maps.shape[-1]
    entropy = -(maps * np.log2(np.clip(maps, 1e-12, None))).sum(-1).mean(-1)
    sep = [i for i, tok in enumerate(result.tokens) if tok in sep_tokens]
    diag = np.arange(length)
    prev = maps[..., diag[1:], diag[:-1]].mean(-1) if length > 1 else np.zeros(maps.shape[:2])
    nxt = maps[..., diag[:-1], diag[1:]].mean(-1) if length > 1 else np.zeros(maps.shape[:2])
    return HeadStats(
        entropy=entropy,
        to_cls=maps[..., :, 0].mean(-1),
        to_sep=maps[..., :, sep].sum(-1).mean(-1) if sep else np.zeros(maps.shape[:2]),
        to_previous=prev,
        to_next=nxt,
        to_self=maps[..., diag, diag].mean(-1),
    )


def _edges(length: int, max_side: int) -> np.ndarray:
    if length <= max_side:
        return np.arange(length + 1)
    return np.linspace(0, length, max_side + 1).astype(int)


def pool(matrix: np.ndarray, max_side: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Block-average an (R, C) map to at most max_side per side; also returns the row and column block starts.

    Each block's mean keeps a pooled row summing to 1 over its column blocks weighted by block size.
    """
    row_edges, col_edges = _edges(matrix.shape[0], max_side), _edges(matrix.shape[1], max_side)
    rows = np.add.reduceat(matrix, row_edges[:-1], axis=0) / np.diff(row_edges)[:, None]
    pooled = np.add.reduceat(rows, col_edges[:-1], axis=1) / np.diff(col_edges)[None, :]
    return pooled, row_edges[:-1], col_edges[:-1]


# --- bertviz, offline and smaller ----------------------------------------------------------------

_SHIM = """<script>
/* bertviz asks require.js for d3 and jQuery; both are inlined above, so hand them over directly. */
window.require = window.require || {}; window.require.config = function () {};
window.requirejs = function (deps, done) {
  done.apply(null, deps.map(function (d) { return d === "d3" ? window.d3 : window.jQuery; }));
};
</script>"""


JS_DIR = offline.ASSETS / "js"  # d3 and jQuery, shipped with their licences (see its README)


def offline_html(html: str) -> str:
    """bertviz HTML with d3 v5 and jQuery (assets/js) inlined, no CDN left."""
    html = re.sub(r"<script src=\"https?://[^\"]+\"></script>", "", html)
    html = re.sub(r"require\.config\(\{.*?\}\);", "", html, count=1, flags=re.S)
    d3, jquery = ((JS_DIR / name).read_text(encoding="utf-8") for name in ("d3.v5.min.js", "jquery.min.js"))
    return f"<script>{d3}</script><script>{jquery}</script>{_SHIM}{html}"


def _compact(maps: np.ndarray, decimals: int) -> torch.Tensor:
    """Rounded maps: bertviz writes every weight as JSON text, so fewer digits means fewer bytes."""
    return torch.from_numpy(np.round(maps.astype(np.float64), decimals))  # float64: short reprs


def bertviz_view(
    result: AttentionResult, view: str = "head", layers: list[int] | None = None, decimals: int = 3
) -> str:
    """bertviz's head or model view for the chosen layers, rounded, as self-contained HTML."""
    import bertviz

    layers = layers if layers is not None else list(range(result.shape[0]))
    attention = [_compact(result.maps[i], decimals)[None] for i in range(result.shape[0])]
    kwargs = dict(attention=attention, tokens=list(result.tokens), html_action="return")
    if result.segment_b is not None:
        kwargs["sentence_b_start"] = result.segment_b
    if view == "head":
        html = bertviz.head_view(include_layers=layers, **kwargs).data
    else:
        html = bertviz.model_view(include_layers=layers, **kwargs).data
    html = re.sub(r"(?<=[\[, ])0\.0(?=[,\]])", "0", html)
    return offline_html(_escape_script(html))


def _escape_script(html: str) -> str:
    """Write '</' as '<\\/' inside bertviz's script, so no token (user text) can close the tag early;
    and '<!--' and '<script' likewise, which would make the parser run past bertviz's own '</script>'."""
    opening = '<script type="text/javascript">'
    head, _, rest = html.partition(opening)
    body, _, tail = rest.rpartition("</script>")
    safe = re.sub(r"<(?=/|!--|script)", r"<\\", body, flags=re.IGNORECASE)
    return f"{head}{opening}{safe}</script>{tail}"
