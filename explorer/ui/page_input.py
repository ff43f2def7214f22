"""What the top of a family page collected, in its own module: the page (family.py) and every section
(sections.py and the *_views / *_sections modules) import it, so neither imports the other for it."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.ui import inputs


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
