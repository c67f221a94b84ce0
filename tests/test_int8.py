"""int8 embedding: close to fp32, its own model id, the same weights for questions and chunks.

The int8 ONNX file is exported once per session (about 30 s) and copied into each index
that needs it, as a user's `index/models/` would hold it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO, SAMPLE_ARTICLE, make_corpus

from qabot.config import ModelSettings
from qabot.embedding.model import load_embedder
from qabot.errors import SnapshotError

pytest.importorskip("onnxruntime", reason="int8 embedding needs onnxruntime (pip install onnxruntime)")

INT8 = ModelSettings(precision="int8")
SENTENCES = [
    "Konstantin Kosachev, head of the upper house's foreign affairs committee, wrote on Facebook.",
    "The US killed Iranian general Qasem Soleimani in a drone strike near Baghdad airport.",
    "Shares in the airline fell 5% after it warned on profits.",
    "Chelsea beat Arsenal 2-1 at Stamford Bridge on Saturday.",
    "What did Kosachev say?",
    "Что сказал Косачев?",
    "word " * 400,
]


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    load_embedder(INT8, models_dir=folder)  # exports the int8 file into it
    return folder


def test_int8_vectors_are_close_to_fp32_and_rank_alike(models_dir):
    int8 = load_embedder(INT8, models_dir=models_dir)
    fp32 = load_embedder(ModelSettings())
    quantised, full = int8.encode(SENTENCES), fp32.encode(SENTENCES)
    cosines = (quantised * full).sum(axis=1)
    assert cosines.min() >= 0.98, cosines
    assert np.allclose(np.linalg.norm(quantised, axis=1), 1.0, atol=1e-4)
    question = int8.encode_query("What did Kosachev write?")
    assert int(np.argmax(quantised[:4] @ question)) == 0
    assert int8.count_tokens(["Kosachev wrote"]) == fp32.count_tokens(["Kosachev wrote"])
    assert int8.max_tokens == fp32.max_tokens == 254


def test_int8_is_another_model_id(models_dir):
    int8, fp32 = load_embedder(INT8, models_dir=models_dir), load_embedder(ModelSettings())
    assert int8.model_id.startswith(fp32.model_id + "+onnx-int8-dynamic-matmul-u8-per-channel@")
    assert int8.model_id != fp32.model_id
    assert int8.dimension == fp32.dimension == 384


def test_questions_are_encoded_with_the_build_weights_and_without_torch(models_dir):
    build = load_embedder(INT8, models_dir=models_dir)
    query = load_embedder(INT8, for_queries_only=True, models_dir=models_dir)
    assert query.model_id == build.model_id
    batch = build.encode(SENTENCES)
    for i, text in enumerate(SENTENCES):  # bit for bit: each text is encoded alone (see Int8Embedder.encode)
        assert np.array_equal(query.encode_query(text), batch[i])
    script = ("import sys\nfrom pathlib import Path\nfrom qabot.config import ModelSettings\n"
              "from qabot.embedding.model import load_embedder\n"
              f"e = load_embedder(ModelSettings(precision='int8'), for_queries_only=True, models_dir=Path({str(models_dir)!r}))\n"
              "v = e.encode_query('What did Kosachev say?')\n"
              "print(e.model_id, round(float(v @ v), 3), 'torch' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [build.model_id, "1.0", "False"]


def test_int8_index_answers_and_refuses_the_fp32_model(models_dir, tmp_path):
    from qabot.answering.library import Library
    from qabot.indexing.build import build_index

    settings = make_corpus(tmp_path, {SAMPLE_ARTICLE.name: SAMPLE_ARTICLE}, model={"precision": "int8"})
    shutil.copytree(models_dir, settings.index_dir / "models")  # the export, as a first build leaves it
    report = build_index(settings)
    assert report.chunks > 0
    library = Library.open(settings)
    answer = library.ask("What did Kosachev say?")
    assert answer.found and "Kosachev" in (answer.heading or "")
    cited = {c.article.title for c in answer.citations}
    assert cited == {"How Russia is reading the killing of Qasem Soleimaini"}
    assert any("Kosachev said" in c.passage for c in answer.citations)

    fp32 = make_corpus(tmp_path, {}, model={"precision": "fp32"})
    with pytest.raises(SnapshotError, match=r"was built with model .*\+onnx-int8.*configured model is "
                                            r"sentence-transformers/all-MiniLM-L6-v2@53aa51172d142c89;") as caught:
        Library.open(fp32)
    assert "qabot index rebuild" in str(caught.value)


def test_a_text_gets_the_same_vector_whatever_its_neighbours(models_dir):
    int8 = load_embedder(INT8, models_dir=models_dir)
    texts = SENTENCES * 2
    seen: list[int] = []
    vectors = int8.encode(texts, batch_size=4, progress=seen.append)
    assert seen == [4, 8, 12, 14]
    assert np.array_equal(vectors[:7], vectors[7:])  # bit for bit: each text is run alone
    assert np.array_equal(int8.encode(texts[::-1])[::-1], vectors)
    assert np.array_equal(int8.encode(texts[3:5]), vectors[3:5])
