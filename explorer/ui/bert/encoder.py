"""BERT-style sections: the input embeddings, embedding projections, masked-LM, and NSP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from explorer import registry
from explorer.mechanics import embeddings, masking, pretraining
from explorer.ui import models
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.page_input import PageInput, render_pair_document
from explorer.ui.tables import render_table
from explorer.views import charts

DIMS = 24  # dimensions of each embedding drawn: enough to see the pattern, few enough to read


def render_input_embeddings(page: PageInput) -> None:
    """Token + segment + position = the input; with the model's own LayerNorm input as proof."""
    st.markdown(t("bert.input_intro"))
    loaded = models.loaded(page.family, "base", page.model_id, t("section.input"))
    if loaded is None:
        return
    family = registry.family(page.family)
    start = embeddings.first_position(loaded.model, family.positions_after_padding)
    try:
        parts = embeddings.input_embeddings(loaded.model, loaded.tokenizer, page.text, page.pair, start)
    except ValueError as err:
        st.error(literal(err))
        return
    own = embeddings.layernorm_input(loaded.model, loaded.tokenizer, page.text, page.pair)
    names = {
        "token": parts.token,
        "segment": parts.segment,
        "position": parts.position,
        "total": parts.total,
        "normalized": parts.normalized,
    }
    labels = [
        f"{i}:{tok} (seg {s})" for i, (tok, s) in enumerate(zip(parts.tokens, parts.segments, strict=True))
    ]
    rows = [
        {"token": labels[i], "part": t(f"bert.part_{name}"), "dim": d, "value": float(matrix[i, d])}
        for name, matrix in names.items()
        for i in range(len(labels))
        for d in range(min(DIMS, matrix.shape[1]))
    ]
    order = [t(f"bert.part_{name}") for name in names]
    chart = charts.embedding_parts_chart(pd.DataFrame(rows), order)
    render_chart(chart, page.key("input_embeddings"), t("notice.input_embeddings"), width="content")
    st.caption(
        t("bert.input_check", diff=float(np.abs(parts.total - own).max()), dims=DIMS, d=parts.total.shape[1])
    )
    if start:
        st.caption(t("family.positions_after_padding", start=start))
    if not family.segments:
        st.caption(t("family.one_segment"))


def render_projection(page: PageInput) -> None:
    """PCA of token vectors at a layer, the same word in different sentences, and neighbours."""
    st.markdown(t("bert.proj_intro"))
    loaded = models.loaded(page.family, "base", page.model_id, t("section.embed"))
    if loaded is None:
        return
    sentences = [
        s
        for s in st.text_area(
            t("bert.proj_sentences"), page.example("projection"), key=page.key("proj_text")
        ).splitlines()
        if s.strip()
    ][:20]
    word = (
        st.text_input(t("bert.proj_word"), page.example("projection_word"), key=page.key("proj_word"))
        .strip()
        .lower()
    )
    layers = loaded.model.config.num_hidden_layers
    layer = st.slider(
        t("bert.proj_layer"), 0, layers, layers, key=page.key("proj_layer"), help=t("bert.proj_layer_help")
    )
    if len(sentences) < 2:
        st.info(t("bert.proj_need"))
        return
    vectors = embeddings.token_vectors(loaded.model, loaded.tokenizer, sentences, layer)
    points, ratios = embeddings.pca_2d(vectors.vectors)
    hits = [i for i, tok in enumerate(vectors.tokens) if word and tok.lower().removeprefix("##") == word]
    frame = pd.DataFrame(
        {
            "x": points[:, 0],
            "y": points[:, 1],
            "token": vectors.tokens,
            "group": [t("bert.proj_sentence", n=s + 1) for s in vectors.sentence],
            "highlight": [i in hits for i in range(len(vectors.tokens))],
        }
    )
    chart = charts.scatter_chart(frame, f"PC1 ({ratios[0]:.0%})", f"PC2 ({ratios[1]:.0%})")
    render_chart(chart, page.key(f"projection_L{layer}"), t("notice.projection"), width="stretch")
    _render_neighbours(loaded, vectors, hits, word)


def _render_neighbours(loaded, vectors, hits: list[int], word: str) -> None:
    if not hits:
        st.caption(t("bert.proj_no_word", word=literal(word)))
        return
    rows = []
    for i in hits:
        found = embeddings.cosine_neighbours(vectors.vectors, vectors.vectors[i], 6)
        rows.append(
            {
                t("bert.proj_where"): t("bert.proj_sentence", n=vectors.sentence[i] + 1),
                t("bert.proj_near"): ", ".join(f"{vectors.tokens[j]} ({s:.2f})" for j, s in found if j != i),
            }
        )
    st.markdown(f"**{t('bert.proj_contextual')}**")
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    static = embeddings.static_neighbours(loaded.model, loaded.tokenizer, word)
    st.markdown(f"**{t('bert.proj_static')}**: " + ", ".join(f"{tok} ({s:.2f})" for tok, s in static))


def render_mlm(page: PageInput) -> None:
    """Mask tokens by clicking or typing [MASK]; top-k fillers from the MLM head; 80/10/10 corruption."""
    st.markdown(t("bert.mlm_intro"))
    heads = registry.family(page.family).heads
    head = "pretraining" if "pretraining" in heads else "mlm"  # one model for MLM and NSP where it exists
    loaded = models.loaded(page.family, head, page.model_id, t("section.mlm"))
    if loaded is None:
        return
    tok = loaded.tokenizer
    example = page.example("mlm").replace("[MASK]", tok.mask_token or "[MASK]")
    text = st.text_input(t("bert.mlm_text", mask=tok.mask_token), example, key=page.key("mlm_text"))
    pieces = tok.convert_ids_to_tokens(tok(text, truncation=True, max_length=512)["input_ids"])
    clicked = (
        st.pills(
            t("bert.mlm_click"),
            list(range(len(pieces))),
            selection_mode="multi",
            format_func=lambda i: pieces[i],
            key=page.key("mlm_pills"),
        )
        or []
    )
    masked_text = pretraining.mask_positions(tok, text, clicked) if clicked else text
    try:
        result = pretraining.predict_masks(loaded.model, tok, masked_text, k=8)
    except ValueError as err:
        st.info(t("bert.mlm_need", mask=tok.mask_token, error=err))
    else:
        st.caption(masked_text)
        shown = result.predictions[:12]
        if len(result.predictions) > len(shown):
            st.caption(t("bert.mlm_many", n=len(result.predictions), shown=len(shown)))
        for column, pred in zip(st.columns(min(3, len(shown))) * 4, shown, strict=False):
            frame = pd.DataFrame([{"token": w, "probability": p} for w, p in pred.candidates])
            column.markdown(t("bert.mlm_position", n=pred.position))
            chart = charts.probability_chart(frame, t("bert.probability"))
            name = page.key(f"mlm_position_{pred.position}")
            render_chart(chart, name, t("notice.mlm"), where=column, width="stretch")
    _render_corruption(page, tok, text)


def _render_corruption(page: PageInput, tok, text: str) -> None:
    st.subheader(t("bert.corrupt_title"))
    left, right = st.columns(2)
    seed = left.number_input(t("bert.seed"), 0, 10_000, 0, key=page.key("corrupt_seed"))
    rate = right.slider(t("bert.rate"), 0.05, 0.5, 0.15, 0.05, key=page.key("corrupt_rate"))
    try:
        masked = masking.corrupt_text(tok, text, torch.Generator().manual_seed(int(seed)), 512, rate)
    except ValueError:
        st.info(t("roberta.masking_need"))
        return
    result, special = masked.corruption, masked.special
    rows = [
        {
            t("bert.col_original"): o,
            t("bert.col_input"): n,
            t("bert.col_action"): t(f"bert.action_{a or 'none'}"),
        }
        for o, n, a in zip(
            tok.convert_ids_to_tokens(list(masked.ids)),
            tok.convert_ids_to_tokens(list(result.input_ids)),
            result.action,
            strict=True,
        )
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch", height=min(400, 36 + 35 * len(rows)))
    st.caption(t("bert.corrupt_counts", chosen=result.chosen, n=sum(not s for s in special)))


def render_nsp(page: PageInput) -> None:
    """P(IsNext) for a pair from the NSP head, and how pre-training pairs are built from a document."""
    st.markdown(t("bert.nsp_intro"))
    loaded = models.loaded(page.family, "pretraining", page.model_id, t("section.nsp"))
    if loaded is None:
        return
    logits = registry.family(page.family).order_logits
    try:
        prob = pretraining.is_next_probability(
            loaded.model, loaded.tokenizer, page.text, page.pair or "", logits
        )
    except ValueError:
        st.info(t("bert.nsp_need"))
        return
    st.metric(t("bert.nsp_prob"), f"{prob:.1%}")
    st.subheader(t("bert.pairs_title"))
    document = render_pair_document(page, "nsp")
    try:
        generator = torch.Generator().manual_seed(document.seed)
        pairs = pretraining.nsp_pairs(document.sentences, document.other, generator)
    except ValueError:
        st.info(t("bert.pairs_need"))
        return
    rows = [
        {
            "A": p.first,
            "B": p.second,
            t("bert.col_label"): t("bert.is_next" if p.is_next else "bert.not_next"),
            t("bert.nsp_prob"): round(
                pretraining.is_next_probability(loaded.model, loaded.tokenizer, p.first, p.second, logits), 3
            ),
        }
        for p in pairs
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
