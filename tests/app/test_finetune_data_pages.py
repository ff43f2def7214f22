"""The fine-tune pages offline with no data folder (#31 item 4): they show the bundled sample's rows
and counts before any run, a launch trains on it, an uploaded file is checked (one message per bad
file, in the page's language) and, when good, is what the run reads; the class a learner types is
named beside the model field (#30 item 5)."""

import json
from pathlib import Path

import pytest

from explorer import jobqueue
from explorer.training import data, finetune
from explorer.ui.finetune import data_views, jobs
from tests.app.checks import assert_no_error_box, message, shown
from tests.app.test_limits_pages import launched_run
from tests.app.test_pages import open_page

CLASSES = {"cola": "BertForSequenceClassification", "squad": "BertForQuestionAnswering"}
GOOD_COLA = b"sentence\tlabel\n" + b"".join(
    f"My own sentence number {i} is {'fine' if i % 2 else 'bad bad'}.\t{i % 2}\n".encode() for i in range(40)
)


@pytest.fixture(autouse=True)
def no_data_folder(tmp_path, monkeypatch):
    """A fresh install: no ../shared/data, no prefetch folder (an empty cache), no hub."""
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "no-shared-data"))
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(jobqueue, "_shared", None)  # the server's queue made afresh
    yield
    queue = jobqueue._shared
    for ticket in [*queue._queued, *queue._running] if queue else []:
        queue.cancel(ticket)


def captions(at) -> str:
    return "\n".join(shown(c.value) for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("page", ["cola", "squad"])
def test_without_a_data_folder_the_page_shows_the_bundled_sample_and_its_class(page, lang):
    at = open_page(page, lang)
    assert_no_error_box(at)
    assert message("ftdata.sample", lang).search(captions(at))
    sample = data.load_local(page, "train", data.sample_dir(page))
    table = at.dataframe[0].value
    assert len(table) == 8
    first = sample[0].text if page == "cola" else sample[0].question
    assert table.iloc[0, 0 if page == "cola" else 1] == first  # the sample's own first rows
    assert at.get("vega_lite_chart"), "the counts chart is drawn before any run"
    assert CLASSES[page] in captions(at)


def test_a_launch_from_the_bundled_sample_trains(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_RUN_STEPS", "2")  # a short run: the child inherits the environment
    at = open_page("cola", "ko")
    at.number_input(key="ft_n_cola").set_value(32).run()
    at.number_input(key="ft_e_cola").set_value(16).run()
    with launched_run(at, seconds=240) as job:
        assert job.error is None, job.error
        assert job.config.data_dir == str(data.sample_dir("cola"))
        assert job.result.evaluations[-1].step == 2
        assert_no_error_box(at)
        assert "BertForSequenceClassification" in captions(at)  # the class the saved model names


def _launched(at, monkeypatch) -> finetune.FinetuneConfig:
    seen = []
    monkeypatch.setattr(jobs, "start", lambda config, page: seen.append(config))
    next(b for b in at.button if b.key == "ft_launch").click().run()
    assert_no_error_box(at)
    return seen[0]


def test_an_uploaded_cola_file_is_what_the_run_reads(monkeypatch, tmp_path):
    at = open_page("cola")
    at.radio(key="ft_source_cola").set_value("upload").run()
    assert next(b for b in at.button if b.key == "ft_launch").disabled  # nothing uploaded yet
    at.file_uploader(key="ft_up_train_cola").set_value(
        ("mine.tsv", GOOD_COLA, "text/tab-separated-values")
    ).run()
    assert_no_error_box(at)
    assert message("ftdata.uploaded").search(captions(at))
    assert at.dataframe[0].value.iloc[0, 0] == "My own sentence number 0 is bad bad."
    config = _launched(at, monkeypatch)
    assert Path(config.data_dir).is_relative_to(tmp_path / "cache")  # kept inside an allowed root
    train, dev = finetune.records(config)
    assert {r.text for r in train} == {r.text for r in data.read_upload("cola", "m", GOOD_COLA, 10**6)}
    sample_dev = data.load_local("cola", "dev", data.sample_dir("cola"))
    assert {r.text for r in dev} == {r.text for r in sample_dev}  # no dev file: the sample's scores it


def test_the_launch_runs_the_registrys_defaults_and_the_frozen_embeddings_box(monkeypatch):
    from explorer import device, registry

    defaults = registry.training_defaults("cola", device.pick_device())
    at = open_page("cola")
    box = at.checkbox(key="ft_freeze_cola")
    assert box.value == defaults.freeze_embeddings
    config = _launched(at, monkeypatch)
    assert (config.epochs, config.freeze_embeddings) == (defaults.epochs, defaults.freeze_embeddings)
    box.set_value(not defaults.freeze_embeddings).run()
    assert _launched(at, monkeypatch).freeze_embeddings is not defaults.freeze_embeddings


def test_an_uploaded_squad_file_is_what_the_run_reads(monkeypatch):
    body = json.loads(data.sample_dir("squad").joinpath("train.json").read_text())
    body["data"] = body["data"][:1]
    body["data"][0]["paragraphs"] = body["data"][0]["paragraphs"][:2]
    at = open_page("squad")
    at.radio(key="ft_source_squad").set_value("upload").run()
    at.file_uploader(key="ft_up_train_squad").set_value(
        ("mine.json", json.dumps(body).encode(), "application/json")
    ).run()
    assert_no_error_box(at)
    config = _launched(at, monkeypatch)
    train, _ = finetune.records(config)
    wanted = {qa["id"] for p in body["data"][0]["paragraphs"] for qa in p["qas"]}
    assert {e.id for e in train} == wanted


@pytest.mark.parametrize(
    ("page", "name", "payload", "kind"),
    [
        ("cola", "two.tsv", b"one\ttwo\n", "columns"),
        ("cola", "labels.tsv", b"src\t7\t\tA sentence.\n", "label"),
        ("squad", "broken.json", b'{"data": [', "not_json"),
        ("squad", "shape.json", b'{"data": [{"title": "t"}]}', "missing_key"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_bad_upload_gets_one_message_in_the_pages_language_and_nothing_launches(
    page, name, payload, kind, lang
):
    at = open_page(page, lang)
    at.radio(key=f"ft_source_{page}").set_value("upload").run()
    at.file_uploader(key=f"ft_up_train_{page}").set_value((name, payload, "text/plain")).run()
    assert_no_error_box(at, message(f"ftdata.{kind}", lang))
    assert len(at.error) == 1
    assert next(b for b in at.button if b.key == "ft_launch").disabled


def test_a_refused_folder_points_to_the_uploader(tmp_path):
    at = open_page("cola")
    at.text_input(key="ft_dir_cola").set_value("/etc").run()
    assert_no_error_box(at, message("paths.outside"))
    assert message("ftdata.hint").search(captions(at))
    assert "Upload a file" in [str(o) for o in at.radio(key="ft_source_cola").options]


def test_a_new_upload_keeps_the_files_a_queued_run_still_reads(monkeypatch):
    import gc
    from types import SimpleNamespace

    at = open_page("cola")
    at.radio(key="ft_source_cola").set_value("upload").run()
    at.file_uploader(key="ft_up_train_cola").set_value(("a.tsv", GOOD_COLA, "text/plain")).run()
    first = at.session_state["ft_upload_cola"].folder
    waiting = SimpleNamespace(running=True, config=SimpleNamespace(data_dir=str(first)))
    monkeypatch.setattr(data_views, "jobs", SimpleNamespace(current=lambda: waiting))  # a run of it, queued
    at.file_uploader(key="ft_up_train_cola").set_value(
        ("b.tsv", b"".join(GOOD_COLA.splitlines(keepends=True)[:11]), "text/plain")
    ).run()
    assert_no_error_box(at)
    at.run()  # Streamlit keeps the previous run's state for one more run
    gc.collect()
    assert at.session_state["ft_upload_cola"].folder != first
    assert (first / "train.tsv").is_file()  # still there for the run
    monkeypatch.setattr(data_views, "jobs", SimpleNamespace(current=lambda: None))  # no run: it goes
    second = at.session_state["ft_upload_cola"].folder
    at.file_uploader(key="ft_up_train_cola").set_value(
        ("c.tsv", b"".join(GOOD_COLA.splitlines(keepends=True)[:6]), "text/plain")
    ).run()
    at.run()  # Streamlit keeps the previous run's state for one more run
    gc.collect()
    assert not second.exists()
