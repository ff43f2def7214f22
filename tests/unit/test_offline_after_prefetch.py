"""After a prefetch the app runs with the network off: a model in the local hub cache (the layout
`snapshot_download` writes) loads from there, and nothing tries to open a connection."""

import os
import subprocess
import sys

import pytest

from explorer import offline

# Fills a hub cache as a prefetch of bert-base-uncased would (the packaged MiniLM's files stand in for
# the download), cuts the network off, and loads the BERT page's classifier the way the app does.
SCRIPT = r"""
import shutil, socket, sys
from pathlib import Path

cache, package = Path(sys.argv[1]), Path(sys.argv[2])
repo = cache / "models--bert-base-uncased"
snapshot = repo / "snapshots" / ("0" * 40)
snapshot.mkdir(parents=True)
for name in ("config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "tokenizer_config.json"):
    shutil.copy(package / name, snapshot / name)
(repo / "refs").mkdir()
(repo / "refs" / "main").write_text("0" * 40)

asked = []


def refuse(*args, **kwargs):
    asked.append(args)
    raise OSError("the network is off")


socket.socket.connect = refuse
socket.create_connection = refuse
from explorer import models, registry  # noqa: E402

loaded = models.load(registry.family("bert"), "cls", "cpu", None, False)
print(loaded.source.kind, loaded.source.name, loaded.tokenizer_source.kind, len(asked))
"""


@pytest.mark.skipif(offline.minilm_dir() is None, reason="the packaged MiniLM is not installed")
def test_a_prefetched_checkpoint_loads_from_the_hub_cache_without_a_connection(tmp_path):
    hub = str(tmp_path / "hub")
    env = {**os.environ, "HF_HUB_CACHE": hub, "HF_HUB_OFFLINE": "1", "EXPLORER_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, hub, str(offline.minilm_dir())],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["cache", "bert-base-uncased", "cache", "0"]
