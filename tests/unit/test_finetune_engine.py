"""The fine-tune engine: it learns, it never touches the shared model, its results are honest, and it
refuses bad settings with a reason."""

import os
import threading

import pytest

from explorer import device, limits, models, registry
from explorer.training import data, metrics
from explorer.training.finetune import ConfigError, FinetuneConfig, Levers, engine, levers, parallel, run
from explorer.training.finetune.__main__ import main

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
    return float(sum(p.detach().double().sum() for p in model.parameters()))


def small(**changes) -> FinetuneConfig:
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
    return FinetuneConfig(**{**settings, **changes})


def test_a_few_steps_lower_the_loss_and_leave_the_shared_model_alone(tiny_classifier):
    before = checksum(tiny_classifier.model)
    seen = []
    result = run(small(), base=tiny_classifier, on_progress=seen.append)
    assert checksum(tiny_classifier.model) == before  # the cached model is never trained
    assert checksum(result.model) != before
    losses = [loss for _, loss in result.losses]
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3
    assert [e.epoch for e in result.evaluations] == [1.0, 2.0, 3.0]
    assert {"mcc", "accuracy", "f1"} == set(result.final)
    assert any(p.evaluation for p in seen) and seen[-1].step == seen[-1].total_steps == 24
    assert sum(map(sum, result.report.confusion)) == 64
    assert result.source.name == "tiny BERT"  # the model actually trained is named, not a hub id


def test_the_same_settings_and_seed_give_the_same_result(tiny_classifier):
    first = run(small(epochs=1), base=tiny_classifier)
    second = run(small(epochs=1), base=tiny_classifier)
    assert first.final == second.final and first.losses == second.losses


def test_bfloat16_autocast_on_a_cpu_that_has_it_keeps_float32_weights(tiny_classifier, monkeypatch):
    import torch

    monkeypatch.setattr(device, "cpu_has_bf16", lambda: True)
    mixed = run(small(epochs=1), base=tiny_classifier, levers=Levers(bf16_cpu=True))
    plain = run(small(epochs=1), base=tiny_classifier, levers=Levers(bf16_cpu=False))
    assert {p.dtype for p in mixed.model.parameters()} == {torch.float32}
    assert mixed.losses != plain.losses  # the matmuls ran in bfloat16 ...
    assert abs(mixed.losses[0][1] - plain.losses[0][1]) < 0.05  # ... to about the same loss
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: False)  # emulated bfloat16 is slower: not used
    assert run(small(epochs=1), base=tiny_classifier, levers=Levers(bf16_cpu=True)).losses == plain.losses


@pytest.mark.parametrize("value, expected", [("1", "bfloat16"), ("0", "float32")])
def test_an_environment_variable_forces_bfloat16_on_the_cpu_on_or_off(monkeypatch, value, expected):
    monkeypatch.setenv(device.BF16_VAR, value)
    device.cpu_has_bf16.cache_clear()
    try:
        assert levers.precision("cpu", Levers()) == expected
        assert levers.precision("cpu", Levers(bf16_cpu=False)) == "float32"  # the lever still wins
        monkeypatch.setenv(device.BF16_VAR, "yes")
        device.cpu_has_bf16.cache_clear()
        with pytest.raises(ValueError, match="EXPLORER_CPU_BF16"):
            device.cpu_has_bf16()
    finally:
        monkeypatch.delenv(device.BF16_VAR)
        device.cpu_has_bf16.cache_clear()


def test_the_new_head_gets_its_own_learning_rate_and_dropout_can_be_turned_off(tiny_classifier):
    import torch

    config = small(dropout=0.0, head_lr_scale=10.0)
    model = levers.training_copy(tiny_classifier.model, "cpu", Levers(), config.dropout)
    assert {m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)} == {0.0}
    assert {m.p for m in tiny_classifier.model.modules() if isinstance(m, torch.nn.Dropout)} == {0.1}
    optimizer, _ = levers.build_optimizer(model, config, Levers(), total=10)
    body, head = optimizer.param_groups
    pooler, classifier = model.bert.pooler.dense, model.classifier
    assert head["params"] == [pooler.weight, pooler.bias, classifier.weight, classifier.bias]
    assert head["initial_lr"] == 10 * body["initial_lr"] == 10 * config.learning_rate
    with pytest.raises(ConfigError, match="dropout"):
        small(dropout=1.0).validate()


def test_frozen_word_embeddings_stay_as_they_were_while_the_rest_learns(tiny_classifier):
    import torch

    words = tiny_classifier.model.get_input_embeddings().weight.detach().clone()
    result = run(small(epochs=1, freeze_embeddings=True), base=tiny_classifier)
    assert torch.equal(result.model.get_input_embeddings().weight, words)
    layer = result.model.bert.encoder.layer[0].attention.self.query.weight
    assert not torch.equal(layer, tiny_classifier.model.bert.encoder.layer[0].attention.self.query.weight)
    assert result.model.get_input_embeddings().weight.grad is None  # no gradient was computed for it
    frozen = levers.training_copy(tiny_classifier.model, "cpu", Levers(), freeze_embeddings=True)
    optimizer, _ = levers.build_optimizer(frozen, small(), Levers(), 10)
    shapes = {tuple(p.shape) for group in optimizer.param_groups for p in group["params"]}
    assert tuple(words.shape) not in shapes  # nor does AdamW keep moments for it
    trained = run(small(epochs=1), base=tiny_classifier)  # the default trains them
    assert not torch.equal(trained.model.get_input_embeddings().weight, words)


def test_stop_reports_the_metrics_of_the_model_it_returns(tiny_classifier):
    stop = threading.Event()

    def stop_at_step_12(progress):
        if progress.step == 12:
            stop.set()

    config = small(epochs=3)  # 8 steps an epoch: the stop comes in the middle of the second
    result = run(config, base=tiny_classifier, on_progress=stop_at_step_12, stop=stop)
    assert result.stopped and [e.step for e in result.evaluations] == [8, 12]  # evaluated at the stop
    _, dev = engine.records(config)
    fresh = engine.evaluate(result.model, result.tokenizer, config, dev)
    assert fresh.metrics == result.final and fresh.predicted == result.report.predicted


def test_each_run_tokenizes_with_its_own_tokenizer(tiny_classifier):
    results, errors = [], []

    def one() -> None:
        try:
            results.append(run(small(epochs=1, train_size=64), base=tiny_classifier))
        except Exception as err:  # "Already borrowed" when a fast tokenizer is shared across threads
            errors.append(err)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 2
    assert all(r.tokenizer is not tiny_classifier.tokenizer for r in results)
    assert results[0].tokenizer is not results[1].tokenizer


def test_starting_a_run_leaves_the_environment_to_the_other_threads(monkeypatch):
    """accelerate's Accelerator() emptied os.environ for a moment (to_kwargs): a second run started in
    another thread then found no EXPLORER_DATA ("no local cola data"), one fresh-clone CI run in many."""
    unset, removed = os.unsetenv, []

    def watch(key) -> None:  # os.environ's every deletion calls os.unsetenv
        removed.append(key.decode() if isinstance(key, bytes) else key)
        unset(key)

    with monkeypatch.context() as patched:
        patched.setattr(os, "unsetenv", watch)
        parallel.accelerator("cpu")
    assert removed == []


def test_length_grouping_changes_the_padding_not_the_examples_seen(tiny_classifier):
    grouped = run(small(epochs=1), base=tiny_classifier, levers=Levers())
    random = run(small(epochs=1), base=tiny_classifier, levers=Levers(group_by_length=False))
    assert len(grouped.losses) == len(random.losses) == 8
    assert grouped.samples_per_s > 0 and random.samples_per_s > 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_size": 0}, "batch size 0"),
        ({"batch_size": 100_000}, "batch size 100000"),
        ({"learning_rate": 10.0}, "learning rate 10"),
        ({"train_size": 0}, "at least one example"),
        ({"task": "nope"}, "unknown task"),
        ({"batch_size": 100, "train_size": 64}, "batch size 100 is larger than the training set"),
        ({"model_id": "./no/such/folder"}, "model folder ./no/such/folder does not exist"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(tiny_classifier, changes, message):
    with pytest.raises(ConfigError, match=message):
        run(small(**changes), base=tiny_classifier)


def test_a_model_without_a_classification_head_is_refused(bert_tokenizer):
    loaded = tiny("base", bert_tokenizer)
    with pytest.raises(ConfigError, match="no SequenceClassification head"):
        run(small(), base=loaded)


def test_squad_scores_are_the_official_em_and_f1_of_its_spans_over_every_dev_article(bert_tokenizer):
    config = FinetuneConfig(
        task="squad",
        train_size=32,
        eval_size=20,
        epochs=1,
        batch_size=8,
        learning_rate=1e-3,
        max_length=128,
        stride=32,
    )
    result = run(config, base=tiny("qa", bert_tokenizer))
    _, dev = engine.records(config)
    spans = result.report.spans
    assert set(spans) == {e.id for e in dev} and len(dev) == 20
    assert {e.title for e in dev} == {e.title for e in data.load("squad", "dev")}  # all 5 articles
    official = metrics.squad_scores(
        {qid: span.text for qid, span in spans.items()}, {e.id: [a.text for a in e.answers] for e in dev}
    )
    assert result.final == {"exact_match": official.exact_match, "f1": official.f1}
    assert result.final["exact_match"] <= result.final["f1"]


class Seen(Exception):
    """Raised by a stand-in for the engine once it has seen the config it was given."""


def test_the_command_line_runs_the_registry_defaults_of_this_device(monkeypatch):
    seen = []

    def capture(config, **_):
        seen.append(config)
        raise Seen

    monkeypatch.setattr("explorer.training.finetune.run", capture)
    with pytest.raises(Seen):
        main(["--task", "cola"])
    expected = FinetuneConfig.defaults(
        "cola",
        device.pick_device(),
        model_id="bert-base-uncased",
        data_dir=str(data.default_dir("cola")),
    )
    assert seen == [expected]


def test_the_command_line_trains_and_refuses_bad_input(capsys):
    args = ["--task", "cola", "--train-size", "32", "--eval-size", "32", "--batch-size", "16"]
    code = main([*args, "--max-length", "32", "--epochs", "1"])
    out = capsys.readouterr().out
    assert code == 0 and '"metrics"' in out and "steps/s" in out
    with pytest.raises(SystemExit):
        main(["--task", "cola", "--learning-rate", "10"])
    with pytest.raises(SystemExit):
        main(["--task", "cola", "--model", "/no/such/folder"])


def test_bfloat16_autocast_on_a_gpu_only_where_it_is_native_not_emulated(monkeypatch):
    import warnings

    import torch

    # a GPU before Ampere emulates bfloat16: supported with emulation counted, not without
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: including_emulation)
    assert not isinstance(levers.autocast("cuda", Levers()), torch.autocast)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
    with warnings.catch_warnings():  # this machine may have no CUDA to autocast on
        warnings.simplefilter("ignore")
        native = levers.autocast("cuda", Levers())
    assert isinstance(native, torch.autocast) and native.fast_dtype == torch.bfloat16


def test_threads_is_a_setting_every_core_by_default_shared_by_a_launch(tiny_classifier, monkeypatch):
    import torch

    monkeypatch.setenv("EXPLORER_THREADS", "8")  # as if this process may use 8 cores
    monkeypatch.delenv("LOCAL_WORLD_SIZE", raising=False)
    assert small().thread_count() == 8 and small(threads=3).thread_count() == 3
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "2")  # accelerate launch started 2 processes here
    assert small().thread_count() == 4 and small(threads=3).thread_count() == 3
    seen = []
    before = torch.get_num_threads()
    try:
        run(
            small(epochs=1, threads=1),
            base=tiny_classifier,
            on_progress=lambda p: seen.append(torch.get_num_threads()),
        )
    finally:
        torch.set_num_threads(before)
    assert set(seen) == {1}
    with pytest.raises(ConfigError, match="threads -1"):
        small(threads=-1).validate()


def test_the_command_line_passes_threads_on(monkeypatch):
    seen = []

    def capture(config, **_):
        seen.append(config)
        raise Seen

    monkeypatch.setattr("explorer.training.finetune.run", capture)
    with pytest.raises(Seen):
        main(["--task", "cola", "--threads", "3"])
    assert seen[0].threads == 3


@pytest.mark.parametrize(("rows", "processes"), [(16, 2), (7, 2), (7, 3), (2, 4)])
def test_each_process_share_of_a_batch_adds_up_to_the_whole_batch(rows, processes):
    index = list(range(100, 100 + rows))
    shares = [parallel.share(index, rank, processes) for rank in range(processes)]
    real = [mine for mine, weight in shares if weight > 0]
    assert sorted(i for mine in real for i in mine) == index  # every row once, in one process
    assert sum(weight for _, weight in shares) == pytest.approx(processes)
    assert all(mine for mine, _ in shares)  # every process runs a forward and joins the sync


def test_the_weighted_shares_give_the_gradient_of_the_whole_batch(tiny_classifier):
    """What DDP averages over 2 processes (weighted share losses) is the one-process batch gradient."""
    import torch

    from explorer.training import batching

    config = small(dropout=0.0)
    model = levers.training_copy(tiny_classifier.model, "cpu", Levers(), config.dropout)
    train, _ = engine.records(config)
    rows = engine.features(config, tiny_classifier.tokenizer, train)
    index, pad = [3, 1, 4, 15, 9, 2, 6], tiny_classifier.tokenizer.pad_token_id

    def grads(loss):
        model.zero_grad()
        loss.backward()
        return torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])

    whole = grads(model(**batching.collate(rows, index, pad)).loss)
    total = 0
    for rank in range(2):
        mine, weight = parallel.share(index, rank, 2)
        total = total + grads(model(**batching.collate(rows, mine, pad)).loss * weight) / 2
    assert torch.allclose(total, whole, atol=1e-6)


@pytest.mark.parametrize(
    ("setting", "value", "changes", "message"),
    [
        ("EXPLORER_MAX_BATCH", "8", {"batch_size": 16}, r"batch size 16 is above this server's limit of 8"),
        ("EXPLORER_MAX_LENGTH", "16", {"max_length": 32}, "max length 32 is above this server's limit of 16"),
        ("EXPLORER_MAX_TRAIN_SIZE", "100", {}, "training set size 128 is above this server's limit of 100"),
        ("EXPLORER_MAX_EPOCHS", "2", {}, "epochs 3 is above this server's limit of 2"),
    ],
)
def test_hole4_fine_tune_settings_past_a_limit_are_refused_before_work_starts(
    tiny_classifier, monkeypatch, setting, value, changes, message
):
    monkeypatch.setenv(setting, value)
    with pytest.raises(ConfigError, match=rf"{message} \({setting}\)"):
        small(**changes).validate()
    seen = []
    with pytest.raises(ConfigError, match=message):
        run(small(**changes), base=tiny_classifier, on_progress=seen.append)
    assert not seen  # refused before a step
    small(**changes).validate(allowed=limits.UNLIMITED)  # the command line's own runs


def test_hole4_a_fine_tune_at_the_step_limit_stops_evaluates_and_says_why(tiny_classifier, monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_RUN_STEPS", "5")
    seen = []
    config = small(epochs=3)  # a plan of 24 steps
    result = run(config, base=tiny_classifier, on_progress=seen.append)
    assert result.stopped and (result.limit, result.limit_value) == ("steps", 5.0)
    assert [e.step for e in result.evaluations] == [5] and seen[-1].evaluation.step == 5
    assert seen[-1].total_steps == 24  # stopped on the way, with the run's own schedule
    _, dev = engine.records(config)
    fresh = engine.evaluate(result.model, result.tokenizer, config, dev)
    assert fresh.metrics == result.final  # the scores are of the model returned


def test_hole4_a_fine_tune_past_its_seconds_stops_after_the_step_under_way(tiny_classifier, monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_RUN_SECONDS", "1e-9")  # over before the first step ends
    result = run(small(epochs=3), base=tiny_classifier)
    assert result.stopped and (result.limit, result.limit_value) == ("seconds", 1e-9)
    assert [e.step for e in result.evaluations] == [1]
    unlimited = run(small(epochs=1), base=tiny_classifier, allowed=limits.UNLIMITED)
    assert not unlimited.stopped and unlimited.limit == "" and unlimited.evaluations[-1].step == 8


def test_hole4_the_command_line_runs_without_the_servers_limits(monkeypatch):
    seen = []

    def capture(config, **kwargs):
        seen.append(kwargs["allowed"])
        raise Seen

    monkeypatch.setenv("EXPLORER_MAX_RUN_STEPS", "1")
    monkeypatch.setattr("explorer.training.finetune.run", capture)
    with pytest.raises(Seen):
        main(["--task", "cola"])
    assert seen == [limits.UNLIMITED]  # the machine's own user; a page's child reads the environment
