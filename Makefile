# Two entry points for a fresh clone: `make demo` (set up, then run the main job on the
# bundled data) and `make test` (set up, then run the whole suite). Everything installs
# into .venv; nothing is installed system-wide.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
OUT     ?= out/detect
TRAIN   := data/iot23/CTU-Honeypot-Capture-4-1-labeled.csv \
           data/iot23/CTU-Honeypot-Capture-5-1-labeled.csv \
           data/iot23/CTU-Honeypot-Capture-7-1-labeled.csv
TEST    := data/iot23/CTU-Malware-Capture-34-1-labeled.csv

.PHONY: setup demo test lint lab bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build lies on local disk; a bare `torch` would pull several GB of CUDA wheels.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/workbench detect --train $(TRAIN) --test $(TEST) --out $(OUT)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache
