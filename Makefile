# The two commands of the README: `make run` (set up, build the index if missing, start the chat)
# and `make test` (set up, run the checks). Everything Python is installed into .venv/; the Debian
# packages (tesseract with its Dutch model, the Dutch word list, chromium for tests) by `make system`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast setup setup-test system system-test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The package is installed editable, so a changed source file needs no reinstall: only a changed
# pyproject.toml does. The stamp files make a second `make run` start at once.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed system

setup-test: $(VENV)/.installed-test system-test

# Debian packages: tesseract + Dutch model (OCR of scanned PDFs), wdutch (Dutch word list for
# hyphenation), hunspell-nl (compound flags for splitting compounds). Installed only when missing.
system:
	@command -v tesseract >/dev/null 2>&1 && [ -e /usr/share/tesseract-ocr/5/tessdata/nld.traineddata ] \
		&& [ -e /usr/share/dict/dutch ] && [ -e /usr/share/hunspell/nl.dic ] || { \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-nld wdutch hunspell-nl >/dev/null; }

# Plus Debian's chromium for the real-browser UI tests (Playwright drives it; it downloads no browser).
system-test: system
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

run: setup
	$(BIN)/python app.py

lint:
	$(BIN)/ruff check src ingest tests app.py benchmarks evals
	$(BIN)/mypy

# The unit tier: the deterministic test embedder, no real model, browser or server (seconds).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not integration" -q

# Everything real: pytest includes a real `chroma run` server on 127.0.0.1 and Debian's chromium.
# The quick benchmark fails on errors only, never on timings.
test: setup-test lint
	$(BIN)/python -m pytest
	$(BIN)/kennisbank ingest
	$(BIN)/kennisbank eval
	$(BIN)/python benchmarks/run.py --quick --no-write
