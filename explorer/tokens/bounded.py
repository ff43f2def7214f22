"""Training a tokenizer on a visitor's corpus in a child process that is killed past a budget.

A Rust training call cannot be interrupted from its thread, and one line of random text with no space
kept WordPiece training for over 300 s. The parent writes {"algorithm", "vocab_size", "lines"} as one
JSON document on the child's stdin; the child writes the trained tokenizer's JSON
(`tokenizers.Tokenizer.to_str`) on stdout, or exits with the error's message on stderr. The child
imports only `tokenizers`: it starts in a tenth of a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from explorer import limits
from explorer.tokens.tokenize import TrainedTokenizer, fit, trained

ROOT = Path(__file__).resolve().parents[2]  # the project root, where `-m explorer.tokens.bounded` runs
REFUSED = 2  # the child's exit code for a request train_tokenizer refuses (ValueError)


class TrainingStopped(Exception):
    """A training ran past its budget and was killed; nothing was kept."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"tokenizer training stopped after {seconds:g} s, this server's budget "
            f"({limits.ENV['tokenizer_seconds']})"
        )
        self.seconds = seconds


def train_bounded(
    algorithm: str,
    lines: tuple[str, ...],
    vocab_size: int,
    corpus_name: str,
    seconds: float,
    threads: int = 0,
) -> TrainedTokenizer:
    """train_tokenizer's result, trained in a child killed after `seconds` (TrainingStopped); `threads`
    caps the Rust trainer's threads (0: every core). Raises ValueError for what the trainer refuses."""
    if seconds <= 0:
        raise TrainingStopped(seconds)
    env = {**os.environ, **({"RAYON_NUM_THREADS": str(threads)} if threads else {})}
    child = subprocess.Popen(
        [sys.executable, "-m", "explorer.tokens.bounded"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
    )
    request = json.dumps({"algorithm": algorithm, "vocab_size": vocab_size, "lines": list(lines)})
    try:
        out, err = child.communicate(request, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise TrainingStopped(seconds) from None
    finally:
        if child.poll() is None:  # past its budget, or the caller went away (an exception here)
            child.kill()
            child.communicate()
    if child.returncode == REFUSED:
        raise ValueError(err.strip())
    if child.returncode != 0:
        raise RuntimeError(f"the tokenizer training process failed: {err.strip()[-500:]}")
    from tokenizers import Tokenizer

    return trained(algorithm, Tokenizer.from_str(out), corpus_name)


def main() -> int:
    """The child: one request on stdin, the trained tokenizer's JSON on stdout."""
    request = json.load(sys.stdin)
    try:
        tok = fit(request["algorithm"], request["lines"], request["vocab_size"])
    except ValueError as err:
        print(err, file=sys.stderr)
        return REFUSED
    sys.stdout.write(tok.to_str())
    return 0


if __name__ == "__main__":
    sys.exit(main())
