"""RoBERTa's sections: static vs dynamic masking, the four input formats, byte-level BPE vs WordPiece,
and the recipe changes from BERT."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from explorer import registry
from explorer.families.roberta import packing
from explorer.mechanics import masking
from explorer.offline import CORPUS_DIR
from explorer.tokens.tokenize import display_piece, max_length, tokenize
from explorer.ui import export, lang, models, projector
from explorer.ui.lang import t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.ui.tokenization import tokens
from explorer.views import pretraining_charts

GRID_TOKENS = 48  # columns of the epochs x tokens grid: enough for a sentence, narrow enough to read


def _schedules(page: PageInput, tok, epochs: int, copies: int, seed: int):
    ids, special = masking.maskable(tok, page.text, GRID_TOKENS)
    made = {}
    for mode, k in (("static", copies), ("dynamic", None)):
        generator = torch.Generator().manual_seed(seed)
        made[mode] = masking.mask_schedule(ids, special, tok.mask_token_id, len(tok), epochs, generator, k)
    return ids, special, made


def render_masking(page: PageInput) -> None:
    """The same sentence over N epochs: K fixed masks reused in turn, or a new mask every epoch."""
    st.markdown(t("roberta.masking_intro"))
    tok = models.tokenizer_for(page.family, page.model_id, t("section.masking"))
    cols = st.columns(4)
    epochs = cols[0].number_input(t("roberta.epochs"), 1, masking.MAX_EPOCHS, 40, key=page.key("epochs"))
    copies = cols[1].number_input(t("roberta.copies"), 1, masking.MAX_EPOCHS, 10, key=page.key("copies"))
    seed = cols[2].number_input(t("bert.seed"), 0, 10_000, 0, key=page.key("mask_seed"))
    mode = (
        cols[3].segmented_control(
            t("roberta.mode"),
            ["static", "dynamic"],
            default="static",
            format_func=lambda m: t(f"roberta.{m}"),
            key=page.key("mask_mode"),
        )
        or "static"
    )
    if copies > epochs:
        st.warning(t("roberta.copies_over", copies=copies, epochs=epochs))
        copies = epochs
    ids, special, made = _schedules(page, tok, int(epochs), int(copies), int(seed))
    if all(special):
        st.info(t("roberta.masking_need"))
        return
    shown = made[mode]
    labels = [display_piece(tok, p) for p in tok.convert_ids_to_tokens(ids)]
    rows = [
        {"epoch": e + 1, "position": i, "token": labels[i], "action": c.action[i] or "none"}
        for e, c in enumerate(shown.corruptions)
        for i in range(len(ids))
    ]
    legend = {a: t(f"roberta.action_{a}") for a in pretraining_charts.ACTIONS}
    chart = pretraining_charts.mask_grid_chart(
        pd.DataFrame(rows), t("roberta.token_axis"), t("roberta.epoch_axis"), legend
    )
    export.render_chart(chart, page.key("mask_grid"), t("roberta.notice_grid"), width="content")
    st.caption(
        t(
            "roberta.masking_summary",
            static=made["static"].distinct_masks,
            dynamic=made["dynamic"].distinct_masks,
            epochs=int(epochs),
            copies=int(copies),
        )
    )
    per_token = [
        {"token": f"{i} {labels[i]}", "mode": t(f"roberta.{m}"), "masks": int(n)}
        for m, schedule in made.items()
        for i, n in enumerate(schedule.distinct_per_token())
        if not special[i]
    ]
    st.markdown(f"**{t('roberta.distinct_title')}**")
    chart = pretraining_charts.grouped_bar_chart(
        pd.DataFrame(per_token), "token", "masks", "mode", t("roberta.token_axis"), t("roberta.distinct_axis")
    )
    export.render_chart(chart, page.key("distinct_masks"), t("roberta.notice_distinct"), width="content")


def _documents_example() -> str:
    path = CORPUS_DIR / "documents" / f"{lang.current()}.txt"
    return path.read_text(encoding="utf-8")


def render_formats(page: PageInput) -> None:
    """A real multi-document corpus packed four ways, drawn with document and segment boundaries."""
    st.markdown(t("roberta.formats_intro"))
    tok = models.tokenizer_for(page.family, page.model_id, t("section.formats"))
    with projector.notes():  # in the tour, folded with the page's inputs: the format and its packing first
        text = st.text_area(t("roberta.corpus"), _documents_example(), height=180, key=page.key("corpus"))
        cols = st.columns(2)
        limit = cols[0].select_slider(t("roberta.limit"), [32, 64, 128, 256, 512], 128, key=page.key("limit"))
        seed = cols[1].number_input(t("bert.seed"), 0, 10_000, 0, key=page.key("fmt_seed"))
    fmt = st.radio(
        t("roberta.format"),
        packing.FORMATS,
        format_func=lambda f: t(f"roberta.fmt_{f}"),
        horizontal=True,
        key=page.key("fmt"),
    )
    documents = packing.split_documents(text[:50_000])
    if len(text) > 50_000:
        st.caption(t("roberta.corpus_cut", n=len(text)))
    try:
        packed = packing.pack(
            packing.sentence_lengths(tok, documents), fmt, limit, torch.Generator().manual_seed(int(seed))
        )
    except ValueError as err:
        st.info(t("roberta.formats_need", error=err))
        return
    rows = [
        {
            "input": i + 1,
            "start": s.start,
            "end": s.start + s.length,
            "document": s.document + 1,
            "sentence": s.sentence + 1,
            "segment": "AB"[s.segment],
            "cut": s.cut,
        }
        for i, item in enumerate(packed[:60])
        for s in item.spans
    ]
    chart = pretraining_charts.packing_chart(
        pd.DataFrame(rows),
        limit,
        t("roberta.tokens_axis"),
        t("roberta.input_axis"),
        {column: t(f"roberta.packing_{column}") for column in pretraining_charts.PACKING_COLUMNS},
    )
    export.render_chart(chart, page.key("packing"), t("roberta.notice_packing"), width="stretch")
    used = sum(p.length for p in packed) / (len(packed) * limit)
    crossing = sum(len({s.document for s in p.spans}) > 1 for p in packed)
    st.caption(
        t("roberta.formats_summary", docs=len(documents), inputs=len(packed), used=used, crossing=crossing)
    )
    if packed[0].is_next is not None:
        st.caption(t("roberta.nsp_labels", positive=sum(bool(p.is_next) for p in packed), n=len(packed)))
    st.info(t(f"roberta.finding_{fmt}"))


def render_bpe(page: PageInput) -> None:
    """The page's text through RoBERTa's byte-level BPE and BERT's WordPiece, side by side."""
    st.markdown(t("roberta.bpe_intro"))
    for column, family in zip(st.columns(2), (page.family, "bert"), strict=True):
        with column:
            name = registry.family(family).name
            model_id = page.model_id if family == page.family else registry.family(family).hub_id
            tok = models.tokenizer_for(family, model_id, f"{t('section.bpe')}: {name}")
            result = tokenize(tok, page.text, max_length(tok, registry.family(family).max_positions))
            tokens.render_tokenization(name, tok, result, table=False)
    st.caption(t("roberta.bpe_marker"))


def render_recipe(page: PageInput) -> None:
    """What RoBERTa changed in BERT's recipe, as the paper reports it."""
    st.markdown(t("roberta.recipe_intro"))
    rows = [
        {
            t("roberta.col_what"): t(f"roberta.recipe_{k}"),
            "BERT": t(f"roberta.bert_{k}"),
            "RoBERTa": t(f"roberta.roberta_{k}"),
        }
        for k in ("data", "batch", "steps", "length", "masking", "nsp", "vocab", "optimizer")
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("roberta.recipe_source"))
