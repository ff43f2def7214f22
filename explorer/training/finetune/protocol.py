"""How a page talks to the fine-tune it launched: a child process that streams JSON lines.

The parent writes the config as one JSON line on the child's stdin, then "stop" to end the run
early; closing stdin (the parent went away) ends the child at once. The child writes one JSON line
per message on stdout: {"kind": "progress", ...}, then {"kind": "result", ...} or
{"kind": "error", ...}; the trained model and tokenizer are saved in `<folder>/model`.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from explorer import models
from explorer.training import predict, squad
from explorer.training.finetune.config import FinetuneConfig
from explorer.training.finetune.engine import Evaluation, FinetuneResult, Progress

STOP = "stop"
LOG = "worker.log"


def progress_message(p: Progress) -> dict:
    return {"kind": "progress", **asdict(p)}


def read_progress(message: dict) -> Progress:
    fields = {k: v for k, v in message.items() if k != "kind"}
    evaluation = fields.pop("evaluation")
    return Progress(**fields, evaluation=Evaluation(**evaluation) if evaluation else None)


def result_message(result: FinetuneResult, folder: Path) -> dict:
    """Everything in a result but the model and tokenizer, which are saved in `folder` instead."""
    fields = {k: v for k, v in asdict(result).items() if k not in {"model", "tokenizer", "report"}}
    report = result.report
    report_fields = (
        {"metrics": report.metrics, "spans": {k: asdict(s) for k, s in report.spans.items()}}
        if isinstance(report, predict.QAReport)
        else asdict(report)
    )
    return {"kind": "result", **fields, "report": report_fields, "saved_to": str(folder)}


def read_result(message: dict) -> tuple[FinetuneResult, Path]:
    """The result (model and tokenizer None: load them from the folder) and the folder."""
    fields = {k: v for k, v in message.items() if k not in {"kind", "saved_to"}}
    raw = fields.pop("report")
    report = (
        predict.QAReport(raw["metrics"], {k: squad.Span(**s) for k, s in raw["spans"].items()})
        if "spans" in raw
        else predict.ClassifierReport(**raw)
    )
    result = FinetuneResult(
        **{
            **fields,
            "config": FinetuneConfig(**fields["config"]),
            "source": _source(fields["source"]),
            "losses": tuple(tuple(x) for x in fields["losses"]),
            "evaluations": tuple(Evaluation(**e) for e in fields["evaluations"]),
        },
        model=None,
        tokenizer=None,
        report=report,
    )
    return result, Path(message["saved_to"])


class Child:
    """The parent's handle on one fine-tune running in its own process."""

    def __init__(self, config: FinetuneConfig, folder: Path, env: dict | None = None):
        self.folder = folder
        self._log = open(folder / LOG, "w")  # noqa: SIM115 - the child writes it for its whole life
        self.process = subprocess.Popen(
            [sys.executable, "-m", "explorer.training.finetune.worker", str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=env,
            cwd=Path(__file__).resolve().parents[3],  # the project root: explorer/training/finetune/..
        )
        self._send(json.dumps(config.as_json()))

    def _send(self, line: str) -> bool:
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):  # the child has already gone
            return False

    def messages(self) -> Iterator[dict]:
        """Each message the child writes, until it exits."""
        for line in self.process.stdout:
            if line.startswith("{"):
                yield json.loads(line)

    def stop(self) -> bool:
        """Ask the child to stop after its current step, evaluate, save and report."""
        return self._send(STOP)

    def abort(self) -> None:
        """End the child now; nothing is kept."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def exit_code(self) -> int | None:
        return self.process.wait()

    def log_tail(self, lines: int = 8) -> str:
        self._log.flush()
        text = (self.folder / LOG).read_text(errors="replace").strip().splitlines()
        return "\n".join(text[-lines:])

    def close(self) -> None:
        self.abort()
        for stream in (self.process.stdin, self.process.stdout, self._log):
            with contextlib.suppress(OSError):  # a "stop" still buffered for a child already gone
                stream.close()


def _source(fields: dict) -> models.Source:
    """A Source read back from JSON: its lists become the tuples the frozen record holds."""
    return models.Source(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
