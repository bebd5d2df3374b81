# Two commands do all set-up on a fresh machine:
#   make demo   build the dataset, validate it, run the baselines, score them, print the leaderboard
#   make test   run the whole test suite (what .ci/run runs)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test venv ls-venv browser bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev,annotation,eval,scale,ray]'
	touch $@

venv: $(STAMP)

demo: venv
	$(BIN)/natostance build dataset/raw --out dataset
	$(BIN)/natostance validate dataset

# Debian's chromium, for the tests that open pages in a real browser
browser:
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: venv
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis benchmarks/out tests/artifacts
