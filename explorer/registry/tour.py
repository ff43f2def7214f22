"""The presenter's tour: the chapter's figures in the book's order (assets/chapter/figures.toml), each
a stop of assets/tour.toml, with the chapter's sections and extra stops where its text puts them."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field

from explorer.i18n import translate
from explorer.offline import ASSETS

TOUR_FILE = ASSETS / "tour.toml"
FIGURES_FILE = ASSETS / "chapter" / "figures.toml"  # a copy of ../shared/data/chapter/figures.toml
NOTE_PARTS = ("title", "book", "here", "ask", "why")  # what every stop says, in each language
LANGS = ("ko", "en")
# What a stop is: one of the book's figures, a section of the chapter with no figure of its own
# (CoLA, SQuAD), or a stop the app adds where the chapter's text leads to it (not a figure of the book).
KINDS = ("figure", "section", "extra")


@dataclass(frozen=True)
class Figure:
    """One figure of the chapter: its number, the section it stands in, its Korean title and a translation."""

    number: int
    section: str
    titles: dict[str, str]  # language -> title ("ko" the book's own, "en" a translation)


@dataclass(frozen=True)
class TourStop:
    """One stop: the page and tab it opens, the widgets it presets, and its texts per language."""

    number: int  # 1-based position in the tour; the URL's ?stop=
    page: str  # a page key of explorer/ui/layout.PAGES
    tab: str | None  # a section of that family page (pages.FAMILY_PAGES), None for other pages
    figure: int | None  # the book's figure number; None for a section or an extra stop
    texts: dict[str, dict[str, str]]  # language -> NOTE_PARTS -> text
    presets: dict[str, object] = field(default_factory=dict)  # widget key -> value set on arrival
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> the ask's choices
    answer: int = 0  # the right choice, 0-based ("why" explains it)
    kind: str = "figure"  # one of KINDS

    def text(self, lang: str, part: str) -> str:
        return self.texts[lang][part]

    def badge(self, lang: str) -> str:
        """What the stop is, in a few words: "그림 7" / "Figure 7", or that it is not a figure of the book."""
        if self.figure is not None:
            return translate(lang, "tour.figure", n=self.figure)
        return translate(lang, f"tour.kind_{self.kind}")


@functools.cache
def chapter_figures() -> dict[int, Figure]:
    """The book's figures by number, in its order (the file is read once per process)."""
    with open(FIGURES_FILE, "rb") as handle:
        raw = tomllib.load(handle)["figure"]
    return {
        f["n"]: Figure(number=f["n"], section=f["section"], titles={"ko": f["ko"], "en": f["en"]})
        for f in raw
    }


def _texts(stop: dict, figure: Figure | None) -> dict[str, dict[str, str]]:
    """The stop's notes per language; a figure stop's title is the book's, never written twice."""
    texts = {lang: {k: v for k, v in stop[lang].items() if k != "choices"} for lang in LANGS}
    if figure is None:
        return texts
    if any("title" in texts[lang] for lang in LANGS):
        raise ValueError(f"figure {figure.number}: its title comes from {FIGURES_FILE.name}")
    return {lang: {"title": figure.titles[lang], **texts[lang]} for lang in LANGS}


def _stop(number: int, stop: dict) -> TourStop:
    figure = stop.get("figure")
    kind = "figure" if figure is not None else stop.get("kind")
    if kind not in KINDS or (kind == "figure") != (figure is not None):
        raise ValueError(f"stop {number}: a figure = N, or kind = 'section' / 'extra'")
    return TourStop(
        number=number,
        page=stop["page"],
        tab=stop.get("tab"),
        figure=figure,
        texts=_texts(stop, chapter_figures()[figure] if figure is not None else None),
        presets=dict(stop.get("presets", {})),
        choices={lang: tuple(stop[lang]["choices"]) for lang in LANGS},
        answer=stop["answer"] - 1,
        kind=kind,
    )


@functools.cache
def tour_stops() -> tuple[TourStop, ...]:
    """Every stop of the tour in the chapter's order (the file is read once per process)."""
    with open(TOUR_FILE, "rb") as handle:
        raw = tomllib.load(handle)["stop"]
    return tuple(_stop(number, stop) for number, stop in enumerate(raw, start=1))
