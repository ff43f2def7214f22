"""What a visitor can make a shared server do (issue #27, holes 1, 2, 6 and 7): load only the models
the server allows, hold no more text than the corpus cap, read files bounded, and train SQuAD only on
questions with answers. Each test is named after its hole and fails on the code before the fix."""

import json
import tracemalloc

import huggingface_hub
import pytest

from explorer import hub, models, registry
from explorer.tokens import corpus
from explorer.training import data, metrics

GB = 1_000_000_000
# A hub repo's files as its metadata lists them: two safetensors shards (what loads), and copies the
# loader never fetches (PyTorch weights beside safetensors, ONNX in a subfolder).
BIG_REPO = {
    "config.json": 700,
    "tokenizer.json": 2_000_000,
    "model-00001-of-00002.safetensors": 3 * GB,
    "model-00002-of-00002.safetensors": 2 * GB,
    "pytorch_model.bin": 9 * GB,
    "onnx/model.onnx": 20 * GB,
}
SMALL_REPO = {"config.json": 700, "vocab.txt": 232_000, "model.safetensors": 440_000_000}


@pytest.fixture
def online_hub(monkeypatch):
    """A hub that answers, with a fake metadata source (hub.hub_files) and downloads recorded, not made."""
    downloads: list[str] = []
    listings = {"big-org/huge-model": BIG_REPO, "klue/bert-base": SMALL_REPO}

    def fake_download(repo_id, **kwargs):
        downloads.append(repo_id)
        raise OSError(f"{repo_id}: no network in tests")

    def fake_files(repo_id):
        if repo_id not in listings:
            raise huggingface_hub.errors.RepositoryNotFoundError(f"{repo_id}: not found")
        return listings[repo_id]

    monkeypatch.setattr(hub, "reachable", lambda: True)
    monkeypatch.setattr(hub, "hub_files", fake_files, raising=False)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_download)
    monkeypatch.delenv("EXPLORER_MAX_MODEL_BYTES", raising=False)
    monkeypatch.delenv("EXPLORER_ALLOWED_MODELS", raising=False)
    return downloads


# Hole 1: any hub model, of any size


def test_hole1_a_hub_model_over_the_size_cap_is_refused_from_its_metadata_before_any_download(online_hub):
    with pytest.raises(ValueError, match="too_big") as refused:
        models.model_place("big-org/huge-model")
    assert refused.value.size == 5 * GB + 2_000_700  # the shards and small files; no .bin, no subfolder
    assert refused.value.limit == 4 * GB  # the default cap
    loaded = models.load(registry.family("bert"), "base", model_id="big-org/huge-model", online=True)
    assert online_hub == [], "nothing is downloaded"
    assert loaded.source.kind not in {"hub", "cache"} and "too_big" in loaded.source.reason


def test_hole1_the_cap_and_the_allowlist_are_the_owners_settings(online_hub, monkeypatch):
    assert models.model_place("klue/bert-base") == "hub"  # 440 MB, under the default cap
    monkeypatch.setenv("EXPLORER_MAX_MODEL_BYTES", "6e9")
    assert models.model_place("big-org/huge-model") == "hub"
    monkeypatch.setenv("EXPLORER_MAX_MODEL_BYTES", "lots")  # unusable: the default cap holds
    with pytest.raises(ValueError, match="too_big"):
        models.model_place("big-org/huge-model")
    monkeypatch.setenv("EXPLORER_MAX_MODEL_BYTES", "6e9")
    monkeypatch.setenv("EXPLORER_ALLOWED_MODELS", f"klue/*{hub.os.pathsep}bert-*")
    assert models.model_place("klue/bert-base") == "hub"
    with pytest.raises(ValueError, match="not_listed"):
        models.model_place("big-org/huge-model")
    assert models.model_place("gpt2") == "hub"  # a page's default: always allowed


def test_hole1_a_hub_id_whose_size_the_hub_does_not_give_is_refused(online_hub):
    with pytest.raises(ValueError, match="unknown_size"):
        models.model_place("no-such-org/no-such-model")
    assert online_hub == []


def test_hole1_a_local_folder_is_measured_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_ALLOWED_PATHS", str(tmp_path))
    monkeypatch.setenv("EXPLORER_MAX_MODEL_BYTES", "1000")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 1500)
    (tmp_path / "notes.md").write_bytes(b"\0" * 5000)  # not read by from_pretrained: not counted
    with pytest.raises(ValueError, match="too_big") as refused:
        models.model_place(str(tmp_path))
    assert refused.value.size == 1502
    monkeypatch.setenv("EXPLORER_MAX_MODEL_BYTES", "2000")
    assert models.model_place(str(tmp_path)) == "local"


def test_hole1_offline_only_a_copy_in_the_hub_cache_is_measured(tmp_path, monkeypatch):
    monkeypatch.setattr(hub, "reachable", lambda: False)
    monkeypatch.setenv("EXPLORER_MAX_MODEL_BYTES", "1000")
    assert models.model_place("some-org/not-cached") == "hub"  # nothing can download: the loader falls back
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 1500)
    monkeypatch.setattr(hub, "cached_folder", lambda repo_id: tmp_path, raising=False)
    with pytest.raises(ValueError, match="too_big"):
        models.model_place("some-org/cached-and-big")


# Hole 2: the corpus cap, checked only after a whole line


def test_hole2_one_huge_line_is_cut_at_the_corpus_cap():
    huge = corpus.from_bytes("one_line.txt", b"a" * 50_000_000)
    assert huge.n_chars == corpus.MAX_CORPUS_CHARS == 20_000_000
    assert huge.lines == ("a" * 20_000_000,)
    mixed = corpus.from_text("mixed", "short line\n" + "b" * 30_000_000 + "\nlast line")
    assert mixed.n_chars == corpus.MAX_CORPUS_CHARS
    assert mixed.lines[0] == "short line" and len(mixed.lines) == 2


# Hole 7: whole files read before they are cut; a named file not filtered by suffix


def test_hole7_a_corpus_file_is_read_only_up_to_the_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_ALLOWED_PATHS", str(tmp_path))
    monkeypatch.setattr(corpus, "MAX_CORPUS_CHARS", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 10_000_000)  # 50 MB
    tracemalloc.start()
    try:
        read = corpus.from_path(str(big))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 990 <= read.n_chars <= 1000  # the first 1,000 characters, stripped of the space at the cut
    assert peak < 8_000_000, f"reading a 50 MB file for 1,000 characters held {peak:,} bytes"


def test_hole7_a_named_file_must_be_text_as_a_folders_files_must(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_ALLOWED_PATHS", str(tmp_path))
    (tmp_path / "weights.safetensors").write_text("looks like text, is a checkpoint")
    (tmp_path / "notes.txt").write_text("a text line")
    with pytest.raises(corpus.CorpusError, match="not a text file"):
        corpus.from_path(str(tmp_path / "weights.safetensors"))
    assert corpus.from_path(str(tmp_path)).lines == ("a text line",)  # the folder skips it, as before


def test_hole7_a_named_data_file_must_be_its_splits_kind_and_size(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_ALLOWED_PATHS", str(tmp_path))
    blob = tmp_path / "model.safetensors"
    blob.write_bytes(b"\x89binary\tweights\t\xff\n" * 100)
    with pytest.raises(data.DataError, match="not a cola file"):
        data.load_local("cola", "train", blob)
    tsv = tmp_path / "train.tsv"
    tsv.write_text("src\t1\t\tA fine sentence.\n" * 100)
    monkeypatch.setattr(data, "MAX_DATA_BYTES", 1000, raising=False)
    with pytest.raises(data.DataError, match="at most 1,000"):
        data.load_local("cola", "train", tsv)


def test_hole7_a_data_file_is_read_again_only_when_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_ALLOWED_PATHS", str(tmp_path))
    tsv = tmp_path / "train.tsv"
    tsv.write_text("src\t1\t\tA fine sentence.\n")
    first = data.load_local("cola", "train", tsv)
    hits = data._read.cache_info().hits
    assert data.load_local("cola", "train", tsv) == first
    assert data._read.cache_info().hits == hits + 1
    tsv.write_text("src\t0\t*\tSentence fine a.\nsrc\t1\t\tAnother one.\n")
    assert [row.label for row in data.load_local("cola", "train", tsv)] == [0, 1]


# Hole 6: a SQuAD question with no answer, found only by the metric after a whole epoch


def _squad(tmp_path, qas: list[dict]):
    body = {
        "version": "1.1",
        "data": [{"title": "T", "paragraphs": [{"context": "Paris is in France.", "qas": qas}]}],
    }
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_hole6_a_squad_question_without_an_answer_is_refused_when_read_with_a_count(tmp_path):
    answered = {
        "id": "q1",
        "question": "Where is Paris?",
        "answers": [{"text": "France", "answer_start": 12}],
    }
    path = _squad(tmp_path, [answered, {"id": "q2", "question": "Why?", "answers": []}])
    with pytest.raises(data.DataError, match="1 of 2 questions have no answer.*'q2'"):
        data.read_squad_json(path)
    assert [ex.id for ex in data.read_squad_json(_squad(tmp_path, [answered]))] == ["q1"]


def test_hole6_the_squad_metric_scores_a_question_without_gold_answers_as_zero():
    scores = metrics.squad_scores({"q1": "France", "q2": "anything"}, {"q1": ["France"], "q2": []})
    assert (scores.exact_match, scores.f1, scores.count) == (50.0, 50.0, 2)
