# aparavi-dtc: every command sets up what it needs on first use: .venv with the package
# and requirements-dev.txt, node_modules from package-lock.json; `make demo` only the
# package and its runtime dependencies (httpx, attrs), into the same .venv.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GEN := generated/aparavi_dtc_api
GENERATE = PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate \
	--path openapi.yaml --config generator-config.yaml --meta none --overwrite \
	--custom-template-path generator-templates

.PHONY: setup demo test pytest generate drift spec-diff mock lint docs bench mutate clean

setup: $(BIN)/.installed node_modules/.installed

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

$(BIN)/.installed: requirements-dev.txt pyproject.toml | $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## demo: validate -> run a predefined pipeline over examples/documents -> print the text,
## on the SDK's own fake of the service (needs no Node, and nothing of requirements-dev.txt)
demo: $(BIN)/.demo-installed
	$(BIN)/python examples/demo.py

# The package with its runtime dependencies and nothing else, so that a first `make demo`
# takes seconds; a later `make test` still installs its whole environment (its own stamp).
$(BIN)/.demo-installed: pyproject.toml | $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

## test: lint, type checks, spec linters, generated-code drift check, the docs build, then pytest
test: setup lint drift docs pytest

# Three workers on two cores: many tests wait on sockets, sleeps and subprocesses.
pytest: setup
	$(BIN)/python -m pytest -n 3 --dist worksteal

## generate: regenerate generated/ from openapi.yaml (never edit generated/ by hand), then
## the registry's methods (tools/methods.py) and the sync client (tools/unasync.py)
generate: $(BIN)/.installed
	$(GENERATE) --output-path $(GEN) 2> >(grep -v '^$$' >&2 || true)
	$(BIN)/python tools/methods.py
	$(BIN)/python tools/unasync.py

## drift: fail when generated/ is not what openapi.yaml produces now, the registry's methods
## not what tools/methods.py writes, or the sync files not what tools/unasync.py makes
drift: $(BIN)/.installed
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(GENERATE) --output-path "$$tmp/aparavi_dtc_api" >/dev/null 2>&1; \
	if ! diff -r -x __pycache__ "$$tmp/aparavi_dtc_api" $(GEN); then \
		echo "generated/ is out of date with openapi.yaml: run 'make generate' and commit" >&2; \
		exit 1; \
	fi; echo "drift: generated/ matches openapi.yaml"
	@$(BIN)/python tools/methods.py --check
	@$(BIN)/python tools/unasync.py --check

## spec-diff: what a changed spec breaks for users of the SDK: make spec-diff NEW=path/to/openapi.yaml
## (exit 0 nothing breaks, 1 something does, 2 the spec is invalid or does not generate)
spec-diff: $(BIN)/.installed
	@test -n "$(NEW)" || { echo "usage: make spec-diff NEW=path/to/openapi.yaml [JSON=1]" >&2; exit 2; }
	$(BIN)/python tools/spec_diff.py "$(NEW)" $(if $(JSON),--json)

## docs: build the docs site (mkdocs.yml: the guide in docs/, the API reference from the
## docstrings) into site/, any warning an error; nothing is fetched
docs: $(BIN)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

## mutate: mutation testing of the modules that hold the SDK's promises (TESTING.md);
## not part of `make test`. Runs in a scratch copy: MUTATE_DIR, default <tmp>/aparavi-dtc-mutate.
mutate: $(BIN)/.mutate-installed node_modules/.installed
	nice -n 10 $(BIN)/python tools/mutate.py

$(BIN)/.mutate-installed: $(BIN)/.installed requirements-mutate.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-mutate.txt
	touch $@

## bench: measure the SDK against raw httpx and aparavi-dtc-sdk (see BENCHMARKS.md)
bench: $(BIN)/.bench-installed
	$(BIN)/python bench/run.py

$(BIN)/.bench-installed: $(BIN)/.installed requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

## mock: run a Prism mock of openapi.yaml on a free port until Ctrl-C
mock: setup
	$(BIN)/python tools/prism.py

## lint: ruff, mypy --strict, Spectral and Redocly
lint: setup
	$(BIN)/ruff check wrapper tests tools examples bench
	$(BIN)/ruff format --check wrapper tests tools examples bench
	$(BIN)/mypy
	node_modules/.bin/spectral lint --fail-severity=warn --ruleset .spectral.yaml openapi.yaml
	node_modules/.bin/redocly lint --config redocly.yaml openapi.yaml

clean:
	rm -rf $(VENV) node_modules .mypy_cache .pytest_cache .ruff_cache .hypothesis
