"""The fine-tuning tasks: where each one's data lives online and offline, the head it trains, its metric."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The real CoLA and SQuAD files for offline runs and tests, beside the checkout (never copied into it).
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@dataclass(frozen=True)
class Task:
    """A fine-tuning task: where its data lives online and offline, and the head it trains."""

    key: str
    name: str
    hub_dataset: tuple[str, str]  # (path, config) for datasets.load_dataset
    local_dir: str  # folder name under the shared data root
    head: str  # a head name of Family.heads
    metric: str  # the task's own headline metric: "mcc", "f1", "accuracy" or "exact_match"
    num_labels: int = 2
    default_family: str = "bert"
    text_fields: tuple[str, ...] = ("sentence",)  # hub column(s): one sentence or a pair
    local: bool = True  # the real data is also in ../shared/data, so it runs offline
    dev_split: str = "validation"


TASKS: dict[str, Task] = {
    t.key: t
    for t in (
        Task("cola", "CoLA", ("nyu-mll/glue", "cola"), "cola", head="cls", metric="mcc"),
        Task("squad", "SQuAD v1.1", ("rajpurkar/squad", ""), "squad", head="qa", metric="f1"),
        Task("sst2", "SST-2", ("nyu-mll/glue", "sst2"), "", head="cls", metric="accuracy", local=False),
        Task(
            "mrpc",
            "MRPC",
            ("nyu-mll/glue", "mrpc"),
            "",
            head="cls",
            metric="f1",
            text_fields=("sentence1", "sentence2"),
            local=False,
        ),
        Task(
            "qqp",
            "QQP",
            ("nyu-mll/glue", "qqp"),
            "",
            head="cls",
            metric="f1",
            text_fields=("question1", "question2"),
            local=False,
        ),
        Task(
            "mnli",
            "MNLI",
            ("nyu-mll/glue", "mnli"),
            "",
            head="cls",
            metric="accuracy",
            num_labels=3,
            text_fields=("premise", "hypothesis"),
            local=False,
            dev_split="validation_matched",
        ),
        Task(
            "qnli",
            "QNLI",
            ("nyu-mll/glue", "qnli"),
            "",
            head="cls",
            metric="accuracy",
            text_fields=("question", "sentence"),
            local=False,
        ),
        Task(
            "rte",
            "RTE",
            ("nyu-mll/glue", "rte"),
            "",
            head="cls",
            metric="accuracy",
            text_fields=("sentence1", "sentence2"),
            local=False,
        ),
        Task(
            "wnli",
            "WNLI",
            ("nyu-mll/glue", "wnli"),
            "",
            head="cls",
            metric="accuracy",
            text_fields=("sentence1", "sentence2"),
            local=False,
        ),
    )
}
