"""Pieces, ids, offsets and special tokens for any Hugging Face tokenizer (WordPiece, BPE, Unigram)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from explorer.tokens.shared_tokenizer import share


@dataclass(frozen=True)
class Token:
    """One token: its piece, id, character span in the text, and what kind it is."""

    piece: str  # as the vocabulary spells it: "##ization", "Ġworld", "▁hello"
    id: int
    start: int  # character offsets into Tokenization.text; (0, 0) for added special tokens
    end: int
    special: bool
    unknown: bool


@dataclass(frozen=True)
class Tokenization:
    """A text as one tokenizer sees it, cut to the model's maximum length."""

    text: str
    tokens: tuple[Token, ...]
    total_tokens: int  # before the cut, special tokens included
    max_tokens: int

    @property
    def truncated(self) -> bool:
        return self.total_tokens > len(self.tokens)

    @property
    def ids(self) -> list[int]:
        return [t.id for t in self.tokens]

    @property
    def pieces(self) -> list[str]:
        return [t.piece for t in self.tokens]

    @property
    def n_unknown(self) -> int:
        return sum(t.unknown for t in self.tokens)

    @property
    def unknown_rate(self) -> float:
        """Share of non-special tokens that are the unknown token."""
        content = sum(not t.special for t in self.tokens)
        return self.n_unknown / content if content else 0.0


def max_length(tokenizer, limit: int) -> int:
    """The longest input the model takes: the tokenizer's own maximum, capped by `limit`."""
    own = getattr(tokenizer, "model_max_length", limit) or limit
    return int(min(own, limit))


def _cut(n_tokens: int, special: list[int], max_tokens: int) -> list[int]:
    """Indices kept when cutting to max_tokens: the head of the sequence plus its trailing specials."""
    if n_tokens <= max_tokens:
        return list(range(n_tokens))
    tail = 0
    while tail < n_tokens and special[n_tokens - 1 - tail]:
        tail += 1
    tail = min(tail, max_tokens)
    return list(range(max_tokens - tail)) + list(range(n_tokens - tail, n_tokens))


def _encode(tokenizer, text: str, text_pair: str | None) -> tuple[list, list, list, list]:
    """(ids, pieces, offsets, special mask), straight from the Rust tokenizer when it is safe to."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None and backend.truncation is None and backend.padding is None:
        enc = backend.encode(text, text_pair, add_special_tokens=True)
        return enc.ids, enc.tokens, enc.offsets, enc.special_tokens_mask
    enc = tokenizer(
        text,
        text_pair,
        add_special_tokens=True,
        return_offsets_mapping=True,
        return_special_tokens_mask=True,
        truncation=False,
        verbose=False,
    )
    ids = enc["input_ids"]
    return ids, tokenizer.convert_ids_to_tokens(ids), enc["offset_mapping"], enc["special_tokens_mask"]


def tokenize(tokenizer, text: str, max_tokens: int, text_pair: str | None = None) -> Tokenization:
    """Tokenize `text` (and an optional second segment) with special tokens, cut to max_tokens."""
    ids, pieces, offsets, special = _encode(tokenizer, text, text_pair)
    unk = tokenizer.unk_token_id
    # GPT-2 names <|endoftext|> (its bos/eos) as unk, but byte-level BPE never needs an unk token.
    unk_real = unk is not None and unk not in {tokenizer.bos_token_id, tokenizer.eos_token_id}
    tokens = tuple(
        Token(
            piece=pieces[i],
            id=int(ids[i]),
            start=int(offsets[i][0]),
            end=int(offsets[i][1]),
            special=bool(special[i]),
            unknown=unk_real and ids[i] == unk and not special[i],
        )
        for i in _cut(len(ids), special, max_tokens)
    )
    return Tokenization(text=text, tokens=tokens, total_tokens=len(ids), max_tokens=max_tokens)


@functools.cache
def _byte_of_char() -> dict[str, int]:
    """Invert byte-level BPE's byte -> printable character table (printable bytes map to themselves)."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), 256)]
    table, shifted = {}, 0
    for byte in range(256):
        if byte in keep:
            table[chr(byte)] = byte
        else:
            table[chr(256 + shifted)] = byte
            shifted += 1
    return table


def is_byte_level(tokenizer) -> bool:
    """True for byte-level BPE tokenizers (GPT-2, RoBERTa), whose pieces spell bytes, not characters."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    return backend is not None and "ByteLevel" in repr(backend.pre_tokenizer)


def readable(tokenizer, piece: str) -> str:
    """What a piece stands for: 'Ġworld' -> ' world', '##ing' -> 'ing', a partial UTF-8 byte -> '<ED>'."""
    if piece.startswith("##"):
        return piece[2:]
    if is_byte_level(tokenizer) and piece not in tokenizer.all_special_tokens:
        table = _byte_of_char()
        raw = bytes(table[c] for c in piece if c in table)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<{b:02X}>" for b in raw)
    return tokenizer.convert_tokens_to_string([piece])


def display_piece(tokenizer, piece: str) -> str:
    """A piece for chart labels: byte-level BPE shows its text, with the space marker as '␣'
    ('Ġquick' -> '␣quick'); WordPiece and SentencePiece pieces are readable as spelled."""
    if not is_byte_level(tokenizer) or piece in tokenizer.all_special_tokens:
        return piece
    return readable(tokenizer, piece).replace(" ", "␣").replace("\n", "↵")


def word_count(text: str) -> int:
    """Whitespace-separated words: the denominator of a tokenizer's fertility (tokens per word)."""
    return len(text.split())


# --- training a tokenizer live -------------------------------------------------------------------

ALGORITHMS = ("wordpiece", "bpe", "unigram")
# A word longer than this is cut before training: WordPiece and BPE rescan a word at every merge, so
# one 100,000-letter line with no space took 17 s (300,000: 114 s), cut in words of 1,000 it takes 0.2 s.
# No real word comes near it; a line of Chinese or Japanese loses one pair per 1,000 characters.
MAX_WORD_CHARS = 1000
_BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


@dataclass(frozen=True)
class TrainedTokenizer:
    """A tokenizer trained here, and what it learned, in the order it learned it."""

    algorithm: str  # one of ALGORITHMS
    tokenizer: object  # a transformers fast tokenizer, usable by tokenize()
    vocab_size: int  # as trained (a small corpus can give fewer pieces than asked for)
    learned: tuple[str, ...]  # BPE: merges "a b"; WordPiece: new pieces; Unigram: most likely pieces
    corpus_name: str


def _pipeline(algorithm: str, vocab_size: int):
    """Model, normalizer, pre-tokenizer, decoder and trainer for one algorithm (tokenizers library)."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    if algorithm == "wordpiece":  # BERT: lowercase, split on spaces and punctuation, '##' pieces
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase()])
        tok.pre_tokenizer, tok.decoder = pre_tokenizers.BertPreTokenizer(), decoders.WordPiece()
        trainer = trainers.WordPieceTrainer(
            vocab_size=vocab_size, special_tokens=_BERT_SPECIALS, show_progress=False
        )
    elif algorithm == "bpe":  # GPT-2: bytes, no unknown token, 'Ġ' marks a leading space
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=["<|endoftext|>"],
            show_progress=False,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        )
    elif algorithm == "unigram":  # SentencePiece as in ALBERT: '▁' marks a word start
        tok = Tokenizer(models.Unigram())
        tok.normalizer = normalizers.NFKC()
        tok.pre_tokenizer, tok.decoder = pre_tokenizers.Metaspace(), decoders.Metaspace()
        trainer = trainers.UnigramTrainer(
            vocab_size=vocab_size,
            special_tokens=["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"],
            unk_token="<unk>",
            show_progress=False,
        )
    else:
        raise ValueError(f"unknown algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    return tok, trainer


def _learned(algorithm: str, tok) -> tuple[str, ...]:
    """What training added, read from the trained model's JSON."""
    import json

    model = json.loads(tok.to_str())["model"]
    if algorithm == "bpe":
        return tuple(m if isinstance(m, str) else " ".join(m) for m in model["merges"])
    if algorithm == "unigram":
        pieces = sorted(model["vocab"], key=lambda pair: -pair[1])
        return tuple(p for p, _ in pieces if p not in {"<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"})
    vocab = sorted(model["vocab"].items(), key=lambda pair: pair[1])
    # WordPiece's trainer lists specials, then the alphabet, then pieces in the order merged.
    return tuple(p for p, _ in vocab if len(p.removeprefix("##")) > 1 and p not in _BERT_SPECIALS)


def _wrap(algorithm: str, tok):
    """A transformers tokenizer around a trained `tokenizers` one, with the family's specials."""
    from tokenizers import processors
    from transformers import PreTrainedTokenizerFast

    if algorithm == "bpe":
        return PreTrainedTokenizerFast(
            tokenizer_object=tok,
            unk_token="<|endoftext|>",
            bos_token="<|endoftext|>",
            eos_token="<|endoftext|>",
        )
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    unk, pad = ("[UNK]", "[PAD]") if algorithm == "wordpiece" else ("<unk>", "<pad>")
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token=unk,
        pad_token=pad,
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def cut_long_words(line: str, limit: int = MAX_WORD_CHARS) -> str:
    """`line` with each run of more than `limit` characters without a space cut into runs of `limit`."""
    if len(line) <= limit:
        return line

    def cut(run: re.Match) -> str:
        return " ".join(run.group()[start : start + limit] for start in range(0, len(run.group()), limit))

    return re.sub(rf"\S{{{limit + 1},}}", cut, line)


def fit(algorithm: str, lines: list[str] | tuple[str, ...], vocab_size: int):
    """A `tokenizers` Tokenizer of `algorithm` trained on `lines`, words cut at MAX_WORD_CHARS;
    ValueError for a size under 50, no text, or what the trainer refuses (Unigram: fewer pieces than
    the corpus has characters)."""
    if vocab_size < 50:
        raise ValueError("vocab_size must be at least 50")
    if not any(line.strip() for line in lines):
        raise ValueError("the corpus has no text")
    tok, trainer = _pipeline(algorithm, vocab_size)
    try:
        tok.train_from_iterator((cut_long_words(line) for line in lines), trainer=trainer, length=len(lines))
    except Exception as err:  # the Rust trainer refuses with a bare Exception, e.g. a size under the alphabet
        raise ValueError(str(err)) from err
    return tok


def trained(algorithm: str, tok, corpus_name: str = "") -> TrainedTokenizer:
    """A fitted `tokenizers` Tokenizer as the pages use it: wrapped, shared, with what it learned."""
    return TrainedTokenizer(
        algorithm=algorithm,
        tokenizer=share(_wrap(algorithm, tok)),  # cached and shared by every session
        vocab_size=tok.get_vocab_size(),
        learned=_learned(algorithm, tok),
        corpus_name=corpus_name,
    )


def train_tokenizer(
    algorithm: str, lines: list[str] | tuple[str, ...], vocab_size: int, corpus_name: str = ""
) -> TrainedTokenizer:
    """Train a WordPiece, byte-level BPE or Unigram tokenizer on `lines` in this thread (a visitor's
    corpus trains in a child process under the server's budget instead: explorer/tokens/bounded.py)."""
    return trained(algorithm, fit(algorithm, lines, vocab_size), corpus_name)


def segments(result: Tokenization) -> list[tuple[str, int | None]]:
    """Cut the read part of the text into runs covered by one token (its index) or by none.

    Byte-level BPE can give several tokens the same character (a Hangul syllable is 3 bytes): the
    run goes to the first of them. Text after the last token read (a cut text) is left out.
    """
    owner: dict[int, int] = {}
    for index, token in enumerate(result.tokens):
        for pos in range(token.start, token.end):
            owner.setdefault(pos, index)
    end = max((t.end for t in result.tokens), default=0)
    runs: list[tuple[str, int | None]] = []
    for pos in range(end):
        who = owner.get(pos)
        if runs and runs[-1][1] == who and (who is None or pos > 0):
            runs[-1] = (runs[-1][0] + result.text[pos], who)
        else:
            runs.append((result.text[pos], who))
    return runs
