# Spark docs. `make html` and `make test` set up everything they need on a fresh machine.
PYTHON    ?= python3
VENV      := .venv
PY        := $(VENV)/bin/python
SPHINX    := $(VENV)/bin/sphinx-build
STRICT    := -W --keep-going -n
JOBS      ?= auto
BUILD     := _build
SPHINXARGS = -c . -d $(BUILD)/doctrees -j $(JOBS) $(STRICT) $(O)

.PHONY: html mdx livehtml linkcheck test test-fast bench bench-smoke clean venv node system-deps

html: venv node
	$(SPHINX) -b html $(SPHINXARGS) source $(BUILD)/html

mdx: venv node
	$(SPHINX) -b mdx $(SPHINXARGS) source $(BUILD)/mdx

# sphinx-autobuild, strict like `make html`, each rebuild forked from a process that has Sphinx,
# _ext and Spark's CLI imported (tools/livehtml.py); -j 1: an edit rebuilds one page, where
# forking workers costs more (~0.8 s vs ~1.0 s measured)
livehtml: venv node
	$(PY) tools/livehtml.py -b html -c . -d $(BUILD)/doctrees $(STRICT) -j 1 source $(BUILD)/html

linkcheck: venv node
	$(SPHINX) -b linkcheck $(SPHINXARGS) source $(BUILD)/linkcheck

test: venv node system-deps
	$(PY) -m pytest tests

# The quick loop: everything but the live and browser suites and the `slow` checks (whole-site
# rebuilds, Mintlify over every page; tests/conftest.py lists them), on a site kept between
# runs in $(BUILD)/test-site (rebuilt from scratch when _ext, conf.py or a lockfile changes).
test-fast: venv node
	SPARK_TEST_SITE=$(BUILD)/test-site $(PY) -m pytest tests --ignore=tests/live --ignore=tests/browser -m "not slow" -q

bench: venv node
	$(PY) bench/run.py

bench-smoke: venv node
	$(PY) bench/run.py --smoke

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node: tests/node_modules/.installed tools/mermaid/node_modules/.installed
tests/node_modules/.installed: tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# the mermaid build the HTML site ships (vendored into _static/mermaid by conf.py)
tools/mermaid/node_modules/.installed: tools/mermaid/package-lock.json
	npm ci --prefix tools/mermaid --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests drive: Chromium (browser tests), Java (Nu Html Checker),
# PostgreSQL, Redis and nginx (the live Spark stack). Installed only when missing and run as root.
system-deps:
	@bash tests/install-system-deps.sh

clean:
	rm -rf $(BUILD) _static/mermaid
