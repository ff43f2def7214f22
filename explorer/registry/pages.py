"""What the pages show: each family page's inputs and sections, and the Tokenization page's columns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FamilyPage:
    """A family page: the family whose model field leads it, its inputs, and its sections in order.

    `sections` name render functions in explorer/ui/sections.py; each becomes one tab.
    """

    key: str  # app_pages/<key>.py, i18n table <key>, examples table <key>
    family: str  # FAMILIES key of the page's model field
    sections: tuple[str, ...]
    pair: bool = False  # a sentence pair (encoders) or one text (decoders)


FAMILY_PAGES: dict[str, FamilyPage] = {
    p.key: p
    for p in (
        FamilyPage(
            "bert",
            "bert",
            (
                "input",
                "attention",
                "attention_steps",
                "embed",
                "mlm",
                "nsp",
                "both_losses",
                "attention_cost",
                "structure",
            ),
            pair=True,
        ),
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
        FamilyPage(
            "reformer",
            "reformer",
            (
                "lsh_steps",
                "lsh_pattern",
                "lsh_chunks",
                "lsh_memory",
                "reversible",
                "three_problems",
                "lsh_2d",
            ),
        ),
        FamilyPage("electra", "electra-discriminator", ("rtd", "signal", "rtd_race", "attention")),
        FamilyPage(
            "distilbert",
            "distilbert",
            (
                "distil_loss",
                "distil_params",
                "distil_train",
                "distil_speed",
                "distil_compare",
                "light",
                "mlm",
            ),
        ),
    )
}


@dataclass(frozen=True)
class TokenizerChoice:
    """One column of the Tokenization page: the algorithm and the family that uses it."""

    algorithm: str  # "wordpiece", "bpe" or "unigram" (explorer.tokens.tokenize.ALGORITHMS)
    family: str
    alternatives: tuple[str, ...] = field(default=())  # other hub ids worth trying (Korean, multilingual)


TOKENIZER_CHOICES = (
    TokenizerChoice("wordpiece", "bert", ("klue/bert-base", "bert-base-multilingual-cased")),
    TokenizerChoice("bpe", "gpt2", ("roberta-base",)),
    TokenizerChoice("unigram", "albert", ("xlm-roberta-base",)),
)
