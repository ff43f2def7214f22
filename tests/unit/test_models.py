"""The loader: hub id, local folder, packaged offline sources and tiny random weights."""

import pytest
import torch

from explorer import models, registry
from explorer.models import load, load_tokenizer, random_model


def test_offline_tokenizers_say_where_they_come_from():
    assert load_tokenizer(registry.family("bert"), online=False)[1].kind == "packaged"
    assert load_tokenizer(registry.family("gpt2"), online=False)[1].kind == "packaged"
    assert load_tokenizer(registry.family("albert"), online=False)[1].kind == "shipped"
    assert load_tokenizer(registry.family("roberta"), online=False)[1].kind == "shipped"
    assert load_tokenizer(registry.family("reformer"), online=False)[1].kind == "trained"


def test_a_missing_model_id_falls_back_with_the_reason():
    tok, source = load_tokenizer(registry.family("bert"), "no-such-user/no-such-model", online=False)
    assert source.kind == "packaged"
    assert "no-such-user/no-such-model" in source.reason
    assert tok.convert_tokens_to_ids("hello") == 7592


def test_bert_encoder_offline_is_the_real_pretrained_minilm():
    loaded = load(registry.family("bert"), "base", online=False)
    assert loaded.source.kind == "packaged"
    assert loaded.source.pretrained
    assert loaded.model.config.num_hidden_layers == 6
    assert loaded.model.config.hidden_size == 384
    assert not loaded.model.training


def test_eager_attention_returns_rows_that_sum_to_one():
    loaded = load(registry.family("bert"), "base", online=False)
    batch = loaded.tokenizer("The bank of the river.", return_tensors="pt")
    with torch.inference_mode():
        attentions = loaded.model(**batch, output_attentions=True).attentions
    stacked = torch.stack(attentions)[:, 0]  # (L, H, T, T)
    assert stacked.shape[:2] == (6, 12)
    assert torch.allclose(stacked.sum(-1), torch.ones(stacked.shape[:-1]), atol=1e-5)


def test_a_head_the_package_lacks_runs_on_labelled_random_weights():
    loaded = load(registry.family("bert"), "mlm", online=False)
    assert loaded.source.kind == "random"
    assert not loaded.source.pretrained
    assert loaded.model.config.hidden_size == registry.TINY["hidden_size"]
    assert loaded.model.config.vocab_size == len(loaded.tokenizer)


def _assert_causal(model, ids: torch.Tensor) -> None:
    """Every layer's and head's attention is a distribution over the token and those before it."""
    with torch.inference_mode():
        attention = torch.stack(model(ids, output_attentions=True).attentions)[:, 0]  # (L, H, T, T)
    assert torch.all(torch.triu(attention, diagonal=1) == 0)
    assert torch.allclose(attention.sum(-1), torch.ones(attention.shape[:-1]), atol=1e-5)
    assert torch.all(attention[..., 0, 0] == 1)  # the first token can only look at itself


def test_the_offline_decoder_is_the_packaged_smollm2_and_its_attention_is_causal():
    loaded = load(registry.family("gpt2"), "lm", online=False)
    assert loaded.source.kind == "packaged" and loaded.source.pretrained
    assert loaded.source.name == "SmolLM2-135M-Instruct"
    assert loaded.model.config.model_type == "llama"
    _assert_causal(
        loaded.model, loaded.tokenizer("one two three four five", return_tensors="pt")["input_ids"]
    )


def test_gpt2_with_random_weights_is_gpt2_and_its_attention_is_causal(gpt2_tokenizer):
    model = random_model(registry.family("gpt2"), "lm", len(gpt2_tokenizer)).eval()
    assert type(model).__name__ == "GPT2LMHeadModel"
    assert (model.config.n_layer, model.config.n_head) == (2, 4)
    _assert_causal(model, gpt2_tokenizer("one two three four five", return_tensors="pt")["input_ids"])


def _sample_ids(family: registry.Family, length: int) -> torch.Tensor:
    return torch.randint(5, 90, (1, length), generator=torch.Generator().manual_seed(0))


HIDDEN = 32  # every tiny config's width (hidden_size, n_embd or dim)
VOCAB = 100


def _expected(key: str, head: str, length: int) -> dict[str, tuple[int, ...]]:
    """The output each head must give for one sequence: per-token states, logits over the vocabulary,
    two sentence-level classes, one span score per token, or one replaced-or-not score per token."""
    width = 2 * HIDDEN if key == "reformer" else HIDDEN  # Reformer concatenates its two reversible streams
    return {
        "base": {"last_hidden_state": (1, length, width)},
        "lm": {"logits": (1, length, VOCAB)},
        "mlm": {"logits": (1, length, VOCAB)},
        "pretraining": {"prediction_logits": (1, length, VOCAB)},
        "nsp": {"logits": (1, 2)},
        "cls": {"logits": (1, 2)},
        "qa": {"start_logits": (1, length), "end_logits": (1, length)},
        "rtd": {"logits": (1, length)},
    }[head]


@pytest.mark.parametrize(("key", "head"), [(f.key, h) for f in registry.FAMILIES.values() for h in f.heads])
def test_every_family_and_head_gives_outputs_of_its_head_shape(key, head):
    family = registry.family(key)
    model = random_model(family, head, vocab_size=VOCAB).eval()
    length = 64 if key in {"bigbird", "reformer"} else 12  # long enough for block-sparse attention
    with torch.inference_mode():
        out = model(input_ids=_sample_ids(family, length))
    for name, shape in _expected(key, head, length).items():
        assert tuple(out[name].shape) == shape, name
        assert torch.isfinite(out[name]).all(), name


def test_random_weights_are_reproducible():
    family = registry.family("bert")
    first, second = (random_model(family, "base", 100, seed=3) for _ in range(2))
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)


def test_a_local_folder_is_loaded_from_disk(tmp_path, bert_tokenizer):
    family = registry.family("bert")
    random_model(family, "base", vocab_size=len(bert_tokenizer)).save_pretrained(tmp_path)
    bert_tokenizer.save_pretrained(tmp_path)
    loaded = load(family, "base", model_id=str(tmp_path), online=False)
    assert loaded.source.kind == "local"
    assert loaded.tokenizer_source.kind == "local"
    assert loaded.model.config.hidden_size == registry.TINY["hidden_size"]


def test_an_unknown_head_is_refused():
    with pytest.raises(ValueError, match="no 'nsp' head"):
        load(registry.family("gpt2"), "nsp", online=False)


def test_sources_know_their_kinds():
    assert set(models.KINDS) == {"local", "hub", "cache", "packaged", "shipped", "trained", "random"}


def test_a_new_head_starts_from_the_same_weights_on_every_load():
    first = load(registry.family("bert"), "cls", online=False).model.classifier.weight
    second = load(registry.family("bert"), "cls", online=False).model.classifier.weight
    assert torch.equal(first, second)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("x" * 100_000, "too_long"),
        ("a" * 260, "not_an_id"),  # one path component over 255 bytes: OSError from the file system
        ("../../etc/passwd", "outside"),  # a place on disk outside the allowed roots (explorer.paths)
        ("a\x00b", "control"),
        ("<script>alert(1)</script>", "not_an_id"),
    ],
)
def test_a_model_field_that_is_no_folder_or_hub_id_falls_back_with_its_reason(name, kind):
    with pytest.raises(models.BadModelId) as refused:
        models.model_place(name)
    assert refused.value.kind == kind
    tok, source = load_tokenizer(registry.family("bert"), name, online=False)
    assert source.kind == "packaged"
    assert "neither a folder on this machine nor a hub id" in source.reason
    assert tok.convert_tokens_to_ids("hello") == 7592


def test_folders_and_hub_ids_are_told_apart(tmp_path):
    assert models.model_place(str(tmp_path)) == "local"
    assert models.model_place("bert-base-uncased") == "hub"
    assert models.model_place("klue/bert-base") == "hub"


def test_a_head_the_checkpoint_lacks_is_labelled_a_random_head_on_a_pretrained_encoder(
    tmp_path, bert_tokenizer
):
    family = registry.family("bert")
    random_model(family, "base", vocab_size=len(bert_tokenizer)).save_pretrained(tmp_path)  # encoder only
    bert_tokenizer.save_pretrained(tmp_path)
    encoder = load(family, "base", model_id=str(tmp_path), online=False).source
    assert encoder.kind == "local" and encoder.pretrained and not encoder.random_head
    masked = load(family, "mlm", model_id=str(tmp_path), online=False).source
    assert masked.kind == "local"
    assert masked.random_head and not masked.pretrained
    assert any(name.startswith("cls.predictions") for name in masked.new_weights)
    assert not any(name.startswith("bert.encoder") for name in masked.new_weights)


def test_the_packaged_encoder_with_a_new_classifier_says_so():
    source = load(registry.family("bert"), "cls", online=False).source
    assert source.kind == "packaged"
    assert source.new_weights == ("classifier.bias", "classifier.weight")


def test_out_of_memory_on_the_device_runs_on_the_cpu_and_says_so(monkeypatch):
    """A CUDA OOM while moving the model is not a loading error: same weights, on the CPU, said plainly."""
    moved = torch.nn.Module.to

    def to(module, *args, **kwargs):
        if args and str(args[0]).startswith("cuda"):
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return moved(module, *args, **kwargs)

    monkeypatch.setattr(torch.nn.Module, "to", to)
    loaded = load(registry.family("bert"), "base", device="cuda", online=False)
    assert loaded.source.kind == "packaged"  # the real model, not a fallback source
    assert loaded.source.name == "all-MiniLM-L6-v2"
    assert loaded.device == "cpu"
    assert "out of memory" in loaded.device_note
    assert next(loaded.model.parameters()).device.type == "cpu"


def test_a_hub_that_stops_answering_is_given_up_on_with_its_reason(monkeypatch):
    """After one connection failure, later loads go straight to the offline sources."""
    from explorer import hub

    tried, real = [], models._from_pretrained

    def unreachable(repo_id, weights=True):  # the download, before anything is built
        tried.append("hub")
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    def not_cached(cls, name):
        if name != "bert-base-uncased":  # the packaged model's folder
            return real(cls, name)
        tried.append("cache")
        raise OSError("not in the cache")

    monkeypatch.setattr(hub, "fetch", unreachable)
    monkeypatch.setattr(models, "_from_pretrained", not_cached)
    monkeypatch.setattr(hub, "hub_online", lambda: True)
    monkeypatch.setattr(hub, "_lost", [])
    first = load(registry.family("bert"), "base", online=True)
    assert first.source.kind == "packaged"
    assert "hub bert-base-uncased: OSError: We couldn't connect" in first.source.reason
    assert not hub.reachable() and "couldn't connect" in hub.lost_reason()
    tried.clear()
    second = load(registry.family("bert"), "base", online=True)
    assert second.source.kind == "packaged"
    assert tried == ["cache"]  # the hub was not tried again


def test_a_missing_repo_is_not_a_lost_hub():
    from explorer import hub

    assert hub.is_network_error(OSError("We couldn't connect to 'https://huggingface.co' to load the files"))
    missing = OSError("bert-base-uncased2 is not a local folder and is not a valid model identifier")
    assert not hub.is_network_error(missing)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_real_cuda_out_of_memory_runs_the_model_on_the_cpu_and_says_so():
    """Fill the GPU, then load: the move fails for real, and the same weights run on the CPU."""
    free, _ = torch.cuda.mem_get_info()
    hog = torch.empty(max(free - (8 << 20), 0), dtype=torch.uint8, device="cuda")  # leave 8 MB
    try:
        loaded = load(registry.family("bert"), "base", device="cuda", online=False)
    finally:
        del hog
        torch.cuda.empty_cache()
    assert loaded.device == "cpu"
    assert "out of memory" in loaded.device_note.lower()
    assert next(loaded.model.parameters()).device.type == "cpu"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"config.json": "{not json"}, "local"),
        ({"config.json": '{"model_type": "bert"}', "model.safetensors": "garbage"}, "local"),
        ({"README.md": "an empty model folder"}, "local"),
    ],
    ids=["bad-config", "corrupt-weights", "no-files"],
)
def test_a_corrupt_local_folder_falls_back_and_says_which_folder_failed(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    loaded = load(registry.family("bert"), "base", model_id=str(tmp_path), online=False)
    assert loaded.source.kind == "packaged"
    assert loaded.source.reason.startswith(f"{expected} {tmp_path}:")
