"""A session's fine-tuned model lives in the server's bounded model cache, and its run's folder does
not outlive the server that made it."""

import gc
import os
import subprocess
import sys
import tempfile
import time
import weakref
from types import SimpleNamespace

import pytest

from explorer import models, registry
from explorer.training.finetune import FinetuneConfig, folders
from explorer.ui import getters
from explorer.ui.finetune import jobs


class NoQueue:
    """A job queue that takes tickets and never starts them."""

    def submit(self, ticket) -> None:
        self.ticket = ticket

    def cancel(self, ticket) -> None: ...

    def finish(self, ticket) -> None: ...


def config() -> FinetuneConfig:
    return FinetuneConfig(task="cola", train_size=64, eval_size=32, batch_size=16, max_length=32)


def saved_run(folder, tokenizer) -> SimpleNamespace:
    """A child that finished: a tiny BERT classifier saved where a run saves its model."""
    model = models.random_model(registry.family("bert"), "cls", len(tokenizer))
    model.save_pretrained(folder / "model")
    tokenizer.save_pretrained(folder / "model")
    return SimpleNamespace(folder=folder)


@pytest.fixture
def empty_cache():
    getters.get_model.clear()
    yield
    getters.get_model.clear()


def test_hole10_a_finetuned_model_is_let_go_under_max_models_while_its_job_lives(
    tmp_path, bert_tokenizer, monkeypatch, empty_cache
):
    job = jobs.Job(config(), "cola", saved_run(tmp_path, bert_tokenizer))
    model, tokenizer = job.trained()
    assert job.trained()[0] is model and model.num_labels == 2  # loaded once, as saved
    gone = weakref.ref(model)
    del model
    monkeypatch.setattr(models, "load", lambda *args: object())
    for i in range(getters.MAX_MODELS):  # the room opens other models: the fine-tune's is the oldest
        getters.get_model("bert", "base", f"m{i}", False, "cpu")
    gc.collect()
    assert gone() is None  # the bound let it go, though its job (and session) live on
    again, _ = job.trained()  # and it comes back from the run's folder
    assert again.num_labels == 2 and job.trained()[0] is again


def test_a_dropped_job_takes_its_model_and_its_folder_with_it(bert_tokenizer, empty_cache):
    job = jobs.launch(config(), "cola", "session", alive=lambda: True, env={}, queue=NoQueue())
    job.child = saved_run(job.folder, bert_tokenizer)
    folder, gone = job.folder, weakref.ref(job.trained()[0])
    del job
    gc.collect()
    assert gone() is None and not folder.exists()


def test_hole10_a_launch_removes_the_folders_crashed_servers_left(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # a server that crashed: its process is gone
    root = tmp_path / folders.ROOT_NAME
    crashed, alive, old = root / f"{ended.pid}-a1", root / f"{os.getppid()}-b2", root / f"{os.getpid()}-c3"
    for folder in (crashed, alive, old, root / "notes"):
        (folder / "model").mkdir(parents=True)
    two_days = time.time() - folders.STALE_S - 60
    os.utime(old, (two_days, two_days))
    job = jobs.launch(config(), "cola", "session", alive=lambda: True, env={}, queue=NoQueue())
    assert not crashed.exists() and not old.exists()  # a dead server's, and one no session can still use
    assert alive.exists() and (root / "notes").exists()  # a live server's, and what is not a run's
    assert job.folder.parent == root and job.folder.name.startswith(f"{os.getpid()}-")
