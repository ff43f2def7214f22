"""What a fine-tune runs when nobody changes a setting, per task and per kind of device."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainingDefaults:
    """What a fine-tune runs when nobody changes a setting: the page, the command line and bench/ read
    these, so the three run the same thing. `why` is the i18n key of the reason shown on the page."""

    train_size: int
    eval_size: int
    epochs: float
    batch_size: int
    learning_rate: float
    max_length: int
    stride: int = 0  # SQuAD: tokens shared by consecutive windows of a long context
    dropout: float = 0.1  # every dropout layer of the training copy (BERT's own is 0.1)
    head_lr_scale: float = 1.0  # the new, randomly initialised head learns this many times faster
    freeze_embeddings: bool = False  # the word embeddings not trained: no gradient or AdamW update for them
    why: str = ""


# CPU: sized for a 2-core laptop with the offline MiniLM (targets: CoLA dev MCC >= 0.30 within 60 s,
# SQuAD dev F1 >= 60 within 240 s; `python -m bench quality` measures both). GPU: the whole training set.
GLUE_DEFAULTS = TrainingDefaults(2000, 500, 1.0, 32, 5e-5, 128, why="ft.why_glue")
DEFAULTS: dict[tuple[str, str], TrainingDefaults] = {
    # Two epochs at 1e-4 with the model's dropout reached dev MCC 0.26-0.29 (seeds 0, 1); without
    # dropout and with a 10x head learning rate 0.35-0.37, each step 5-10% cheaper (bench/ measured).
    # With the word embeddings frozen a step costs 1.19x less (2 cores, float32) and 1.5 epochs end at
    # MCC 0.348 (seed 0; 0.342 training them), 0.305 (seed 1); one epoch ended at 0.15-0.22, and freezing
    # the lowest layers too lost more than it saved (0.29-0.31).
    ("cola", "cpu"): TrainingDefaults(
        8551,
        527,
        1.5,
        32,
        1e-4,
        64,
        dropout=0.0,
        head_lr_scale=10.0,
        freeze_embeddings=True,
        why="ft.why_cola_cpu",
    ),
    ("cola", "gpu"): TrainingDefaults(8551, 527, 3.0, 32, 1e-4, 64, why="ft.why_gpu"),
    # 384-token windows with a 128-token stride: fewer tokens in all than shorter windows (fewer
    # overlaps) and almost no window without its answer, so no step is spent on learning "no answer".
    # With CoLA's dropout and head settings: dev F1 58 in 374 s on 2 cores (bench/ measured). With the
    # word embeddings frozen and 1.5e-4, dev F1 49.3, 56.6, 60.0, 62.7 at steps 128, 192, 256 and 325 (the
    # end); 2e-4 with them trained 47.9, 55.7, 56.2, 58.6; 1e-4 trained 17.3 at step 64 (2e-4: 31.5).
    ("squad", "cpu"): TrainingDefaults(
        5102,
        400,
        1.0,
        16,
        1.5e-4,
        384,
        128,
        dropout=0.0,
        head_lr_scale=10.0,
        freeze_embeddings=True,
        why="ft.why_squad_cpu",
    ),
    ("squad", "gpu"): TrainingDefaults(5102, 1696, 2.0, 32, 1e-4, 384, 128, why="ft.why_gpu"),
}


def training_defaults(task: str, device: str) -> TrainingDefaults:
    """The defaults of a task on a device ("cuda" and "mps" count as a GPU; any other as a CPU)."""
    kind = "gpu" if device in {"cuda", "mps"} else "cpu"
    return DEFAULTS.get((task, kind), GLUE_DEFAULTS)
