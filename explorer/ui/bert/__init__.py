"""BERT's sections: the input, masked-LM and NSP, attention step by step, the structure."""
