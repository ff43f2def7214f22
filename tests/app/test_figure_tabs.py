"""The book's figures drawn live as tabs (#30): each opens in both languages with no error box."""

import pytest

from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, texts


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_figure_25_attention_in_chunks(lang):
    at = open_page("reformer", lang, tab="lsh_chunks")
    assert_no_error_box(at)
    label = {"en": "Attention in chunks", "ko": "청크 단위 어텐션"}[lang]
    assert label in [tab.label for tab in at.tabs]
    assert {"en": "largest difference", "ko": "가장 큰 차이"}[lang] in texts(at)
    assert any(b.key.startswith("export_reformer_chunks_H0_n8_seed0") for b in at.get("download_button"))
    at.selectbox(key="reformer_c_buckets").set_value(4).run()
    assert_no_error_box(at)
    assert any(b.key.startswith("export_reformer_chunks_H0_n4_seed0") for b in at.get("download_button"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_figure_26_resnet_and_revnet_drawn_and_a_stack_rebuilt(lang):
    at = open_page("reformer", lang, tab="reversible")
    assert_no_error_box(at)
    assert any(b.key.startswith("export_reformer_revnet_blocks") for b in at.get("download_button"))
    assert {"en": "ResNet and RevNet", "ko": "ResNet과 RevNet의 구조"}[lang] in texts(at)
    table = at.dataframe[0].value
    assert len(table) == 6 and all(float(v) < 1e-5 for v in table.iloc[:, 1])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_three_ways_to_lighten_measured_on_the_loaded_encoder(lang):
    at = open_page("distilbert", lang, tab="light")
    assert_no_error_box(at)
    assert {"en": "Three ways to lighten", "ko": "경량화 세 가지"}[lang] in [tab.label for tab in at.tabs]
    table = at.dataframe[0].value
    assert len(table) == 4  # original, int8, pruned, distilled
    assert float(table.iloc[1, 3]) < 1  # the int8 copy is smaller than the original
    assert any(b.key.startswith("export_distilbert_light_p30") for b in at.get("download_button"))
    assert {"en": "Measured on this server's CPU", "ko": "이 서버의 CPU"}[lang] in texts(at)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_figure_13_sop_pairs_from_one_document_scored_and_labelled_untrained(lang):
    at = open_page("albert", lang, tab="sop")
    assert_no_error_box(at)
    sop, nsp = at.table[0].value, at.table[1].value
    swapped = {"en": "swapped", "ko": "바뀜"}[lang]
    label = {"en": "label", "ko": "레이블"}[lang]
    assert len(sop) >= 2 and set(sop[label]) <= {swapped, {"en": "in order", "ko": "순서대로"}[lang]}
    assert {"en": "untrained head", "ko": "학습 안 된 헤드"}[lang] in sop.columns[-1]  # random offline
    assert {"en": "what chance gives", "ko": "우연 수준"}[lang] in texts(at)
    assert len(nsp) >= 2


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_figure_7_bert_and_gpt_attention_side_by_side(lang):
    at = open_page("gpt", lang, tab="versus")
    assert_no_error_box(at)
    keys = {b.key for b in at.get("download_button")}
    assert {"export_gpt_versus_bert_L0_png", "export_gpt_versus_gpt2_L0_png"} <= keys
