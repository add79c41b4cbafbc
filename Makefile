# Two entry points: `make demo` and `make test`. Both create .venv and install everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= $(if $(LOGBERT_DATA),$(LOGBERT_DATA),../shared/datasets)
DEMO_DIR ?= demo_out
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU build of torch first (these machines' pip config finds its wheel on local disk, /opt/wheels); a bare `torch` would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	LOGBERT_DATA=$(DATA) DEMO_DIR=$(DEMO_DIR) bash scripts/demo.sh

test: install
	$(BIN)/ruff check src tests benchmarks
	# headless Chromium for the HTML report test (tests/reporting/test_render.py)
	(command -v chromium && command -v chromedriver) >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)
	LOGBERT_DATA=$(DATA) $(BIN)/pytest -m "slow or not slow"

test-fast: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests benchmarks

bench: install
	LOGBERT_DATA=$(DATA) $(BIN)/python benchmarks/parsing.py
	LOGBERT_DATA=$(DATA) $(BIN)/python benchmarks/hdfs.py
	LOGBERT_DATA=$(DATA) $(BIN)/python benchmarks/memory.py
	LOGBERT_DATA=$(DATA) $(BIN)/logbert benchmark --protocol all --models all

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache
