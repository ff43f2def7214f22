"""RoBERTa's sections: masking, input formats, BPE, the recipe."""
