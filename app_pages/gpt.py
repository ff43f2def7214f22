"""GPT: causal self-attention, next-token prediction, generation, the LM objective, BERT vs GPT."""

from explorer.ui.family import render_family_page

render_family_page("gpt")
