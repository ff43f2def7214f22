"""BERT's structure (figure 1) and both losses (figure 5), and ELECTRA's race against compute (figure 15)."""

import re

from tests.app.checks import assert_no_error_box
from tests.app.test_electra_distil_pages import _run_until
from tests.app.test_pages import open_page, texts


def test_both_losses_add_up_to_the_models_own_loss():
    at = open_page("bert", tab="both_losses")
    assert_no_error_box(at)
    assert at.session_state["bert_tab"] == "both_losses"
    assert "Both losses" in [tab.label for tab in at.tabs]
    found = re.search(
        r"MLM \+ NSP = ([\d.]+) \+ ([\d.]+) = ([\d.]+).*own `loss` output .*: ([\d.]+)", texts(at)
    )
    assert found, "the equation is on the page"
    mlm, nsp, total, own = map(float, found.groups())
    assert abs(mlm + nsp - total) < 2e-4 and abs(total - own) < 1e-4
    assert any(m.label == "NSP loss, −log P(label)" for m in at.metric)
    at.radio(key="bert_losses_label").set_value(False).run()
    assert_no_error_box(at)
    assert "the label is **NotNext" in texts(at)
    at.text_input(key="bert_b").set_value("").run()
    assert_no_error_box(at)
    assert any("Type both sentence A and sentence B" in i.value for i in at.info)


def test_structure_counts_one_body_under_three_heads_in_korean():
    at = open_page("bert", "ko", tab="structure")
    assert_no_error_box(at)
    assert at.session_state["bert_tab"] == "structure"
    assert "구조와 헤드" in [tab.label for tab in at.tabs]
    assert "세 모델의 본체가 같습니다" in texts(at)
    table = next(d.value for d in at.dataframe if "헤드에서 새로 추가" in d.value.columns)
    assert list(table["헤드에서 새로 추가"])[1:] == ["770", "770"]  # 2 x 384 + 2: CoLA, SQuAD on MiniLM
    assert len(set(table["본체"])) == 1
    assert any(b.key == "export_bert_structure_stack_png" for b in at.get("download_button"))


def test_the_electra_race_plots_against_compute():
    at = open_page("electra", tab="rtd_race")
    assert_no_error_box(at)
    assert at.session_state["electra_tab"] == "rtd_race"
    at.session_state["electra_race_axis"] = "compute"
    at.number_input(key="electra_race_steps").set_value(3).run()
    at.number_input(key="electra_race_hidden").set_value(16).run()
    at.number_input(key="electra_race_batch").set_value(4).run()
    at.button(key="electra_race_start").click().run()
    _run_until(at, lambda a: "The same probe on each encoder" in [h.value for h in a.subheader])
    assert_no_error_box(at)
    assert "One step of" in texts(at) and "the generator is" in texts(at)
    assert any(b.key == "export_electra_race_curves_png" for b in at.get("download_button"))
