# Everything a fresh machine needs: `make demo` and `make test` create the venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLAGSHIP := examples/vgr-social-ekonomi-2024.yaml

.PHONY: demo test lint docs messages bench bench-pdf templates clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# iopdocs and its runtime dependencies only: what a user of the command needs.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

# Adds the development tools (pytest, mypy, ruff, MkDocs, Jupyter) for make test.
$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

## demo: install iopdocs (no dev tools), render the flagship example into out/, say how to go on
demo: $(VENV)/.installed
	mkdir -p out
	$(BIN)/iopdocs validate $(FLAGSHIP)
	$(BIN)/iopdocs render $(FLAGSHIP) -o out/vgr-social-ekonomi-2024.docx
	@echo
	@echo "iopdocs is installed in $(VENV). Reach the command with either of:"
	@echo "    . $(BIN)/activate        # then: iopdocs --help"
	@echo "    $(BIN)/iopdocs --help"

## test: install with dev tools, lint, type-check, build the docs site and run every test
test: $(VENV)/.dev-installed lint docs
	$(BIN)/python -m pytest

## docs: build the documentation site into site/ (fails on a broken link or a stale page)
docs: $(VENV)/.dev-installed
	$(BIN)/python docs/reference.py --check
	$(BIN)/mkdocs build --strict --quiet

## messages: extract the messages from the source, merge them into the catalogs, compile them
messages: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
		-k N_ -k Message -k Plural:1,2 -k PydanticCustomError:2 -k _error:2 -k error:2 \
		--project iopdocs -o src/iopdocs/locale/iopdocs.pot src/iopdocs
	$(BIN)/pybabel update -D iopdocs -i src/iopdocs/locale/iopdocs.pot -d src/iopdocs/locale \
		--no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/pybabel compile -D iopdocs -d src/iopdocs/locale --statistics

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests templates benchmarks docs/reference.py
	$(BIN)/ruff format --check src tests templates benchmarks docs/reference.py
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
	rm -rf $(VENV) out build dist site .pytest_cache .mypy_cache .ruff_cache
