"""explorer.tokens.tokenize (pieces, offsets, specials, cut) vs a bare tokenizers call."""

from __future__ import annotations

import os

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.harness import Comparison, alternate, seconds, sized  # noqa: E402
from explorer import models, registry  # noqa: E402
from explorer.tokens import corpus  # noqa: E402
from explorer.tokens.tokenize import tokenize  # noqa: E402

SHORT = "Tokenization splits unbelievably rare words into subword pieces. 한국어도 나눕니다."


def main() -> list[Comparison]:
    long_text = corpus.bundled("en").text * 3  # about 14,000 characters, cut to the model maximum
    results = []
    for key in ("bert", "gpt2"):
        tokenizer, _ = models.load_tokenizer(registry.family(key))
        backend = tokenizer.backend_tokenizer
        for label, text, repeat in (("short", SHORT, sized(300, 1)), ("long", long_text, sized(10, 1))):
            candidate = seconds(lambda t=text, tok=tokenizer: tokenize(tok, t, 512), repeat)
            baseline = seconds(lambda t=text, b=backend: b.encode(t), repeat)
            cand, base = alternate(candidate, baseline, runs=sized(5, 1))
            results.append(
                Comparison(f"{key} {label} text", "explorer.tokens.tokenize", "tokenizers encode", cand, base)
            )
    return results
