"""RoBERTa: static vs dynamic masking, its input formats without NSP, byte-level BPE, the recipe."""

from explorer.ui.family import render_family_page

render_family_page("roberta")
