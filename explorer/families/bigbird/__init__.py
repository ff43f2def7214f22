"""BigBird: block-sparse attention (global, window and random blocks) and the real model's map."""
