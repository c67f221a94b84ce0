# The two set-up commands (see README.md):
#   make demo   installs qabot with a CPU build of torch, builds the index from articles/
#               and answers "What did Kosachev say?"
#   make test   installs qabot with its test tools and runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
# Where a CPU-only torch comes from. pip also keeps its usual index, so a machine that
# already has the CPU wheel at hand (or a local mirror) works without reaching this one.
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_VERSION ?= 2.13.0
QUESTION ?= What did Kosachev say?

BIN := $(VENV)/bin

.PHONY: demo test install bench bench-peers clean

demo: $(VENV)/.installed
	$(BIN)/qabot index build
	$(BIN)/qabot ask "$(QUESTION)"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

install: $(VENV)/.installed

# torch alone (--no-deps) from the CPU index; its own dependencies come from the usual
# index together with qabot's in the next step.
$(VENV)/.torch:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps --retries 1 "torch==$(TORCH_VERSION)" --extra-index-url $(TORCH_INDEX)
	touch $@

$(VENV)/.installed: $(VENV)/.torch pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

# The Milvus, Ray and int8 (onnxruntime) extras are part of the test install. Measured 2026-12-01 on 2 cores shared with
# other test runs (load ~15): their install took 1 min 45 s (pymilvus + milvus-lite 28 s, ray[data]
# 75 s), tests/test_milvus.py 2 min 10 s, tests/test_ray.py ~7 min. Without the extras those tests skip.
$(VENV)/.installed-test: $(VENV)/.torch pyproject.toml
	$(BIN)/pip install --quiet -e ".[test,milvus,ray,int8]"
	touch $(VENV)/.installed $@

bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

# qabot beside txtai, LangChain and bm25s (bench/peers.py), in a virtualenv of their own so
# qabot's dependencies stay untouched; bench/peers-requirements.txt pins the peers.
PEERS_VENV ?= .venv-peers

$(PEERS_VENV)/.installed: bench/peers-requirements.txt pyproject.toml
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install --quiet --no-deps --retries 1 "torch==$(TORCH_VERSION)" --extra-index-url $(TORCH_INDEX)
	$(PEERS_VENV)/bin/pip install --quiet -e . -r bench/peers-requirements.txt
	touch $@

bench-peers:
	@$(MAKE) --no-print-directory $(PEERS_VENV)/.installed || echo "bench-peers: skipped: the peers could not be installed (no package registry?)"
	@if [ -x $(PEERS_VENV)/bin/python ]; then $(PEERS_VENV)/bin/python bench/peers.py $(ARGS); fi

clean:
	rm -rf $(VENV) index/snapshots index/cache index/CURRENT index/.lock
