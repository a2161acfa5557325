# Everything runs through .venv/bin/... explicitly; no activation needed.
PYTHON ?= python3
VENV   := .venv
VBIN   := $(VENV)/bin

.PHONY: setup demo test app bench clean distclean

setup:
	PYTHON=$(PYTHON) bash scripts/setup.sh

# The main job: every scenario in scenarios/ as a batch of rendered reports in out/demo.
demo: setup
	$(VBIN)/python -m simlib.cli.demo

test: setup
	bash scripts/install_browser.sh
	$(VBIN)/python -m pytest

# The lever explorer as a web page (Voilà) on 127.0.0.1 only; prints the address.
app: setup
	bash scripts/serve_app.sh

bench: setup
	$(VBIN)/python benchmarks/run_all.py

# Generated outputs and caches (keeps .venv; `make distclean` removes it too).
clean:
	rm -rf build/ out/ artifacts/ test-artifacts/ .pytest_cache/ .hypothesis/ *.egg-info/
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
