"""Every page runs under AppTest with no error box; the Tokenization page reacts to input."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer import registry
from explorer.i18n import translate
from explorer.ui.layout import PAGES
from tests.app.checks import assert_no_error_box, shown

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def open_page(key: str, lang: str = "en", tab: str | None = None, **query: str) -> AppTest:
    """The page `key` in a fresh session, as a link with `query` opens it; on a family page, `tab` is
    the section open (a link's `<page>_tab`): only the open tab runs."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for name, value in query.items():
        at.query_params[name] = value
    if tab is not None:
        at.session_state[f"{key}_tab"] = tab
    at.run()
    if key != "home":
        at.switch_page(f"app_pages/{key}.py").run()
    return at


def show_tab(at: AppTest, page: str, section: str, lang: str = "en") -> AppTest:
    """Open another tab of a family page, as a click on it does, and run: only the open tab runs."""
    at.session_state[f"{page}_tab"] = section
    at.session_state[f"{page}_tab_widget"] = translate(lang, f"section.{section}")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "header", "subheader", "markdown", "caption") for e in getattr(at, kind)
    ]
    return "\n".join(shown(p) for p in parts)


# Every page, and each tab of a family page: only the open tab runs, so each is opened on its own.
VIEWS = [
    (spec.key, tab)
    for spec in PAGES
    for tab in (registry.FAMILY_PAGES[spec.key].sections if spec.key in registry.FAMILY_PAGES else (None,))
]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("page,tab", VIEWS, ids=[p if t is None else f"{p}-{t}" for p, t in VIEWS])
def test_every_page_and_tab_runs_in_both_languages(page, tab, lang):
    at = open_page(page, lang, tab)
    assert_no_error_box(at, where=f"{page} {tab or ''} ({lang})")
    assert at.title, "every page has a title"
    if tab is not None:
        label = translate(lang, f"section.{tab}")
        assert any(t.label == label and len(t.children) for t in at.tabs), f"{label} is open and drawn"
    if lang == "ko":
        assert any("\uac00" <= ch <= "\ud7a3" for ch in texts(at))


def test_sidebar_shows_device_and_hub_state():
    at = open_page("home")
    assert_no_error_box(at)
    sidebar = "\n".join(shown(e.value) for e in at.sidebar.markdown) + "\n".join(
        e.value for e in at.sidebar.caption
    )
    assert "Device: **CPU**" in sidebar
    assert "offline sources are used" in sidebar


def test_tokenization_shows_three_tokenizers_and_their_sources():
    at = open_page("tokenization")
    assert_no_error_box(at)
    assert [h.value for h in at.subheader][:3] == ["WordPiece", "Byte-level BPE", "SentencePiece (Unigram)"]
    body = texts(at)
    assert "17 tokens (2 special)" in body  # WordPiece on the default example
    sidebar = "\n".join(shown(e.value) for e in at.sidebar.markdown)
    assert "all-MiniLM-L6-v2 package" in sidebar and "random weights" not in sidebar


@pytest.mark.parametrize(
    ("text", "box", "expected"),
    [
        ("", "info", "Type or pick a text"),
        ("     ", "info", "only spaces"),
        ("a\u200bb\x07c", "warning", "invisible or control"),
        ("word " * 30000, "warning", "reads at most 512 tokens"),
        ("x" * 250_000, "error", "the limit here is"),
    ],
)
def test_bad_input_gives_a_message_not_a_traceback(text, box, expected):
    at = open_page("tokenization")
    at.text_area(key="tok_text").set_value(text).run()
    assert_no_error_box(at, expected if box == "error" else None)
    messages = [e.value for e in getattr(at, box)]
    assert any(expected in m for m in messages), messages


def test_a_model_that_cannot_be_loaded_offline_says_so_and_falls_back():
    at = open_page("tokenization")
    at.selectbox(key="tok_model_bert").set_value("klue/bert-base").run()
    assert_no_error_box(at)
    assert any("Could not load a tokenizer for klue/bert-base" in shown(w.value) for w in at.warning)
    assert "17 tokens (2 special)" in texts(at)  # the packaged bert-base-uncased vocabulary


def test_korean_text_gets_the_hangul_section():
    at = open_page("tokenization", "ko")
    at.selectbox(key="tok_text_example").set_value("korean").run()
    assert_no_error_box(at)
    assert "한국어는 어떻게 나뉘나" in [h.value for h in at.subheader]
    assert any("음절당" in c.value for c in at.caption)


def test_the_text_box_default_is_the_first_example_and_a_picked_one_replaces_it():
    from explorer.ui.inputs import examples

    at = open_page("tokenization")
    first, *_ = examples("tokenization").values()
    box = at.text_area(key="tok_text")
    # The widget's own default, not only its session value: a browser that loses the box's state in a
    # click during a run falls back to this default (it was empty, and the page went blank).
    assert box.proto.default == first and box.value == first
    at.selectbox(key="tok_text_example").set_value("korean").run()
    assert at.text_area(key="tok_text").value == examples("tokenization")["korean"]
    assert_no_error_box(at)


def test_decomposed_hangul_is_flagged_and_normalised():
    import unicodedata

    at = open_page("tokenization")
    at.text_area(key="tok_text").set_value(unicodedata.normalize("NFD", "한국어")).run()
    assert_no_error_box(at)
    assert any("not in composed form (NFC)" in w.value for w in at.warning)
    assert at.checkbox(key="tok_nfc").value is True


def test_training_a_tokenizer_shows_what_it_learned():
    at = open_page("tokenization")
    at.multiselect[0].set_value(["wordpiece", "bpe"]).run()
    at.button[0].click().run()
    assert_no_error_box(at)
    assert any("Trained on bundled:en" in shown(s.value) for s in at.success)
    assert "Trained on this corpus" in texts(at)


def test_training_on_a_missing_path_is_refused_clearly():
    at = open_page("tokenization")
    at.radio(key="train_corpus").set_value("path").run()
    at.text_input[-1].set_value(str(ROOT / "assets" / "nonexistent" / "corpus")).run()  # inside a root
    assert_no_error_box(at, "no such file or folder")


def test_bert_page_shows_every_section_with_sources():
    at = open_page("bert", tab="input")
    assert_no_error_box(at)
    labels = [tab.label for tab in at.tabs]
    for name in ("Input embeddings", "Attention", "Embedding projection", "Masked LM", "Next sentence"):
        assert name in labels
    assert "differs from what the model itself feeds its LayerNorm by at most 0.00e+00" in texts(at)
    show_tab(at, "bert", "attention")
    assert_no_error_box(at)
    assert "6 layers x 12 heads" in texts(at)  # the packaged MiniLM encoder
    for section in ("mlm", "nsp"):  # MLM / NSP heads offline
        show_tab(at, "bert", section)
        assert_no_error_box(at)
        assert any("tiny random weights" in i.value for i in at.info), section
    assert at.metric[0].label == "P(IsNext)"


def test_mlm_without_a_mask_asks_for_one():
    at = open_page("bert", tab="mlm")
    at.text_input(key="bert_mlm_text").set_value("no mask here").run()
    assert_no_error_box(at)
    assert any("Add [MASK] to the text" in i.value for i in at.info)


def test_nsp_with_an_empty_second_sentence_asks_for_it():
    at = open_page("bert", tab="nsp")
    at.text_input(key="bert_b").set_value("").run()
    assert_no_error_box(at)
    assert any("Give both sentences" in i.value for i in at.info)


def test_nsp_builds_its_pairs_from_a_bounded_part_of_a_huge_document():
    """NSP and SOP share one document box (inputs.render_pair_document): 100,000 typed characters give at
    most DOCUMENT_SENTENCES sentences, each pair scored by the model, not thousands."""
    from explorer.mechanics.pretraining import DOCUMENT_SENTENCES

    at = open_page("bert", tab="nsp")
    at.text_area(key="bert_nsp_doc").set_value("One short sentence here. " * 4_000).run()
    assert_no_error_box(at)
    assert 0 < len(at.dataframe[0].value) < DOCUMENT_SENTENCES


def test_gpt_page_generates_step_by_step():
    at = open_page("gpt", tab="causal")
    assert_no_error_box(at)
    assert "Largest attention weight above the diagonal, over every layer and head: 0.0e+00." in texts(at)
    show_tab(at, "gpt", "generate")
    assert_no_error_box(at)
    next(b for b in at.button if b.label == "Next token").click().run()
    assert_no_error_box(at)
    assert len(at.session_state["gen_steps"]) == 1
    assert "The last step chose" in texts(at)


def test_gpt_page_with_a_one_token_text_explains_the_loss_needs_two():
    at = open_page("gpt", tab="loss")
    at.text_input(key="gpt_text").set_value("Hi").run()
    assert_no_error_box(at)
    assert any("The text needs at least two tokens." in i.value for i in at.info), [i.value for i in at.info]


def test_bert_page_handles_input_longer_than_the_model():
    at = open_page("bert", tab="attention")
    at.text_input(key="bert_a").set_value("word " * 700).run()
    assert_no_error_box(at)
    assert any("tokens; the model reads 512, so only those are shown" in w.value for w in at.warning)
    assert any("512 tokens: shown as 128 x 128 cells" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("ft_b_cola", 0, "batch size 0 must be between 1 and 1024"),
        ("ft_b_cola", 100_000, "batch size 100000 must be between 1 and 1024"),
        ("ft_lr_cola", "10", "learning rate 10 is outside"),
        ("ft_lr_cola", "fast", "is not a number"),
        ("ft_n_cola", 0, "at least one example"),
    ],
)
def test_bad_fine_tune_settings_give_a_message(key, value, expected, monkeypatch):
    # a field's range stops at the server's limit (EXPLORER_MAX_BATCH); one set past the engine's
    # own ceiling lets 100,000 through to the engine's message
    monkeypatch.setenv("EXPLORER_MAX_BATCH", "100000")
    at = open_page("cola")
    widget = at.text_input(key=key) if key.startswith("ft_lr") else at.number_input(key=key)
    widget.set_value(value).run()
    launch = next(b for b in at.button if b.key == "ft_launch")
    if not launch.disabled:
        launch.click().run()
    assert_no_error_box(at, expected)


def test_a_data_folder_in_the_wrong_format_is_reported_and_the_app_keeps_running(tmp_path):
    import time

    (tmp_path / "train.tsv").write_text("only one column\n")
    (tmp_path / "dev.tsv").write_text("only one column\n")
    at = open_page("cola")
    at.text_input(key="ft_dir_cola").set_value(str(tmp_path)).run()
    next(b for b in at.button if b.key == "ft_launch").click().run()
    for _ in range(30):
        time.sleep(1)
        at.run()
        if any("expected 4 tab-separated columns" in e.value for e in at.error):
            break
    assert_no_error_box(at, "expected 4 tab-separated columns")


def test_a_cleared_language_switch_falls_back_instead_of_failing():
    at = open_page("tokenization", "ko")
    at.session_state["lang"] = None  # what the switch reports when its selected option is clicked
    at.run()
    assert_no_error_box(at)
    assert at.title[0].value == "토큰화"  # back to the URL's language


def test_a_folder_without_the_head_is_labelled_a_random_head_on_the_page_and_in_the_sidebar(
    tmp_path, bert_tokenizer
):
    from explorer import registry
    from explorer.models import random_model

    random_model(registry.family("bert"), "base", len(bert_tokenizer)).save_pretrained(tmp_path)
    bert_tokenizer.save_pretrained(tmp_path)
    at = open_page("bert", tab="mlm")  # the MLM head, which the folder lacks
    at.text_input(key="model_bert").set_value(str(tmp_path)).run()
    assert_no_error_box(at)
    sidebar = "\n".join(shown(e.value) for e in at.sidebar.markdown)
    assert "random head on a pretrained encoder" in sidebar
    assert "from a local folder" in sidebar
    assert any("started the head at random on top of the pretrained encoder" in i.value for i in at.info)


def _generate_one(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Next token").click().run()
    assert_no_error_box(at)
    assert len(at.session_state["gen_steps"]) == 1


def test_a_new_prompt_starts_a_new_generation():
    at = open_page("gpt", tab="generate")
    _generate_one(at)
    at.text_input(key="gpt_prompt").set_value("A different prompt").run()
    assert_no_error_box(at)
    assert at.session_state["gen_steps"] == []
    assert "**A different prompt**" in [m.value for m in at.markdown]


def test_a_new_model_starts_a_new_generation(tmp_path, gpt2_tokenizer):
    """Steps chosen by one model are ids of its vocabulary: another model must not continue them."""
    from explorer import registry
    from explorer.models import random_model

    random_model(registry.family("gpt2"), "lm", len(gpt2_tokenizer)).save_pretrained(tmp_path)
    gpt2_tokenizer.save_pretrained(tmp_path)
    at = open_page("gpt", tab="generate")
    _generate_one(at)
    at.text_input(key="model_gpt2").set_value(str(tmp_path)).run()
    assert_no_error_box(at)
    assert at.session_state["gen_steps"] == []
    _generate_one(at)
    assert (
        at.session_state["gen_steps"][0]["ids"][:3]
        == gpt2_tokenizer(at.text_input(key="gpt_prompt").value)["input_ids"][:3]
    )


def test_the_cola_page_launches_what_the_command_line_runs_by_default(monkeypatch):
    from explorer.training.finetune import __main__ as cli
    from explorer.ui.finetune import jobs

    launched, ran = [], []

    class Seen(Exception):
        pass

    def capture(config, **_):
        ran.append(config)
        raise Seen

    monkeypatch.setattr(jobs, "start", lambda config, page: launched.append(config))
    monkeypatch.setattr("explorer.training.finetune.run", capture)
    at = open_page("cola")
    next(b for b in at.button if b.key == "ft_launch").click().run()
    with pytest.raises(Seen):
        cli.main(["--task", "cola"])
    assert_no_error_box(at)
    assert launched == ran


def test_glue_results_lead_with_each_tasks_own_metric():
    from explorer.ui.finetune.results import metric_cards

    scores = {"mcc": 0.41, "accuracy": 0.75, "f1": 0.8123}
    assert [label for label, _ in metric_cards("mrpc", scores)] == ["F1", "MCC", "ft.accuracy"]
    assert metric_cards("qqp", scores)[0] == ("F1", "0.812")
    assert metric_cards("sst2", scores)[0] == ("ft.accuracy", "75.0%")
    assert metric_cards("cola", scores)[0] == ("MCC", "0.410")


def test_the_glue_table_says_where_each_task_runs_from_the_registry(monkeypatch):
    import dataclasses

    from explorer import registry

    local_sst2 = dataclasses.replace(registry.TASKS["sst2"], local=True)
    monkeypatch.setitem(registry.TASKS, "sst2", local_sst2)
    at = open_page("glue")
    assert_no_error_box(at)
    table = at.dataframe[0].value.set_index("task")
    assert table.loc["SST-2", "here"] == "runs offline (local files)"
    assert table.loc["MRPC", "here"] == "runs with the hub"
    assert table.loc["STS-B", "here"] == "not wired (regression)"
