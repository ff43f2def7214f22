"""The tour follows the book: one stop per figure of assets/chapter/figures.toml, in its order, titled
as the book titles it; the chapter's sections and the extra stops marked; every stop names pages,
tabs and widgets that exist, in both languages."""

import tomllib

import pytest

from explorer import registry
from explorer.registry import tour
from explorer.registry.tasks import SHARED_DATA
from explorer.ui.layout import PAGES

STOPS = registry.tour_stops()
FIGURES = tour.chapter_figures()
NUMBERED = [s for s in STOPS if s.figure is not None]
HANGUL = range(0xAC00, 0xD7A4)
SHARED_FIGURES = SHARED_DATA / "chapter" / "figures.toml"


def test_the_shipped_figure_list_is_the_chapters():
    if not SHARED_FIGURES.exists():
        pytest.skip(f"{SHARED_FIGURES} is not here (the app runs from its copy)")
    assert tour.FIGURES_FILE.read_bytes() == SHARED_FIGURES.read_bytes()


def test_the_book_has_27_figures_numbered_in_order():
    with open(tour.FIGURES_FILE, "rb") as handle:
        numbers = [f["n"] for f in tomllib.load(handle)["figure"]]
    assert numbers == list(range(1, 28))
    assert list(FIGURES) == numbers


def test_every_figure_is_one_stop_in_the_books_order():
    assert [s.figure for s in NUMBERED] == list(range(1, 28))
    assert [s.number for s in STOPS] == list(range(1, len(STOPS) + 1))


def test_a_figure_stop_is_titled_as_the_book_titles_it():
    for stop in NUMBERED:
        for lang in ("ko", "en"):
            assert stop.text(lang, "title") == FIGURES[stop.figure].titles[lang], (stop.number, lang)
        assert stop.kind == "figure"
        assert stop.badge("ko") == f"그림 {stop.figure}" and stop.badge("en") == f"Figure {stop.figure}"


def test_a_figure_stop_writes_no_title_of_its_own():
    with open(tour.TOUR_FILE, "rb") as handle:
        raw = tomllib.load(handle)["stop"]
    for number, stop in enumerate(raw, start=1):
        if "figure" in stop:
            assert "title" not in stop["ko"] and "title" not in stop["en"], number


def test_cola_and_squad_come_right_after_figure_five():
    five = next(s.number for s in STOPS if s.figure == 5)
    assert [STOPS[five].page, STOPS[five + 1].page] == ["cola", "squad"]
    assert STOPS[five].kind == STOPS[five + 1].kind == "section"


def test_every_stop_that_is_not_a_figure_is_marked_as_such():
    others = [s for s in STOPS if s.figure is None]
    assert {s.kind for s in others} <= {"section", "extra"}
    assert {s.page for s in others if s.kind == "extra"} >= {"tokenization", "distilbert"}
    for stop in others:
        assert stop.badge("ko") in ("책의 절, 그림 없음", "책의 그림이 아닌 정류장"), stop.number
        assert stop.badge("en") in ("a section of the book, with no figure", "not a figure of the book")


def test_the_tour_ends_on_the_glue_page():
    assert (STOPS[-1].figure, STOPS[-1].page) == (27, "glue")


def test_every_stop_opens_a_page_and_tab_that_exist():
    pages = {spec.key for spec in PAGES}
    for stop in STOPS:
        assert stop.page in pages, stop
        family = registry.FAMILY_PAGES.get(stop.page)
        if family is None:
            assert stop.tab is None, f"stop {stop.number}: {stop.page} has no tabs"
        else:
            assert stop.tab in family.sections, f"stop {stop.number}: no tab {stop.tab} on {stop.page}"


def test_presets_name_widgets_of_the_stops_own_page():
    prefix = {"tokenization": "tok_"}
    for stop in STOPS:
        for key in stop.presets:
            assert key.startswith(prefix.get(stop.page, f"{stop.page}_")), (stop.number, key)


def test_every_stop_says_all_its_parts_in_both_languages():
    for stop in STOPS:
        for lang in ("ko", "en"):
            for part in registry.tour.NOTE_PARTS:
                assert stop.text(lang, part).strip(), (stop.number, lang, part)
        assert any(ord(ch) in HANGUL for ch in stop.text("ko", "title") + stop.text("ko", "book"))


def test_figure_two_presets_the_books_sentence():
    stop = next(s for s in STOPS if s.figure == 2)
    assert stop.presets["bert_a"] == "There is my school and I love this place"
    assert stop.tab == "input"


def test_figures_four_and_five_preset_a_real_second_sentence():
    """Figure 2 empties sentence B; NSP and both losses draw nothing without it, so they set it."""
    for figure in (4, 5):
        stop = next(s for s in STOPS if s.figure == figure)
        assert stop.presets["bert_a"].strip() and stop.presets["bert_b"].strip(), figure


def test_every_stops_question_has_two_to_four_choices_and_a_right_one_in_both_languages():
    for stop in STOPS:
        ko, en = stop.choices["ko"], stop.choices["en"]
        assert 2 <= len(ko) == len(en) <= 4, stop.number
        assert 0 <= stop.answer < len(ko), stop.number
        assert all(choice.strip() for choice in ko + en), stop.number
        assert len(set(ko)) == len(ko) and len(set(en)) == len(en), stop.number
        assert any(ord(ch) in HANGUL for ch in stop.text("ko", "why")), stop.number
    assert len({stop.answer for stop in STOPS}) > 1  # the right answer is not always in one place


def test_a_figure_stop_with_its_own_title_is_refused(tmp_path):
    stop = {
        "figure": 3,
        "page": "bert",
        "answer": 1,
        "ko": {"title": "x", "choices": []},
        "en": {"choices": []},
    }
    with pytest.raises(ValueError, match="figures.toml"):
        tour._stop(1, stop)


def test_a_stop_with_neither_figure_nor_kind_is_refused():
    stop = {"page": "bert", "answer": 1, "ko": {"choices": []}, "en": {"choices": []}}
    with pytest.raises(ValueError, match="kind"):
        tour._stop(1, stop)
