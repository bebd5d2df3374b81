# Two commands do all set-up on a fresh machine:
#   make demo   build the dataset, validate it, run the baselines (protocols cv and temporal), print the leaderboard
#   make test   run the whole test suite (what .ci/run runs)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the CPU build of torch (embed extra) lies here; without it uv would fetch the CUDA build
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels)

.PHONY: demo test venv ls-venv browser slurm bench bench-annotation clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python $(FIND_LINKS) -e '.[dev,annotation,eval,embed,scale,ray,lmeval]'
	$(BIN)/python -m compileall -q src >/dev/null  # the environment may forbid writing .pyc at run time: each process would compile every module it imports
	touch $@

venv: $(STAMP)

demo: venv
	$(BIN)/natostance build dataset/raw --out dataset
	$(BIN)/natostance validate dataset
	@if [ -d dataset/data/stance ]; then \
	  for b in majority rules tfidf embedding; do \
	    $(BIN)/natostance baseline $$b --gold dataset --out build/runs/$$b.jsonl || exit 1; \
	    $(BIN)/natostance baseline $$b --gold dataset --protocol cv --out build/runs/$$b-cv.jsonl || exit 1; \
	  done; \
	  $(BIN)/natostance annotator-runs dataset --out build/runs || exit 1; \
	  $(BIN)/natostance leaderboard build/runs --gold dataset --format html --out build/runs/leaderboard.html && \
	  $(BIN)/natostance leaderboard build/runs --gold dataset; \
	else echo "no gold labels yet (dataset/data/stance): baselines and leaderboard skipped"; fi

# Debian's chromium + chromedriver: the one browser the tests drive (selenium), for the Label Studio UI and the leaderboard page
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }

# Debian's Slurm (controller, node daemon, client commands) and munge, for the test that runs the datatrove build
# on a real one-node cluster on loopback (tests/builder/scale/slurmcluster.py starts and stops it). Where they
# cannot be installed (no root, no apt) that test is skipped with this reason (and fails under CI=true).
SLURM_BINS := /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/sbatch
slurm:
	@for f in $(SLURM_BINS); do test -x $$f || missing=1; done; [ -z "$$missing" ] || \
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  slurmctld slurmd slurm-client munge >/dev/null; } || \
	echo "make slurm: could not install Debian's slurmctld, slurmd, slurm-client and munge: the Slurm test will be skipped"

# the pinned Label Studio server in its OWN virtualenv (${XDG_CACHE_HOME:-~/.cache}/natostance/label-studio-<v>),
# installed once per machine; never into .venv (it pins pyarrow<25)
ls-venv: venv
	$(BIN)/python -c "from natostance.annotate.labelstudio.server import install; print(install())"

test: venv ls-venv browser slurm
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/budget.py
	$(BIN)/python benchmarks/score.py

bench-annotation: venv ls-venv
	$(BIN)/python benchmarks/annotation.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis benchmarks/out tests/artifacts
