# The two commands of the README: `make run` (set up, build the index if missing, start the chat)
# and `make test` (set up, run the checks). Everything is installed into .venv/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test browser lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python browser
	$(BIN)/pip install --quiet -e '.[test]'

# Debian's chromium for the real-browser UI tests (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

run: setup
	$(BIN)/python app.py

lint:
	$(BIN)/ruff check src ingest tests app.py benchmarks evals
	$(BIN)/mypy

# pytest includes a real `chroma run` server on 127.0.0.1 (tests/test_chroma_server.py). The quick
# benchmark fails on errors only, never on timings; it prints its table (without --no-write it updates BENCHMARKS.md).
test: setup-test lint
	$(BIN)/python -m pytest
	$(BIN)/kennisbank ingest
	$(BIN)/kennisbank eval
	$(BIN)/python benchmarks/run.py --quick --no-write
