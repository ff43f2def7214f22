"""Training that runs live: the fine-tune engine, its data and metrics, and the pages' live mini-runs."""
