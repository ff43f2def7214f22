"""Figure 5: the total shown for one BertForPreTraining input is the model's own loss, MLM + NSP."""

import pytest
import torch

from explorer import models, registry
from explorer.mechanics import pretraining_loss

A, B = "There is my school and I love this place.", "The library is open every day."


@pytest.fixture(scope="module")
def pretraining():
    return models.load(registry.family("bert"), "pretraining", online=False)


@pytest.mark.parametrize("is_next", [True, False])
def test_the_total_is_the_models_loss_and_the_hand_sum(pretraining, is_next):
    model, tok = pretraining.model, pretraining.tokenizer
    result = pretraining_loss.pretraining_loss(
        model, tok, A, B, is_next, torch.Generator().manual_seed(3), rate=0.3
    )
    batch, labels = pretraining_loss.masked_pair(tok, A, B, torch.Generator().manual_seed(3), rate=0.3)
    label = torch.tensor([0 if is_next else 1])
    with torch.inference_mode():
        out = model(**batch, labels=labels, next_sentence_label=label)
    where = labels[0] != -100
    mlm = torch.nn.functional.cross_entropy(out.prediction_logits[0][where], labels[0][where])  # mean
    nsp = torch.nn.functional.cross_entropy(out.seq_relationship_logits, label)
    assert result.total == pytest.approx(float(out.loss), abs=1e-5)
    assert result.model_loss == pytest.approx(float(out.loss), abs=1e-5)
    assert result.total == pytest.approx(float(mlm + nsp), abs=1e-5)
    assert result.mlm_loss == pytest.approx(float(mlm), abs=1e-5)
    assert result.nsp_loss == pytest.approx(float(nsp), abs=1e-5)
    assert [m.position for m in result.masked] == where.nonzero().flatten().tolist()
    assert all(result.tokens[m.position] == tok.mask_token for m in result.masked)
    assert result.tokens[0] == tok.cls_token and result.segments[-1] == 1


def test_one_sentence_is_refused_with_a_message(pretraining):
    with pytest.raises(ValueError, match="both sentences"):
        pretraining_loss.pretraining_loss(
            pretraining.model, pretraining.tokenizer, A, " ", True, torch.Generator().manual_seed(0)
        )
