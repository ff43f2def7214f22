"""Shared renderers for a tokenization: coloured pieces with ids, and offsets highlighted in the text.

Every piece and every bit of user text is HTML-escaped: text with <script> shows as text.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from explorer import registry
from explorer.registry import TokenizerChoice
from explorer.tokens import token_counts
from explorer.tokens.hangul import hangul_split
from explorer.tokens.text import visible
from explorer.tokens.tokenize import Tokenization, max_length, readable, segments, tokenize
from explorer.ui import getters, layout, models
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.markdown import literal
from explorer.ui.tables import render_table
from explorer.views import charts

N_COLOURS = 6
CSS = """<style>
.tfe-chips{display:flex;flex-wrap:wrap;gap:4px;line-height:1.1;max-height:22rem;overflow-y:auto}
.tfe-chip{display:inline-flex;flex-direction:column;align-items:center;padding:2px 5px;
  border-radius:5px;font-family:ui-monospace,monospace;font-size:.85rem}
.tfe-id{font-size:.68rem;opacity:.75}
.tfe-special{background:#d9d9d9!important;color:#333;font-style:italic}
.tfe-unk{background:#ff8a80!important;outline:2px solid #c62828}
.tfe-text{white-space:pre-wrap;line-height:1.9;font-size:1rem;max-height:16rem;overflow-y:auto}
.tfe-text mark{padding:1px 0;border-radius:3px;color:inherit}
.tfe-c0{background:#ffe08a}.tfe-c1{background:#a7d8ff}.tfe-c2{background:#b9f0b0}
.tfe-c3{background:#ffc2e0}.tfe-c4{background:#d7c6ff}.tfe-c5{background:#ffd1a6}
</style>"""


def _label(piece: str) -> str:
    """A piece as shown on a chip: spaces made visible, invisible characters named."""
    return visible(piece).replace(" ", "␣") or "∅"


def chips_html(tokenizer, result: Tokenization) -> str:
    """One chip per token: the piece as the vocabulary spells it, with its id underneath."""
    chips = []
    for index, token in enumerate(result.tokens):
        kind = " tfe-special" if token.special else (" tfe-unk" if token.unknown else "")
        tip = f"#{index} · {readable(tokenizer, token.piece)!r} · [{token.start}, {token.end})"
        chips.append(
            f'<span class="tfe-chip tfe-c{index % N_COLOURS}{kind}" title="{html.escape(tip)}">'
            f'<span>{html.escape(_label(token.piece))}</span><span class="tfe-id">{token.id}</span></span>'
        )
    return f'<div class="tfe-chips">{"".join(chips)}</div>'


def highlight_html(result: Tokenization) -> str:
    """The text read by the model, each token's span in the colour of its chip."""
    parts = []
    for text, owner in segments(result):
        shown = html.escape(visible(text))
        if owner is None:
            parts.append(shown)
        else:
            token = result.tokens[owner]
            tip = html.escape(f"#{owner} {token.piece} · {token.id}")
            parts.append(f'<mark class="tfe-c{owner % N_COLOURS}" title="{tip}">{shown}</mark>')
    rest = len(result.text) - max((tok.end for tok in result.tokens), default=0)
    tail = f" <i>… (+{rest:,})</i>" if result.truncated and rest > 0 else ""
    return f'<div class="tfe-text">{"".join(parts)}{tail}</div>'


def token_frame(tokenizer, result: Tokenization) -> pd.DataFrame:
    """One row per token: piece, readable text, id, offsets, special."""
    return pd.DataFrame(
        {
            t("tok.col_piece"): result.pieces,
            t("tok.col_text"): [readable(tokenizer, p) for p in result.pieces],
            t("tok.col_id"): result.ids,
            t("tok.col_start"): [tok.start for tok in result.tokens],
            t("tok.col_end"): [tok.end for tok in result.tokens],
            t("tok.col_special"): [tok.special for tok in result.tokens],
        }
    )


def render_tokenization(name: str, tokenizer, result: Tokenization, table: bool = True) -> None:
    """Counts, unknown rate, truncation notice, chips with ids, highlighted offsets, and a table."""
    specials = sum(tok.special for tok in result.tokens)
    st.markdown(t("tok.count", n=len(result.tokens), specials=specials))
    fertility = token_counts.count_text(tokenizer, result).tokens_per_word  # over the whole text
    if fertility is not None:
        st.caption(t("tok.fertility", fertility=fertility))
    if result.n_unknown:
        st.markdown(f":red[{t('tok.unk', n=result.n_unknown, rate=result.unknown_rate)}]")
    if result.truncated:
        st.warning(t("tok.truncated", name=name, max=result.max_tokens, total=result.total_tokens))
    st.html(CSS + chips_html(tokenizer, result))
    st.caption(t("tok.offsets"))
    st.html(CSS + highlight_html(result))
    if table:
        with st.expander(t("tok.table")):
            render_table(token_frame(tokenizer, result), hide_index=True, width="stretch")


def render_tokenizer_column(choice: TokenizerChoice, text: str) -> tuple[object, Tokenization]:
    """One tokenizer: a model field (hub id, suggestion or folder), its source, and its tokenization."""
    family = registry.family(choice.family)
    name = t(f"algo.{choice.algorithm}")
    st.subheader(name)
    typed = st.selectbox(
        t("tok.model_id"),
        [family.hub_id, *choice.alternatives],
        key=f"tok_model_{family.key}",
        accept_new_options=True,
        help=t("tok.model_help", alternatives=", ".join(choice.alternatives)),
    )
    model_id = models.checked_id(family, (typed or "").strip())
    with st.spinner():
        tokenizer, source = getters.get_tokenizer(family.key, model_id, layout.online())
    layout.render_source(name, source)
    st.caption(layout.describe(source))
    if model_id != family.hub_id and source.kind in {"packaged", "shipped", "trained"}:
        st.warning(t("tok.load_error", name=literal(model_id), error=literal(source.reason.split("; ")[-1])))
    result = tokenize(tokenizer, text, max_length(tokenizer, family.max_positions))
    render_tokenization(name, tokenizer, result)
    return tokenizer, result


def render_comparison(columns: dict[str, tuple[object, Tokenization]]) -> None:
    """Token and unknown-token counts of every tokenizer over the whole text, as bars (not over what
    each model reads: BERT's 512 tokens and GPT-2's 1,024 are different texts)."""
    rows = []
    for algorithm, (tokenizer, result) in columns.items():
        name, counts = t(f"algo.{algorithm}"), token_counts.count_text(tokenizer, result)
        rows.append({"tokenizer": name, "kind": t("tok.chart_tokens"), "tokens": counts.tokens})
        rows.append({"tokenizer": name, "kind": t("tok.chart_unknown"), "tokens": counts.unknown})
    st.subheader(t("tok.compare"))
    chart = charts.token_count_chart(pd.DataFrame(rows), t("tok.chart_tokens"), t("tok.chart_tokenizer"))
    render_chart(chart, "token_counts", t("notice.token_counts"), width="stretch")


def render_hangul(columns: dict[str, tuple[object, Tokenization]]) -> None:
    """How each tokenizer covered the Hangul: whole syllables, jamo, partial bytes or unknown."""
    st.subheader(t("korean.title"))
    st.markdown(t("korean.intro"))
    rows = []
    for algorithm, (tokenizer, result) in columns.items():
        split, name = hangul_split(tokenizer, result), t(f"algo.{algorithm}")
        ratio = split.tokens_per_syllable
        st.caption(
            t("korean.per_syllable", name=name, tokens=split.tokens, syllables=split.syllables, ratio=ratio)
        )
        rows += [
            {"tokenizer": name, "kind": t(f"korean.{kind}"), "tokens": count, "order": order}
            for order, (kind, count) in enumerate(split.kinds.items())
        ]
    chart = charts.hangul_chart(pd.DataFrame(rows), t("korean.x"))
    render_chart(chart, "hangul_coverage", t("notice.hangul"), width="stretch")
