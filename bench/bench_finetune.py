"""Fine-tune throughput: our engine vs a plain Trainer on the same model, data and batch, same run.

Both train the packaged MiniLM encoder with a fresh classification head on the same 512 CoLA
sentences for one epoch (batch 32, max length 64); the ratio compares samples per second.
"""

from __future__ import annotations

import copy
import os
import tempfile
import time

os.environ.setdefault("EXPLORER_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.harness import Comparison, alternate  # noqa: E402
from explorer import data, finetune, models, registry  # noqa: E402

SIZE, BATCH, LENGTH = 512, 32, 64


def _plain_trainer(base: models.Loaded, records: list) -> float:
    """Samples/s of Hugging Face Trainer used directly, as its docs show."""
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    enc = base.tokenizer([r.text for r in records], truncation=True, max_length=LENGTH)
    rows = [
        {"input_ids": i, "attention_mask": a, "token_type_ids": t, "labels": r.label}
        for i, a, t, r in zip(
            enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], records, strict=True
        )
    ]
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=BATCH,
            num_train_epochs=1,
            learning_rate=5e-5,
            seed=0,
            save_strategy="no",
            report_to=[],
            use_cpu=True,
            disable_tqdm=True,
            logging_steps=1,
        )
        trainer = Trainer(
            model=copy.deepcopy(base.model),
            args=args,
            train_dataset=rows,
            data_collator=DataCollatorWithPadding(base.tokenizer),
        )
        start = time.perf_counter()
        trainer.train()
        return SIZE / (time.perf_counter() - start)


def _engine(base: models.Loaded) -> float:
    config = finetune.FinetuneConfig(
        task="cola",
        train_size=SIZE,
        eval_size=32,
        epochs=1,
        batch_size=BATCH,
        learning_rate=5e-5,
        max_length=LENGTH,
        seed=0,
    )
    return finetune.run(config, base=base).samples_per_s


def main() -> list[Comparison]:
    base = models.load(registry.family("bert"), "cls")
    records = data.load("cola", "train")[:SIZE]
    # alternate() compares times; samples/s is inverted so that a ratio above 1 means the engine is faster.
    cand, base_rate = alternate(lambda: 1 / _engine(base), lambda: 1 / _plain_trainer(base, records), runs=3)
    return [
        Comparison(
            "fine-tune throughput (s per sample; target: engine no slower)",
            "engine",
            "plain Trainer",
            cand,
            base_rate,
            target=1.0,
        )
    ]
