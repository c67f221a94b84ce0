"""Rank chunks for a question by one retrieval method: "bm25", "dense" or a fusion setting.

Used by `qabot eval`, bench/retrieval_quality.py and the fusion test, so all three measure
the production retriever, not a copy of it.
"""

from __future__ import annotations

from dataclasses import replace

from qabot.config import RetrievalSettings
from qabot.search import Retriever, fuse, rank_fused


def ranked_chunks(retriever: Retriever, question: str, method: str, n: int,
                  settings: RetrievalSettings | None = None) -> list[int]:
    """Chunk ids, best first: BM25 alone, dense alone, or fused with `settings`
    (the retriever's own by default)."""
    found = retriever.candidates(question, max(n, retriever.settings.candidates))
    if method == "bm25":
        return list(found.bm25)[:n]
    if method == "dense":
        return list(found.dense)[:n]
    fused = fuse(settings or retriever.settings, found.bm25, found.dense)
    return rank_fused(fused, found.cosines)[:n]


def describe_fusion(r: RetrievalSettings) -> str:
    """"weighted (dense 0.4, lead 0.2)" or "rrf (k 60, dense share 0.5)", for reports."""
    if r.fusion == "rrf":
        return f"rrf (k {r.rrf_k}, dense share {r.dense_weight})"
    return f"weighted (dense {r.dense_weight}, lead {r.dense_lead})"


def fusion_variants(base: RetrievalSettings) -> dict[str, RetrievalSettings]:
    """The fusions compared in docs/retrieval-quality.md, the configured one always among them."""
    variants = {
        "rrf k=60 (plain)": replace(base, fusion="rrf", dense_weight=0.5),
        "rrf k=60, dense 0.3": replace(base, fusion="rrf", dense_weight=0.3),
    }
    for weight in (0.3, 0.4, 0.5, 0.6):
        variants[f"weighted {weight}, fixed"] = replace(base, fusion="weighted", dense_weight=weight, dense_lead=0.0)
    for weight, lead in ((0.3, 0.2), (0.4, 0.1), (0.4, 0.2), (0.5, 0.2)):
        variants[f"weighted {weight}, dense lead {lead}"] = replace(base, fusion="weighted", dense_weight=weight, dense_lead=lead)
    if base not in variants.values():
        variants[f"configured: {describe_fusion(base)}"] = base
    return variants
