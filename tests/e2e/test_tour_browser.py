"""The presenter's tour in a real browser at a projector's 1280 x 720.

One Korean walk with the Next button from stop 1, and one English pass opening every stop's link on a
fresh session (a new tab: a new Streamlit session). At every stop: the book's figure number and title
(assets/chapter/figures.toml), the stop's page and tab, a chart, table or dataframe on arrival whose
top is inside the first screen (an info box or a button alone is not a figure), no exception and no
error box. A stop still measuring in the background passes only with a chart of what is kept so far.
"""

import re
import time
import tomllib

import pytest
from playwright.sync_api import expect

from explorer import registry
from explorer.families.bigbird import sparse
from explorer.families.distilbert import compare, speed
from explorer.families.reformer import chunked_ff, reversible
from explorer.i18n import translate
from explorer.measure import defaults, kept
from explorer.mechanics import cost
from explorer.training import race_measure
from explorer.training.rtd_race import RaceConfig
from tests.e2e.conftest import IDLE_S, ROOT, local_context, running_app

pytestmark = pytest.mark.e2e
STOPS = registry.tour_stops()
SCREEN = {"width": 1280, "height": 720}
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
# What counts as the stop's figure: a chart (Vega-Lite, an image such as bertviz's or a plot, a graph,
# an embedded view), a table, or the tokenizers' coloured pieces (tokenization's own figure).
DRAWN = ("stVegaLiteChart", "stDataFrame", "stTable", "stImage", "stGraphVizChart", "stIFrame")
FIGURES = ", ".join([*(f"[data-testid='{name}']" for name in DRAWN), ".tfe-chips"])
SESSIONS_AT_ONCE = 4  # fresh sessions opened together: the server computes one while the next loads
# The top of the first figure that is drawn (not folded away), in page coordinates; null when none.
FIRST_TOP = """(selector) => {
  const tops = [...document.querySelectorAll(selector)]
    .map((e) => e.getBoundingClientRect())
    .filter((r) => r.height > 0 && r.width > 0)
    .map((r) => r.top + window.scrollY);
  return tops.length ? Math.min(...tops) : null;
}"""
SCRIPT_STATE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"


def _book_figures() -> dict[int, dict]:
    with open(ROOT / "assets" / "chapter" / "figures.toml", "rb") as handle:
        return {f["n"]: f for f in tomllib.load(handle)["figure"]}


BOOK = _book_figures()


# The lines each default sweep draws (explorer/measure/defaults.py), for the kept results the server's
# warm-up leaves behind: a tour server measures them at its start, once per device (minutes here).
SWEEP_LINES = {
    "compare_steps": compare.LINES,
    "bigbird": sparse.LINES,
    "reformer_memory": reversible.ATTENTIONS,
    "reversible": reversible.RESIDUALS,
    "reformer_ff": chunked_ff.LINES,
    "distil": speed.LINES,
}


def _kept_sweep(what: str, settings: tuple) -> cost.Sweep:
    """A finished sweep of one default's lines over its lengths (or depths) and batches, its time and
    memory growing with x, as the page reads it back from the measurements folder."""
    numbers = [v for v in settings if isinstance(v, int)]
    groups = [v for v in settings if isinstance(v, tuple)]
    if what == "compare_steps":
        batches, xs = (numbers[0],), (numbers[1],)
    elif what == "distil":
        batches, xs = groups
    else:
        batches, xs = (1,), groups[0] if groups else tuple(numbers)
    points = tuple(
        cost.Point(line, x, batch, 0.01 * (k + 1) * x / 64, (k + 1) * x * 1_000_000)
        for batch in batches
        for x in xs
        for k, line in enumerate(SWEEP_LINES[what])
    )
    return cost.Sweep(kept.this_device(), points)


@pytest.fixture(scope="module")
def tour_url(tmp_path_factory):
    """An app whose default long measurements are already kept, as after `make run`'s warm-up: the
    tour's measured stops (figures 15, 17, 19, 20) show them on arrival. How they are measured and kept
    is tested in tests/unit/test_kept_measurements.py and tests/app/test_cost_pages.py."""
    folder = tmp_path_factory.mktemp("measurements")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPLORER_MEASUREMENTS", str(folder))
        for default in defaults.every():
            if default.kind is None:
                result = _kept_sweep(default.what, default.settings)
            else:  # ELECTRA's race: a real one, 6 steps of its default models instead of 200
                result = race_measure.RaceMeasure(default.settings[0], RaceConfig(steps=6))(lambda *_: None)
            kept.save(default.what, default.where(), default.settings, result)
        with running_app(
            tmp_path_factory.mktemp("tour") / "streamlit.log", EXPLORER_MEASUREMENTS=str(folder)
        ) as url:
            yield url


def settled(page, quiet_polls: int = 3) -> None:
    """Wait until the app's script has not been running for a few polls in a row (the app's own
    data-test-script-state: Streamlit's status widget is not drawn in this layout)."""
    deadline, quiet = time.monotonic() + IDLE_S, 0
    while quiet < quiet_polls:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url} was still running its script after {IDLE_S} s")
        page.wait_for_timeout(400)
        quiet = quiet + 1 if page.evaluate(SCRIPT_STATE) == "notRunning" else 0


def first_figure_top(page, seconds: float = 5, steady_polls: int = 4) -> float | None:
    """The top of the first drawn figure once the layout holds still (the same top for a few polls in
    a row: a Vega chart or a grid has no height until its renderer has run, so a figure further down
    can be the first one measured); None if none was drawn within `seconds`."""
    deadline, last, same = time.monotonic() + seconds, None, 0
    while True:
        top = page.evaluate(FIRST_TOP, FIGURES)
        same = same + 1 if top is not None and top == last else 0
        if same >= steady_polls - 1 or (time.monotonic() > deadline and (top is None or same > 0)):
            return top
        if time.monotonic() > deadline + seconds:  # a layout that never holds still: its latest top
            return top
        last = top
        page.wait_for_timeout(300)


def check_stop(page, stop: registry.TourStop, lang: str) -> list[str]:
    """What is wrong at this stop, as a person at the projector would see it (empty when nothing)."""
    title = stop.text(lang, "title")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"stop={stop.number}(&|$)"))
    settled(page)
    problems = []
    place = page.locator(".st-key-tour_head [data-testid='stCaptionContainer']").inner_text()
    if stop.figure is not None:
        book = BOOK[stop.figure]
        if title != book[lang] or translate(lang, "tour.figure", n=stop.figure) not in place:
            problems.append(f"figure {stop.figure} is not the book's: {title!r}, {place!r}")
    if stop.tab is not None and translate(lang, f"section.{stop.tab}") not in place:
        problems.append(f"not at its tab {stop.tab}: {place!r}")
    top = first_figure_top(page)
    if top is None:  # a rerun queued behind the first (four sessions start at once on two cores)
        settled(page)
        top = first_figure_top(page, seconds=15)
    if top is None:
        problems.append("no chart, table or dataframe on arrival")
    elif top >= SCREEN["height"]:
        problems.append(f"its first figure starts at y = {top:.0f}, below the first screen")
    errors = page.locator(ERRORS)
    if errors.count():
        problems.append(f"an error: {errors.first.inner_text()[:200]}")
    return [f"stop {stop.number} ({lang}, {stop.page}/{stop.tab}): {p}" for p in problems]


def test_the_tour_walked_with_next_in_korean_shows_each_figure_on_the_first_screen(browser, tour_url):
    problems: list[str] = []
    with local_context(browser, viewport=SCREEN, locale="ko-KR") as context:
        page = context.new_page()
        page.goto(f"{tour_url}/tour?lang=ko")
        next_button = page.get_by_role("button", name=translate("ko", "tour.next"))
        for stop in STOPS:
            if stop.number == 2:  # the → key once, with the focus on the page, not in a text box
                page.get_by_role("heading", name=STOPS[0].text("ko", "title"), exact=True).click()
                page.keyboard.press("ArrowRight")
            elif stop.number > 2:
                next_button.click()
            problems += check_stop(page, stop, "ko")
        expect(next_button).to_be_disabled()
        page.keyboard.press("ArrowLeft")
        expect(page.get_by_role("heading", name=STOPS[-2].text("ko", "title"), exact=True)).to_be_visible()
    assert not problems, "\n".join(problems)


def test_every_stops_link_opens_it_in_english_on_a_fresh_session(browser, tour_url):
    problems: list[str] = []
    with local_context(browser, viewport=SCREEN, locale="en-US") as context:
        for first in range(0, len(STOPS), SESSIONS_AT_ONCE):
            opened = []
            for stop in STOPS[first : first + SESSIONS_AT_ONCE]:
                page = context.new_page()  # a new tab is a new session
                page.goto(f"{tour_url}/tour?stop={stop.number}&lang=en", wait_until="commit")
                opened.append((page, stop))
            for page, stop in opened:
                page.bring_to_front()
                problems += check_stop(page, stop, "en")
                page.close()
    assert not problems, "\n".join(problems)


def test_an_arrow_key_in_a_text_box_moves_the_cursor_not_the_tour(browser, tour_url):
    with local_context(browser, viewport=SCREEN) as context:
        page = context.new_page()
        stop = next(s for s in STOPS if s.presets.get("bert_a"))
        page.goto(f"{tour_url}/tour?lang=en&stop={stop.number}")
        page.get_by_text(translate("en", "family.inputs"), exact=True).click()  # the folded inputs
        box = page.get_by_label("Sentence A", exact=True)
        expect(box).to_have_value(stop.presets["bert_a"])
        box.click()
        box.press("ArrowRight")
        box.press("ArrowLeft")
        page.wait_for_timeout(1500)
        expect(page).to_have_url(re.compile(rf"stop={stop.number}(&|$)"))
