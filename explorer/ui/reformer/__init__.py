"""Reformer's sections: the three problems, angular LSH, chunks, reversible layers."""
