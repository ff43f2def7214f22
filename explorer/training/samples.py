"""The small CoLA and SQuAD samples shipped in assets/data/ (licences in its README), so the
fine-tune pages and the tour run on a fresh install with no data folder and no network.

`python -m explorer.training.samples` rebuilds them from ../shared/data, the same files every time:
CoLA rows are a seeded draw kept verbatim and in file order; SQuAD keeps whole articles.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from explorer.registry import SHARED_DATA
from explorer.training import data

COLA_SIZES = {"train": 1000, "dev": 200}  # of 8,551 and 527 sentences
SQUAD_ARTICLES = {"train": ("Genocide", "Antibiotics"), "dev": ("Victoria_(Australia)",)}
SEED = 0


def cola_lines(path: Path, n: int, seed: int = SEED) -> list[str]:
    """n lines of a CoLA TSV drawn with `seed`, verbatim and in the file's order."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = np.random.default_rng(seed).choice(len(lines), size=min(n, len(lines)), replace=False)
    return [lines[i] for i in sorted(keep)]


def squad_articles(path: Path, titles: tuple[str, ...]) -> dict:
    """The SQuAD v1.1 file cut down to the articles titled `titles`, each whole."""
    body = json.loads(path.read_text(encoding="utf-8"))
    articles = [a for a in body["data"] if a["title"] in titles]
    missing = set(titles) - {a["title"] for a in articles}
    if missing:
        raise data.DataError(f"{path.name}: no article titled {sorted(missing)}")
    return {"version": body.get("version", "1.1"), "data": articles}


def build(source: Path = SHARED_DATA, target: Path = data.SAMPLE_ROOT) -> dict[str, int]:
    """Write the samples from `source` into `target`; returns the records per file."""
    counts = {}
    for split, n in COLA_SIZES.items():
        name = data.SPLIT_FILES["cola"][split]
        out = target / "cola" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(cola_lines(source / "cola" / name, n)), encoding="utf-8")
        counts[f"cola/{name}"] = len(data.read_cola_tsv(out))
    for split, titles in SQUAD_ARTICLES.items():
        name = data.SPLIT_FILES["squad"][split]
        out = target / "squad" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        body = squad_articles(source / "squad" / name, titles)
        out.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        counts[f"squad/{name}"] = len(data.read_squad_json(out))
    return counts


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_DATA
    for file, count in build(source).items():
        print(f"{file}: {count:,} records, {(data.SAMPLE_ROOT / file).stat().st_size:,} bytes")
