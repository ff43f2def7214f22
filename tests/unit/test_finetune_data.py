"""Fine-tuning data and metrics: loaders for the original formats, bad files, MCC, EM/F1, SQuAD offsets."""

import json
import os

import numpy as np
import pytest

from explorer import models, registry
from explorer.training import data, metrics, squad

pytestmark = pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")


def test_cola_and_squad_load_with_their_documented_sizes():
    assert len(data.load("cola", "train")) == 8551
    assert len(data.load("cola", "dev")) == 527
    train, dev = data.load("squad", "train"), data.load("squad", "dev")
    assert len(train) == 5102 and len(dev) == 1696
    assert all(1 <= len(e.answers) <= 5 for e in dev)
    assert {r.label for r in data.load("cola", "dev")} == {0, 1}


def test_a_file_in_the_wrong_format_is_refused(tmp_path):
    (tmp_path / "train.tsv").write_text("just one column\n")
    with pytest.raises(data.DataError, match="expected 4 tab-separated columns"):
        data.load("cola", "train", data_dir=tmp_path)
    (tmp_path / "train.json").write_text("[1, 2, 3]")
    with pytest.raises(data.DataError, match="not SQuAD v1.1 JSON"):
        data.load("squad", "train", data_dir=tmp_path)


def test_a_third_class_is_refused(tmp_path):
    (tmp_path / "train.tsv").write_text("src\t2\t\tA sentence.\n")
    with pytest.raises(data.DataError, match="label '2' is not 0 or 1"):
        data.load("cola", "train", data_dir=tmp_path)


def test_an_answer_start_that_misses_its_text_is_refused(tmp_path):
    doc = {
        "data": [
            {
                "title": "t",
                "paragraphs": [
                    {
                        "context": "Paris is in France.",
                        "qas": [
                            {
                                "id": "q1",
                                "question": "Where?",
                                "answers": [{"text": "France", "answer_start": 3}],
                            }
                        ],
                    }
                ],
            }
        ]
    }
    (tmp_path / "dev.json").write_text(json.dumps(doc))
    with pytest.raises(data.DataError, match="answer_start 3 does not point at 'France'"):
        data.load("squad", "dev", data_dir=tmp_path)


def test_a_missing_folder_says_what_it_expected(tmp_path):
    with pytest.raises(data.DataError, match="expected train.tsv"):
        data.load("cola", "train", data_dir=tmp_path)


def test_mcc_and_confusion_against_a_hand_computed_case():
    labels, predicted = [1, 1, 1, 0, 0, 0, 1, 0], [1, 1, 0, 0, 0, 1, 1, 0]
    # TP=3 TN=3 FP=1 FN=1: MCC = (9 - 1) / sqrt(4 * 4 * 4 * 4) = 0.5
    scores = metrics.classification(labels, predicted)
    assert scores.mcc == pytest.approx(0.5)
    assert scores.accuracy == pytest.approx(0.75)
    assert scores.confusion.tolist() == [[3, 1], [1, 3]]
    assert metrics.classification([1, 1, 0], [1, 1, 1]).mcc == 0.0  # always "acceptable" scores 0


def test_squad_normalisation_exact_match_and_f1_by_hand():
    assert metrics.normalize_answer("The  Denver Broncos!") == "denver broncos"
    assert metrics.exact_match("the Denver Broncos", "Denver Broncos") == 1.0
    # prediction "denver broncos won", gold "denver broncos": precision 2/3, recall 1 -> F1 0.8
    assert metrics.f1("Denver Broncos won", "Denver Broncos") == pytest.approx(0.8)
    assert metrics.f1("Carolina", "Denver Broncos") == 0.0
    scores = metrics.squad_scores({"a": "Broncos", "b": "x"}, {"a": ["the Broncos", "Denver"], "b": ["y"]})
    assert scores.exact_match == pytest.approx(50.0) and scores.f1 == pytest.approx(50.0)


def test_offsets_map_every_gold_answer_back_to_its_text():
    tokenizer, _ = models.load_tokenizer(registry.family("bert"))
    examples = data.load("squad", "train")
    features = squad.train_features(tokenizer, examples, max_length=256, stride=64)
    assert len(features["input_ids"]) > len(examples)  # long contexts became several windows
    found = set()
    for i, (start, end) in enumerate(
        zip(features["start_positions"], features["end_positions"], strict=True)
    ):
        if start == 0:
            continue
        example = examples[features["example_index"][i]]
        answer, offsets = example.answers[0], features["offset_mapping"][i]
        a, b = offsets[start][0], offsets[end][1]
        context_from = features["input_ids"][i].index(tokenizer.sep_token_id) + 1  # offsets index the context
        token_starts = {o[0] for o in offsets[context_from:]}
        token_ends = {o[1] for o in offsets[context_from:]}
        if answer.start in token_starts and answer.start + len(answer.text) in token_ends:
            assert example.context[a:b] == answer.text
        else:  # the answer begins or ends inside a word piece: the span covers it exactly around
            assert a <= answer.start and b >= answer.start + len(answer.text)
        found.add(example.id)
    assert len(found) == len(examples)  # every answer lies wholly inside at least one window


def test_best_span_prefers_the_highest_start_plus_end_within_the_context():
    tokenizer, _ = models.load_tokenizer(registry.family("bert"))
    example = data.QAExample("q", "", "Paris is the capital of France.", "What is the capital?", ())
    features = squad.eval_features(tokenizer, [example], 64, 16)
    length = len(features["input_ids"][0])
    start, end = np.zeros((1, length)), np.zeros((1, length))
    position = next(i for i, o in enumerate(features["offset_mapping"][0]) if o and o[0] == 0)
    start[0, position], end[0, position] = 5.0, 5.0
    start[0, 0] = 50.0  # [CLS] is outside the context and must never be chosen
    assert squad.best_spans([example], features, start, end)["q"].text == "Paris"


def test_a_dev_sample_is_spread_over_every_article_in_order():
    dev = data.load("squad", "dev")
    sample = data.spread(dev, 10)
    assert len(sample) == 10 and {e.title for e in sample} == {e.title for e in dev}  # 5 articles, 2 each
    for title in {e.title for e in dev}:
        ids = [e.id for e in dev if e.title == title]
        assert [e.id for e in sample if e.title == title] == ids[:2]  # the first of each article, in order
    assert len(data.spread(dev, 10_000)) == len(dev)


def test_the_default_data_folder_is_one_that_exists_or_none(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "nowhere"))
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    assert data.default_dir("cola") is None  # no folder that does not exist is offered
    with pytest.raises(data.DataError, match="no local cola data"):
        data.load("cola", "train")
    prefetch = data.prefetch_dir("cola")
    prefetch.mkdir(parents=True)
    (prefetch / "train.tsv").write_text("src\t1\t\tA sentence.\n")
    assert data.default_dir("cola") == prefetch
    monkeypatch.setenv(data.DATA_ENV, str(registry.SHARED_DATA))
    assert data.default_dir("cola") == registry.SHARED_DATA / "cola"  # $EXPLORER_DATA comes first
    assert data.default_dir("sst2") is None  # a hub-only task has no local folder


def test_the_default_data_folder_is_found_when_the_environment_changes_between_two_looks(monkeypatch):
    class Vanishing(dict):
        """An environment that another thread empties just after a first look at a variable."""

        def __contains__(self, key) -> bool:
            found = super().__contains__(key)
            self.clear()
            return found

    monkeypatch.setattr(os, "environ", Vanishing({data.DATA_ENV: str(registry.SHARED_DATA)}))
    assert data.default_dir("cola") == registry.SHARED_DATA / "cola"  # it was a KeyError


@pytest.mark.parametrize("task", ["cola", "squad"])
def test_hub_records_saved_as_files_read_back_the_same_and_become_the_offline_default(
    task, tmp_path, monkeypatch
):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "nowhere"))
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    real = {split: data.load(task, split, data_dir=registry.SHARED_DATA / task) for split in ("train", "dev")}
    real["train"] = real["train"][:300]  # the hub's records, as load_hub returns them
    folder = data.save_local(task, load=lambda t, split: real[split])
    assert folder == data.prefetch_dir(task) == data.default_dir(task)
    for split in ("train", "dev"):
        assert data.load(task, split) == real[split]
