"""The server's own start: warm-up before the first visitor, and the per-run log for bench room."""
