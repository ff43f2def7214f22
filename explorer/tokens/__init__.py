"""Text before the model: tokenizers (WordPiece, BPE, Unigram), corpora, Hangul, and what is in a text."""
