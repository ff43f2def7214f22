"""The tour's stops (assets/tour.toml) name pages, tabs and widgets that exist, in both languages."""

from explorer import registry
from explorer.ui.layout import PAGES

STOPS = registry.tour_stops()
HANGUL = range(0xAC00, 0xD7A4)


def test_the_tour_has_the_chapters_27_stops_numbered_in_order():
    assert len(STOPS) == 27
    assert [s.number for s in STOPS] == list(range(1, 28))


def test_a_numbered_figure_is_the_stop_of_the_same_number():
    """The stops are the figures in the book's order, so figure N is stop N where N is known."""
    numbered = [s for s in STOPS if s.figure is not None]
    assert {s.figure for s in numbered} >= {1, 2, 5, 15, 17, 20, 21, 22, 23}  # those issue #21 names
    assert all(s.figure == s.number for s in numbered)


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


def test_every_stop_says_all_four_parts_in_both_languages():
    for stop in STOPS:
        for lang in ("ko", "en"):
            for part in registry.tour.NOTE_PARTS:
                assert stop.text(lang, part).strip(), (stop.number, lang, part)
        assert any(ord(ch) in HANGUL for ch in stop.text("ko", "title") + stop.text("ko", "book"))


def test_figure_two_presets_the_books_sentence():
    assert STOPS[1].presets["bert_a"] == "There is my school and I love this place"
    assert STOPS[1].tab == "input"


def test_every_stops_question_has_two_to_four_choices_and_a_right_one_in_both_languages():
    for stop in STOPS:
        ko, en = stop.choices["ko"], stop.choices["en"]
        assert 2 <= len(ko) == len(en) <= 4, stop.number
        assert 0 <= stop.answer < len(ko), stop.number
        assert all(choice.strip() for choice in ko + en), stop.number
        assert len(set(ko)) == len(ko) and len(set(en)) == len(en), stop.number
        assert any(ord(ch) in HANGUL for ch in stop.text("ko", "why")), stop.number
    assert len({stop.answer for stop in STOPS}) > 1  # the right answer is not always in one place
