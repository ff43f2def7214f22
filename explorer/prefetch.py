"""Fetch every default checkpoint and data set into the local caches before a workshop.

    python -m explorer.prefetch            # everything the pages use by default
    python -m explorer.prefetch --dry-run  # only say what would be fetched, and how big it is

Afterwards the app runs with the network off: the loader's "local hub cache" source finds each
model, `datasets` finds each data set in its cache, and the CoLA and SQuAD pages find their data as
files in the prefetch folder (explorer.training.data.prefetch_dir). Only the files the app reads are fetched
(config, safetensors weights or else one PyTorch file, tokenizer files), not every framework's copy.
"""

from __future__ import annotations

import argparse
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

from explorer import registry
from explorer.training import data

TOKENIZER_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "*.model",  # SentencePiece
)
WEIGHTS = ("*.safetensors", "generation_config.json")
FALLBACK_WEIGHTS = ("pytorch_model.bin",)  # only for a checkpoint without safetensors


@dataclass(frozen=True)
class Item:
    """One thing to fetch: a model repo (with or without weights) or a data set (path, config)."""

    kind: str  # "model", "tokenizer" or "dataset"
    name: str
    config: str = ""
    task: str = ""  # a data set: the task key it serves


def default_items() -> list[Item]:
    """Every checkpoint, tokenizer and data set the pages use when nobody types anything."""
    items = [Item("model", f.hub_id) for f in registry.FAMILIES.values()]
    models = {item.name for item in items}
    for choice in registry.TOKENIZER_CHOICES:
        items += [Item("tokenizer", name) for name in choice.alternatives if name not in models]
    items += [Item("dataset", *task.hub_dataset, task=task.key) for task in registry.TASKS.values()]
    return list(dict.fromkeys(items))


def wanted_files(files: dict[str, int], with_weights: bool) -> dict[str, int]:
    """The files of a repo the app reads: name -> size in bytes."""
    patterns = TOKENIZER_FILES + (WEIGHTS if with_weights else ())
    if with_weights and not any(name.endswith(".safetensors") for name in files):
        patterns += FALLBACK_WEIGHTS
    return {name: size for name, size in files.items() if any(fnmatch.fnmatch(name, p) for p in patterns)}


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def fetch_repo(item: Item, api, download: Callable, say: Callable[[str], None], dry_run: bool) -> int:
    """List a model repo's files, say what will be fetched and how big it is, fetch it; returns bytes."""
    info = api.model_info(item.name, files_metadata=True)
    files = wanted_files({s.rfilename: s.size or 0 for s in info.siblings}, item.kind == "model")
    size = sum(files.values())
    say(f"{item.kind} {item.name}: {len(files)} files, {_megabytes(size)}")
    if not dry_run:
        download(repo_id=item.name, allow_patterns=sorted(files))
    return size


def fetch_dataset(
    item: Item, load_builder: Callable, say: Callable[[str], None], dry_run: bool, save: Callable
) -> int:
    """Download and prepare a data set into the datasets cache; a task the pages also read from files
    (CoLA, SQuAD) is written in its original format into the prefetch folder, the fine-tune pages'
    offline default. Returns the download size in bytes."""
    builder = load_builder(item.name, item.config or None)
    size = builder.info.download_size or 0
    say(f"dataset {item.name} {item.config}: {_megabytes(size)} to download".replace("  ", " "))
    if not dry_run:
        builder.download_and_prepare()
        if item.task and registry.TASKS[item.task].local:
            say(f"  {registry.TASKS[item.task].name} saved for offline use in {save(item.task)}")
    return size


def prefetch(
    items: list[Item], api, download, load_builder, say=print, dry_run: bool = False, save=data.save_local
) -> int:
    """Fetch every item, one line each; a failure is said and the rest go on. Returns how many failed."""
    failed, total = 0, 0
    for number, item in enumerate(items, 1):
        say(f"[{number}/{len(items)}] {item.name} {item.config}".rstrip())
        try:
            if item.kind == "dataset":
                total += fetch_dataset(item, load_builder, say, dry_run, save)
            else:
                total += fetch_repo(item, api, download, say, dry_run)
        except Exception as err:  # one unreachable repo must not stop the rest
            failed += 1
            say(f"  could not fetch {item.name}: {type(err).__name__}: {str(err).splitlines()[0][:200]}")
    verb = "would fetch" if dry_run else "fetched"
    say(f"{verb} {len(items) - failed} of {len(items)} items, {_megabytes(total)} in all")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="list what would be fetched and its size")
    args = parser.parse_args(argv)
    from explorer import hub

    if not hub.prepare():
        print("The model hub is not reachable from here (or EXPLORER_OFFLINE is set): nothing fetched.")
        return 1
    import datasets
    from huggingface_hub import HfApi, snapshot_download

    failed = prefetch(
        default_items(), HfApi(), snapshot_download, datasets.load_dataset_builder, dry_run=args.dry_run
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
