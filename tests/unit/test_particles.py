"""Korean particles follow the inserted word's last sound, as read aloud (explorer/particles.py)."""

import pytest

from explorer import i18n, particles

TABLE = [
    ("학교", "은", "학교는"),
    ("모델", "이", "모델이"),
    ("모델", "으로", "모델로"),  # a final ㄹ takes 로
    ("BERT", "은", "BERT는"),  # 버트
    ("GPT", "이", "GPT가"),  # 지피티
    ("12층", "은", "12층은"),
    ("3", "은", "3은"),  # 삼
    ("3", "이", "3이"),
    ("2", "을", "2를"),  # 이
    ("1", "으로", "1로"),  # 일
    ("6", "으로", "6으로"),  # 육
    ("10", "과", "10과"),  # 십
    ("1,000", "이", "1,000이"),  # 천
    ("MLM", "을", "MLM을"),  # 엠엘엠
    ("NSP", "와", "NSP와"),  # 엔에스피
    ("URL", "으로", "URL로"),  # 유알엘
    ("MiniLM", "은", "MiniLM은"),  # 미니엘엠
    ("all-MiniLM-L6-v2", "을", "all-MiniLM-L6-v2를"),
    ("RoBERTa", "과", "RoBERTa와"),
    ("token", "을", "token을"),
    ("XLNet", "이", "XLNet이"),  # 엑스엘넷
    ("사과", "로", "사과로"),
    ("책", "를", "책을"),  # either form of a pair asks for the same particle
    ("'bank'", "은", "'bank'는"),  # quotes after the word are skipped
    ("**다음 문장 예측**", "은", "**다음 문장 예측**은"),
]


@pytest.mark.parametrize(("word", "form", "expected"), TABLE)
def test_particle_follows_the_word_as_read(word: str, form: str, expected: str) -> None:
    assert particles.attach(word, form) == expected


def test_an_unreadable_ending_keeps_both_forms() -> None:
    assert particles.attach("🙂", "은") == "🙂은(는)"


def test_templates_choose_the_particle_and_keep_other_specs() -> None:
    refused = i18n.translate("ko", "model.bad_not_an_id", name="/tmp/data", default="bert-base-uncased")
    assert refused.startswith("/tmp/data는 ") and "bert-base-uncased를 씁니다" in refused
    # a path may end in '/', where no particle can be chosen: its template puts a noun before one
    assert i18n.translate("ko", "paths.outside", path="/tmp/data/").startswith("/tmp/data/ 경로는 ")
    assert i18n.translate("ko", "model.error", name="GPT", error="x").startswith("GPT를 ")
    assert i18n.translate("ko", "tok.truncated", name="BERT", max=512, total=1000).endswith("보여 줍니다.")


def test_no_korean_template_prints_a_fallback_pair() -> None:
    fallbacks = ("은(는)", "이(가)", "을(를)", "과(와)", "(으)로")
    left = [key for key, text in i18n.texts("ko").items() if any(f in text for f in fallbacks)]
    assert not left, left
