"""One way from text to a masked-LM input (masking.corrupt_text): tokenize, then corrupt 80/10/10 with
a seeded torch.Generator; and a short sentence always gets at least one token to predict."""

import pytest
import torch

from explorer.mechanics import masking
from explorer.training import mlm_data

SHORT = "the cat sat on the mat"  # 6 WordPiece tokens between [CLS] and [SEP]


def test_a_six_token_sentence_always_has_a_token_chosen_and_specials_never():
    ids, special = list(range(1000, 1008)), [True] + [False] * 6 + [True]
    for seed in range(300):
        result = masking.corrupt(ids, special, 103, 30522, torch.Generator().manual_seed(seed))
        assert result.chosen >= 1, f"seed {seed} chose nothing"
        assert result.action[0] is None and result.action[-1] is None


def test_live_batches_of_short_rows_always_have_a_label_in_every_row(bert_tokenizer):
    lines = [SHORT] * 8 + ["a much longer line about the river bank and the money bank"] * 30
    data = mlm_data.encode_corpus(bert_tokenizer, lines, 32)
    batch = mlm_data.masked_batch(data, 64, torch.Generator().manual_seed(0))
    assert ((batch.labels != -100).sum(1) >= 1).all()


def test_corrupt_text_is_the_tokenization_then_the_seeded_corruption(bert_tokenizer):
    for seed in range(20):
        result = masking.corrupt_text(bert_tokenizer, SHORT, torch.Generator().manual_seed(seed), 512)
        enc = bert_tokenizer(SHORT, return_special_tokens_mask=True)
        assert list(result.ids) == enc["input_ids"]
        assert list(result.special) == [bool(s) for s in enc["special_tokens_mask"]]
        again = masking.corrupt(
            enc["input_ids"],
            list(result.special),
            103,
            len(bert_tokenizer),
            torch.Generator().manual_seed(seed),
        )
        assert result.corruption == again and result.corruption.chosen >= 1


def test_corrupt_text_cuts_to_the_limit_and_keeps_the_final_separator(bert_tokenizer):
    result = masking.corrupt_text(bert_tokenizer, " ".join([SHORT] * 50), torch.Generator(), 16)
    assert len(result.ids) == 16 and result.ids[-1] == bert_tokenizer.sep_token_id
    assert result.corruption.action[-1] is None


def test_mask_share_one_masks_every_chosen_token(bert_tokenizer):
    for seed in range(20):
        result = masking.corrupt_text(
            bert_tokenizer, SHORT, torch.Generator().manual_seed(seed), 512, 0.5, 1.0
        )
        assert {a for a in result.corruption.action if a is not None} == {masking.MASK}


def test_a_text_with_nothing_to_mask_is_a_clear_error(bert_tokenizer):
    with pytest.raises(ValueError, match="no tokens to mask"):
        masking.corrupt_text(bert_tokenizer, "   ", torch.Generator(), 512)
