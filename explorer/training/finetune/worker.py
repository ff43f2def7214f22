"""A page's fine-tune child process (see protocol.py): python -m explorer.training.finetune.worker FOLDER."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import threading
import traceback
from pathlib import Path

from explorer import jobqueue


def threads() -> int:
    """The threads this fine-tune trains with: what the server's job queue gave it (EXPLORER_THREADS,
    see explorer/jobqueue.py), else every core this process may use (the command line's case)."""
    return jobqueue.process_threads()


def _listen(stop: threading.Event) -> None:
    """'stop' on stdin ends the run gracefully; stdin closing means the parent is gone: end now."""
    for line in sys.stdin:
        if line.strip() == "stop":
            stop.set()
    os._exit(3)


def main(folder: Path) -> int:
    out = os.fdopen(os.dup(1), "w", buffering=1)  # the protocol's channel
    os.dup2(2, 1)  # anything a library prints goes to the log, not into the protocol

    def send(message: dict) -> None:
        out.write(json.dumps(message) + "\n")

    config_line = sys.stdin.readline()
    from explorer import hub
    from explorer.training import data

    hub.prepare()
    import torch

    from explorer.training.finetune import protocol
    from explorer.training.finetune.config import ConfigError, FinetuneConfig
    from explorer.training.finetune.engine import run

    torch.set_num_threads(threads())  # this process is the job: its whole share of the machine
    stop = threading.Event()
    threading.Thread(target=_listen, args=(stop,), daemon=True).start()
    try:
        config = FinetuneConfig(**json.loads(config_line))
        if "threads" in {f.name for f in dataclasses.fields(config)}:  # the engine's own setting
            config = dataclasses.replace(config, threads=threads())
        result = run(config, on_progress=lambda p: send(protocol.progress_message(p)), stop=stop)
        result.model.save_pretrained(folder / "model")
        result.tokenizer.save_pretrained(folder / "model")
        send(protocol.result_message(result, folder / "model"))
    except (ConfigError, data.DataError) as err:
        send({"kind": "error", "message": str(err), "user": True})
    except Exception as err:  # the page shows what broke; the server itself is not affected
        send({"kind": "error", "message": f"{type(err).__name__}: {err}", "user": False})
        traceback.print_exc()
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
