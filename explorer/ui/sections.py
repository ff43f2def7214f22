"""Every section a family page can list in `registry.FamilyPage.sections`: name -> render function.

Each function takes the page's `PageInput` and draws one tab. A family that needs a new view adds
one function here; a family that shares a view (attention, masked LM) lists its name.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.ui import cost_views
from explorer.ui.albert import sections as albert
from explorer.ui.attention import render_attention_section
from explorer.ui.bert import encoder, structure
from explorer.ui.bert.steps import render_attention_cost, render_attention_steps
from explorer.ui.bigbird import sparse
from explorer.ui.distilbert import compare, distill, light
from explorer.ui.electra import rtd
from explorer.ui.gpt import decoder
from explorer.ui.page_input import PageInput
from explorer.ui.reformer import lsh, problems
from explorer.ui.roberta import sections as roberta

SECTIONS: dict[str, Callable[[PageInput], None]] = {
    # encoders (BERT and the families that share its views)
    "input": encoder.render_input_embeddings,
    "attention": render_attention_section,
    "embed": encoder.render_projection,
    "mlm": encoder.render_mlm,
    "nsp": encoder.render_nsp,
    "attention_steps": render_attention_steps,  # Figure 21, one head step by step
    "attention_cost": render_attention_cost,  # attention vs feed-forward FLOPs, and a timing
    "both_losses": structure.render_both_losses,  # Figure 5, loss = MLM + NSP on one input
    "structure": structure.render_structure,  # Figure 1, one body under three heads
    # decoders (GPT)
    "causal": decoder.render_causal,
    "next": decoder.render_next_token,
    "generate": decoder.render_generation,
    "loss": decoder.render_loss,
    "versus": decoder.render_bert_vs_gpt,
    # RoBERTa
    "masking": roberta.render_masking,
    "formats": roberta.render_formats,
    "bpe": roberta.render_bpe,
    "recipe": roberta.render_recipe,
    # ALBERT
    "factorized": albert.render_factorized,
    "params": albert.render_params,
    "sharing": albert.render_sharing,
    "sop": albert.render_sop,
    # long inputs and cost (BigBird, Reformer, DistilBERT's speed)
    "bigbird_pattern": sparse.render_pattern,
    "bigbird_real": sparse.render_real_attention,
    "bigbird_latency": sparse.render_latency,
    "lsh_steps": lsh.render_lsh_steps,
    "lsh_pattern": lsh.render_lsh_pattern,
    "lsh_chunks": lsh.render_lsh_chunks,  # Figure 25, LSH attention chunk by chunk
    "lsh_memory": lsh.render_lsh_memory,
    "reversible": lsh.render_reversible,
    "three_problems": problems.render_three_problems,
    "lsh_2d": problems.render_lsh_2d,
    "distil_speed": cost_views.render_distil_speed,
    # ELECTRA
    "rtd": rtd.render_rtd,
    "signal": rtd.render_signal,
    "rtd_race": rtd.render_race,
    # DistilBERT
    "distil_loss": distill.render_objective,
    "distil_params": distill.render_params,
    "distil_train": distill.render_distillation,
    "distil_compare": compare.render_compare,  # Figure 17, BERT / RoBERTa / DistilBERT
    "light": light.render_light,  # quantization, pruning, distillation of one encoder, measured
}
