# desta-data: `make demo` (installs if needed, then runs the demo) and `make test` are all a new user needs.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
DEMO_MODEL := .models/SmolLM2-135M-Instruct
# Pip here ignores machine-wide pip settings (extra wheel folders, caps) so every machine installs the same set.
PIP := env PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip
# vLLM build: the CUDA one where an NVIDIA GPU is visible, the CPU one elsewhere (override: VLLM_BUILD=cpu|gpu).
VLLM_BUILD ?= $(shell command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && echo gpu || echo cpu)
SYSTEM_PACKAGES := espeak-ng sox libsox-fmt-all ffmpeg
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt pyproject.toml | sha1sum | cut -c1-12)-$(VLLM_BUILD)

.PHONY: install demo test bench-generation bench-attributes system-packages clean
.PHONY: shard lock check-gpu-install

install: $(STAMP) $(DEMO_MODEL)/desta-demo-model.json

system-packages:
	@missing=""; for tool in espeak-ng sox ffmpeg; do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $(SYSTEM_PACKAGES)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

ifeq ($(VLLM_BUILD),gpu)
# The CUDA build: one complete lock (vLLM, torch and every requirement pinned), so --no-deps leaves nothing out.
$(STAMP): requirements/lock-gpu.txt pyproject.toml | system-packages
	@echo "installing into $(VENV) (vLLM build: $(VLLM_BUILD)); the first time takes a few minutes"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade "pip>=24"
	$(PIP) install -q --no-deps -r requirements/lock-gpu.txt
	$(PIP) install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@
else
$(STAMP): requirements/torch.txt requirements/lock.txt requirements/vllm-$(VLLM_BUILD).txt pyproject.toml | system-packages
	@echo "installing into $(VENV) (vLLM build: $(VLLM_BUILD)); the first time takes a few minutes"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade "pip>=24"
	$(PIP) install -q -r requirements/torch.txt
	$(PIP) install -q --no-deps -r requirements/lock.txt
	$(PIP) install -q --no-deps -r requirements/vllm-$(VLLM_BUILD).txt
	$(PIP) install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@
endif

$(DEMO_MODEL)/desta-demo-model.json: $(STAMP)
	$(BIN)/desta-data prepare-demo-model --target $(DEMO_MODEL)

demo: install
	$(BIN)/desta-data run --config configs/demo.yaml

test: install
	$(BIN)/python -m pytest -q

# Hub-named shards, train/validation split by clip, and the dataset card, from the demo output.
shard: install
	$(BIN)/desta-data shard --config configs/demo.yaml --input runs/demo --output runs/demo-shards

bench-generation: install
	$(BIN)/python benchmarks/generation.py

bench-attributes: install
	$(BIN)/python benchmarks/attributes.py

# Regenerates requirements/lock.txt (CPU build) and requirements/lock-gpu.txt (CUDA build) with pip's resolver,
# keeping the locked pins the inputs still allow; UPGRADE=1 takes the newest releases instead.
lock: $(STAMP)
	$(BIN)/python tools/lock.py $(if $(UPGRADE),--upgrade)

# The CUDA build, installed from scratch into GPU_CHECK_VENV as on a GPU node, then checked as far as a machine
# without a GPU allows (tools/check_gpu_install.py): pip check, import vllm, configs/aqa5m.yaml's engine
# arguments through vLLM's own parser. Downloads several GB: not part of `make test`.
GPU_CHECK_VENV ?= .venv-gpu
check-gpu-install:
	rm -rf $(GPU_CHECK_VENV)
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory install VLLM_BUILD=gpu VENV=$(GPU_CHECK_VENV) DEMO_MODEL=$(GPU_CHECK_VENV)/demo-model && \
	$(GPU_CHECK_VENV)/bin/python tools/check_gpu_install.py --install-seconds $$(( $$(date +%s) - start ))

clean:
	rm -rf runs/ .pytest_cache
