"""A cached model is shared by every session: what the pages run on it must leave its weights as they were."""

import hashlib
import threading

from explorer import attention, embeddings, generate, models, pretraining, registry


def checksum(model) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def test_every_page_computation_leaves_the_shared_weights_unchanged_even_from_five_threads():
    encoder = models.load(registry.family("bert"), "base", online=False)
    pretrain = models.load(registry.family("bert"), "pretraining", online=False)
    decoder = models.load(registry.family("gpt2"), "lm", online=False)
    before = [checksum(m.model) for m in (encoder, pretrain, decoder)]
    errors = []

    def session(n: int) -> None:
        try:
            text = f"The bank of the river number {n}."
            attention.attention_maps(encoder.model, encoder.tokenizer, text, None, 128)
            embeddings.token_vectors(encoder.model, encoder.tokenizer, [text], layer=3)
            masked = pretraining.mask_positions(pretrain.tokenizer, text, [2])
            pretraining.predict_masks(pretrain.model, pretrain.tokenizer, masked)
            ids = decoder.tokenizer(text)["input_ids"]
            generate.next_token(decoder.model, decoder.tokenizer, ids)
            generate.token_losses(decoder.model, decoder.tokenizer, text)
        except Exception as err:  # collected: an exception in a thread would not fail the test
            errors.append(repr(err))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
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
