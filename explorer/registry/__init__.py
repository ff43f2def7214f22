"""One frozen record per model family, family page, fine-tuning task and reference architecture.

Split by what it holds: families.py (checkpoints, heads, offline fallbacks), pages.py (what each page
shows), tasks.py (fine-tuning data and metrics), defaults.py (a fine-tune's settings per device) and
reference.py (published architectures to count) and tour.py (the presenter's tour, from
assets/tour.toml). Everything is re-exported here, so callers keep
`from explorer import registry` and `registry.FAMILIES`, `registry.family(...)`, ...
"""

from explorer.registry.defaults import DEFAULTS, GLUE_DEFAULTS, TrainingDefaults, training_defaults
from explorer.registry.families import (
    FAMILIES,
    HEAD_AUTO,
    MINILM,
    SMOLLM2,
    TINY,
    TOKENIZER_SOURCES,
    Family,
    Packaged,
    family,
)
from explorer.registry.pages import FAMILY_PAGES, TOKENIZER_CHOICES, FamilyPage, TokenizerChoice
from explorer.registry.reference import REFERENCE_MODELS, ReferenceModel
from explorer.registry.tasks import SHARED_DATA, TASKS, Task
from explorer.registry.tour import TourStop, tour_stops

__all__ = [
    "DEFAULTS",
    "FAMILIES",
    "FAMILY_PAGES",
    "GLUE_DEFAULTS",
    "HEAD_AUTO",
    "MINILM",
    "REFERENCE_MODELS",
    "SHARED_DATA",
    "SMOLLM2",
    "TASKS",
    "TINY",
    "TOKENIZER_CHOICES",
    "TOKENIZER_SOURCES",
    "Family",
    "FamilyPage",
    "Packaged",
    "ReferenceModel",
    "Task",
    "TokenizerChoice",
    "TourStop",
    "TrainingDefaults",
    "family",
    "tour_stops",
    "training_defaults",
]
