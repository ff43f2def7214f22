"""The fine-tune engine: it learns, it never touches the shared model, it refuses bad settings."""

import threading

import pytest

from explorer import finetune, models, registry

pytestmark = pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")


def tiny(head: str, tokenizer) -> models.Loaded:
    """A tiny random BERT with the given head, as the cached shared model would be handed over."""
    model = models.random_model(registry.family("bert"), head, len(tokenizer)).eval()
    source = models.Source("random", "tiny BERT")
    return models.Loaded(model, tokenizer, source, source, "bert", head, "cpu")


@pytest.fixture(scope="module")
def tiny_classifier(bert_tokenizer):
    return tiny("cls", bert_tokenizer)


def checksum(model) -> float:
    return float(sum(p.double().sum() for p in model.parameters()))


def small(**changes) -> finetune.FinetuneConfig:
    settings = dict(
        task="cola",
        train_size=128,
        eval_size=64,
        epochs=3,
        batch_size=16,
        learning_rate=1e-3,
        max_length=32,
        seed=0,
    )
    return finetune.FinetuneConfig(**{**settings, **changes})


def test_a_few_steps_lower_the_loss_and_leave_the_shared_model_alone(tiny_classifier):
    before = checksum(tiny_classifier.model)
    seen = []
    result = finetune.run(small(), base=tiny_classifier, on_progress=seen.append)
    assert checksum(tiny_classifier.model) == before  # the cached model is never trained
    assert checksum(result.model) != before
    losses = [loss for _, loss in result.losses]
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3
    assert [e["epoch"] for e in result.evaluations] == [1.0, 2.0, 3.0]
    assert {"mcc", "accuracy", "f1"} <= set(result.final)
    assert any(p.evaluation for p in seen) and seen[-1].step == seen[-1].total_steps
    assert sum(map(sum, result.details["confusion"])) == 64


def test_the_same_settings_and_seed_give_the_same_result(tiny_classifier):
    first = finetune.run(small(epochs=1), base=tiny_classifier)
    second = finetune.run(small(epochs=1), base=tiny_classifier)
    assert first.final == second.final and first.losses == second.losses


def test_stopping_ends_the_run_cleanly(tiny_classifier):
    stop = threading.Event()
    stop.set()
    result = finetune.run(small(), base=tiny_classifier, stop=stop)
    assert result.stopped and len(result.evaluations) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_size": 0}, "batch size 0"),
        ({"batch_size": 100_000}, "batch size 100000"),
        ({"learning_rate": 10.0}, "learning rate 10"),
        ({"train_size": 0}, "at least one example"),
        ({"task": "nope"}, "unknown task"),
        ({"batch_size": 500}, "larger than the training set"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(tiny_classifier, changes, message):
    with pytest.raises(finetune.ConfigError, match=message):
        finetune.run(small(**changes), base=tiny_classifier)


def test_a_model_without_a_classification_head_is_refused(bert_tokenizer):
    loaded = tiny("base", bert_tokenizer)
    with pytest.raises(finetune.ConfigError, match="no SequenceClassification head"):
        finetune.run(small(), base=loaded)


def test_squad_trains_a_qa_head_and_scores_em_f1(bert_tokenizer):
    loaded = tiny("qa", bert_tokenizer)
    config = finetune.FinetuneConfig(
        task="squad",
        train_size=32,
        eval_size=16,
        epochs=1,
        batch_size=8,
        learning_rate=1e-3,
        max_length=128,
        stride=32,
    )
    result = finetune.run(config, base=loaded)
    assert set(result.final) == {"exact_match", "f1"} and 0 <= result.final["f1"] <= 100
    assert len(result.details["spans"]) == 16


def test_the_command_line_runs_the_same_engine(capsys):
    code = finetune.main(
        [
            "--task",
            "cola",
            "--train-size",
            "32",
            "--eval-size",
            "32",
            "--batch-size",
            "16",
            "--max-length",
            "32",
            "--epochs",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and '"metrics"' in out and "steps/s" in out
    with pytest.raises(SystemExit):
        finetune.main(["--task", "cola", "--learning-rate", "10"])
