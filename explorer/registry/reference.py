"""Published checkpoints' architectures, for exact parameter counts and costs without their weights."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReferenceModel:
    """A published checkpoint's architecture, for exact parameter counts and costs without its weights."""

    name: str  # the checkpoint's hub id
    config_class: str
    model_class: str  # the bare encoder class: counts leave out pre-training heads
    config: dict[str, object]  # kwargs over the config class's defaults, as in the hub config.json


_BERT_LARGE = {
    "hidden_size": 1024,
    "num_hidden_layers": 24,
    "num_attention_heads": 16,
    "intermediate_size": 4096,
}
_ALBERT = {"vocab_size": 30000, "embedding_size": 128}
_BIGBIRD = {  # block-sparse attention: blocks of 64, 3 random blocks per row, up to 4,096 tokens
    "vocab_size": 50358,
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "hidden_act": "gelu_new",
    "max_position_embeddings": 4096,
    "type_vocab_size": 2,
    "block_size": 64,
    "num_random_blocks": 3,
    "attention_type": "block_sparse",
}
_ROBERTA = {  # BERT-base's body; 50K byte-level BPE, positions from padding_idx + 1, one segment type
    "vocab_size": 50265,
    "max_position_embeddings": 514,
    "type_vocab_size": 1,
    "pad_token_id": 1,
    "layer_norm_eps": 1e-5,
}
_REFORMER = {  # local and LSH layers in turn, chunks of 64, hidden 256 (2 heads of 64), causal
    "attention_head_size": 64,
    "attn_layers": ["local", "lsh", "local", "lsh", "local", "lsh"],
    "axial_pos_embds_dim": [64, 192],
    "axial_pos_shape": [512, 1024],
    "feed_forward_size": 512,
    "hidden_act": "relu",
    "hidden_size": 256,
    "is_decoder": True,
    "local_attn_chunk_length": 64,
    "lsh_attn_chunk_length": 64,
    "max_position_embeddings": 524288,
    "num_attention_heads": 2,
    "num_buckets": [64, 128],
    "num_hashes": 1,
    "vocab_size": 320,
}
REFERENCE_MODELS: dict[str, ReferenceModel] = {
    m.name: m
    for m in (
        ReferenceModel("bert-base-uncased", "BertConfig", "BertModel", {}),
        ReferenceModel("bert-large-uncased", "BertConfig", "BertModel", _BERT_LARGE),
        ReferenceModel(
            "albert-base-v2",
            "AlbertConfig",
            "AlbertModel",
            {**_ALBERT, "hidden_size": 768, "num_attention_heads": 12, "intermediate_size": 3072},
        ),
        ReferenceModel("albert-large-v2", "AlbertConfig", "AlbertModel", {**_ALBERT, **_BERT_LARGE}),
        ReferenceModel(
            "albert-xlarge-v2",
            "AlbertConfig",
            "AlbertModel",
            {**_ALBERT, **_BERT_LARGE, "hidden_size": 2048, "intermediate_size": 8192},
        ),
        ReferenceModel(
            "albert-xxlarge-v2",
            "AlbertConfig",
            "AlbertModel",
            {**_ALBERT, "hidden_size": 4096, "num_attention_heads": 64, "intermediate_size": 16384},
        ),
        ReferenceModel("roberta-base", "RobertaConfig", "RobertaModel", _ROBERTA),
        ReferenceModel("distilbert-base-uncased", "DistilBertConfig", "DistilBertModel", {}),
        ReferenceModel("google/bigbird-roberta-base", "BigBirdConfig", "BigBirdModel", _BIGBIRD),
        ReferenceModel("google/reformer-crime-and-punishment", "ReformerConfig", "ReformerModel", _REFORMER),
    )
}
