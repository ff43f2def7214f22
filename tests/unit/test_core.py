"""Device choice, hub probing, text inspection, corpora, registry, and the no-Streamlit guard."""

import subprocess
import sys
import unicodedata

import pytest
import transformers

from explorer import device, hub, registry
from explorer.tokens import corpus
from explorer.tokens.text import inspect_text, visible


def test_an_environment_variable_forces_the_device(monkeypatch):
    device.pick_device.cache_clear()
    monkeypatch.setenv(device.ENV_VAR, "cpu")
    assert device.pick_device() == "cpu"
    device.pick_device.cache_clear()
    monkeypatch.setenv(device.ENV_VAR, "tpu")
    with pytest.raises(ValueError, match="EXPLORER_DEVICE"):
        device.pick_device()
    device.pick_device.cache_clear()


def test_the_device_is_named_as_users_write_it():
    assert device.describe_device("cpu") == "CPU"  # in a Korean sentence too: "CPU에서", not "cpu에서"
    assert device.describe_device("mps") == "Apple GPU (MPS)"


def test_forced_offline_never_probes(monkeypatch):
    hub.hub_online.cache_clear()
    monkeypatch.setenv(hub.FORCE_OFFLINE, "1")
    monkeypatch.setattr(hub, "_can_connect", lambda *a: pytest.fail("probed the network"))
    assert hub.hub_online() is False
    hub.hub_online.cache_clear()


def test_a_closed_port_reads_as_unreachable():
    assert hub._can_connect("127.0.0.1", 9, 0.5) is False


def test_importing_the_core_does_not_import_streamlit():
    code = (
        "import sys, explorer, explorer.models, explorer.tokens.tokenize, explorer.tokens.corpus, "
        "explorer.views.charts, "
        "explorer.i18n, explorer.registry, explorer.tokens.text, explorer.device, explorer.hub; "
        "assert 'streamlit' not in sys.modules, 'streamlit imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_text_inspection_finds_invisible_rtl_and_hangul():
    report = inspect_text("a\u200bb\x07 שלום 한국")
    assert [inv.codepoint for inv in report.invisible] == ["U+200B", "U+0007"]
    assert report.has_rtl and report.has_hangul and not report.blank
    assert visible("a\u200bb") == "a⟨U+200B⟩b"
    assert inspect_text("   ").blank
    assert not inspect_text(unicodedata.normalize("NFD", "한국")).is_nfc


def test_corpora_refuse_what_they_cannot_read(tmp_path):
    with pytest.raises(corpus.CorpusError, match="not UTF-8"):
        corpus.from_bytes("latin.txt", "café".encode("latin-1"))
    with pytest.raises(corpus.CorpusError, match="no text"):
        corpus.from_bytes("empty.txt", b"\n \n")
    with pytest.raises(corpus.CorpusError, match="no such file"):
        corpus.from_path(str(tmp_path / "missing"))
    with pytest.raises(corpus.CorpusError, match="binary"):
        corpus.from_bytes("x.bin", b"abc\x00def")


def test_a_folder_corpus_reads_its_text_files(tmp_path):
    (tmp_path / "a.txt").write_text("first line\n\nsecond line", encoding="utf-8")
    (tmp_path / "b.md").write_text("세 번째 줄", encoding="utf-8")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")
    assert corpus.from_path(str(tmp_path)).lines == ("first line", "second line", "세 번째 줄")


def test_bundled_corpora_exist_in_both_languages():
    assert set(corpus.bundled("en").lines) and set(corpus.bundled("ko").lines)


@pytest.mark.parametrize("family", registry.FAMILIES.values(), ids=lambda f: f.key)
def test_registry_classes_exist_in_transformers(family):
    assert hasattr(transformers, family.config_class)
    for cls in family.heads.values():
        assert hasattr(transformers, cls), cls
    assert family.offline_tokenizer in registry.TOKENIZER_SOURCES
    if family.packaged:
        assert set(family.packaged.heads) <= set(family.heads)


def test_tasks_point_at_heads_that_exist():
    for task in registry.TASKS.values():
        assert task.head in registry.family(task.default_family).heads


def test_the_shared_data_is_where_the_registry_says():
    if not registry.SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present in this checkout")
    for task in registry.TASKS.values():
        if task.local:
            assert (registry.SHARED_DATA / task.local_dir).is_dir()
