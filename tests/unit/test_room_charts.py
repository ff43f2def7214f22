"""Charts for a room (#31 item 2): every heatmap has its colour legend, the attention map is as wide
as the page with rows as tall as their labels, and type grows on a projector and shrinks with many
tokens; y-axis titles are written across."""

import numpy as np
import pandas as pd
import pytest

from explorer.views import attention_charts, charts, room, steps_charts


def _attention(tokens: int, scale: float = 1.0) -> dict:
    matrix = np.full((tokens, tokens), 1 / tokens)
    names = [f"t{i}" for i in range(tokens)]
    frame = attention_charts.heatmap_frame(matrix, names, names)
    return attention_charts.attention_heatmap(frame, "head", scale=scale).to_dict()


def _rect_colours(spec: dict) -> list[dict]:
    """The colour encodings of every rect mark in a (layered, faceted) spec."""
    found = []
    for part in (spec, spec.get("spec", {}), *spec.get("layer", [])):
        mark = part.get("mark")
        if (mark == "rect" or isinstance(mark, dict) and mark.get("type") == "rect") and "color" in part.get(
            "encoding", {}
        ):
            found.append(part["encoding"]["color"])
    return found


def _embedding_parts() -> dict:
    frame = pd.DataFrame({"token": ["a", "b"], "part": ["t", "t"], "dim": [0, 0], "value": [0.1, -0.2]})
    return charts.embedding_parts_chart(frame, ["t"]).to_dict()


def _confusion() -> dict:
    frame = pd.DataFrame({"true": ["0", "1"], "predicted": ["0", "1"], "count": [3, 4]})
    return charts.confusion_chart(frame, "predicted", "true").to_dict()


def _step_matrix() -> dict:
    return steps_charts.matrix_chart(np.eye(3), list("abc"), list("abc"), "Q K^T").to_dict()


@pytest.mark.parametrize(
    "spec",
    [lambda: _attention(6), _embedding_parts, _confusion, _step_matrix],
    ids=["attention", "embedding parts", "confusion", "step matrix"],
)
def test_every_heatmap_has_a_colour_legend(spec):
    colours = _rect_colours(spec())
    assert colours, "no rect mark coloured by a value"
    assert all(colour.get("legend", {}) is not None for colour in colours)


def test_an_attention_map_has_square_cells_at_its_own_size():
    """Drawn as wide as the page, its cells were stretched (33 x 22 px for BERT's 28 tokens)."""
    spec = _attention(6)
    assert spec["width"] == spec["height"] and spec["usermeta"][room.BOX] > spec["width"]  # names, legend
    for tokens, scale in ((28, 1.0), (28, 1.35), (12, 1.0)):
        spec = _attention(tokens, scale)
        assert spec["width"] == spec["height"] == round(480 * scale)


def test_a_tokens_by_tokens_step_matrix_keeps_square_cells_and_a_tokens_by_dims_one_fits_its_column():
    names = [f"t{i}" for i in range(12)]
    scores = steps_charts.matrix_chart(np.eye(12), names, names, "Q K^T", scale=1.35, square=True)
    assert room.keeps_its_size(scores) and scores.width == scores.height
    q = steps_charts.matrix_chart(np.ones((12, 32)), names, [str(i) for i in range(32)], "Q", max_width=170)
    assert not room.keeps_its_size(q)


def test_32_tokens_by_a_heads_32_dims_still_fit_their_column():
    """MiniLM's heads have 32 dims: at 32 tokens Q, K, V and X are square matrices, not tokens x tokens."""
    names, dims = [f"t{i}" for i in range(32)], [str(i) for i in range(32)]
    q = steps_charts.matrix_chart(np.ones((32, 32)), names, dims, "Q", max_width=170)
    assert not room.keeps_its_size(q)


def test_the_maps_of_bigbird_and_reformer_keep_their_size_with_square_cells():
    """A pooled map, BigBird's pattern and the LSH chunks are drawn at their own size (room.keeps_its_size:
    render_chart does not stretch them to the column), their cells square."""
    from explorer.views import cost_charts

    pooled = attention_charts.heatmap_frame(np.full((128, 128), 1 / 128), [], [])
    chart = attention_charts.attention_heatmap(pooled, "map", 320)
    assert room.keeps_its_size(chart) and chart.width == chart.height == 320
    names = {p: p for p in ("global", "window", "random", "none")}
    pattern = cost_charts.pattern_chart(cost_charts.parts_frame(np.eye(16, dtype=int), names, 64), names, "p")
    assert room.keeps_its_size(pattern) and pattern.width == pattern.height
    assert room.keeps_its_size(_chunks(1.0))
    assert not room.keeps_its_size(charts.loss_chart(pd.DataFrame({"position": [0], "loss": [1.0]}), "loss"))


def test_type_grows_on_a_projector_and_shrinks_with_many_tokens():
    assert room.type_size(1.35) > room.type_size(1.0)
    assert room.type_size(1.0, tokens=48) < room.type_size(1.0, tokens=10) == room.type_size(1.0)
    assert room.type_size(1.0, tokens=10_000) >= 8  # never unreadably small
    label = {n: _attention(n)["encoding"]["y"]["axis"]["labelFontSize"] for n in (8, 40)}
    assert label[40] < label[8]
    assert _attention(8, scale=1.35)["encoding"]["y"]["axis"]["labelFontSize"] > label[8]


def test_28_tokens_get_rows_as_tall_as_their_labels():
    spec = _attention(28, scale=1.35)
    assert spec["height"] / 28 >= spec["encoding"]["y"]["axis"]["labelFontSize"]
    names, dims = [f"t{i}" for i in range(28)], [str(i) for i in range(64)]
    for scale in (1.0, 1.35):  # the step-by-step matrices too (X at tour stop 27 overlapped its rows)
        spec = steps_charts.matrix_chart(np.ones((28, 64)), names, dims, "X", scale=scale).to_dict()
        assert spec["height"] / 28 >= spec["encoding"]["y"]["axis"]["labelFontSize"]


def test_for_room_scales_type_keeps_the_fonts_and_writes_y_titles_across():
    frame = pd.DataFrame({"position": [0, 1], "loss": [1.0, 2.0], "label": ["a", "b"]})
    chart = charts.loss_chart(frame, "토큰별 손실")
    screen, tour = (room.for_room(chart, s).to_dict()["config"] for s in (1.0, 1.35))
    assert tour["axis"]["labelFontSize"] > screen["axis"]["labelFontSize"]
    assert tour["axis"]["labelFont"] == room.FONT  # the Hangul fonts themed() set are kept
    assert tour["axisY"]["titleAngle"] == 0


def test_a_pooled_map_grows_on_a_projector():
    frame = attention_charts.heatmap_frame(np.full((40, 40), 1 / 40), [], [])  # pooled: no token names
    screen, tour = (
        attention_charts.attention_heatmap(frame, "map", 320, s).to_dict()["height"] for s in (1.0, 1.35)
    )
    assert screen == 320 and tour == round(320 * 1.35)


def test_bigbirds_pattern_cells_grow_on_a_projector():
    from explorer.views import cost_charts

    names = {p: p for p in ("global", "window", "random", "none")}
    frame = cost_charts.parts_frame(np.eye(16, dtype=int), names, 64)
    side = {s: cost_charts.pattern_chart(frame, names, "p", scale=s).to_dict()["width"] for s in (1, 1.35)}
    assert side[1.35] > side[1]  # 16 blocks: cells of 22 and 30 px


def _chunks(scale: float):
    import torch

    from explorer.families.reformer import lsh, lsh_chunks
    from explorer.views import lsh_chunk_charts

    vectors = torch.randn(64, 8, generator=torch.Generator().manual_seed(0))
    buckets = torch.from_numpy(lsh.hash_steps(vectors, 4, 1, 16).buckets[0])
    result = lsh_chunks.chunked_attention(vectors, vectors, buckets, 16)
    return lsh_chunk_charts.chunks_chart(result, "t", "k", "q", "{i}", scale)


def test_the_lsh_chunks_map_and_its_chunk_names_grow_on_a_projector():
    specs = {s: _chunks(s).to_dict() for s in (1.0, 1.35)}
    assert specs[1.35]["width"] > specs[1.0]["width"]
    names = {
        s: [layer["mark"] for layer in spec["layer"] if layer["mark"]["type"] == "text"]
        for s, spec in specs.items()
    }
    assert names[1.35][0]["fontSize"] > names[1.0][0]["fontSize"]


# Each builder of a map and its scale's position among the arguments
ROOM_BUILDERS = {
    "attention_heatmap": 3,
    "pattern_chart": 4,
    "chunks_chart": 5,
    "matrix_chart": 6,
    "head_stat_chart": 2,
    "confusion_chart": 3,
}


def test_every_map_on_a_page_takes_the_projector_scale():
    """GPT's causal maps, BigBird's patterns and Reformer's LSH maps are drawn as BERT's attention map
    is: a call in explorer/ui without the scale would stay at screen size in the tour."""
    import ast
    from pathlib import Path

    missing = []
    for path in Path("explorer/ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                at = ROOM_BUILDERS.get(node.func.attr)
                scaled = any(k.arg == "scale" for k in node.keywords) or len(node.args) > (at or 99)
                if at is not None and not scaled:
                    missing.append(f"{path}:{node.lineno} {node.func.attr}")
    assert not missing
