"""Uploaded fine-tune data and the bundled samples: each kind of bad file gets its own message (in
both languages), a good file gives the records a local file gives, and the samples are small, valid
and rebuilt byte for byte from ../shared/data."""

import json

import pytest

from explorer import i18n, limits, registry
from explorer.training import data, samples
from explorer.views import datasets

LIMIT = 10_000


def squad_doc(answer_start: int = 9, answers: list | None = None, **paragraph) -> bytes:
    qa = {"id": "q1", "question": "Where is Paris?"}
    qa["answers"] = answers if answers is not None else [{"text": "France", "answer_start": answer_start}]
    body = {"data": [{"title": "t", "paragraphs": [{"context": "Paris is France's capital.", "qas": [qa]}]}]}
    body["data"][0]["paragraphs"][0].update(paragraph)
    return json.dumps(body).encode()


BAD = [
    ("cola", b"just one column\n", "columns", {"line": 1, "found": 1, "expected": 4}),
    ("cola", b"src\t1\t\tFine.\nsrc\t2\t\tA third class.\n", "label", {"line": 2, "label": "2"}),
    ("cola", b"src\t1\t\t   \n", "empty_sentence", {"line": 1}),
    ("cola", b"", "empty", {}),
    ("cola", b"\n\n", "empty", {}),
    ("cola", b"sentence\tlabel\n", "empty", {}),  # a header and nothing under it
    ("cola", b"sentence\tlabel\nGood.\t1\nBad\n", "columns", {"line": 3, "found": 1, "expected": 2}),
    ("cola", "src\t1\t\tCaf\u00e9.\n".encode("latin-1"), "not_text", {}),
    ("cola", b"x" * (LIMIT + 1), "too_big", {"size": LIMIT + 1, "limit": LIMIT}),
    ("squad", b"{not json", "not_json", {"line": 1}),
    ("squad", b"[1, 2, 3]", "not_squad", {}),
    ("squad", json.dumps({"version": "1.1"}).encode(), "missing_key", {"field": "data"}),
    ("squad", json.dumps({"data": [{"title": "t"}]}).encode(), "missing_key", {"field": "paragraphs"}),
    ("squad", squad_doc(answer_start=3), "answer_start", {"question": "q1", "start": 3, "answer": "France"}),
    ("squad", squad_doc(answers=[]), "unanswered", {"n": 1, "total": 1}),
    ("squad", json.dumps({"data": []}).encode(), "empty", {}),
    ("squad", b" " * (LIMIT + 1), "too_big", {"size": LIMIT + 1, "limit": LIMIT}),
]


@pytest.mark.parametrize(("task", "payload", "kind", "facts"), BAD, ids=[f"{t}-{k}" for t, _, k, _ in BAD])
def test_each_bad_upload_gets_its_own_message_in_both_languages(task, payload, kind, facts):
    with pytest.raises(data.DataError) as caught:
        data.read_upload(task, "mine.file", payload, LIMIT)
    err = caught.value
    assert err.kind == kind, str(err)
    assert err.facts == {"name": "mine.file", **facts}
    for lang in ("en", "ko"):
        text = i18n.translate(lang, f"ftdata.{kind}", **err.facts)  # every placeholder filled by its facts
        assert "mine.file" in text


def test_the_size_is_refused_before_anything_is_parsed():
    with pytest.raises(data.DataError, match="at most 10") as caught:
        data.read_upload("squad", "big.json", b"\xff" * (LIMIT + 1), LIMIT)  # not even text
    assert caught.value.kind == "too_big"
    assert limits.Limits().upload_bytes >= 30 * 10**6  # SQuAD v1.1's whole train set (30 MB) fits
    assert limits.Limits.from_env({"EXPLORER_MAX_UPLOAD_BYTES": "1000"}).upload_bytes == 1000


def test_both_cola_layouts_give_the_same_records():
    raw = b"gj04\t1\t\tOur friends won't buy this analysis.\ngj04\t0\t*\tThey drank the pub.\n"
    glue = b"sentence\tlabel\tidx\nOur friends won't buy this analysis.\t1\t0\n\nThey drank the pub.\t0\t1\n"
    assert data.read_upload("cola", "a.tsv", raw, LIMIT) == data.read_upload("cola", "b.tsv", glue, LIMIT)
    assert [r.label for r in data.read_upload("cola", "a.tsv", raw, LIMIT)] == [1, 0]


def test_a_good_upload_saved_reads_back_as_the_same_records(tmp_path):
    cola = data.read_upload("cola", "mine.tsv", b"sentence\tlabel\nA fine one.\t1\nOne bad.\t0\n", LIMIT)
    squad = data.read_upload("squad", "mine.json", squad_doc(), LIMIT)
    for task, records in (("cola", cola), ("squad", squad)):
        folder = tmp_path / task
        folder.mkdir()
        for split in ("train", "dev"):
            data.save_split(task, split, records, folder)
        assert data.load_local(task, "train", folder) == records


def test_the_bundled_samples_are_small_valid_and_say_their_licence():
    sizes = {}
    for task, unit in (("cola", (1000, 200)), ("squad", (306, 124))):
        folder = data.sample_dir(task)
        assert folder is not None and folder.is_relative_to(data.SAMPLE_ROOT)
        train, dev = data.load_local(task, "train", folder), data.load_local(task, "dev", folder)
        assert (len(train), len(dev)) == unit
        sizes.update({p.name + task: p.stat().st_size for p in folder.iterdir()})
    assert sum(sizes.values()) < 300_000  # a small excerpt, not the data sets
    assert {r.label for r in data.load_local("cola", "dev", data.sample_dir("cola"))} == {0, 1}
    readme = (data.SAMPLE_ROOT / "README.md").read_text()
    assert (
        "CC BY-SA 4.0" in readme and "Warstadt" in readme and "python -m explorer.training.samples" in readme
    )


@pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")
def test_the_samples_are_rebuilt_byte_for_byte_from_the_shared_data(tmp_path):
    counts = samples.build(registry.SHARED_DATA, tmp_path)
    assert counts == {
        "cola/train.tsv": 1000,
        "cola/dev.tsv": 200,
        "squad/train.json": 306,
        "squad/dev.json": 124,
    }
    for name in counts:
        assert (tmp_path / name).read_bytes() == (data.SAMPLE_ROOT / name).read_bytes(), name
    shared = set((registry.SHARED_DATA / "cola" / "train.tsv").read_text().splitlines())
    assert set((tmp_path / "cola" / "train.tsv").read_text().splitlines()) <= shared  # verbatim rows


def test_counts_and_question_words():
    frame = datasets.counts(["a", "b", "a", "c", "a", "b"], top=2)
    assert frame.to_dict("records") == [{"value": "a", "count": 3}, {"value": "b", "count": 2}]
    assert datasets.first_words(["what is it?", "What's that?", "How many?", "  "]) == [
        "What",
        "What",
        "How",
        "?",
    ]
