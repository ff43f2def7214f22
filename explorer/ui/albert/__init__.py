"""ALBERT's sections: factorized embeddings, cross-layer sharing, SOP."""
