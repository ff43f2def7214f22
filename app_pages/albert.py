"""ALBERT: factorized embeddings, cross-layer sharing (BERT vs ALBERT counts), sentence-order prediction."""

from explorer.ui.family import render_family_page

render_family_page("albert")
