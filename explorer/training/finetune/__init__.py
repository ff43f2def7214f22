"""One fine-tuning engine for the pages, the command line and bench/.

    python -m explorer.training.finetune --task cola          # the page's defaults on this device

config: the settings and their defaults (from the registry); engine: the training loop; levers: its
speed-ups; parallel: several processes under `accelerate launch`; protocol: the JSON lines a child
process streams to the page that launched it; worker: that child.
"""

from explorer.training.finetune.config import ConfigError, FinetuneConfig
from explorer.training.finetune.engine import Evaluation, FinetuneResult, Levers, Progress, records, run

__all__ = [
    "ConfigError",
    "Evaluation",
    "FinetuneConfig",
    "FinetuneResult",
    "Levers",
    "Progress",
    "records",
    "run",
]
