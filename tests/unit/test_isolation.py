"""A cached model is shared by every session: what the pages run on it must leave its weights as they were."""

import hashlib
import threading

from explorer import models, registry
from explorer.mechanics import attention, embeddings, generate, pretraining


def checksum(model) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def test_every_page_computation_leaves_the_shared_weights_unchanged_even_from_five_threads():
    """Five sessions at once on the shared models get what each gets alone: each asks for its own cut
    of a long text, which a tokenizer shared and reconfigured per call gave to the wrong session."""
    encoder = models.load(registry.family("bert"), "base", online=False)
    pretrain = models.load(registry.family("bert"), "pretraining", online=False)
    decoder = models.load(registry.family("gpt2"), "lm", online=False)
    before = [checksum(m.model) for m in (encoder, pretrain, decoder)]

    def session(n: int) -> tuple:
        text = f"The bank of the river number {n}. " * 20  # longer than every cut below
        maps = attention.attention_maps(encoder.model, encoder.tokenizer, text, None, 16 + n)
        vectors = embeddings.token_vectors(encoder.model, encoder.tokenizer, [text], 3, 12 + n)
        masked = pretraining.mask_positions(pretrain.tokenizer, text, [2])
        predicted = pretraining.predict_masks(pretrain.model, pretrain.tokenizer, masked)
        ids = decoder.tokenizer(text, truncation=True, max_length=20 + n)["input_ids"]
        top = generate.next_token(decoder.model, decoder.tokenizer, ids)
        losses = generate.token_losses(decoder.model, decoder.tokenizer, text, 24 + n)
        return maps.tokens, vectors.tokens, repr(predicted), len(ids), repr(top), repr(losses)

    alone = [session(n) for n in range(5)]
    barrier, together, errors = threading.Barrier(5), [None] * 5, []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            together[n] = session(n)
        except Exception as err:  # collected: an exception in a thread would not fail the test
            errors.append(repr(err))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [len(result[0]) for result in alone] == [16, 17, 18, 19, 20]  # each session's own cut
    assert together == alone
    assert [checksum(m.model) for m in (encoder, pretrain, decoder)] == before
    assert not any(m.model.training for m in (encoder, pretrain, decoder))
    assert all(p.grad is None for m in (encoder, decoder) for p in m.model.parameters())


def test_models_built_while_another_session_loads_one_come_out_real_and_alike():
    """from_pretrained switches process-wide state while it builds (the meta device among it): a GPT-2
    built in another thread meanwhile used to come out on the meta device ("Cannot copy out of meta
    tensor" when two pages opened at once)."""
    gpt2, bert = registry.family("gpt2"), registry.family("bert")
    reference = models.random_model(gpt2, "base", 500)
    built, failures = [], []

    def load() -> None:
        for _ in range(3):
            models.load(bert, "cls", "cpu", None, False)

    def build() -> None:
        try:
            for _ in range(30):
                built.append(models.random_model(gpt2, "base", 500))
        except Exception as err:  # what the page showed as "Could not load gpt2"
            failures.append(err)

    threads = [threading.Thread(target=load), threading.Thread(target=build)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    for model in built:
        assert {p.device.type for p in model.parameters()} == {"cpu"}
        assert checksum(model) == checksum(reference)  # the seed held: no other thread's draws
