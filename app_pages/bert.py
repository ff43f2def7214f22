"""BERT: input embeddings, attention heads, embedding projections, masked-LM and NSP."""

from explorer.ui.family import render_family_page

render_family_page("bert")
