"""The page's side of a fine-tune: a child process streaming JSON lines, stopped gracefully, ended
with its browser session but not when its user looks at another page, and reported when it dies."""

import json
import subprocess
import sys
import threading
import time

import pytest

from explorer import models, registry
from explorer.training.finetune import FinetuneConfig, engine, protocol
from explorer.ui.finetune import jobs

pytestmark = pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")


class FakeChild:
    """A stand-in child: a real sleeping process, and the messages it 'wrote'."""

    def __init__(self, messages=(), log="", seconds=30):
        self.process = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])
        self._messages, self._log, self.stopped = list(messages), log, False

    def messages(self):
        yield from self._messages

    def stop(self):
        self.stopped = True

    def abort(self):
        self.process.kill()
        self.process.wait()

    def exit_code(self):
        return self.process.wait()

    def log_tail(self):
        return self._log


def config(**changes) -> FinetuneConfig:
    settings = dict(task="cola", train_size=64, eval_size=32, batch_size=16, max_length=32, epochs=1.0)
    return FinetuneConfig(**{**settings, **changes})


def test_progress_and_result_survive_the_json_line_round_trip(bert_tokenizer, tmp_path):
    model = models.random_model(registry.family("bert"), "qa", len(bert_tokenizer)).eval()
    source = models.Source("packaged", "MiniLM", new_weights=("qa_outputs.weight", "qa_outputs.bias"))
    base = models.Loaded(model, bert_tokenizer, source, source, "bert", "qa", "cpu")
    seen = []
    squad = FinetuneConfig(task="squad", train_size=16, eval_size=8, batch_size=8, max_length=96, stride=24)
    result = engine.run(squad, base=base, on_progress=seen.append)
    for p in seen:
        assert protocol.read_progress(json.loads(json.dumps(protocol.progress_message(p)))) == p
    back, folder = protocol.read_result(json.loads(json.dumps(protocol.result_message(result, tmp_path))))
    assert folder == tmp_path and back.model is None
    for name in ("config", "source", "losses", "evaluations", "report", "stopped", "limit", "samples_per_s"):
        assert getattr(back, name) == getattr(result, name), name


def test_a_child_streams_progress_and_a_stop_keeps_what_it_learned(tmp_path):
    child = protocol.Child(config(train_size=160), tmp_path)
    kinds, result = [], None
    for message in child.messages():
        kinds.append(message["kind"])
        if message["kind"] == "progress" and message["step"] == 2:
            assert child.stop()
        if message["kind"] == "result":
            result, folder = protocol.read_result(message)
    assert child.exit_code() == 0, child.log_tail()
    assert kinds[0] == "progress" and kinds[-1] == "result"
    assert result.stopped and result.evaluations[-1].step in {2, 3, 4}  # the step under way when asked
    assert result.source.kind == "packaged"  # offline: the packaged MiniLM, and it says so
    assert (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file()
    child.close()


def test_bad_settings_in_a_child_come_back_as_one_message(tmp_path):
    child = protocol.Child(config(data_dir=str(tmp_path)), tmp_path)
    messages = list(child.messages())
    assert messages[-1]["kind"] == "error" and messages[-1]["user"]
    assert "expected train.tsv" in messages[-1]["message"]
    child.close()


def test_a_child_that_dies_is_reported():
    job = jobs.Job(config(), "cola", FakeChild(log="Killed", seconds=0))
    job.read()
    assert "ended unexpectedly" in job.error and "Killed" in job.error


def test_a_run_goes_on_while_its_session_lives_even_if_its_page_is_not_shown():
    job = jobs.Job(config(), "cola", FakeChild())
    session = {"alive": True}
    watcher = threading.Thread(target=job.watch, args=(lambda: session["alive"], 0.3, 0.05))
    watcher.start()
    time.sleep(1.0)  # nobody polls the page: another page is open, the session is connected
    assert job.child.process.poll() is None and not job.child.stopped
    session["alive"] = False  # the tab is closed
    watcher.join(timeout=5)
    assert job.child.process.poll() is not None  # ended, its memory freed


def test_a_double_click_starts_one_run():
    launched, state = [], {}

    def slow_launch(config, page, session_id):
        launched.append(page)
        time.sleep(0.3)
        job = jobs.Job(config, page, FakeChild())
        job.reader = threading.Thread(target=time.sleep, args=(2,))
        job.reader.start()
        return job

    clicks = [
        threading.Thread(target=jobs.start, args=(config(), "cola", state, slow_launch)) for _ in range(2)
    ]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    assert launched == ["cola"]
    state[jobs.KEY].child.abort()


def test_closing_a_child_that_has_gone_with_a_stop_still_buffered_raises_nothing(tmp_path):
    """A page that asks a child which already exited to stop leaves "stop" in the pipe's buffer;
    closing the handle flushed it into the dead pipe and raised BrokenPipeError."""
    child = object.__new__(protocol.Child)
    child.folder, child._log = tmp_path, open(tmp_path / protocol.LOG, "w")  # noqa: SIM115
    child.process = subprocess.Popen(
        [sys.executable, "-c", "pass"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    child.process.wait()
    child.process.stdin.write(protocol.STOP + "\n")  # buffered: nothing reached the pipe yet
    child.close()
    assert child.process.stdin.closed and child.process.stdout.closed and child._log.closed
