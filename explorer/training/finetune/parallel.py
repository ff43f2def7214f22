"""Data-parallel fine-tuning under Hugging Face Accelerate: one process alone, or the processes that
`accelerate launch` started (several GPUs, several nodes, or CPU processes over gloo).

Every process builds the same plan of global batches from the same seed and trains on its share of
each batch; DDP averages the gradients, weighted so that each step is the step one process takes on
the whole batch. So --batch-size is the global batch and a run's results do not depend on how many
processes share it. Evaluation gives each process a share of the dev set and gathers the
predictions by dev index: the metrics are over the whole dev set, each example counted once.
"""

from __future__ import annotations

import numpy as np
import torch

from explorer import registry
from explorer.training import predict
from explorer.training.finetune.config import FinetuneConfig


def accelerator(where: str):
    """This process's Accelerator: on `where` alone, or on the device `accelerate launch` gave it."""
    from accelerate import Accelerator
    from accelerate.utils import GradientAccumulationPlugin

    # accelerate's to_kwargs empties os.environ while it reads a plugin's defaults: for that moment every
    # other thread of the process (a second fine-tune, a page) finds no variable set, EXPLORER_DATA
    # included. The engine never accumulates gradients: one step a batch, every default, nothing to read.
    steps = GradientAccumulationPlugin(num_steps=1)
    steps.to_kwargs = dict  # {}: one step a batch and every other field at its default
    # no mixed precision here: bfloat16 is the engine's own autocast, used only where the hardware has it
    return Accelerator(cpu=where == "cpu", mixed_precision="no", gradient_accumulation_plugin=steps)


def share(index: list[int], rank: int, processes: int) -> tuple[list[int], float]:
    """This process's rows of one global batch and the weight of its mean loss: weights summing to
    `processes` make DDP's average of the gradients the gradient of the whole batch's mean loss."""
    mine = index[rank::processes]  # rows of a length-grouped batch are sorted: every share pads alike
    if not mine:  # fewer rows than processes: every process must still join the gradients' sync
        return index[:1], 0.0
    return mine, len(mine) * processes / len(index)


def mean(acc, value: torch.Tensor) -> float:
    """The mean of a weighted loss over the processes: the whole batch's loss (one process: itself)."""
    if acc.num_processes == 1:
        return float(value)
    return float(acc.reduce(value.reshape(1), reduction="mean"))


def any_process(acc, flag: bool) -> bool:
    """Whether `flag` is set in any process, so that a stop ends every process at the same step."""
    if acc.num_processes == 1:
        return flag
    return bool(acc.reduce(torch.tensor([float(flag)], device=acc.device), reduction="sum") > 0)


def evaluate(acc, model, tokenizer, config: FinetuneConfig, dev: list):
    """The report over the whole dev set (ClassifierReport or QAReport), each process predicting its
    share; `model` is the plain model, not DDP's wrapper, whose forwards would wait for each other."""
    from accelerate.utils import gather_object

    with acc.split_between_processes(list(range(len(dev)))) as mine:
        shard = [dev[i] for i in mine]  # shares may differ by one; gather_object needs no padding
        if config.task == "squad":
            found = predict.spans(model, tokenizer, shard, config.max_length, config.stride) if shard else {}
            gathered = gather_object([(i, found[dev[i].id]) for i in mine])
        else:
            probs = predict.class_scores(model, tokenizer, shard, config.max_length) if shard else []
            gathered = gather_object(list(zip(mine, probs, strict=True)))
    by_index = dict(gathered)  # keyed by dev index: back in the dev set's order, each example once
    if config.task == "squad":
        return predict.qa_report(dev, {dev[i].id: span for i, span in sorted(by_index.items())})
    probs = np.stack([p for _, p in sorted(by_index.items())])  # (N, C)
    return predict.classifier_report(dev, probs, registry.TASKS[config.task].num_labels)


def finish() -> None:
    """End this process's part in a launched run, once every process has got here."""
    from accelerate import PartialState

    state = PartialState()
    state.wait_for_everyone()
    state.destroy_process_group()


def is_main() -> bool:
    """Whether this process writes the run's results (the only process, or rank 0 of a launch)."""
    from accelerate import PartialState

    return PartialState().is_main_process
