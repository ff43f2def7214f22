"""Fine-tune throughput: our engine vs a plain Hugging Face Trainer, same model, records and settings.

Both train the packaged MiniLM encoder with a fresh classification head on the same CoLA training
records (the first STEPS x 32 of the seeded shuffle the engine uses), one epoch, batch 32, max length
64, learning rate 1e-4, the same thread count. Runs alternate which goes first; the ratio compares
seconds per training sample (training alone, no evaluation). Each lever is then turned off in turn
to show what it brings; a Trainer told to use bfloat16 is shown for reference (the engine uses
bfloat16 autocast by itself on a CPU that multiplies bfloat16 in hardware). Both keep the model's
dropout and one learning rate, so the same arithmetic is timed (the CoLA page's defaults turn dropout
off, which is cheaper still). BENCH_STEPS (default 200) and BENCH_RUNS (default 2) size the run.

Every run of every contender is its own process (`python -m bench.bench_finetune NAME` prints its
seconds per sample), as a user runs it: a Trainer told to use bfloat16 sets accelerate's process-wide
state, which the engine's own Accelerator must not meet (it did, and the benchmark crashed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("EXPLORER_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))

from bench.harness import Comparison, in_own_process, sized  # noqa: E402
from explorer import device, models, registry  # noqa: E402
from explorer.training import finetune  # noqa: E402
from explorer.training.finetune import Levers, engine  # noqa: E402
from explorer.training.finetune.worker import threads  # noqa: E402

STEPS = int(os.environ.get("BENCH_STEPS", sized("200", "2")))
RUNS = int(os.environ.get("BENCH_RUNS", "2"))
BATCH, LENGTH, LR = sized(32, 4), sized(64, 16), 1e-4
TARGET = 1 / 1.2  # the engine at least 1.2x the Trainer's samples/s
BF16_TARGET = 1 / 1.5  # and 1.5x a bf16 Trainer's, on a CPU with bfloat16 in hardware (#29)


def _config() -> finetune.FinetuneConfig:
    return finetune.FinetuneConfig.defaults(
        "cola",
        "cpu",
        train_size=STEPS * BATCH,
        eval_size=32,
        epochs=1.0,
        batch_size=BATCH,
        learning_rate=LR,
        max_length=LENGTH,
        dropout=0.1,  # the Trainer keeps the model's dropout (0.1) and one learning rate
        head_lr_scale=1.0,
        model_id="bert-base-uncased",
    )


def _plain_trainer(base: models.Loaded, records: list, bf16: bool = False) -> float:
    """Seconds per sample of Trainer used as its docs show, with dynamic padding per batch (and, with
    `bf16`, its own bfloat16 switch: the same autocast the engine uses on a CPU that has it)."""
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    enc = base.tokenizer([r.text for r in records], truncation=True, max_length=LENGTH)
    rows = [{**{k: enc[k][i] for k in enc}, "labels": r.label} for i, r in enumerate(records)]
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=BATCH,
            num_train_epochs=1,
            learning_rate=LR,
            warmup_steps=0.1,
            seed=0,
            save_strategy="no",
            report_to=[],
            use_cpu=device.pick_device() == "cpu",
            disable_tqdm=True,
            logging_steps=50,
            dataloader_num_workers=0,
            bf16=bf16,
        )
        trainer = Trainer(
            model=base.model,
            args=args,
            train_dataset=rows,
            data_collator=DataCollatorWithPadding(base.tokenizer),
        )
        start = time.perf_counter()
        trainer.train()
        return (time.perf_counter() - start) / len(rows)


def _engine(base: models.Loaded, levers: Levers) -> float:
    return 1 / engine.run(_config(), base=base, levers=levers).samples_per_s


VARIANTS = {
    "engine": Levers(),
    "engine, random batches": Levers(group_by_length=False),
    "engine, SDPA attention on the CPU too": Levers(sdpa_on=("cuda", "cpu")),
    "engine, AdamW per tensor": Levers(fused_adamw=False),
    "engine, float32 on the CPU": Levers(bf16_cpu=False),
}
TRAINERS = {"plain Trainer": False, "plain Trainer, bf16=True": True}


def contender(name: str) -> float:
    """Seconds per training sample of one contender, in this process (which it has to itself)."""
    import torch

    torch.set_num_threads(threads())  # as the page's child process and the command line do
    base = models.load(registry.family("bert"), "cls", device.pick_device())
    if name in TRAINERS:
        records, _ = engine.records(_config())
        return _plain_trainer(base, records, TRAINERS[name])
    return _engine(base, VARIANTS[name])


def main() -> list[Comparison]:
    # BENCH_TINY: one run of the engine and the two Trainers; the levers are the engine's code too.
    names = [*TRAINERS, *sized(VARIANTS, ["engine"])]
    times: dict[str, list[float]] = {name: [] for name in names}
    for run in range(sized(RUNS, 1)):
        order = names if run % 2 == 0 else names[::-1]  # alternate who goes first
        for name in order:
            times[name].append(in_own_process("bench.bench_finetune", name))
            print(f"  run {run + 1} {name}: {1 / times[name][-1]:.1f} samples/s", flush=True)
    median = {name: sorted(v)[len(v) // 2] for name, v in times.items()}
    title = f"fine-tune s/sample, CoLA, {STEPS} steps x {BATCH}, {threads()} threads"
    out = [Comparison(title, "engine", "plain Trainer", median["engine"], median["plain Trainer"], TARGET)]
    out.append(
        Comparison(
            "the engine vs a Trainer told to use bfloat16 too",
            "engine",
            "plain Trainer, bf16=True",
            median["engine"],
            median["plain Trainer, bf16=True"],
            BF16_TARGET if device.cpu_has_bf16() else None,  # else both train in float32
        )
    )
    out += [
        Comparison(
            f"lever: {name.removeprefix('engine, ')} (ratio > 1: the lever helps)",
            name,
            "engine",
            median[name],
            median["engine"],
        )
        for name in times
        if name.startswith("engine, ")
    ]
    return out


if __name__ == "__main__":
    print(contender(sys.argv[1]), flush=True)
