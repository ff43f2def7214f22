"""BigBird's sections: the sparse pattern, the real model's attention, latency vs length."""
