"""Every section a family page can list in `registry.FamilyPage.sections`: name -> render function.

Each function takes the page's `PageInput` and draws one tab. A family that needs a new view adds
one function here; a family that shares a view (attention, masked LM) lists its name.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.ui import (
    albert_sections,
    compare_views,
    cost_views,
    decoder,
    distill_views,
    encoder,
    light_views,
    lsh_views,
    reformer_views,
    roberta_sections,
    rtd_views,
    sparse_views,
    structure_views,
)
from explorer.ui.attention import render_attention_section
from explorer.ui.page_input import PageInput
from explorer.ui.steps_views import render_attention_cost, render_attention_steps

SECTIONS: dict[str, Callable[[PageInput], None]] = {
    # encoders (BERT and the families that share its views)
    "input": encoder.render_input_embeddings,
    "attention": render_attention_section,
    "embed": encoder.render_projection,
    "mlm": encoder.render_mlm,
    "nsp": encoder.render_nsp,
    "attention_steps": render_attention_steps,  # Figure 21, one head step by step
    "attention_cost": render_attention_cost,  # attention vs feed-forward FLOPs, and a timing
    "both_losses": structure_views.render_both_losses,  # Figure 5, loss = MLM + NSP on one input
    "structure": structure_views.render_structure,  # Figure 1, one body under three heads
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
    # long inputs and cost (BigBird, Reformer, DistilBERT's speed)
    "bigbird_pattern": sparse_views.render_pattern,
    "bigbird_real": sparse_views.render_real_attention,
    "bigbird_latency": sparse_views.render_latency,
    "lsh_steps": lsh_views.render_lsh_steps,
    "lsh_pattern": lsh_views.render_lsh_pattern,
    "lsh_chunks": lsh_views.render_lsh_chunks,  # Figure 25, LSH attention chunk by chunk
    "lsh_memory": lsh_views.render_lsh_memory,
    "reversible": lsh_views.render_reversible,
    "three_problems": reformer_views.render_three_problems,
    "lsh_2d": reformer_views.render_lsh_2d,
    "distil_speed": cost_views.render_distil_speed,
    # ELECTRA
    "rtd": rtd_views.render_rtd,
    "signal": rtd_views.render_signal,
    "rtd_race": rtd_views.render_race,
    # DistilBERT
    "distil_loss": distill_views.render_objective,
    "distil_params": distill_views.render_params,
    "distil_train": distill_views.render_distillation,
    "distil_compare": compare_views.render_compare,  # Figure 17, BERT / RoBERTa / DistilBERT
    "light": light_views.render_light,  # quantization, pruning, distillation of one encoder, measured
}
