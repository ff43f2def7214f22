"""What the top of a family page collected, in its own module: the page (family.py) and every section
(sections.py and the *_views / *_sections modules) import it, so neither imports the other for it; and
the document box that the sentence-pair sections (NSP, SOP) draw from it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explorer.mechanics import pretraining
from explorer.ui import inputs, projector
from explorer.ui.lang import t


@dataclass(frozen=True)
class PageInput:
    """What the top of a family page collected: every section of the page renders from this."""

    page: str  # FAMILY_PAGES key
    family: str  # FAMILIES key of the page's model
    model_id: str  # hub id or folder typed in the model field
    text: str  # the sentence (sentence A on pair pages)
    pair: str | None = None  # sentence B, when the page asks for one and it is not empty

    def key(self, name: str) -> str:
        """A widget key unique to this page, so two pages' sections never share a widget's state."""
        return f"{self.page}_{name}"

    def example(self, name: str) -> str:
        """An example input for this page (assets/examples.toml), falling back to BERT's."""
        return inputs.example(self.page, name)


@dataclass(frozen=True)
class PairDocument:
    """What a sentence-pair section draws its pairs from: a typed document's sentences (bounded:
    pretraining.document_sentences), another document's for NSP's random B, and the draw's seed."""

    sentences: list[str]
    other: list[str]
    seed: int


def render_pair_document(page: PageInput, name: str) -> PairDocument:
    """The document box and seed of a pair section (`name`: its keys' prefix), folded with the page's
    inputs in the tour (the pairs come first), and the sentences both NSP and SOP build from."""
    with projector.notes():
        document = st.text_area(
            t("bert.pairs_doc"), page.example("document"), key=page.key(f"{name}_doc"), height=140
        )
        seed = int(st.number_input(t("bert.seed"), 0, 10_000, 0, key=page.key(f"{name}_seed")))
    sentences = pretraining.document_sentences(document)
    other = [s for s in pretraining.split_sentences(page.example("other_document")) if s not in sentences]
    return PairDocument(sentences, other, seed)
