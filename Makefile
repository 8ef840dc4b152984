# make demo   set up if needed, then run the main job on the built-in default
# make test   set up if needed, then run the test suite
# make setup  only make the environment (tools/setup_env.sh)
SHELL := bash
ENV := $(shell tools/setup_env.sh --path)
PYTHON := $(ENV)/bin/python
# Run this checkout's code without installing it into the shared environment.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

.PHONY: setup test demo env-path
setup:
	@tools/setup_env.sh >/dev/null

env-path:
	@echo $(ENV)

test: setup
	$(PYTHON) -m pytest -q tests

demo: setup
	$(PYTHON) tools/demo.py
