"""Attention maps, head statistics, pooling, and the offline bertviz views."""

import re

import numpy as np
import pytest

from explorer import models, registry
from explorer.mechanics import attention
from explorer.mechanics.attention import AttentionResult, attention_maps, bertviz_view, head_stats, pool


@pytest.fixture(scope="module")
def minilm():
    return models.load(registry.family("bert"), "base", online=False)


@pytest.fixture(scope="module")
def pair_result(minilm):
    return attention_maps(minilm.model, minilm.tokenizer, "The bank of the river.", "I opened an account.")


def test_rows_sum_to_one_for_every_head(pair_result):
    layers, heads, length = pair_result.shape
    assert (layers, heads) == (6, 12)
    assert np.allclose(pair_result.maps.sum(-1), 1.0, atol=1e-5)
    assert pair_result.tokens[0] == "[CLS]" and pair_result.tokens[-1] == "[SEP]"
    assert pair_result.tokens[pair_result.segment_b - 1] == "[SEP]"


def test_a_causal_decoder_has_zero_attention_above_the_diagonal():
    family = registry.family("gpt2")
    tok, _ = models.load_tokenizer(family, online=False)
    model = models.random_model(family, "base", len(tok)).eval()
    result = attention_maps(model, tok, "one two three four five six seven")
    rows, cols = np.triu_indices(result.shape[2], 1)
    assert result.maps[:, :, rows, cols].max() == 0.0
    assert np.allclose(result.maps.sum(-1), 1.0, atol=1e-5)


def test_a_long_input_is_cut_to_the_maximum(minilm):
    result = attention_maps(minilm.model, minilm.tokenizer, "word " * 600, max_tokens=512)
    assert result.shape[2] == 512 and result.truncated and result.total_tokens == 602


def _result(maps: np.ndarray, tokens: tuple[str, ...]) -> AttentionResult:
    return AttentionResult(tokens, maps, tuple(t.startswith("[") for t in tokens), None, len(tokens))


def test_head_statistics_of_known_maps():
    eye = np.eye(4)[None, None]  # every token attends to itself
    first = np.zeros((1, 1, 4, 4))
    first[..., 0] = 1.0  # every token attends to [CLS]
    tokens = ("[CLS]", "a", "b", "[SEP]")
    stats = head_stats(_result(np.concatenate([eye, first], axis=1), tokens))
    assert stats.to_self[0].tolist() == [1.0, 0.25]
    assert stats.to_cls[0].tolist() == [0.25, 1.0]
    assert np.allclose(stats.entropy[0], [0.0, 0.0])
    assert stats.to_sep[0].tolist() == [0.25, 0.0]
    assert stats.to_previous[0].tolist() == [0.0, 1 / 3]


def test_pooling_keeps_the_mean_weight_and_caps_the_size():
    matrix = np.random.default_rng(0).dirichlet(np.ones(300), size=300)
    pooled, rows, cols = pool(matrix, 128)
    assert pooled.shape == (128, 128) and rows[0] == 0 and cols[-1] < 300
    assert pooled.mean() == pytest.approx(matrix.mean(), rel=1e-2)
    small, *_ = pool(matrix[:20, :30], 128)
    assert np.array_equal(small, matrix[:20, :30])


def test_bertviz_html_is_offline_and_escapes_user_text(minilm):
    text = 'x </script><script>alert("pwned")</script>'
    result = attention_maps(minilm.model, minilm.tokenizer, text, "second")
    for view in ("head", "model"):
        html = bertviz_view(result, view, layers=[0])
        assert not re.search(r"<script[^>]+src=", html)
        assert "require.min.js" not in html
        assert "d3 v5.7.0" in html  # d3's own banner inside the inlined library
        body = _bertviz_body(html).rpartition("</script>")[0]
        assert "</" not in body  # no token can close bertviz's script early


def test_bertviz_libraries_are_the_shipped_ones_not_a_package(monkeypatch):
    """d3 and jQuery come from assets/js (with their licences), not from packages installed only to
    carry them (mpld3, XStatic-jQuery)."""
    from explorer import offline

    monkeypatch.setattr(offline, "packaged_path", lambda package, path: None)
    html = attention.offline_html("<div></div>")
    assert "d3 v5.7.0 Copyright 2018 Mike Bostock" in html and "jQuery v3.7.1" in html
    assert (attention.JS_DIR / "LICENSE-d3.txt").exists() and (
        attention.JS_DIR / "LICENSE-jquery.txt"
    ).exists()


def test_bertviz_script_cannot_be_left_open_by_a_comment_opener_in_user_text():
    """'<!--' then '<script>' inside a script makes the HTML parser skip the script's own end tag."""
    from explorer.mechanics.attention import _escape_script

    html = _escape_script('<script type="text/javascript">var t = ["<!--", "<SCRIPT>", "</b>"];</script>')
    body = _bertviz_body(html).rpartition("</script>")[0]
    assert "<!--" not in body and "<script" not in body.lower() and "</" not in body
    assert '"<\\!--", "<\\SCRIPT>", "<\\/b>"' in body  # each still reads as the same text in JavaScript


def _bertviz_body(html: str) -> str:
    return html.rpartition('<script type="text/javascript">')[2]


def test_bertviz_payload_shrinks_with_rounding(pair_result):
    full = len(_bertviz_body(bertviz_view(pair_result, "model", decimals=6)))
    small = len(_bertviz_body(bertviz_view(pair_result, "model", decimals=3)))
    assert small < 0.75 * full


def test_no_attentions_is_a_clear_error(minilm):
    class Silent:
        def parameters(self):
            return minilm.model.parameters()

        def __call__(self, **_):
            return type("Out", (), {"attentions": None})()

    with pytest.raises(ValueError, match="no attention maps"):
        attention.attention_maps(Silent(), minilm.tokenizer, "hello")
