"""ELECTRA's replaced token detection and DistilBERT's distillation, on tiny random configs: facts."""

import math

import pytest
import torch

from explorer import models, registry
from explorer.families.distilbert import distill
from explorer.families.distilbert.student import picked_layers, student_from_teacher
from explorer.families.electra import rtd
from explorer.mechanics import params
from explorer.training import distill_run, mlm_data, rtd_race

CORPUS = [
    f"Sentence number {i} talks about the river bank and the old mill near the town." for i in range(12)
]


@pytest.fixture(scope="module")
def electra_pair(bert_tokenizer):
    vocab = len(bert_tokenizer)
    generator = models.random_model(registry.family("electra-generator"), "mlm", vocab).eval()
    discriminator = models.random_model(registry.family("electra-discriminator"), "rtd", vocab).eval()
    return generator, discriminator


def test_the_generator_never_replaces_unmasked_tokens():
    original = torch.arange(20)
    chosen = torch.zeros(20, dtype=torch.bool)
    chosen[[3, 7, 11]] = True
    for seed in range(20):
        logits = torch.randn(20, 50, generator=torch.Generator().manual_seed(seed))
        corrupted, prob = rtd.sample_replacements(
            logits, original, chosen, torch.Generator().manual_seed(seed)
        )
        assert torch.equal(corrupted[~chosen], original[~chosen])
        assert torch.all(prob[~chosen] == 0) and torch.all(prob[chosen] > 0)


def test_a_sample_equal_to_the_original_is_labelled_original():
    original = torch.tensor([5, 6, 7, 8])
    chosen = torch.tensor([False, True, True, False])
    logits = torch.full((4, 10), -1e4)
    logits[1, 6] = 0.0  # position 1 can only sample its own token back
    logits[2, 9] = 0.0  # position 2 can only sample another token
    corrupted, _ = rtd.sample_replacements(logits, original, chosen, torch.Generator().manual_seed(0))
    assert corrupted.tolist() == [5, 6, 9, 8]
    assert rtd.rtd_labels(original, corrupted).tolist() == [0, 0, 1, 0]


def test_replaced_token_detection_on_a_sentence(electra_pair, bert_tokenizer):
    generator, discriminator = electra_pair
    text = "The chef cooked a delicious meal for the hungry guests at the small restaurant."
    for seed in range(5):
        result = rtd.replace_and_detect(
            generator, discriminator, bert_tokenizer, text, torch.Generator().manual_seed(seed), 0.3
        )
        for orig, masked, new, chosen, replaced in zip(
            result.tokens,
            result.masked_tokens,
            result.corrupted_tokens,
            result.chosen,
            result.replaced,
            strict=True,
        ):
            assert masked == ("[MASK]" if chosen else orig)
            assert replaced == (new != orig)
            if not chosen:
                assert new == orig
        assert sum(v is not None for v in result.mlm_loss) == sum(result.chosen)
        assert len(result.rtd_loss) == len(result.tokens)  # RTD: a loss at every token
        assert 0 <= result.accuracy <= 1


def test_a_sentence_with_nothing_to_mask_is_refused(electra_pair, bert_tokenizer):
    generator, discriminator = electra_pair
    with pytest.raises(ValueError, match="no tokens to mask"):
        rtd.replace_and_detect(generator, discriminator, bert_tokenizer, "", torch.Generator(), 0.15)
    # a one-token sentence at 5% still has its one token to predict (BERT masks at least one)
    result = rtd.replace_and_detect(
        generator, discriminator, bert_tokenizer, "Hi", torch.Generator().manual_seed(0), 0.05
    )
    assert result.chosen == (False, True, False)


def test_soft_cross_entropy_equals_a_hand_computation():
    student = [[1.0, 2.0, 0.5], [0.0, -1.0, 1.0]]
    teacher = [[2.0, 0.0, 1.0], [1.0, 1.0, -1.0]]
    temperature = 2.0

    def softmax(row):
        exps = [math.exp(x / temperature) for x in row]
        return [e / sum(exps) for e in exps]

    expected = 0.0
    for s_row, t_row in zip(student, teacher, strict=True):
        expected += -sum(t * math.log(s) for t, s in zip(softmax(t_row), softmax(s_row), strict=True))
    expected = temperature**2 * expected / 2
    got = distill.soft_cross_entropy(torch.tensor(student), torch.tensor(teacher), temperature)
    assert float(got) == pytest.approx(expected, rel=1e-6)


def test_temperature_one_is_the_plain_softmax_and_a_higher_one_flattens():
    logits = torch.tensor([3.0, 1.0, -2.0, 0.5])
    assert torch.allclose(distill.soften(logits, 1.0), logits.softmax(-1))
    assert distill.soften(logits, 5.0).max() < logits.softmax(-1).max()


@pytest.mark.parametrize("temperature", [0.0, -1.0, 1000.0])
def test_a_temperature_outside_the_range_is_refused(temperature):
    with pytest.raises(ValueError, match="temperature"):
        distill.soften(torch.zeros(3), temperature)


def test_the_weighted_sum_of_the_three_terms():
    torch.manual_seed(0)
    s_logits, t_logits = torch.randn(4, 7), torch.randn(4, 7)
    hidden = torch.randn(4, 5)
    labels = torch.tensor([2, -100, 6, -100])
    weights = distill.Weights(ce=5.0, mlm=2.0, cos=1.0)
    total, terms = distill.loss_terms(s_logits, t_logits, hidden, hidden, labels, 2.0, weights)
    assert float(terms["cos"]) == pytest.approx(0.0, abs=1e-6)  # identical hidden states
    mlm = torch.nn.functional.cross_entropy(s_logits[[0, 2]], labels[[0, 2]])
    assert float(terms["mlm"]) == pytest.approx(float(mlm))
    assert float(total) == pytest.approx(5 * float(terms["ce"]) + 2 * float(mlm))
    assert float(distill.cosine_loss(hidden, -hidden)) == pytest.approx(2.0)
    _, none = distill.loss_terms(s_logits, None, hidden, torch.randn(4, 6), labels, 2.0, weights)
    assert none["ce"] is None and none["cos"] is None  # no teacher logits; widths differ


def test_parameter_counts_equal_the_closed_forms():
    bert = params.reference_count("bert-base-uncased").total
    distil = params.reference_count("distilbert-base-uncased").total
    assert bert == params.bert_params(30522, 768, 12, 3072) == 109_482_240
    assert distil == distill.distilbert_params(30522, 768, 6, 3072) == 66_362_880
    assert round(1 - distil / bert, 3) == 0.394


def test_a_tiny_distilbert_matches_its_closed_form():
    from transformers import DistilBertConfig, DistilBertModel

    model = DistilBertModel(DistilBertConfig(vocab_size=100, dim=32, n_layers=2, n_heads=4, hidden_dim=37))
    assert params.count_params(model, "tiny").total == distill.distilbert_params(100, 32, 2, 37)


def test_the_student_takes_evenly_spaced_teacher_layers():
    assert picked_layers(12, 6) == [0, 2, 4, 7, 9, 11]
    assert picked_layers(6, 3) == [0, 3, 5]
    with pytest.raises(ValueError):
        picked_layers(6, 7)


def test_a_student_with_every_teacher_layer_computes_what_the_teacher_does(bert_tokenizer):
    teacher = models.random_model(registry.family("bert"), "mlm", len(bert_tokenizer)).eval()
    student = student_from_teacher(teacher, teacher.config.num_hidden_layers).eval()
    batch = bert_tokenizer("The river bank was muddy.", return_tensors="pt")
    with torch.no_grad():
        t_logits, t_hidden = distill.forward(teacher, batch["input_ids"], batch["attention_mask"])
        s_logits, s_hidden = distill.forward(student, batch["input_ids"], batch["attention_mask"])
    assert torch.allclose(s_hidden, t_hidden, atol=1e-5)
    assert torch.allclose(s_logits, t_logits, atol=1e-4)
    assert student.distilbert.embeddings.word_embeddings.weight.data_ptr() != (
        teacher.bert.embeddings.word_embeddings.weight.data_ptr()
    )


def test_a_corpus_too_small_and_different_vocabularies_are_refused(bert_tokenizer, gpt2_tokenizer):
    with pytest.raises(mlm_data.CorpusTooSmall, match="at least"):
        mlm_data.encode_corpus(bert_tokenizer, ["one line", "two lines"], 32)
    with pytest.raises(ValueError, match="different vocabularies"):
        mlm_data.check_same_vocabulary(bert_tokenizer, gpt2_tokenizer)


def test_the_rtd_race_trains_both_and_stops_keeping_what_it_learned(bert_tokenizer):
    data = mlm_data.encode_corpus(bert_tokenizer, CORPUS, 24, compact=True)
    assert data.vocab_size < 40 and all(max(r) < data.vocab_size for r in data.rows)
    run = rtd_race.RtdRace(data, rtd_race.RaceConfig(hidden=16, heads=2, steps=50, batch_size=4))
    run.advance(0.0)  # one step
    run.stop()
    run.advance(1.0)
    assert run.finished and run.step == 1 and len(run.history) == 1
    assert 0 <= run.probe.mlm <= 1 and 0 <= run.probe.rtd <= 1 and run.probe.n_test > 0
    with pytest.raises(ValueError, match="allowed range"):
        rtd_race.RaceConfig(steps=0).validate()


def test_a_live_distillation_lowers_the_loss_and_can_be_stopped(bert_tokenizer):
    teacher = models.random_model(registry.family("bert"), "mlm", len(bert_tokenizer)).eval()
    data = mlm_data.encode_corpus(bert_tokenizer, CORPUS, 24)
    config = distill_run.DistillConfig(steps=8, batch_size=4, learning_rate=1e-2)
    before = [p.clone() for p in teacher.parameters()]
    run = distill_run.Distillation(teacher, bert_tokenizer, data, config)
    while not run.finished:
        run.advance(0.0)
    assert len(run.history) == 8 and run.history[-1].total < run.history[0].total
    assert all(torch.equal(a, b) for a, b in zip(before, teacher.parameters(), strict=True))  # read only
    agreement = distill_run.agreement(teacher, run.student, bert_tokenizer, "The [MASK] was muddy.")
    assert len(agreement.student) == 1 and len(agreement.teacher) == 1
    with pytest.raises(ValueError, match="temperature"):
        distill_run.DistillConfig(temperature=0).validate()


@pytest.mark.parametrize(("share", "width"), [(0.125, 8), (0.25, 16), (0.5, 32), (0.75, 48), (1.0, 64)])
def test_the_generator_is_as_wide_as_its_share_says(share, width):
    hidden, heads = rtd_race.generator_size(rtd_race.RaceConfig(hidden=64, heads=2, generator_share=share))
    assert hidden == width and hidden % heads == 0
