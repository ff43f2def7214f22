"""Import transformers and every class the pages use, once, before browser sessions race on them.

Streamlit runs each session's script in its own thread. transformers resolves its classes lazily
(`_LazyModule`), and two threads resolving at once on a fresh server fail with "cannot import name
'AutoTokenizer'". `warm_up()` resolves them all under a lock; the first session waits, the rest
find everything imported.
"""

from __future__ import annotations

import importlib
import threading

from explorer import registry

# The auto mappings that the heads of HEAD_AUTO resolve through.
_AUTO_MAPPINGS = (
    "MODEL_MAPPING_NAMES",
    "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
    "MODEL_FOR_MASKED_LM_MAPPING_NAMES",
    "MODEL_FOR_PRETRAINING_MAPPING_NAMES",
    "MODEL_FOR_NEXT_SENTENCE_PREDICTION_MAPPING_NAMES",
    "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",
    "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",
)
# Named directly by explorer/ (tokenizers, fine-tuning) rather than through the registry.
_NAMED = (
    "AutoConfig",
    "AutoTokenizer",
    "PreTrainedTokenizerFast",
    "TokenizersBackend",
    "SentencePieceBackend",
    "GPT2Tokenizer",
    "RobertaTokenizer",
    "Trainer",
    "TrainingArguments",
    "TrainerCallback",
    "PrinterCallback",
    "DataCollatorWithPadding",
    "default_data_collator",
    "get_linear_schedule_with_warmup",
    "AddedToken",
)
# Other libraries imported inside functions, and so first imported from a session thread.
_MODULES = ("torch", "tokenizers", "tokenizers.processors", "bertviz", "sklearn.metrics", "safetensors.torch")
_EXTRA_MODEL_TYPES = ("llama",)  # the packaged SmolLM2 decoder

_lock = threading.Lock()
_resolved: list[str] = []


def model_types() -> list[str]:
    """transformers' model_type of every family in the registry, plus the packaged models' types."""
    import transformers

    types = {getattr(transformers, f.config_class).model_type for f in registry.FAMILIES.values()}
    return sorted(types | set(_EXTRA_MODEL_TYPES))


def class_names() -> list[str]:
    """Every transformers class a page may ask for: registry heads, auto classes and what they resolve to."""
    from transformers.models.auto import modeling_auto, tokenization_auto

    names = set(_NAMED) | set(registry.HEAD_AUTO.values())
    for family in registry.FAMILIES.values():
        names |= {family.config_class, *family.heads.values()}
        if family.packaged:
            names |= set(family.packaged.heads.values())
    for model_type in model_types():
        for mapping in _AUTO_MAPPINGS:
            names.add(getattr(modeling_auto, mapping).get(model_type))
        tokenizers = tokenization_auto.TOKENIZER_MAPPING_NAMES.get(model_type)
        names |= set(tokenizers) if isinstance(tokenizers, tuple) else {tokenizers}
    return sorted(name for name in names if name)


def warm_up() -> list[str]:
    """Resolve every class and module once (thread-safe; later calls return at once). Returns the classes."""
    with _lock:
        if not _resolved:
            for module in _MODULES:
                importlib.import_module(module)
            transformers = importlib.import_module("transformers")
            names = class_names()
            for name in names:
                getattr(transformers, name)
            _resolved.extend(names)
    return list(_resolved)
