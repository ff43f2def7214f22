"""ALBERT's mechanics: shared layers run with the very same tensors; SOP pairs are the same two
sentences in or out of order; the SOP head's output is the one read."""

import numpy as np
import pytest
import torch

from explorer import models, registry
from explorer.families.albert import sharing
from explorer.mechanics import params, pretraining

TEXT = "She opened the umbrella because it had started to rain."


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer(registry.family("albert"), online=False)[0]


def test_every_albert_layer_run_uses_the_same_storage(tokenizer):
    model = params.build(registry.REFERENCE_MODELS["albert-base-v2"], device="cpu")
    use = sharing.layer_use(model, tokenizer, TEXT)
    assert use.runs == 12 and use.distinct == 1
    assert use.labels() == ["A"] * 12
    assert use.parameters == params.layer_params(768, 3072)


def test_without_sharing_every_layer_has_its_own_storage(tokenizer):
    tiny = registry.family("albert").tiny
    model = models.random_model(registry.family("albert"), "base", vocab_size=len(tokenizer))
    shared = sharing.layer_use(model, tokenizer, TEXT)
    assert shared.distinct == 1 and shared.runs == tiny["num_hidden_layers"]
    import transformers

    config = transformers.AlbertConfig(**tiny, vocab_size=len(tokenizer), num_hidden_groups=2)
    unshared = sharing.layer_use(transformers.AlbertModel(config).eval(), tokenizer, TEXT)
    assert unshared.distinct == unshared.runs == 2


def test_bert_layers_each_have_their_own_weights():
    bert = models.load(registry.family("bert"), "base", online=False)
    use = sharing.layer_use(bert.model, bert.tokenizer, TEXT)
    assert use.distinct == use.runs == bert.model.config.num_hidden_layers


def test_layer_drift_compares_each_layer_input_with_its_output(tokenizer):
    model = models.random_model(registry.family("albert"), "base", vocab_size=len(tokenizer))
    drift = sharing.layer_drift(model, tokenizer, TEXT)
    batch = tokenizer(TEXT, return_tensors="pt")
    with torch.inference_mode():
        states = model(**batch, output_hidden_states=True).hidden_states
    expected = (states[1][0] - states[0][0]).norm(dim=-1).mean()
    assert drift.l2.shape == drift.cosine.shape == (2,)
    assert np.isclose(drift.l2[0], float(expected), rtol=1e-5)
    assert (drift.cosine <= 1.0 + 1e-6).all()


def test_sop_pairs_are_consecutive_sentences_in_or_out_of_order():
    document = [f"Sentence {i}." for i in range(8)]
    seen = set()
    for seed in range(40):
        for pair in pretraining.sop_pairs(document, torch.Generator().manual_seed(seed)):
            i, j = document.index(pair.first), document.index(pair.second)
            assert abs(i - j) == 1 and (j == i + 1) == pair.in_order
            seen.add(pair.in_order)
    assert seen == {True, False}
    with pytest.raises(ValueError):
        pretraining.sop_pairs(["Only one."], torch.Generator())


def test_the_sop_head_is_read_for_albert(tokenizer):
    model = models.random_model(registry.family("albert"), "pretraining", vocab_size=len(tokenizer)).eval()
    name = registry.family("albert").order_logits
    prob = pretraining.is_next_probability(model, tokenizer, "It rained.", "We stayed in.", name)
    batch = tokenizer("It rained.", "We stayed in.", return_tensors="pt")
    with torch.inference_mode():
        expected = model(**batch).sop_logits[0].softmax(-1)[0]
    assert prob == pytest.approx(float(expected))


def test_layer_runs_of_other_threads_on_the_same_model_are_not_counted(tokenizer):
    from concurrent.futures import ThreadPoolExecutor

    model = models.random_model(registry.family("albert"), "base", vocab_size=len(tokenizer)).eval()
    batch = tokenizer(TEXT, return_tensors="pt")

    def other_session() -> None:
        with torch.inference_mode():
            for _ in range(20):
                model(**batch)

    with ThreadPoolExecutor(3) as pool:
        busy = [pool.submit(other_session) for _ in range(2)]
        counts = [sharing.layer_use(model, tokenizer, TEXT).runs for _ in range(20)]
        for job in busy:
            job.result()
    assert set(counts) == {registry.family("albert").tiny["num_hidden_layers"]}
