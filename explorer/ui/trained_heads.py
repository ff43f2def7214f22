"""Says, where BERT's MLM or NSP head runs offline, that it is a head trained for this app on MiniLM,
with its held-out scores beside the baseline it has to beat."""

from __future__ import annotations

import streamlit as st

from explorer import trained_heads
from explorer.ui.lang import t


@st.cache_data(show_spinner=False)
def _scores() -> trained_heads.Scores | None:
    return trained_heads.read_scores()


def render_note(label: str) -> None:
    """One box: what runs (MiniLM + heads trained here, not BERT's own) and how well, held out."""
    scores = _scores()
    if scores is None:
        st.info(t("heads.note_unscored", label=label))
        return
    st.info(
        t(
            "heads.note",
            label=label,
            top1=scores.top1,
            top5=scores.top5,
            unigram=scores.unigram_top5,
            nsp=scores.nsp_accuracy,
            masked=scores.masked,
            pairs=scores.pairs,
        )
    )
