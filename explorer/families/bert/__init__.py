"""BERT: its pre-training heads trained for the offline app on the packaged MiniLM encoder."""
