"""DistilBERT: the distillation objective, the student cut from its teacher, size and speed."""
