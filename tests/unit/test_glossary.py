"""Every Korean text uses the textbook's terms from assets/glossary.toml, never a variant it rules out."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
HANGUL = re.compile("[가-힣]")


def _glossary() -> list[dict]:
    with open(ASSETS / "glossary.toml", "rb") as handle:
        return tomllib.load(handle)["term"]


def _strings(table: dict, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted key, text) for every string in a TOML table, nested tables and lists included."""
    found: list[tuple[str, str]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            found += _strings(value, f"{name}.")
        elif isinstance(value, list):
            found += [(f"{name}[{i}]", item) for i, item in enumerate(value) if isinstance(item, str)]
        elif isinstance(value, str):
            found.append((name, value))
    return found


def _korean_texts() -> list[tuple[str, str, str]]:
    """(file, key, text): every Korean page text, the example inputs written in Korean, and the
    tour's Korean notes."""
    texts = []
    for path in sorted((ASSETS / "i18n" / "ko").glob("*.toml")):
        with open(path, "rb") as handle:
            texts += [(path.name, key, text) for key, text in _strings(tomllib.load(handle))]
    with open(ASSETS / "examples.toml", "rb") as handle:
        examples = _strings(tomllib.load(handle))
    texts += [("examples.toml", key, text) for key, text in examples if HANGUL.search(text)]
    with open(ASSETS / "tour.toml", "rb") as handle:  # the presenter's notes, per stop
        stops = tomllib.load(handle)["stop"]
    texts += [
        ("tour.toml", f"stop[{i}].{key}", text)
        for i, stop in enumerate(stops)
        for key, text in _strings(stop["ko"])
    ]
    return texts


def _rules(term: dict) -> list[tuple[str, re.Pattern]]:
    """(variant as written in the glossary, compiled matcher) for each variant a term rules out."""
    plain = [(variant, re.compile(re.escape(variant))) for variant in term.get("forbidden", [])]
    return plain + [(pattern, re.compile(pattern)) for pattern in term.get("patterns", [])]


def _violations(text: str) -> list[str]:
    found = []
    for term in _glossary():
        for variant, matcher in _rules(term):
            hit = matcher.search(text)
            if hit:
                context = text[max(0, hit.start() - 8) : hit.end() + 8]
                found.append(f"{hit.group()!r} in {context!r} (rule {variant!r}): use {term['term']}")
    return found


def test_every_term_is_complete_and_allows_itself():
    terms = _glossary()
    assert len(terms) >= 14
    for term in terms:
        assert {"term", "english", "note"} <= set(term), term
        assert _rules(term), f"{term['term']} rules out no variant"
        assert not any(matcher.search(term["term"]) for _, matcher in _rules(term)), term["term"]


@pytest.mark.parametrize(
    ("text", "ruled_out"),
    [
        ("12층 구조", True),
        ("층마다 입력", True),
        ("각 층의 헤드", True),
        ("{layer}층, 헤드", True),
        ("(층 간 공유)", True),
        ("계층적 구조", False),
        ("고층 건물", False),
        ("레이어 12개", False),
    ],
)
def test_layer_rule_matches_whole_words_only(text, ruled_out):
    assert bool(_violations(text)) == ruled_out, _violations(text)


@pytest.mark.parametrize(
    ("text", "ruled_out"),
    [
        ("BERT의 지도는 꽉 차 있고", True),
        ("어텐션 지도", True),
        ("순위를 어떻게 매기는지도 배웁니다", False),
        ("지도 학습과 비지도 학습", False),
        ("슬라이딩 윈도", True),
        ("슬라이딩 윈도우", False),
        ("랜덤 가중치와 랜덤 토큰", False),
        ("무작위 가중치", True),
        ("무작위 블록 3개", True),
        ("임의의 토큰으로", True),
        ("{step}단계에서 멈췄습니다", True),
        ("초당 {rate:.2f}단계", True),
        ("단계별 어텐션, 5단계의 가중치, 한 단계씩", False),
        ("모든 토큰에 주의를 기울입니다", True),
        ("(행이 열에 주의)", True),
        ("무엇에 주의하는지로", True),
        ("주의하세요", False),
        ("T = {temperature:g}로 부드럽게", False),
        ("temperature를 올리면", True),
        ("모델의 softmax는", True),
        ("`local` 레이어", False),
        ("local 레이어", True),
        ("cpu에서 실행되며", True),
        ("{cpu}에서, CPU와 GPU", False),
        ("파라미터 110M", True),
        ("어휘 64K", True),
        ("파일 5 MB, 80GB, 파라미터 1억 1천만", False),
        ("생성기와 판별기", True),
        ("은닉 크기 H", True),
        ("히든 사이즈 H와 임베딩 사이즈 E", False),
        ("같은 계산량에서", True),
        ("정확히 일치(EM)", True),
        ("리포머(Reformer)와 ReformerLayer", False),
        ("Reformer는", True),
    ],
)
def test_other_rules_leave_ordinary_words_alone(text, ruled_out):
    assert bool(_violations(text)) == ruled_out, _violations(text)


def test_korean_texts_use_only_glossary_terms():
    texts = _korean_texts()
    assert len(texts) > 300, "the Korean texts were not found"
    problems = [f"{file} {key}: {v}" for file, key, text in texts for v in _violations(text)]
    assert not problems, f"{len(problems)} non-glossary variant(s):\n" + "\n".join(problems)
