"""Every section a family page can list in `registry.FamilyPage.sections`: name -> render function.

Each function takes the page's `PageInput` and draws one tab. A family that needs a new view adds
one function here; a family that shares a view (attention, masked LM) lists its name.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.ui import decoder, distill_views, encoder, rtd_views
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
    # ELECTRA
    "rtd": rtd_views.render_rtd,
    "signal": rtd_views.render_signal,
    "rtd_race": rtd_views.render_race,
    # DistilBERT
    "distil_loss": distill_views.render_objective,
    "distil_params": distill_views.render_params,
    "distil_train": distill_views.render_distillation,
    # PLACEHOLDER until the cost branch lands: its "distil_speed" section replaces this line at merge
    "distil_speed": distill_views.render_speed_placeholder,
}
