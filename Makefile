# Two commands on a fresh machine (Python 3.11): `make dataset` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
# Exact versions for byte-identical rebuilds; pyproject.toml keeps the lower bounds.
PIN    := -c constraints.txt
# Label Studio lives in a virtual environment of its own: its pins never constrain ours.
LS_VENV    := .venv-labelstudio
LS_VERSION := 1.23.2
LS         := $(LS_VENV)/bin/label-studio
# cffconvert validates CITATION.cff; it pins jsonschema<4, so it too lives in an environment of its own.
CFF_VENV    := .venv-cffconvert
CFF_VERSION := 2.0.0
CFFCONVERT  := $(CFF_VENV)/bin/cffconvert
# The site tests drive Debian's chromium with Playwright; no browser is ever downloaded.
CHROMIUM   ?= $(or $(DPRKMEDIA_CHROMIUM),/usr/bin/chromium)

.PHONY: dataset test test-lowest validate build generate site lint typecheck unit browser labelstudio bench clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installing the package into $(VENV) ..."
	$(PIP) install --quiet $(PIN) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "Installing the test tools into $(VENV) ..."
	$(PIP) install --quiet $(PIN) -e '.[test]'
	@touch $@

dataset: $(VENV)/.installed  ## create .venv, install, build dataset/ and validate it
	$(BIN)/dprkmedia build
	$(BIN)/dprkmedia validate

validate: $(VENV)/.installed  ## validate annotations, metadata and sources
	$(BIN)/dprkmedia validate

generate: $(VENV)/.installed  ## rewrite the files generated from the taxonomy and code
	$(BIN)/dprkmedia generate

site: $(VENV)/.installed  ## make the classroom viewer (static site) in build/site from the built dataset
	$(BIN)/dprkmedia site build/site

lint: $(VENV)/.installed-test  ## ruff, the architecture's import contracts (import-linter), the CI workflow (zizmor)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/lint-imports
	$(BIN)/zizmor --offline .github/workflows

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

$(LS):
	@echo "Installing Label Studio $(LS_VERSION) into $(LS_VENV) (its own environment) ..."
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet label-studio==$(LS_VERSION)

$(CFFCONVERT):
	@echo "Installing cffconvert $(CFF_VERSION) into $(CFF_VENV) (its own environment) ..."
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --quiet cffconvert==$(CFF_VERSION)

# Debian's chromium where it is missing and we are root; otherwise say what to do.
browser:
	@if [ -x "$(CHROMIUM)" ]; then \
	  echo "Browser for the site tests: $(CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the site tests (apt-get) ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "No browser at $(CHROMIUM), and not root: install it (sudo apt-get install chromium)" \
	    "or set DPRKMEDIA_CHROMIUM to a Chromium binary; the site tests need one." >&2; \
	fi

unit: $(VENV)/.installed-test $(LS) $(CFFCONVERT) browser
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 DPRKMEDIA_LABEL_STUDIO=$(abspath $(LS)) DPRKMEDIA_REQUIRE_LABEL_STUDIO=1 \
	  DPRKMEDIA_CFFCONVERT=$(abspath $(CFFCONVERT)) DPRKMEDIA_REQUIRE_CFFCONVERT=1 \
	  DPRKMEDIA_CHROMIUM=$(CHROMIUM) DPRKMEDIA_REQUIRE_BROWSER=1 \
	  $(BIN)/pytest

labelstudio: $(VENV)/.installed-test $(LS)  ## start a local Label Studio with the corpus project (Ctrl-C stops it)
	$(BIN)/dprkmedia labelstudio serve --label-studio $(abspath $(LS))

# Scaled corpora go to a temp folder; 100,000 documents: make bench BENCH_N="1000 10000 100000".
BENCH_N ?= 1000 10000
bench: $(VENV)/.installed  ## benchmarks at archive scale vs. floors and peers; writes docs/PERFORMANCE.md
	$(BIN)/python -m benchmarks.run --n $(BENCH_N) $(BENCH_ARGS)

test: lint typecheck validate unit  ## install test tools (Label Studio, chromium), lint, type-check, validate, run every test

# Are the lower bounds of pyproject.toml true? A fresh .venv-lowest gets every runtime dependency (and the
# loading tests' pytest and DuckDB) at its floor, pip picks the rest, and the tests that load the
# dataset as users do run there (pytest -m loading). A few minutes, mostly downloads; CI runs it after make test.
LOW_VENV      := .venv-lowest
LOADING_TESTS := tests/test_build.py tests/test_readme.py tests/test_teaching.py
test-lowest:  ## the loading tests at the lowest versions pyproject.toml allows (own venv: .venv-lowest)
	rm -rf $(LOW_VENV)
	$(PYTHON) -m venv $(LOW_VENV)
	$(LOW_VENV)/bin/python scripts/lowest_requirements.py --extra test pytest duckdb > $(LOW_VENV)/lowest.txt
	@echo "Installing the lowest versions into $(LOW_VENV):" $$(cat $(LOW_VENV)/lowest.txt)
	$(LOW_VENV)/bin/python -m pip install --quiet -r $(LOW_VENV)/lowest.txt .
	env -u PYTHONPATH HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 \
	  $(LOW_VENV)/bin/python -m pytest -p no:cacheprovider -m loading $(LOADING_TESTS)

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) $(LS_VENV) $(CFF_VENV) $(LOW_VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
