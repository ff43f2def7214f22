"""Attention views for BERT-base shapes: bytes sent to the browser, and time from text to data.

1. Bytes, all 12 layers x 12 heads at 128 and 512 tokens: our views (one pooled heatmap, the PNG grid
   of every head, the L x H statistics) vs bertviz's own model-view HTML for the same maps. bertviz's
   HTML is measured by size arithmetic past 128 tokens (building 1.7 GB of text is the problem).
2. Time: text -> attention data through explorer.mechanics.attention vs the raw model forward with
   output_attentions, on the packaged 6-layer encoder; then a repeated input through the cache.
"""

from __future__ import annotations

import os

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import torch  # noqa: E402

from bench.harness import Comparison, alternate, seconds, sized  # noqa: E402
from explorer import models, registry  # noqa: E402
from explorer.mechanics.attention import AttentionResult, attention_maps, head_stats, pool  # noqa: E402
from explorer.views import attention_charts  # noqa: E402

LAYERS = HEADS = sized(12, 2)
LENGTHS, RUNS, REPEAT = sized((128, 512), (16, 160)), sized(5, 1), sized(5, 1)


def _maps(length: int) -> AttentionResult:
    # Peaked rows, like trained heads: a few strong weights per query, the rest near zero.
    raw = np.random.default_rng(0).random((LAYERS, HEADS, length, length)).astype(np.float32) ** 8
    maps = raw / raw.sum(-1, keepdims=True)
    tokens = ("[CLS]", *(f"tok{i}" for i in range(length - 2)), "[SEP]")
    return AttentionResult(tokens, maps, tuple(t.startswith("[") for t in tokens), None, length)


def chart_bytes(build, frame: pd.DataFrame) -> int:
    """As Streamlit sends an altair chart: the spec as JSON, its data as an Arrow table. The chart is
    built on the whole frame (it sizes its rows and labels from it), then sent without it."""
    spec = build(frame).properties(data=frame.iloc[:0]).to_json()
    sink = pa.BufferOutputStream()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return len(spec) + sink.getvalue().size


def our_bytes(result: AttentionResult) -> int:
    """What our attention section sends: one pooled heatmap, the grid PNG, the statistics."""
    pooled, *_ = pool(result.maps[0, 0], 128)
    labels = list(result.tokens)[: pooled.shape[0]]
    frame = attention_charts.heatmap_frame(pooled, labels, labels)
    heatmap = chart_bytes(lambda f: attention_charts.attention_heatmap(f, "h"), frame)
    grid = len(attention_charts.attention_grid_png(result.maps))  # served as a media file
    stats = head_stats(result).as_dict()
    rows = [
        {"layer": i, "head": j, "value": float(stats["entropy"][i, j])}
        for i in range(LAYERS)
        for j in range(HEADS)
    ]
    stat = chart_bytes(lambda f: attention_charts.head_stat_chart(f, "s"), pd.DataFrame(rows))
    return heatmap + grid + stat


def bertviz_bytes(result: AttentionResult) -> int:
    """bertviz's model view HTML: built for real at 128 tokens, extrapolated (x T^2) beyond."""
    import bertviz

    length = result.maps.shape[-1]
    if length <= 128:
        attention = [torch.from_numpy(result.maps[i])[None] for i in range(LAYERS)]
        return len(bertviz.model_view(attention, list(result.tokens), html_action="return").data)
    per_weight = bertviz_bytes(_maps(128)) / (LAYERS * HEADS * 128 * 128)
    return int(per_weight * LAYERS * HEADS * length * length)


def main() -> list[Comparison]:
    results = []
    for length in LENGTHS:
        maps = _maps(length)
        ours, theirs = our_bytes(maps), bertviz_bytes(maps)
        target = 2_000_000 / theirs if length == 128 else None
        results.append(
            Comparison(
                f"attention views, {LAYERS}x{HEADS} heads, {length} tokens",
                "our views",
                "bertviz model view",
                ours / 1e6,
                theirs / 1e6,
                target,
                unit="MB",
            )
        )
        print(f"  {length} tokens: ours {ours / 1e6:.2f} MB, bertviz {theirs / 1e6:.1f} MB")
    loaded = models.load(registry.family("bert"), "base")
    text = "The bank of the river was covered in flowers, and the bank downtown was closed. " * 5
    batch = loaded.tokenizer(text, return_tensors="pt")

    def raw() -> None:
        with torch.inference_mode():
            loaded.model(**batch, output_attentions=True)

    cand, base = alternate(
        seconds(lambda: attention_maps(loaded.model, loaded.tokenizer, text), REPEAT),
        seconds(raw, REPEAT),
        RUNS,
    )
    results.append(
        Comparison("text -> attention data", "explorer.attention_maps", "raw forward", cand, base, 1.15)
    )
    cache: dict[str, AttentionResult] = {}

    def cached() -> AttentionResult:
        if text not in cache:
            cache[text] = attention_maps(loaded.model, loaded.tokenizer, text)
        return cache[text]

    cached()
    cand, base = alternate(seconds(cached, REPEAT), seconds(raw, REPEAT), RUNS)
    results.append(Comparison("repeated input (cached)", "cache hit", "raw forward", cand, base, 1.15))
    return results
