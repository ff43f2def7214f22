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
