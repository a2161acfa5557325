# Everything runs through .venv/bin/... explicitly; no activation needed.
PYTHON ?= python3
VENV   := .venv
VBIN   := $(VENV)/bin

.PHONY: setup demo test app bench clean distclean

setup:
	PYTHON=$(PYTHON) bash scripts/setup.sh

# Placeholder: will become `$(VBIN)/simlib project scenarios/baseline.yaml`.
demo: setup
	$(VBIN)/python -m simlib.demo

test: setup
	bash scripts/install_browser.sh
	$(VBIN)/python -m pytest

app: setup
	$(VBIN)/voila notebooks/lever_explorer.ipynb --no-browser --port 8866 --Voila.ip=127.0.0.1

bench: setup
	$(VBIN)/python benchmarks/run_all.py

# Generated outputs and caches (keeps .venv; `make distclean` removes it too).
clean:
	rm -rf build/ out/ artifacts/ test-artifacts/ .pytest_cache/ .hypothesis/ *.egg-info/
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
