"""Every section a family page can list in `registry.FamilyPage.sections`: name -> render function.

Each function takes the page's `PageInput` and draws one tab. A family that needs a new view adds
one function here; a family that shares a view (attention, masked LM) lists its name.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.ui import albert_sections, decoder, encoder, roberta_sections
from explorer.ui.attention import render_attention_section
from explorer.ui.family import PageInput

SECTIONS: dict[str, Callable[[PageInput], None]] = {
    # encoders (BERT and the families that share its views)
    "input": encoder.render_input_embeddings,
    "attention": render_attention_section,
    "embed": encoder.render_projection,
    "mlm": encoder.render_mlm,
    "nsp": encoder.render_nsp,
    # decoders (GPT)
    "causal": decoder.render_causal,
    "next": decoder.render_next_token,
    "generate": decoder.render_generation,
    "loss": decoder.render_loss,
    "versus": decoder.render_bert_vs_gpt,
    # RoBERTa
    "masking": roberta_sections.render_masking,
    "formats": roberta_sections.render_formats,
    "bpe": roberta_sections.render_bpe,
    "recipe": roberta_sections.render_recipe,
    # ALBERT
    "factorized": albert_sections.render_factorized,
    "params": albert_sections.render_params,
    "sharing": albert_sections.render_sharing,
    "sop": albert_sections.render_sop,
}
