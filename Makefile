# Customers, Not Channels — every command a user needs. Each target sets up what it uses.
#   make book    build the static site into _build/html
#   make test    run the whole test suite
#   make lab     open JupyterLab on the notebooks
#   make assign  make student notebooks and autograder zips from the exercise masters
#   make grade ASSIGNMENT=<name> SUBMISSIONS=<folder or zip> [OUT=<folder>] [DASK=tcp://host:8786]  grade a class
#   make book COURSE=1  the site for a graded course: no solutions appendix, no link to it
#                       (built into _build/course/_build/html; _build/html is left as it is)
#   make pdf [SOLUTIONS=1]  the whole book as one PDF and a handout per chapter, in _build/pdf
#                       (SOLUTIONS=1 adds the solutions appendix and the instructor pages)
#   make book LITE=0    the site without the in-browser Python ("Try it in your browser", 57 MB)
#   make assign PRIVATE=<file.toml>  (also make grade ... PRIVATE=...) private held-out seeds for
#                       the hidden tests, into the autograder zips only; a template:
#                       .venv/bin/python -m socialkit.course.assign --heldout
#   make data    regenerate the shipped synthetic data sets (socialkit/data/datasets/) from their seeds
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed
ASSETS := _assets

.PHONY: help setup book lab test assign grade data clean pdf
help:
	@sed -n '2,15p' Makefile

# --- set-up: a virtual environment with the pinned packages, and the front-end assets ---------
$(STAMP_PY): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# JupyterLite's kernel extension (from jupyterlite-pyodide-kernel, needed to build lite/) only
	@# loads in JupyterLite's own front end; in JupyterLab it fails with a console error. The lite
	@# build takes it from its wheel (socialkit/site/lite.py), so JupyterLab's copy is removed.
	rm -rf $(VENV)/share/jupyter/labextensions/@jupyterlite
	touch $@

$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP_PY) $(STAMP_JS)

# --- the book ------------------------------------------------------------------------------
book: setup assign
	$(BIN)/python -m socialkit.site.book build $(if $(filter-out 0,$(COURSE)),--course) $(if $(filter 0,$(LITE)),--no-lite)
	@echo "The book is ready: $(CURDIR)/$(if $(filter-out 0,$(COURSE)),_build/course/)_build/html/index.html"

# The book printed by Chromium from the built site (socialkit/site/pdf.py).
pdf: book
	$(BIN)/python -m socialkit.site.pdf $(if $(filter-out 0,$(SOLUTIONS)),--solutions)

lab: setup assign
	$(BIN)/python -m socialkit lab

assign: $(STAMP_PY)
	$(BIN)/python -m socialkit.course.assign $(if $(PRIVATE),--private "$(PRIVATE)")

# Grade every submission (a folder, or the zip a learning platform exports) with otter run, in
# parallel; results in OUT (default _build/grades/<assignment>). More options: socialkit-grade --help
ifneq ($(filter grade,$(MAKECMDGOALS)),)
ifeq ($(strip $(ASSIGNMENT)),)
$(error usage: make grade ASSIGNMENT=<name> SUBMISSIONS=<folder or zip> [OUT=<folder>])
endif
ifeq ($(strip $(SUBMISSIONS)),)
$(error usage: make grade ASSIGNMENT=<name> SUBMISSIONS=<folder or zip> [OUT=<folder>])
endif
endif
grade: $(STAMP_PY) assign
	$(BIN)/python -m socialkit.course.grading "$(ASSIGNMENT)" "$(SUBMISSIONS)" $(if $(OUT),--out "$(OUT)") $(if $(DASK),--dask "$(DASK)") $(if $(PRIVATE),--private "$(PRIVATE)")

# The synthetic data sets, written into the package (socialkit/data/datasets/) by their seeded
# generators; the tests check that the shipped files are exactly this output.
data: $(STAMP_PY)
	$(BIN)/python -m socialkit.data.posts --seed 2026
	$(BIN)/python -m socialkit.data.outcomes --seed 2026

# Two workers (pytest-xdist), one test file each at a time; the book and the assigned exercises are
# built once per run and shared (tests/conftest.py). TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
test: setup
	$(BIN)/python -m pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile)

clean:
	rm -rf _build .jupyter_cache
