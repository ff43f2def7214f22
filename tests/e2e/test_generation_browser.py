"""Step-by-step generation in a real browser: a new prompt starts a new generation."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_new_prompt_clears_the_steps_of_the_old_one(page, app_url):
    page.goto(f"{app_url}/gpt?lang=en")
    page.get_by_role("tab").first.wait_for()
    page.get_by_role("tab", name="Generation", exact=True).click()
    page.get_by_role("button", name="Next token", exact=True).click()
    expect(page.get_by_text("The last step chose")).to_be_visible()
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill("Once upon a time")
    prompt.press("Enter")
    expect(page.get_by_text("Once upon a time", exact=True)).to_be_visible()
    expect(page.get_by_text("The last step chose")).to_have_count(0)
    page.get_by_role("button", name="Next token", exact=True).click()
    expect(page.get_by_text("The last step chose")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
