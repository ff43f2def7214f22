"""How many tokens a tokenizer needs for a whole text, whatever length its model reads.

A model cuts its input (BERT at 512 tokens, GPT-2 at 1,024), so counts taken from what each model
reads compare different texts; these counts always cover the text the user gave.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.tokens.tokenize import Tokenization, tokenize, word_count


@dataclass(frozen=True)
class TextCounts:
    """A tokenizer's counts over a whole text, special tokens included in `tokens`."""

    tokens: int
    special: int
    unknown: int
    words: int  # whitespace-separated words of the text

    @property
    def tokens_per_word(self) -> float | None:
        """Content tokens per word (the tokenizer's fertility); None for a text without words."""
        return (self.tokens - self.special) / self.words if self.words else None


def count_text(tokenizer, result: Tokenization) -> TextCounts:
    """Counts over the whole of `result.text`: a cut tokenization is redone uncut to count the rest."""
    whole = tokenize(tokenizer, result.text, result.total_tokens) if result.truncated else result
    return TextCounts(
        tokens=len(whole.tokens),
        special=sum(tok.special for tok in whole.tokens),
        unknown=whole.n_unknown,
        words=word_count(result.text),
    )
