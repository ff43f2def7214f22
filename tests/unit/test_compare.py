"""Figure 17's comparison (BERT-base, RoBERTa-base, DistilBERT): counts, batches and step timing, as facts."""

import pytest
import torch
import transformers

from explorer.families.distilbert import compare, distill
from explorer.mechanics import cost, params


@pytest.fixture(scope="module")
def sizes() -> compare.Sizes:
    return compare.sizes()


def test_counts_equal_the_closed_forms(sizes):
    assert sizes.total("bert") == params.bert_params(30522, 768, 12, 3072) == 109_482_240
    roberta = params.bert_params(50265, 768, 12, 3072, positions=514, types=1)
    assert sizes.total("roberta") == roberta == 124_645_632
    assert sizes.total("distilbert") == distill.distilbert_params(30522, 768, 6, 3072) == 66_362_880
    assert sizes.total("distilbert") < sizes.total("bert") < sizes.total("roberta")


def test_robertas_extra_parameters_are_all_in_its_embeddings(sizes):
    extra = sizes.total("roberta") - sizes.total("bert")
    assert extra == sizes.part("roberta", "embeddings") - sizes.part("bert", "embeddings")
    rows = sizes.vocab_of("roberta") - sizes.vocab_of("bert")
    assert rows == 50265 - 30522
    assert extra == (rows + 2 - 1) * 768  # two more positions, one segment type fewer


def test_the_papers_numbers_are_ours_rounded(sizes):
    assert round(sizes.total("roberta") / 1e6) * 1e6 == compare.PAPER_PARAMS["roberta"]
    assert round(sizes.total("distilbert") / 1e6) * 1e6 == compare.PAPER_PARAMS["distilbert"]
    assert sizes.total("bert") == pytest.approx(compare.PAPER_PARAMS["bert"], abs=0.6e6)  # 109.5M as 110M


def test_a_masked_batch_labels_about_15_percent_and_every_row():
    ids, labels = compare.masked_batch(8, 128, seed=3)
    assert ids.shape == labels.shape == (8, 128)
    chosen = labels != -100
    assert torch.equal(labels[chosen], ids[chosen])
    assert chosen.any(dim=1).all()
    assert 0.10 < chosen.float().mean().item() < 0.20
    assert int(ids.max()) < 30522  # a valid id in every one of the three vocabularies
    assert torch.equal(ids, compare.masked_batch(8, 128, seed=3)[0])


@pytest.mark.parametrize(("batch", "length"), [(1, 0), (1, 513), (0, 16)])
def test_a_batch_outside_the_limits_is_refused(batch, length):
    with pytest.raises(ValueError):
        compare.masked_batch(batch, length)


def test_a_training_step_runs_backward_and_leaves_the_weights_alone():
    config = transformers.BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64
    )
    model = transformers.BertForMaskedLM(config).train()
    before = [p.detach().clone() for p in model.parameters()]
    seen = []
    model.bert.embeddings.word_embeddings.weight.register_hook(lambda grad: seen.append(grad.abs().sum()))
    compare.training_step(model, *compare.masked_batch(2, 16))()
    assert seen and seen[0] > 0  # the backward pass reached the embeddings
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_speedups_are_bert_time_over_each_lines_time():
    points = (
        cost.Point("bert", 128, 8, 2.0),
        cost.Point("roberta", 128, 8, 2.5),
        cost.Point("distilbert", 128, 8, 1.0),
    )
    ratios = compare.speedups(cost.Sweep("cpu", points))
    assert ratios.distilbert == pytest.approx(2.0)
    assert ratios.roberta == pytest.approx(0.8)
    assert ratios.paper_distilbert == pytest.approx(668 / 410)
    assert compare.speedups(cost.Sweep("cpu", points[1:])).distilbert is None
