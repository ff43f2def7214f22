"""The server's warm-up (explorer/ui/server/warm.py): what it loads, once, and its off switch."""

from explorer import registry, warmup
from explorer.ui import getters
from explorer.ui.server import warm


def test_warm_loads_every_first_screen_model_and_tokenizer_through_the_pages_getters(monkeypatch):
    loaded = []
    monkeypatch.setattr(warmup, "warm_up", lambda: loaded.append("libraries"))
    monkeypatch.setattr(getters, "get_tokenizer", lambda *args: loaded.append(("tokenizer", *args)))
    monkeypatch.setattr(getters, "get_model", lambda *args: loaded.append(("model", *args)))
    warm.warm()
    assert loaded[0] == "libraries"
    tokenizers = [item[1:3] for item in loaded if item[0] == "tokenizer"]
    models = [(item[1], item[2], item[3]) for item in loaded if item[0] == "model"]
    assert tokenizers == [(f, registry.family(f).hub_id) for f in warm.TOKENIZERS]
    kept = warm.MODELS[-getters.MAX_MODELS :]  # no more than the cache keeps: none loaded to be dropped
    assert models == [(f, head, registry.family(f).hub_id) for f, head in kept]
    assert models[-1] == ("bert", "base", "bert-base-uncased")  # kept last: the BERT page and the tour's


def test_every_warmed_head_is_one_the_family_has():
    for family, head in warm.MODELS:
        assert head in registry.family(family).heads, (family, head)


def test_the_warm_up_starts_once_and_not_when_switched_off(monkeypatch):
    started = []
    monkeypatch.setattr(warm, "_run", lambda: started.append(1))
    monkeypatch.setattr(warm, "_started", type(warm._started)())
    monkeypatch.setenv("EXPLORER_WARM", "0")
    assert not warm.start()
    monkeypatch.setenv("EXPLORER_WARM", "1")
    assert warm.start() and not warm.start()
    for thread in warm.threading.enumerate():
        if thread.name == "explorer-warm":
            thread.join(timeout=10)
    assert started == [1]


def test_make_runs_entry_starts_the_warm_up_then_streamlit_run_on_the_app(monkeypatch):
    import sys

    from streamlit.web import cli

    from explorer.ui.server import serve

    calls = []
    monkeypatch.setattr(warm, "start", lambda: calls.append("warm"))
    monkeypatch.setattr(cli, "main", lambda: calls.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    serve.main(["--server.port", "8502"])
    assert calls == ["warm", ["streamlit", "run", str(serve.APP), "--server.port", "8502"]]
    assert serve.APP.name == "app.py" and serve.APP.exists()
