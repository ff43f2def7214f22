"""BERT's new tabs under AppTest: attention step by step (Figure 21) and attention vs feed-forward cost."""

from tests.app import measuring
from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, texts


def _downloads(at) -> set[str]:
    return {b.key for b in at.get("download_button")}


def test_attention_steps_draw_every_step_and_match_the_model():
    at = open_page("bert", tab="attention_steps")
    assert_no_error_box(at)
    assert "Attention step by step" in [tab.label for tab in at.tabs]
    assert {
        f"export_bert_steps_{n}_png" for n in ("x", "Q", "K", "V", "scores", "probs", "context")
    } <= _downloads(at)
    assert "Checked against the model's own forward" in texts(at)
    at.slider(key="bert_steps_layer").set_value(5).run()
    at.slider(key="bert_steps_head").set_value(11).run()
    assert_no_error_box(at)
    assert "1. X: the input of layer 5" in texts(at)
    assert "2. Q = XW_q, K = XW_k, V = XW_v for head 11 (384 numbers per token in, 32 out)" in texts(at)


def test_attention_cost_says_where_attention_overtakes_the_feed_forward_in_korean():
    at = open_page("bert", "ko", tab="attention_cost")
    assert_no_error_box(at)
    assert "어텐션이 가장 큰 비용일까?" in [tab.label for tab in at.tabs]
    assert "T² 항만으로 피드포워드를 넘는 것은 **토큰 1,536개**부터" in texts(at)  # MiniLM: f = 1,536


def test_attention_cost_counts_bert_base_and_times_both_blocks():
    at = open_page("bert", tab="attention_cost")
    assert_no_error_box(at)
    assert "its T² terms alone overtake the feed-forward from **1,536 tokens**" in texts(at)
    at.radio(key="bert_cost_model").set_value("base").run()
    assert "alone overtake the feed-forward from **3,072 tokens**" in texts(at)  # BERT-base: f = 3,072
    at.multiselect(key="bert_cost_lengths").set_value([64, 128]).run()
    measuring.measure(at, "bert_cost_time_run")
    assert_no_error_box(at)
    assert "export_bert_cost_timing_png" in _downloads(at)
    assert "Measured on " in texts(at)  # the caption names the device
    ratios = next(d.value for d in at.dataframe if "attention / feed-forward, FLOPs" in d.value.columns)
    # MiniLM (d 384, f 1,536): (8Td^2 + 4T^2d) / 4Tdf = (3,072 + 4T) / 6,144
    assert list(ratios["attention / feed-forward, FLOPs"]) == ["0.54", "0.58"]
