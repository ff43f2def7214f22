"""GPT's sections: the causal mask, next-token prediction, BERT vs GPT."""
