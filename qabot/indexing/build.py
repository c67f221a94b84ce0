"""`qabot index build`: articles on disk -> a new current snapshot, re-doing only what changed.

Cheap when little changed, in three layers:
1. the files' names, sizes and modification times match the current snapshot -> nothing to do;
2. an article whose content hash matches the current snapshot keeps its chunks, and its
   quotes too when the quote-extraction code is the same (`quotes.extractor_version`);
3. every chunk's vector comes from the embedding cache when (model, text) was seen before.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from qabot.config import Settings
from qabot.errors import CorpusError, QabotError
from qabot.indexing.milvus_store import stage_for_backend
from qabot.indexing.snapshot import FORMAT_VERSION, IndexFolder, Manifest, Snapshot, SnapshotContent
from qabot.records import Article, Chunk, Skipped

# progress(stage, done, total): stage is "reading", "chunking" or "embedding".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the summary line and for tests."""

    up_to_date: bool
    articles: int = 0
    skipped: tuple[Skipped, ...] = ()
    chunks: int = 0
    embedded: int = 0
    new: int = 0
    changed: int = 0
    deleted: int = 0
    snapshot: str | None = None
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


def files_fingerprint(settings: Settings, model_name: str | None = None) -> str:
    """Hash of every article file's path, size and mtime plus the settings that shape an index."""
    from qabot.sources import list_files

    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT_VERSION, model_name or settings.model.name, settings.chunking.max_tokens]).encode())
    if settings.backend.kind != "local":  # switching to (or between) Milvus stores needs a build
        digest.update(json.dumps([settings.backend.kind, settings.milvus_uri, settings.backend.collection]).encode())
    for path in list_files(settings.article_paths, settings.corpus.extensions):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def build_index(
    settings: Settings,
    *,
    from_scratch: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
    ray_address: str | None = None,
) -> BuildReport:
    """Build (or update) the index under `settings.index_dir` and make it current.

    Raises `BuildLockedError` if another build runs, `CorpusError` when there is nothing to
    index; in every failure the previous snapshot stays current. `ray_address` ("auto" or
    a Ray address) embeds the uncached chunks on a Ray cluster (`qabot.embedding.ray_encoder`).
    """
    started = time.perf_counter()
    folder = IndexFolder(settings.index_dir)
    report = _noop_progress if progress is None else progress
    with folder.build_lock():
        fingerprint = files_fingerprint(settings)
        previous = _previous_manifest(folder)
        if not from_scratch and previous is not None and previous.files_fingerprint == fingerprint:
            return BuildReport(up_to_date=True, articles=previous.articles, chunks=previous.chunks,
                               snapshot=previous.name, seconds=time.perf_counter() - started)

        stages: dict[str, float] = {}
        tick = time.perf_counter()
        from qabot.sources import ingest_paths

        ingested = ingest_paths(settings.article_paths, settings.corpus.extensions)
        if not ingested.articles:
            where = ", ".join(str(p) for p in settings.article_paths)
            raise CorpusError(f"no readable articles in {where} ({len(ingested.skipped)} files skipped); "
                              f"add .txt, .md, .html or .jsonl files and run `qabot index build` again")
        stages["ingest"] = time.perf_counter() - tick

        tick = time.perf_counter()
        from qabot.embedding import load_embedder, ray_encoder

        embedder = load_embedder(settings.model)
        stages["load model"] = time.perf_counter() - tick

        from qabot.news import extractor_version

        speech_version = extractor_version()
        reusable, stored_speech = ({}, {}) if from_scratch else _reusable(folder, embedder.model_id, settings, speech_version)
        # Articles whose text the current snapshot already holds: their chunks (and quotes) are kept.
        unchanged = {a.id for a in ingested.articles if a.id in reusable and reusable[a.id][0] == a.content_hash}
        tick = time.perf_counter()
        chunks = _chunk_all(ingested.articles, reusable, unchanged, embedder, settings.chunking.max_tokens, report)
        stages["chunk"] = time.perf_counter() - tick

        tick = time.perf_counter()
        encoder = embedder if ray_address is None else ray_encoder(embedder, ray_address, settings.model)
        vectors, embedded = _embed(chunks, encoder, folder, use_cache, settings.model.batch_size, report)
        stages["embed"] = time.perf_counter() - tick

        tick = time.perf_counter()
        quotes, descriptions, people = _extract_speech(ingested.articles, unchanged, stored_speech)
        stages["quotes"] = time.perf_counter() - tick

        tick = time.perf_counter()
        content = SnapshotContent(ingested.articles, chunks, vectors, quotes, descriptions, people)
        staged = stage_for_backend(settings, content, embedder.model_id, embedder.name)  # Milvus, if configured
        manifest = folder.write(content, {
            "model_id": embedder.model_id,
            "model_name": embedder.name,
            "max_tokens": settings.chunking.max_tokens,
            "corpus_fingerprint": corpus_fingerprint(ingested.articles),
            "files_fingerprint": fingerprint,
            "speech_version": speech_version,
        })
        staged.publish()
        stages["write"] = time.perf_counter() - tick

        previous_ids = set(reusable) if reusable else _previous_article_ids(folder, previous)
        current_ids = {a.id for a in ingested.articles}
        return BuildReport(
            up_to_date=False,
            articles=len(ingested.articles),
            skipped=ingested.skipped,
            chunks=len(chunks),
            embedded=embedded,
            new=len(current_ids - previous_ids),
            changed=len(current_ids & previous_ids) - len(unchanged),
            deleted=len(previous_ids - current_ids),
            snapshot=manifest.name,
            seconds=time.perf_counter() - started,
            stages=stages,
        )


def corpus_fingerprint(articles: Sequence[Article]) -> str:
    """Identifies the indexed content: every article's id and content hash."""
    digest = hashlib.sha256()
    for article in sorted(articles, key=lambda a: a.id):
        digest.update(f"{article.id}\0{article.content_hash}\n".encode())
    return digest.hexdigest()


def _noop_progress(stage: str, done: int, total: int) -> None:
    return None


def _previous_manifest(folder: IndexFolder) -> Manifest | None:
    try:
        return Manifest.read(folder.current_path())
    except QabotError:
        return None


def _reusable(folder: IndexFolder, model_id: str, settings: Settings, speech_version: str):
    """What the current snapshot lets this build keep, if it was made the same way:
    (article id -> (content hash, chunks), article id -> StoredSpeech); else nothing."""
    try:
        snapshot = Snapshot.load(folder.current_path(), expected_model_id=model_id)
    except QabotError:
        return {}, {}
    try:
        if snapshot.manifest.max_tokens != settings.chunking.max_tokens:
            return {}, {}
        speech = snapshot.stored_speech() if snapshot.manifest.speech_version == speech_version else {}
        return snapshot.stored_articles(), speech
    finally:
        snapshot.close()


def _previous_article_ids(folder: IndexFolder, previous: Manifest | None) -> set[str]:
    if previous is None:
        return set()
    try:
        snapshot = Snapshot.load(folder.current_path())
    except QabotError:
        return set()
    try:
        return {row[0] for row in snapshot.query("SELECT id FROM articles")}
    finally:
        snapshot.close()


def _chunk_all(articles, reusable, unchanged: set[str], embedder, max_tokens: int, progress: Progress) -> list[Chunk]:
    from qabot.indexing.chunking import chunk_article

    chunks: list[Chunk] = []
    for done, article in enumerate(articles, 1):
        if article.id in unchanged:
            pieces = [Chunk(0, c.article_id, c.paragraph, c.start, c.end, c.text) for c in reusable[article.id][1]]
        else:
            pieces = chunk_article(article, embedder.count_tokens, max_tokens)
        for piece in pieces:
            chunks.append(Chunk(len(chunks), piece.article_id, piece.paragraph, piece.start, piece.end, piece.text))
        progress("chunking", done, len(articles))
    return chunks


def _embed(chunks: Sequence[Chunk], embedder, folder: IndexFolder, use_cache: bool, batch_size: int, progress: Progress):
    from qabot.embedding import EmbeddingCache, embed_with_cache

    texts = [c.text for c in chunks]
    total = len(texts)

    def on_batch(done: int) -> None:
        progress("embedding", done, total)

    if not use_cache:
        vectors = embedder.encode(texts, batch_size=batch_size, progress=on_batch)
        return vectors, total
    folder.cache_file.parent.mkdir(parents=True, exist_ok=True)
    with EmbeddingCache(folder.cache_file) as cache:
        return embed_with_cache(embedder, texts, cache, progress=on_batch, batch_size=batch_size)


def _extract_speech(articles: Sequence[Article], unchanged: set[str], stored_speech: dict):
    """Quotes, descriptions and people of every article, kept from the current snapshot for
    an unchanged article (`stored_speech` is empty when the extraction code changed)."""
    from qabot.news import extract_descriptions, extract_quotes, people

    quotes, descriptions, names = [], [], []
    for article in articles:
        stored = stored_speech.get(article.id)
        if stored is not None and article.id in unchanged:
            quotes += stored.quotes
            descriptions += stored.descriptions
            names += [(article.id, name) for name in stored.people]
            continue
        quotes += extract_quotes(article)
        descriptions += extract_descriptions(article)
        names += [(article.id, name) for name in people(article)]
    return quotes, descriptions, names
