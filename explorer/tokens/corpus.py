"""Text corpora for training a tokenizer live: bundled, uploaded, a local path, or a hub dataset."""

from __future__ import annotations

import codecs
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from explorer import offline, paths

MAX_CORPUS_CHARS = 20_000_000  # enough for a real vocabulary, small enough to train in seconds
READ_BYTES = 1 << 20  # a file or an upload is decoded a megabyte at a time, and no further than the cap
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
    return from_lines(name, text.splitlines())


def from_lines(name: str, lines: Iterable[str]) -> Corpus:
    """Non-empty stripped lines, MAX_CORPUS_CHARS in all: the line that reaches the cap is cut there
    (one line of 50M characters keeps its first 20M). Refuses an empty corpus."""
    kept, total = [], 0
    for line in lines:
        line = line.strip()[: MAX_CORPUS_CHARS - total]
        if line:
            kept.append(line)
            total += len(line)
        if total >= MAX_CORPUS_CHARS:
            break
    if not kept:
        raise CorpusError(f"{name}: the corpus has no text")
    return Corpus(name, tuple(kept))


def read_text(name: str, stream: BinaryIO, limit: int) -> str:
    """At most `limit` characters of UTF-8 text (a BOM is fine) from `stream`, decoded a piece at a
    time: a bigger file is never held whole. Refuses bytes that are not UTF-8, and binary files."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pieces, held, read = [], 0, 0
    while held < limit:
        raw = stream.read(READ_BYTES)
        pending = len(decoder.getstate()[0])  # bytes of a character split across two reads
        try:
            piece = decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as err:
            raise CorpusError(f"{name}: not UTF-8 text (byte {read - pending + err.start})") from None
        if "\x00" in piece:
            raise CorpusError(f"{name}: looks like a binary file, not text")
        pieces.append(piece[: limit - held])
        held, read = held + len(pieces[-1]), read + len(raw)
        if not raw:
            break
    return "".join(pieces)


def from_bytes(name: str, raw: bytes) -> Corpus:
    """An uploaded file: UTF-8 text up to the cap (a BOM is fine); anything else is refused with a reason."""
    return from_text(name, read_text(name, io.BytesIO(raw), MAX_CORPUS_CHARS))


def from_path(path: str) -> Corpus:
    """A text file, or every text file under a folder, inside the allowed roots (explorer.paths):
    a path outside them, or a folder holding a symlink out, raises PathNotAllowed and reads nothing.
    A named file must be text (TEXT_SUFFIXES) as a folder's files must; files are read up to the cap,
    and again only when one has changed."""
    where = paths.resolve(path)
    if not where.exists():
        raise CorpusError(f"{path}: no such file or folder")
    suffixes = ", ".join(sorted(TEXT_SUFFIXES))
    if where.is_file() and where.suffix.lower() not in TEXT_SUFFIXES:
        raise CorpusError(f"{path}: not a text file ({suffixes})")
    files = [where] if where.is_file() else paths.files_under(where, TEXT_SUFFIXES)
    if not files:
        raise CorpusError(f"{path}: no text files ({suffixes}) found")
    stamps = tuple((file, file.stat().st_mtime_ns, file.stat().st_size) for file in files)
    return _read_files(str(where), stamps, MAX_CORPUS_CHARS)


@functools.lru_cache(maxsize=2)
def _read_files(name: str, stamps: tuple[tuple[Path, int, int], ...], limit: int) -> Corpus:
    """The files (path, mtime, size) as one corpus, read up to `limit` characters in all; kept while
    no file changes, so a page's reruns do not read them again."""
    chunks, held = [], 0
    for file, _, _ in stamps:
        with open(file, "rb") as stream:
            chunks.append(read_text(file.name, stream, limit - held))
        held += len(chunks[-1])
        if held >= limit:
            break
    return from_text(name, "\n".join(chunks))


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
