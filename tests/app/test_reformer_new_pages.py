"""Reformer's new tabs under AppTest: angular LSH in 2-D (figures 22-23), the three problems (figure 20)."""

from tests.app import measuring
from tests.app.checks import assert_no_error_box
from tests.app.test_pages import open_page, texts


def test_lsh_2d_draws_the_rounds_and_the_collision_curve():
    at = open_page("reformer", tab="lsh_2d")
    assert_no_error_box(at)
    assert "Angular LSH in 2-D" in [tab.label for tab in at.tabs]
    assert "The nearby pair a, a' shared a bucket in" in texts(at)
    assert "Collision rate vs cosine similarity" in texts(at)
    at.number_input(key="reformer_l2_rounds").set_value(5).run()
    assert_no_error_box(at)
    assert "of 5** round(s)" in texts(at)
    at.selectbox(key="reformer_l2_buckets").set_value(8).run()
    assert_no_error_box(at)
    assert any(b.key == "export_reformer_lsh2d_n8_seed0_png" for b in at.get("download_button"))


def test_three_problems_measure_the_chunked_feed_forward_in_korean():
    at = open_page("reformer", "ko", tab="three_problems")
    assert_no_error_box(at)
    assert "세 가지 문제" in [tab.label for tab in at.tabs]
    assert "청크 64개씩 계산한 출력은 블록 전체를 한꺼번에 계산한 출력과 같습니다" in texts(at)
    at.multiselect(key="reformer_ff_lens").set_value([1024]).run()
    measuring.measure(at, "reformer_p20_ff_run")
    assert_no_error_box(at)
    body = texts(at)
    assert "토큰 64개씩 청크로" in body  # the verdict names the chunked line
    assert "메모리를 가장 적게 씁니다" in body
