"""BERT's figure 1 (one body under the pre-training, CoLA and SQuAD heads, counted) and figure 5 (one
pre-training input with both losses on it) as sections of a family page."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
import torch

from explorer.mechanics import pretraining_loss, structure
from explorer.ui import models, projector
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import structure_charts


@st.cache_data(show_spinner=False, max_entries=16)
def _structures(config_class: str, config_json: str) -> tuple[structure.Structure, ...]:
    """The heads counted from a config (as JSON, so the cache can key on it); meta tensors, milliseconds."""
    import transformers

    config = getattr(transformers, config_class).from_dict(json.loads(config_json))
    return structure.structures(config)


def render_structure(page: PageInput) -> None:
    """The loaded model's stack, then the same body under each head, with what each head adds."""
    st.markdown(t("structure.intro"))
    loaded = models.loaded(page.family, "base", page.model_id, t("section.structure"))
    if loaded is None:
        return
    config = loaded.model.config
    found = _structures(type(config).__name__, config.to_json_string())
    own = sum(p.numel() for p in loaded.model.parameters())
    body = structure.body_params(loaded.model)
    st.caption(
        t("structure.loaded", total=own, body=body, pooler=own - body, layers=config.num_hidden_layers)
    )
    frame = pd.DataFrame([row for s in found for row in _stack_rows(s, config.num_hidden_layers)])
    parts = [t(f"structure.part_{p}") for p in (structure.BODY, structure.POOLER, structure.HEAD)]
    chart = structure_charts.stack_chart(frame, parts)
    render_chart(chart, page.key("structure_stack"), t("notice.structure"), width="content")
    rows = [
        {
            t("structure.col_model"): t(f"structure.head_{s.head}"),
            t("structure.col_body"): f"{s.body:,}",
            t("structure.col_pooler"): f"{s.pooler:,}",
            t("structure.col_new"): f"{s.new:,}",
            t("structure.col_total"): f"{s.total:,}",
            t("structure.col_form"): t(f"structure.form_{s.head}", h=config.hidden_size, v=config.vocab_size),
        }
        for s in found
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    same = len({s.body for s in found}) == 1 and found[0].body == body
    st.markdown(t("structure.same_body" if same else "structure.other_body", body=body))


def _stack_rows(found: structure.Structure, layers: int) -> list[dict]:
    """One row per block; the level lines the body up across models (pooler at layers + 1)."""
    rows, head_level = [], layers + 2
    for block in found.blocks:
        if block.name == "embeddings":
            level = 0
        elif block.name.startswith("layer "):
            level = int(block.name.split()[1]) + 1
        elif block.part == structure.POOLER:
            level = layers + 1
        else:
            level, head_level = head_level, head_level + 1
        rows.append(
            {
                "model": t(f"structure.head_{found.head}"),
                "level": level,
                "label": f"{block.name} · {block.params:,}",
                "part": t(f"structure.part_{block.part}"),
                "params": block.params,
            }
        )
    return rows


def render_both_losses(page: PageInput) -> None:
    """Figure 5: mask the page's sentence pair, run BertForPreTraining once, show loss = MLM + NSP."""
    st.markdown(t("structure.losses_intro"))
    loaded = models.loaded(page.family, "pretraining", page.model_id, t("section.both_losses"))
    if loaded is None:
        return
    with projector.notes():  # in the tour, folded with the page's inputs: the losses come first
        cols = st.columns(3)
        seed = cols[0].number_input(t("bert.seed"), 0, 10_000, 0, key=page.key("losses_seed"))
        rate = cols[1].slider(t("bert.rate"), 0.05, 0.5, 0.15, 0.05, key=page.key("losses_rate"))
        is_next = cols[2].radio(
            t("structure.nsp_label"),
            [True, False],
            format_func={True: t("bert.is_next"), False: t("bert.not_next")}.__getitem__,
            key=page.key("losses_label"),
        )
    try:
        result = pretraining_loss.pretraining_loss(
            loaded.model,
            loaded.tokenizer,
            page.text,
            page.pair or "",
            bool(is_next),
            torch.Generator().manual_seed(int(seed)),
            float(rate),
        )
    except ValueError:
        st.info(t("structure.losses_need"))
        return
    _render_losses(page, result)


def _render_losses(page: PageInput, result: pretraining_loss.PretrainingLoss) -> None:
    st.markdown(f"**{t('structure.input_title')}**")
    st.code(" ".join(result.tokens), language=None, wrap_lines=True)
    left, right = st.columns(2)
    label = t("bert.is_next" if result.nsp_label == pretraining_loss.IS_NEXT else "bert.not_next")
    left.markdown(t("structure.nsp_line", label=label, a=result.nsp_logits[0], b=result.nsp_logits[1]))
    left.metric(t("structure.nsp_prob"), f"{result.nsp_prob:.1%}")
    right.metric(t("structure.nsp_loss"), f"{result.nsp_loss:.4f}")
    rows = [
        {
            t("structure.col_position"): m.position,
            t("structure.col_label"): m.label,
            t("structure.col_predicted"): m.predicted,
            t("structure.col_prob"): f"{m.label_prob:.3g}",  # random heads give ~1/V: keep the digits
            t("structure.col_loss"): round(m.loss, 4),
        }
        for m in result.masked
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    n = len(result.masked)
    parts = [
        {"part": f"{m.position}:{m.label}", "objective": "MLM", "value": m.loss / n, "order": i}
        for i, m in enumerate(result.masked)
    ] + [{"part": "[CLS] → NSP", "objective": "NSP", "value": result.nsp_loss, "order": n}]
    frame = pd.DataFrame(parts).assign(total=t("structure.total_axis"))
    chart = structure_charts.loss_parts_chart(frame, t("structure.loss_axis"))
    render_chart(chart, page.key("both_losses"), t("notice.both_losses"), width="stretch")
    st.markdown(
        t(
            "structure.equation",
            mlm=result.mlm_loss,
            n=n,
            nsp=result.nsp_loss,
            total=result.total,
            model=result.model_loss,
            diff=abs(result.total - result.model_loss),
        )
    )
