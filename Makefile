# Everything a fresh machine needs: `make demo` and `make test` create the venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLAGSHIP := examples/vgr-social-ekonomi-2024.yaml

.PHONY: demo test lint bench bench-pdf templates clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

## demo: install and render the flagship example into out/
demo: $(VENV)/.dev-installed
	mkdir -p out
	$(BIN)/iopdocs validate $(FLAGSHIP)
	$(BIN)/iopdocs render $(FLAGSHIP) -o out/vgr-social-ekonomi-2024.docx

## test: install with dev tools, lint, type-check and run every test
test: $(VENV)/.dev-installed lint
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests templates benchmarks
	$(BIN)/ruff format --check src tests templates benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

## bench: measure render speed and memory (figures go into the README)
bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench_render.py

## bench-pdf: PDF packaging, warm against cold LibreOffice, a batch against plain soffice calls
bench-pdf: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench_pdf.py

## templates: rebuild templates/contract.docx from templates/build.py
templates: $(VENV)/.dev-installed
	$(BIN)/python templates/build.py

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache
