"""The fine-tune engine data-parallel under Accelerate: two CPU processes over gloo, each started with
the environment torchrun gives it (as `accelerate launch` or `torchrun` do), take the same steps as
one process on the same data.

Both precisions the engine trains in on a CPU are checked on every machine: EXPLORER_CPU_BF16 forces
bfloat16 autocast on (as on a CPU with AMX, where it is the default) or off, and both runs of a
comparison use the same one. Autocast bfloat16 runs on any x86 CPU, only slower without AMX.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from explorer import device, models, registry

pytestmark = pytest.mark.skipif(not registry.SHARED_DATA.is_dir(), reason="../shared/data is not present")

ROOT = Path(__file__).resolve().parents[2]
# 100 rows in batches of 16: six full batches and one of 4 an epoch; 63 dev rows: shares of 32 and 31
SETTINGS = {
    "--task": "cola",
    "--train-size": "100",
    "--eval-size": "63",
    "--batch-size": "16",
    "--epochs": "2",
    "--max-length": "32",
    "--learning-rate": "1e-3",
    "--dropout": "0",  # dropout masks are drawn per process: off, so both runs compute the same thing
    "--threads": "1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(
    model: Path, output: Path, precision: str, rank: int = 0, processes: int = 1, port: int = 0
) -> subprocess.Popen:
    """`python -m explorer.training.finetune` in `precision` as one of `processes`, with the env
    torchrun sets."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"}
    }
    env |= {"EXPLORER_DEVICE": "cpu", "OMP_NUM_THREADS": "1"}
    env[device.BF16_VAR] = "1" if precision == "bfloat16" else "0"
    env["EXPLORER_ALLOWED_PATHS"] = os.pathsep.join(map(str, (model, output.parent, registry.SHARED_DATA)))
    if processes > 1:
        env |= {"RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": str(processes)}
        env |= {"LOCAL_WORLD_SIZE": str(processes), "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}
    args = [x for pair in SETTINGS.items() for x in pair]
    args += ["--model", str(model), "--data", str(registry.SHARED_DATA / "cola"), "--output", str(output)]
    return subprocess.Popen(
        [sys.executable, "-m", "explorer.training.finetune", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> list[str]:
    """The lines the process printed; the test fails with its log if it did not end well in time."""
    out, err = process.communicate(timeout=300)  # a hung collective fails here instead of hanging CI
    assert process.returncode == 0, err[-3000:]
    return out.splitlines()


def summary(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines if line.startswith("{")]


def losses(lines: list[str]) -> list[float]:
    return [float(line.split(" loss ")[1].split()[0]) for line in lines if " loss " in line]


def weights(folder: Path) -> torch.Tensor:
    from safetensors.torch import load_file

    state = load_file(folder / "model.safetensors")
    return torch.cat([state[k].flatten().float() for k in sorted(state)])


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory, bert_tokenizer) -> Path:
    """A tiny random BERT classifier and its tokenizer, saved as a model folder the CLI can load."""
    folder = tmp_path_factory.mktemp("tiny-bert")
    models.random_model(registry.family("bert"), "cls", len(bert_tokenizer)).save_pretrained(folder)
    bert_tokenizer.save_pretrained(folder)
    return folder


# What may differ between one process and two, in each precision. Two processes sum the same
# batch's loss in other shapes and orders (each pads its own share), so their float32 results differ by
# rounding alone: the bounds of the float32 test are those of every run before bfloat16 existed.
# Under bfloat16 autocast the matrix products round their outputs to 8 significant bits (unit
# roundoff u = 2**-8 = 0.0039): a rounding that falls the other way in one run moves a logit, and so
# the loss, by about u of its size (|loss| < 1 here: 2u), and each step's gradients by a few u
# relative. AdamW divides each gradient by its own running size, so the two runs' updates differ by
# the same few u relative, and so does what the 14 steps add up to: the distance between the two
# trained models is bounded by 8u = 3.1% of the distance training moved the weights (measured on a
# CPU without AMX: 0.57%, the largest single weight 3e-3 apart, where float32 gives 3e-7 of the
# distance and 2e-7). A dev row whose two logits sit within a rounding of each other may be decided
# either way: in bfloat16 the runs may differ by one right row of 63 (then MCC and F1 differ too).
TOLERANCE = {
    "float32": {"loss": 2e-4, "weights": 1e-4, "rows": 0},
    "bfloat16": {"loss": 2 * 2**-8, "weights": 8 * 2**-8, "rows": 1},
}


@pytest.mark.parametrize("precision", ["float32", "bfloat16"], ids=["float32", "bfloat16-autocast"])
def test_two_gloo_processes_train_as_one_process_does(tiny_folder, tmp_path, precision):
    port = free_port()
    alone = launch(tiny_folder, tmp_path / "one", precision)
    pair = [launch(tiny_folder, tmp_path / "two", precision, rank, 2, port) for rank in range(2)]
    one, main, other = finish(alone), *map(finish, pair)
    assert summary(other) == [] and losses(other) == []  # only the main process reports and writes
    [single], [double] = summary(one), summary(main)
    assert single["precision"] == double["precision"] == precision  # like with like, as forced
    tol = TOLERANCE[precision]
    assert double["trained"] == single["trained"] == f"local: {tiny_folder}"
    assert double["stopped_at_step"] == single["stopped_at_step"] == 14  # the same global batches
    right = double["metrics"]["accuracy"] * 63  # a whole count of 63 rows, not of one share's 31 or 32
    assert 0 < right < 63 and right == pytest.approx(round(right))
    assert abs(right - single["metrics"]["accuracy"] * 63) <= tol["rows"] + 1e-6
    if tol["rows"] == 0:
        assert double["metrics"] == pytest.approx(single["metrics"], abs=1e-6)
    assert losses(main) == pytest.approx(losses(one), abs=tol["loss"])  # the whole batch's loss, each step
    assert losses(one)[-1] < losses(one)[0]
    trained, alone_trained, start = weights(tmp_path / "two"), weights(tmp_path / "one"), weights(tiny_folder)
    moved = (alone_trained - start).norm()
    assert not torch.allclose(trained, start, atol=1e-3)  # a model that did learn ...
    if precision == "float32":
        assert torch.allclose(trained, alone_trained, atol=tol["weights"])  # ... by the same optimisation
    else:
        assert (trained - alone_trained).norm() <= tol["weights"] * moved
