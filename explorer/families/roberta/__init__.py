"""RoBERTa: the four ways of packing a corpus into inputs (SEGMENT-PAIR ... DOC-SENTENCES)."""
