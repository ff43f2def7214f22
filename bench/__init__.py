"""Benchmarks: each prints its measure against a baseline measured in the same run, as a ratio."""
