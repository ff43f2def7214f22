"""Tokenization: WordPiece, byte-level BPE and SentencePiece side by side; train one live."""

from explorer.ui.tokenization.page import render_tokenization_page

render_tokenization_page()
