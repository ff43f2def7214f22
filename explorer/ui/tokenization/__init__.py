"""The Tokenization page: the three tokenizers side by side, and one trained live."""
