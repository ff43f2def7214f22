"""Which (field, input) pairs of the hostile catalogue one run tries: a seeded share, all over the seeds.

Run seed s of SEEDS tries field j with input i when (i + j) % len(SEEDS) == s, so the runs of every
seed in SEEDS together try every input on every field, and one run tries each field with about a
quarter of the inputs. The seed is HOSTILE_SEED when set ("all" tries every pair), else the day of
the year turns through SEEDS; the run prints it in pytest's summary.
"""

from __future__ import annotations

import datetime
import os

SEEDS = (0, 1, 2, 3)


def run_seed() -> int | None:
    """This run's seed: HOSTILE_SEED, else the day's; None means every pair ("all")."""
    chosen = os.environ.get("HOSTILE_SEED", "").strip()
    if chosen == "all":
        return None
    if chosen:
        seed = int(chosen)
        if seed not in SEEDS:
            raise ValueError(f"HOSTILE_SEED={seed} is not one of {SEEDS} (or 'all')")
        return seed
    return SEEDS[datetime.datetime.now(datetime.UTC).toordinal() % len(SEEDS)]


def tried(field_index: int, input_index: int, seed: int | None) -> bool:
    """Whether the run with `seed` tries input number `input_index` on field number `field_index`."""
    return seed is None or (field_index + input_index) % len(SEEDS) == SEEDS.index(seed)


SEED = run_seed()


def describe() -> str:
    """The line pytest prints: the seed and how to rerun the same share or all of it."""
    if SEED is None:
        return "hostile catalogue: every field with every input (HOSTILE_SEED=all)"
    return (
        f"hostile catalogue: seed {SEED} of {SEEDS}; HOSTILE_SEED={SEED} reruns this share, "
        "HOSTILE_SEED=all tries every field with every input"
    )
