"""Eight sessions at once on one server: a cached tokenizer or model is shared, and each session must
still get its own settings, its own forward, one conversion, and no wait on another's download."""

import contextlib
import threading
import time

import huggingface_hub
import numpy as np
import pytest
import torch
import transformers
import transformers.utils.hub

from explorer import hub, models, registry
from explorer.families.albert import sharing
from explorer.families.bigbird import sparse
from explorer.families.reformer import lsh
from explorer.mechanics import attention, embeddings
from explorer.tokens.tokenize import tokenize
from explorer.training import distill_run, mlm_data

SESSIONS = 8
LONG = " ".join(f"The river bank number {n} floods in spring." for n in range(80))  # ~800 tokens


def together(work, n: int = SESSIONS) -> list:
    """work(i) in n threads released at one barrier, so they really meet; results by i, errors raised."""
    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=120)
            results[i] = work(i)
        except Exception as err:  # collected: an exception in a thread would not fail the test
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_eight_sessions_on_one_cached_tokenizer_each_get_their_own_truncation_and_padding():
    tok, _ = models.load_tokenizer(registry.family("bert"), online=False)
    full = len(tok(LONG)["input_ids"])

    def session(i: int) -> list[tuple[int, int]]:
        wrong = []
        for _ in range(40):
            if i % 4 == 1:  # cut, as the attention and embedding readers ask
                got, want = len(tok(LONG, truncation=True, max_length=16 + i)["input_ids"]), 16 + i
            elif i % 4 == 3:  # padded, as a fine-tune batch
                padded = tok("a short one", padding="max_length", max_length=40 + i)
                got, want = len(padded["input_ids"]), 40 + i
            else:  # uncut, as the Tokenization page counts a whole text
                got, want = tokenize(tok, LONG, 100_000).total_tokens, full
            if got != want:
                wrong.append((got, want))
        return wrong

    assert together(session) == [[]] * SESSIONS  # and no "Already borrowed" raised in any thread
    assert tok.backend_tokenizer.truncation is None  # this thread's view: nothing left set


def test_eight_sessions_reading_embeddings_and_layer_use_of_one_model_each_see_their_own_forward():
    bert = models.load(registry.family("bert"), "base", online=False)
    texts = [" ".join(["the river bank"] * (1 + i)) for i in range(SESSIONS)]
    alone = [embeddings.layernorm_input(bert.model, bert.tokenizer, text) for text in texts]
    layers = bert.model.config.num_hidden_layers

    def session(i: int) -> bool:
        for _ in range(6):
            if i % 2:
                use = sharing.layer_use(bert.model, bert.tokenizer, texts[i])
                if (use.runs, use.distinct) != (layers, layers):
                    return False
            else:
                own = embeddings.layernorm_input(bert.model, bert.tokenizer, texts[i])
                if own.shape != alone[i].shape or not np.allclose(own, alone[i], atol=1e-5):
                    return False
        return True

    assert all(together(session))


TINY_BIGBIRD = {**registry.TINY, "block_size": 4, "num_random_blocks": 2, "max_position_embeddings": 256}


def test_a_sparse_reading_sees_only_its_own_forward_while_other_sessions_run_the_model():
    model = sparse.build_cost_model("cpu", **TINY_BIGBIRD, vocab_size=100)
    ids = torch.randint(5, 100, (1, 64), generator=torch.Generator().manual_seed(0))
    alone = sparse.sparse_map(model, ids, 0, "eval")

    def session(i: int) -> bool:
        for _ in range(20):
            if i % 2:
                with torch.inference_mode():
                    model(input_ids=ids[:, : 48 + 4 * i])  # another page's forward on the cached model
            elif not np.array_equal(sparse.sparse_map(model, ids, 0, "eval").mass, alone.mass):
                return False
        return True

    assert all(together(session))


def test_seeded_readers_give_the_same_reading_and_leave_the_global_random_state_alone():
    """BigBird's random blocks in training mode come from numpy's global RNG, seeded per layer by
    transformers: a reading must put the state back, or every other session's numpy draws move."""
    bigbird = sparse.build_cost_model("cpu", **TINY_BIGBIRD, vocab_size=100)
    ids = torch.randint(5, 100, (1, 64), generator=torch.Generator().manual_seed(1))
    torch_state, numpy_state = torch.random.get_rng_state(), np.random.get_state()
    first = sparse.sparse_map(bigbird, ids, 0, "train")
    steps = lsh.hash_steps(torch.ones(64, 8), 4, 2, chunk=16, seed=3)
    sparse.cost_call(bigbird, "block_sparse", 64, seed=3)()
    models.random_model(registry.family("gpt2"), "base", 100, seed=3)
    assert np.array_equal(sparse.sparse_map(bigbird, ids, 0, "train").mass, first.mass)
    assert np.array_equal(lsh.hash_steps(torch.ones(64, 8), 4, 2, chunk=16, seed=3).buckets, steps.buckets)
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    after = np.random.get_state()
    assert np.array_equal(after[1], numpy_state[1]) and after[2] == numpy_state[2]


def test_eight_first_visitors_of_the_gpt_page_convert_the_offline_model_once(monkeypatch, tmp_path):
    """The GGUF -> safetensors conversion (faked small here) is done once and read whole by everyone."""
    if models.offline.packaged_path(registry.SMOLLM2.package, registry.SMOLLM2.path) is None:
        pytest.skip("the SmolLM2 package is not installed")
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path))
    real_model = transformers.AutoModelForCausalLM.from_pretrained
    real_tokenizer = transformers.AutoTokenizer.from_pretrained
    gpt2_tokenizer = models.load_tokenizer(registry.family("gpt2"), online=False)[0]
    conversions = []

    def read_model(name, **kwargs):
        if "gguf_file" not in kwargs:
            return real_model(name, **kwargs)
        conversions.append(name)
        time.sleep(0.2)  # a real read takes seconds: long enough for the others to arrive
        config = transformers.LlamaConfig(**registry.TINY, num_key_value_heads=2, vocab_size=100)
        return transformers.LlamaForCausalLM(config)

    def read_tokenizer(name, **kwargs):
        return gpt2_tokenizer if "gguf_file" in kwargs else real_tokenizer(name, **kwargs)

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", read_model)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", read_tokenizer)
    loaded = together(lambda i: models.load(registry.family("gpt2"), "lm", "cpu", None, False))
    assert len(conversions) == 1
    assert {item.source.kind for item in loaded} == {"packaged"}
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == [registry.SMOLLM2.name]


def test_a_slow_hub_download_does_not_keep_another_session_from_building_a_model(monkeypatch, tmp_path):
    bert = registry.family("bert")
    models.random_model(bert, "base", 30522).save_pretrained(tmp_path)
    models.load_tokenizer(bert, online=False)[0].save_pretrained(tmp_path)
    downloading, built, saw_build = threading.Event(), threading.Event(), []

    def slow_download(*_args, **_kwargs) -> str:
        downloading.set()
        saw_build.append(built.wait(timeout=60))  # another session builds while this one downloads
        return str(tmp_path)

    for module in (huggingface_hub, transformers.utils.hub):
        monkeypatch.setattr(module, "snapshot_download", slow_download)
        monkeypatch.setattr(module, "hf_hub_download", slow_download)
    monkeypatch.setattr(hub, "reachable", lambda: True)
    # the hub's metadata, asked before any download (hub.check_model): the tiny model's own files
    monkeypatch.setattr(hub, "hub_files", lambda _repo: hub.folder_files(tmp_path))
    result = {}
    loader = threading.Thread(
        target=lambda: result.update(loaded=models.load(bert, "base", "cpu", "someone/tiny-bert", True))
    )
    loader.start()
    assert downloading.wait(timeout=60)
    models.random_model(registry.family("gpt2"), "base", 500)  # takes the build lock
    built.set()
    loader.join()
    assert saw_build and all(saw_build)
    assert result["loaded"].source.kind == "hub" and result["loaded"].source.name == "someone/tiny-bert"


def test_a_live_run_leaves_the_process_thread_count_alone_for_every_other_session():
    """torch.set_num_threads is process-wide: a session starting while a chunk trained got its count."""
    from explorer.training.chunked import ChunkedRun

    before = torch.get_num_threads()
    threads = max(before, 2)  # at one (OMP_NUM_THREADS=1) a change to one could not be seen
    seen = []

    class Run(ChunkedRun):
        def train_step(self) -> None:
            other = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
            other.start()  # another session's script thread, starting while this chunk trains
            other.join()

    torch.set_num_threads(threads)
    try:
        Run(total_steps=3).advance(60.0)
        assert seen == [threads] * 3
        assert torch.get_num_threads() == threads
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize(
    "repo, fetched",
    [
        (
            [
                "config.json",
                "model.safetensors",
                "pytorch_model.bin",
                "tf_model.h5",
                "vocab.txt",
                "onnx/x.json",
            ],
            ["config.json", "model.safetensors", "vocab.txt"],
        ),
        (["config.json", "pytorch_model.bin", "flax_model.msgpack"], ["config.json", "pytorch_model.bin"]),
    ],
)
def test_a_download_fetches_what_from_pretrained_reads_and_no_other_copies(
    monkeypatch, tmp_path, repo, fetched
):
    from huggingface_hub.utils import filter_repo_objects

    def snapshot(repo_id, allow_patterns=None, ignore_patterns=None):
        for name in filter_repo_objects(repo, allow_patterns=allow_patterns, ignore_patterns=ignore_patterns):
            (tmp_path / name).write_text("{}")
        return str(tmp_path)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot)
    assert hub.fetch("someone/model") == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == fetched


@contextlib.contextmanager
def another_session_training_with_dropout():
    """While inside, a thread trains with dropout drawn from torch's global RNG, as any code may."""
    stop = threading.Event()

    def train() -> None:
        layer = torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.Dropout(0.1)).train()
        while not stop.is_set():
            layer(torch.ones(4, 16)).sum().backward()

    thread = threading.Thread(target=train, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_hole3_seeded_builds_match_while_another_thread_trains_with_dropout():
    family = registry.family("bert")
    alone = models.random_model(family, "mlm", 100, seed=0).state_dict()
    with another_session_training_with_dropout():
        builds = [models.random_model(family, "mlm", 100, seed=0).state_dict() for _ in range(5)]
    for build in builds:
        assert all(torch.equal(build[name], alone[name]) for name in alone)


def test_hole3_a_live_distillation_with_dropout_repeats_itself_beside_another_session(bert_tokenizer):
    teacher = models.random_model(registry.family("bert"), "mlm", len(bert_tokenizer)).eval()
    corpus = [f"Sentence {i} is about the river bank and the old mill near the town." for i in range(12)]
    data = mlm_data.encode_corpus(bert_tokenizer, corpus, 24)
    config = distill_run.DistillConfig(steps=4, batch_size=4)

    def history() -> list:
        run = distill_run.Distillation(teacher, bert_tokenizer, data, config)
        assert {m.p for m in run.student.modules() if isinstance(m, torch.nn.Dropout)} == {0.1}
        while not run.finished:
            run.advance(0.0)
        return run.history

    alone = history()
    with another_session_training_with_dropout():
        assert history() == alone  # the student's dropout masks are the run's own


def test_hole3_reformer_hashes_with_its_own_seed_beside_another_session(bert_tokenizer):
    reformer = models.random_model(registry.family("reformer"), "base", len(bert_tokenizer)).eval()
    text = " ".join(["the river bank floods in spring"] * 12)  # 74 tokens: LSH chunks of 16
    alone = attention.attention_maps(reformer, bert_tokenizer, text, None, 128)
    with another_session_training_with_dropout():
        beside = attention.attention_maps(reformer, bert_tokenizer, text, None, 128)
    assert np.array_equal(beside.maps, alone.maps)  # the same LSH rotations, so the same buckets
