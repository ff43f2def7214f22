"""Text corpora for training a tokenizer live: bundled, uploaded, a local path, or a hub dataset."""

from __future__ import annotations

from dataclasses import dataclass

from explorer import offline, paths

MAX_CORPUS_CHARS = 20_000_000  # enough for a real vocabulary, small enough to train in seconds
HUB_CORPUS = ("Salesforce/wikitext", "wikitext-2-raw-v1")
TEXT_SUFFIXES = {".txt", ".md", ".tsv", ".csv", ".text"}


class CorpusError(ValueError):
    """A corpus that cannot be used, with a message for the user."""


@dataclass(frozen=True)
class Corpus:
    """Non-empty lines of text and where they came from."""

    name: str
    lines: tuple[str, ...]

    @property
    def n_chars(self) -> int:
        return sum(len(line) for line in self.lines)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def from_text(name: str, text: str) -> Corpus:
    """Split text into non-empty lines, capped at MAX_CORPUS_CHARS; refuse an empty corpus."""
    lines, total = [], 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        lines.append(line)
        total += len(line)
        if total >= MAX_CORPUS_CHARS:
            break
    if not lines:
        raise CorpusError(f"{name}: the corpus has no text")
    return Corpus(name, tuple(lines))


def from_bytes(name: str, raw: bytes) -> Corpus:
    """An uploaded file: UTF-8 text (a BOM is fine); anything else is refused with a reason."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{name}: not UTF-8 text (byte {err.start})") from None
    if "\x00" in text:
        raise CorpusError(f"{name}: looks like a binary file, not text")
    return from_text(name, text)


def from_path(path: str) -> Corpus:
    """A text file, or every text file under a folder, inside the allowed roots (explorer.paths):
    a path outside them, or a folder holding a symlink out, raises PathNotAllowed and reads nothing."""
    where = paths.resolve(path)
    if not where.exists():
        raise CorpusError(f"{path}: no such file or folder")
    files = [where] if where.is_file() else paths.files_under(where, TEXT_SUFFIXES)
    if not files:
        raise CorpusError(f"{path}: no text files ({', '.join(sorted(TEXT_SUFFIXES))}) found")
    chunks, total = [], 0
    for file in files:
        chunks.append(from_bytes(file.name, file.read_bytes()[: MAX_CORPUS_CHARS * 4]).text)
        total += len(chunks[-1])
        if total >= MAX_CORPUS_CHARS:
            break
    return from_text(str(where), "\n".join(chunks))


def bundled(key: str) -> Corpus:
    """A corpus shipped in assets/corpus ('en', 'ko')."""
    files = offline.bundled_corpora()
    if key not in files:
        raise CorpusError(f"no bundled corpus {key!r}; have {', '.join(files)}")
    return from_text(f"bundled:{key}", files[key].read_text(encoding="utf-8"))


def from_hub(dataset: tuple[str, str] = HUB_CORPUS) -> Corpus:
    """A text dataset from the hub (needs the network); the 'text' column of its train split."""
    import datasets

    path, config = dataset
    try:
        rows = datasets.load_dataset(path, config, split="train")
    except Exception as err:  # datasets raises many types for network and naming problems
        raise CorpusError(f"{path}/{config}: could not load from the hub ({err})") from None
    return from_text(f"hub:{path}/{config}", "\n".join(rows["text"]))
