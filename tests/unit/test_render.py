"""The shared HTML token views escape user text and mark pieces."""

from explorer.tokens.tokenize import tokenize
from explorer.ui.tokenization.tokens import chips_html, highlight_html


def test_html_in_user_text_is_shown_as_text(bert_tokenizer, gpt2_tokenizer):
    text = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for tokenizer in (bert_tokenizer, gpt2_tokenizer):
        result = tokenize(tokenizer, text, 512)
        html = chips_html(tokenizer, result) + highlight_html(result)
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;" in html or "&lt;" in html


def test_every_token_gets_a_chip_and_a_highlight(bert_tokenizer):
    result = tokenize(bert_tokenizer, "Hello, world!", 512)
    assert chips_html(bert_tokenizer, result).count('class="tfe-chip ') == len(result.tokens)
    assert highlight_html(result).count("<mark") == len(result.tokens) - 2
