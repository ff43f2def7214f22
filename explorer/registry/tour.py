"""The presenter's tour: the chapter's stops in order, read from assets/tour.toml."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field

from explorer.offline import ASSETS

TOUR_FILE = ASSETS / "tour.toml"
NOTE_PARTS = ("title", "book", "here", "ask", "why")  # what every stop says, in each language


@dataclass(frozen=True)
class TourStop:
    """One stop: the page and tab it opens, the widgets it presets, and its texts per language."""

    number: int  # 1-based position in the chapter; the URL's ?stop=
    page: str  # a page key of explorer/ui/layout.PAGES
    tab: str | None  # a section of that family page (pages.FAMILY_PAGES), None for other pages
    figure: int | None  # the textbook's figure number, where it is known
    texts: dict[str, dict[str, str]]  # language -> NOTE_PARTS -> text
    presets: dict[str, object] = field(default_factory=dict)  # widget key -> value set on arrival
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> the ask's choices
    answer: int = 0  # the right choice, 0-based ("why" explains it)

    def text(self, lang: str, part: str) -> str:
        return self.texts[lang][part]


@functools.cache
def tour_stops() -> tuple[TourStop, ...]:
    """Every stop of the tour in the chapter's order (the file is read once per process)."""
    with open(TOUR_FILE, "rb") as handle:
        raw = tomllib.load(handle)["stop"]
    return tuple(
        TourStop(
            number=number,
            page=stop["page"],
            tab=stop.get("tab"),
            figure=stop.get("figure"),
            texts={lang: {k: v for k, v in stop[lang].items() if k != "choices"} for lang in ("ko", "en")},
            presets=dict(stop.get("presets", {})),
            choices={lang: tuple(stop[lang]["choices"]) for lang in ("ko", "en")},
            answer=stop["answer"] - 1,
        )
        for number, stop in enumerate(raw, start=1)
    )
