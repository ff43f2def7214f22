"""FLOPs of self-attention vs the feed-forward per layer, and where the T^2 terms overtake it."""

import math

import pytest
from transformers import BertConfig

from explorer.mechanics.flops import LayerShape, attention_crossover, layer_flops, quadratic_crossover

BERT_BASE = LayerShape.from_config(BertConfig())  # hidden 768, 12 heads, intermediate 3072


def test_bert_base_at_128_tokens_by_hand():
    t, d, f = 128, 768, 3072
    counts = layer_flops(BERT_BASE, t)
    # a (m x k) @ (k x n) product is m*k*n multiply-adds = 2*m*k*n FLOPs
    assert counts.qkv == 3 * 2 * t * d * d == 452_984_832
    assert counts.scores == 2 * t * t * d == 25_165_824  # 12 heads of (128 x 64) @ (64 x 128)
    assert counts.weighted == 2 * t * t * d
    assert counts.output == 2 * t * d * d
    assert counts.attention == 8 * t * d * d + 4 * t * t * d == 654_311_424
    assert counts.feed_forward == 2 * (2 * t * d * f) == 1_207_959_552
    assert counts.quadratic == counts.scores + counts.weighted


def test_crossovers_are_where_the_counts_meet_for_bert_base():
    quad = quadratic_crossover(BERT_BASE)
    whole = attention_crossover(BERT_BASE)
    assert quad == pytest.approx(3072) and whole == pytest.approx(1536)
    below, above = layer_flops(BERT_BASE, math.floor(quad) - 1), layer_flops(BERT_BASE, math.ceil(quad) + 1)
    assert below.quadratic < below.feed_forward and above.quadratic > above.feed_forward
    at = layer_flops(BERT_BASE, round(quad))
    assert at.quadratic == at.feed_forward
    below, above = layer_flops(BERT_BASE, math.floor(whole) - 1), layer_flops(BERT_BASE, math.ceil(whole) + 1)
    assert below.attention < below.feed_forward and above.attention > above.feed_forward


def test_the_shape_comes_from_the_config():
    shape = LayerShape.from_config(
        BertConfig(hidden_size=384, num_attention_heads=12, intermediate_size=1536)
    )
    assert (shape.hidden, shape.heads, shape.intermediate) == (384, 12, 1536)
    assert quadratic_crossover(shape) == pytest.approx(1536)
