"""ALBERT: cross-layer parameter sharing, read from the tensors every layer ran with."""
