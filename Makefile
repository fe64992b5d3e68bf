# One command each: `make demo` runs the main job, `make test` runs the tests.
# Both create the virtual environment with the pinned versions first.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= data/toy

.PHONY: venv demo test bench clean darkbench

$(VENV)/.installed: requirements.txt requirements-test.txt setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip "setuptools<81" wheel
	$(PY) -m pip install -q -r requirements.txt -r requirements-test.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.installed

demo: venv
	PATH=$(abspath $(VENV))/bin:$$PATH bash tools/run_demo.sh

test: venv
	PATH=$(abspath $(VENV))/bin:$$PATH $(PY) -m pytest -q tests

bench: venv
	@$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) work_dirs

# DarkBench: every method, 5 seeds (hours on 2 cores); DARKBENCH_ARGS=--quick
# for a smoke run (docs/darkbench.md)
darkbench: venv
	PATH=$(abspath $(VENV))/bin:$$PATH $(PY) tools/darkbench.py $(DARKBENCH_ARGS)
