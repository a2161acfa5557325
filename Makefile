# Everything runs through .venv/bin/... explicitly; no activation needed.
PYTHON ?= python3
VENV   := .venv
VBIN   := $(VENV)/bin

.PHONY: setup demo check lint test durations app bench clean distclean

setup:
	PYTHON=$(PYTHON) bash scripts/setup.sh

# The main job: every scenario in scenarios/ as a batch of rendered reports in out/demo.
demo: setup
	$(VBIN)/python -m simlib.cli.demo

# The fast tier, for every change (under 2 minutes on a quiet 2-core machine): lint, format, types,
# and the tests of the engine, the analyses, the data, the words and the CLI's errors (in-process).
CHECK_TESTS := tests/engine tests/analysis tests/reports tests/cli tests/test_layers.py tests/test_public_api.py tests/test_environment.py

# Test processes (pytest-xdist); tests/conftest.py keeps a file's tests, and all the browser tests, on one.
TEST_WORKERS ?= 2

lint: setup
	$(VBIN)/ruff check .
	$(VBIN)/ruff format --check .
	$(VBIN)/mypy

check: lint
	$(VBIN)/python -m pytest -n $(TEST_WORKERS) -m "not slow" $(CHECK_TESTS)

# Everything (what .ci/run calls): the checks, then every test, notebooks, browsers and Dask included.
test: lint
	bash scripts/install_browser.sh
	$(VBIN)/python -m pytest -n $(TEST_WORKERS)

# The seconds each group of tests takes on $(TEST_WORKERS) workers, stored in tests/durations.json: `make test`
# hands the longest groups to its workers first, so they end together. Run again when tests are added or moved.
durations: setup
	bash scripts/install_browser.sh
	$(VBIN)/python -m pytest -n $(TEST_WORKERS) --store-durations

# The lever explorer as a web page (Voilà) on 127.0.0.1 only; prints the address.
app: setup
	bash scripts/serve_app.sh

bench: setup
	$(VBIN)/python benchmarks/run_all.py

# Generated outputs and caches (keeps .venv; `make distclean` removes it too).
clean:
	rm -rf build/ out/ artifacts/ test-artifacts/ .pytest_cache/ .hypothesis/ .mypy_cache/ .ruff_cache/ *.egg-info/
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
