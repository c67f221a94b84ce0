"""Measuring retrieval and answers: BM25 alone, dense alone and the hybrid, side by side."""
