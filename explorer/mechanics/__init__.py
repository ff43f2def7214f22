"""The chapter's shared mechanisms, used by several families: attention, embeddings, masking, heads, cost."""
