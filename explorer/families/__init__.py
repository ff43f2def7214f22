"""What belongs to one model family: one sub-package per family, named after it."""
