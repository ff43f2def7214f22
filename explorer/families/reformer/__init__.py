"""Reformer: angular LSH attention step by step, its readings, and reversible layers."""
