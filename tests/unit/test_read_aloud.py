"""Numbers in Korean text as a presenter reads them: groups of four digits, 만 and 억."""

import pytest

from explorer import i18n
from explorer.read_aloud import korean_number


@pytest.mark.parametrize(
    "value,written",
    [
        (12_000_000, "1,200만"),
        (64_000, "6만 4천"),
        (1_048_576, "104만 8,576"),
        (4_096, "4,096"),
        (10_000, "1만"),
        (87_599, "8만 7,599"),
        (110_000_000, "1억 1천만"),
        (-20_000, "-2만"),
        (0.5, "0.5"),
    ],
)
def test_numbers_are_written_as_read_aloud(value, written):
    assert korean_number(value) == written


def test_a_template_asks_for_it_with_the_format_spec():
    assert i18n._FORMATTER.format("{n:만}개", n=1_048_576) == "104만 8,576개"


def test_english_templates_round_a_count_to_millions_as_papers_do():
    assert i18n._FORMATTER.format("{n:M}", n=110_000_000) == "110M"
    assert i18n._FORMATTER.format("{n:M}", n=1_300_000) == "1.3M"
