# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    creates .venv, installs Readinglist into it, starts it
#   make test   creates .venv with the test extras, runs ruff, the layer contracts
#               (import-linter) and the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint clean bench package mutants

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/readinglist $(ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

# The desktop app as one folder, dist/readinglist (run dist/readinglist/readinglist),
# and the same folder as a .tar.gz to hand out. packaging/install-linux.sh
# puts it in the launcher.
VERSION = $(shell $(BIN)/python -c "import readinglist; print(readinglist.__version__)")
package: $(TEST_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/readinglist.spec
	QT_QPA_PLATFORM=offscreen dist/readinglist/readinglist --smoke-test
	tar -C dist -czf dist/readinglist-$(VERSION)-linux-$(shell uname -m).tar.gz readinglist
	@du -sh dist/readinglist dist/readinglist-$(VERSION)-linux-$(shell uname -m).tar.gz

# Benchmarks (not part of make test): BENCH_ARGS="--sizes 1000,10000 --json bench.json"
bench: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench $(BENCH_ARGS)

# Hand-made mutations of the code and whether the tests catch them (about half
# an hour; tests/README.md keeps the last result): MUTANTS_ARGS="--only ID"
mutants: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.mutants $(MUTANTS_ARGS)
