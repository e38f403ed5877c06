# minutes-extract: every target runs from a fresh clone after `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= minutes.db

.PHONY: install test lint eval import serve model bench test-browser browser-deps clean

install: $(BIN)/minutes-extract

$(BIN)/minutes-extract: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests bench training

# The answer keys: minutes of every family (corpus/gold), then the protocols with votes
# (corpus/votes, partial keys).
eval: install
	$(BIN)/minutes-extract evaluate corpus/ --gold corpus/gold/
	$(BIN)/minutes-extract evaluate corpus/votes/ --gold corpus/votes/gold/

# The main job: import the bundled corpus (its two scanned PDFs are read by OCR). Exit
# status 1 means some file was reported and recorded in import_errors; the rest imported.
import: install
	@$(BIN)/minutes-extract import $(DB) corpus/; status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi

serve: install
	$(BIN)/minutes-extract serve $(DB)

model: install
	bash training/train.sh

bench: install
	$(BIN)/python bench/run.py

browser-deps:
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)

test-browser: install browser-deps
	$(BIN)/pytest -q -m browser tests/browser

clean:
	rm -rf build dist .pytest_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
