"""GPT-style sections: the causal mask and real masked attention, next-token prediction, step-by-step
generation, the language-modelling loss, and BERT vs GPT attention on the same sentence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from explorer.mechanics import generate
from explorer.ui import models, projector
from explorer.ui.attention import render_attention
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import attention_charts, charts


def render_causal(page: PageInput) -> None:
    """The mask (1 on and below the diagonal) and the model's attention, zero above it; every head."""
    st.markdown(t("gpt.causal_intro"))
    result = models.attention_for(page.family, "base", page.model_id, page.text)
    loaded = models.loaded(page.family, "base", page.model_id, t("section.causal"))
    if result is None or loaded is None:
        return
    _render_mask_and_head(page, result)
    with st.expander(t("gpt.all_heads")):
        render_attention(result, page.page, bertviz=True)


def _render_mask_and_head(page: PageInput, result) -> None:
    tokens = list(result.tokens)[:64]
    mask = generate.causal_mask(len(tokens))
    left, right = st.columns(2)
    frame = attention_charts.heatmap_frame(mask, tokens, tokens)
    chart = attention_charts.attention_heatmap(frame, t("gpt.mask_title"), 240, projector.scale())
    render_chart(chart, page.key("causal_mask"), t("notice.causal_mask"), where=left)
    layers, heads, _ = result.shape
    layer = right.slider(t("attn.layer"), 0, layers - 1, 0, key="causal_layer")
    head = right.slider(t("attn.head"), 0, heads - 1, 0, key="causal_head")
    real = result.maps[layer, head][: len(tokens), : len(tokens)]
    frame = attention_charts.heatmap_frame(real, tokens, tokens)
    title = t("attn.heatmap_title", layer=layer, head=head)
    chart = attention_charts.attention_heatmap(frame, title, 240, projector.scale())
    render_chart(chart, page.key(f"causal_L{layer}_H{head}"), t("notice.causal_head"), where=right)
    rows, cols = np.triu_indices(result.shape[2], 1)
    above = float(result.maps[:, :, rows, cols].max(initial=0.0))
    st.caption(t("gpt.above_diagonal", value=above))


def render_next_token(page: PageInput) -> None:
    """The distribution over the next token after the text."""
    loaded = models.loaded(page.family, "lm", page.model_id, t("section.next"))
    if loaded is None:
        return
    ids = loaded.tokenizer(page.text, truncation=True, max_length=1024)["input_ids"]
    if not ids:
        st.info(t("gpt.need_text"))
        return
    result = generate.next_token(loaded.model, loaded.tokenizer, ids, k=15)
    frame = pd.DataFrame([{"token": repr(w), "probability": p} for w, p in result.candidates])
    chart = charts.probability_chart(frame, t("bert.probability"))
    render_chart(chart, page.key("next_token"), t("notice.next_token"), width="stretch")


def render_generation(page: PageInput) -> None:
    """Generate one token at a time with temperature, top-k and top-p; show each step's choice."""
    prompt = st.text_input(t("gpt.prompt"), page.example("prompt"), key=page.key("prompt"))
    loaded = models.loaded(page.family, "lm", page.model_id, t("section.generate"))
    if loaded is None:
        return
    cols = st.columns(4)
    temperature = cols[0].slider(t("gpt.temperature"), 0.1, 2.0, 0.8, 0.1, key="gen_temp")
    top_k = cols[1].slider(t("gpt.top_k"), 0, 100, 40, key="gen_topk", help=t("gpt.top_k_help"))
    top_p = cols[2].slider(t("gpt.top_p"), 0.05, 1.0, 0.95, 0.05, key="gen_topp")
    seed = cols[3].number_input(t("bert.seed"), 0, 10_000, 0, key="gen_seed")
    state = _steps_for((page.page, page.model_id, loaded.source.kind, loaded.source.name, prompt))
    buttons = st.columns(3)
    if buttons[0].button(t("gpt.step"), type="primary"):
        _step(loaded, prompt, state, temperature, top_k, top_p, int(seed))
    if buttons[1].button(t("gpt.ten_steps")):
        for _ in range(10):
            _step(loaded, prompt, state, temperature, top_k, top_p, int(seed))
    if buttons[2].button(t("gpt.reset")):
        state.clear()
    generated = "".join(step["token"] for step in state).replace("\n", " ")
    st.markdown(f"**{literal(prompt)}**{literal(generated)}")  # a link's prompt is text, never markdown
    if state:
        render_table(pd.DataFrame(state).drop(columns=["ids", "top"]), hide_index=True, width="stretch")
        _render_last_step(page, loaded, state[-1])


def _steps_for(owner: tuple) -> list:
    """This session's generated steps, started afresh when the page, model or prompt changes: a step's
    token id only means something to the model and context that chose it."""
    if st.session_state.get("gen_for") != owner:
        st.session_state["gen_steps"] = []
        st.session_state["gen_for"] = owner
    return st.session_state["gen_steps"]


def _render_last_step(page: PageInput, loaded, step: dict) -> None:
    """The last step: the kept distribution it was drawn from, and where the predicting position looked."""
    st.markdown(t("gpt.last_step", token=literal(repr(step["token"]))))
    left, right = st.columns(2)
    frame = pd.DataFrame([{"token": repr(w), "probability": p} for w, p in step["top"]])
    chart = charts.probability_chart(frame, t("bert.probability"))
    render_chart(chart, page.key("step_probs"), t("notice.step_probs"), where=left, width="stretch")
    rows = generate.last_row_attention(loaded.model, step["ids"])  # (L, H, T)
    layer = right.slider(t("attn.layer"), 0, rows.shape[0] - 1, rows.shape[0] - 1, key="gen_layer")
    context = [loaded.tokenizer.decode([i]) for i in step["ids"]]
    bars = pd.DataFrame(
        {"token": [f"{i} {w!r}" for i, w in enumerate(context)], "probability": rows[layer].mean(0)}
    )
    chart = charts.probability_chart(bars.tail(40), t("gpt.attention_weight"))
    render_chart(chart, page.key("step_attention"), t("notice.step_attention"), where=right, width="stretch")


def _step(loaded, prompt: str, state: list, temperature: float, top_k: int, top_p: float, seed: int) -> None:
    tok = loaded.tokenizer
    ids = tok(prompt, truncation=True, max_length=1000)["input_ids"] + [s["id"] for s in state]
    logits = generate.next_token(loaded.model, tok, ids[-1000:], k=1).logits
    probs = generate.filtered_probs(logits, temperature, top_k, top_p)
    chosen = generate.sample(
        logits, temperature, top_k, top_p, torch.Generator().manual_seed(seed + len(state))
    )
    top = probs.topk(min(10, int((probs > 0).sum())))
    state.append(
        {
            "step": len(state) + 1,
            "token": tok.decode([chosen]),
            "id": chosen,
            "p": round(float(probs[chosen]), 4),
            "kept": int((probs > 0).sum()),
            "ids": ids[-1000:],  # the context that predicted it, for its attention
            "top": [
                (tok.decode([i]), float(p)) for i, p in zip(top.indices.tolist(), top.values, strict=True)
            ],
        }
    )


def render_loss(page: PageInput) -> None:
    """Labels are the inputs shifted by one: the loss at each position, its mean and perplexity."""
    st.markdown(t("gpt.loss_intro"))
    loaded = models.loaded(page.family, "lm", page.model_id, t("section.loss"))
    if loaded is None:
        return
    try:
        result = generate.token_losses(loaded.model, loaded.tokenizer, page.text)
    except ValueError:
        st.info(t("gpt.need_two"))
        return
    frame = pd.DataFrame(
        {
            "position": range(len(result.loss)),
            "loss": result.loss,
            "label": [f"{a!r} → {b!r}" for a, b in zip(result.inputs, result.targets, strict=True)],
        }
    )
    chart = charts.loss_chart(frame, t("gpt.loss_axis"))
    render_chart(chart, page.key("token_loss"), t("notice.token_loss"), width="stretch")
    st.caption(t("gpt.loss_summary", mean=result.mean, ppl=float(torch.tensor(result.mean).exp())))
    render_table(frame[["label", "loss"]], hide_index=True, width="stretch")


def render_bert_vs_gpt(page: PageInput) -> None:
    """The same sentence through an encoder (bidirectional) and a decoder (causal), side by side."""
    st.markdown(t("gpt.versus_intro"))
    bert_id = models.chosen_model_id("bert", "model_bert")
    text = page.text
    sides = [
        ("bert", bert_id, "BERT", t("notice.versus_bert")),
        ("gpt2", page.model_id, "GPT", t("notice.versus_gpt")),
    ]
    for column, (family, model_id, name, notice) in zip(st.columns(2), sides, strict=True):
        with column:
            result = models.attention_for(family, "base", model_id, text)
            if result is None:
                continue
            layers, _, _ = result.shape
            layer = st.slider(t("attn.layer"), 0, layers - 1, 0, key=f"vs_{family}_layer")
            tokens = list(result.tokens)[:48]
            mean = result.maps[layer].mean(0)[: len(tokens), : len(tokens)]
            title = t("gpt.versus_title", name=name, layer=layer)
            frame = attention_charts.heatmap_frame(mean, tokens, tokens)
            chart = attention_charts.attention_heatmap(frame, title, 240, projector.scale())
            render_chart(chart, page.key(f"versus_{family}_L{layer}"), notice, width="content")
