# Two commands on a fresh machine: `make run` and `make test`. Both go through
# `make setup`, which is safe to run again and only does what is missing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
GUIDE := $(BIN)/guide
# Debian packages the guide needs; installed when running as root, named otherwise.
# fonts-noto-core, fonts-noto-cjk: the QR posters (Vietnamese, Chinese, Korean, Japanese).
# For the tests: postgresql (a throwaway server), chromium and chromium-driver (the browser
# tests), zbar-tools, librsvg2-bin and poppler-utils (decoding every QR code we print),
# nginx-light (running the configuration `guide deploy nginx` writes).
DEBIAN_PACKAGES := fonts-noto-core fonts-noto-cjk postgresql chromium chromium-driver \
	zbar-tools librsvg2-bin poppler-utils nginx-light
DEBIAN_COMMANDS := /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf \
	/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/lib/postgresql/15/bin/initdb \
	/usr/bin/chromium /usr/bin/chromedriver /usr/bin/zbarimg /usr/bin/rsvg-convert /usr/bin/pdftoppm \
	/usr/sbin/nginx
# redis-server: the job queue and Rasa's lock store past one machine (a throwaway server in
# the tests).
DEBIAN_PACKAGES += redis-server
DEBIAN_COMMANDS += /usr/bin/redis-server
# ffmpeg: narration audio (loudness normalisation, MP3 and Opus) and ffprobe, which also checks
# staff uploads decode as audio. Offline voices (README, "Voices"): espeak-ng; RHVoice's Russian
# and English voices and SVOX Pico (French, German) come from Debian's non-free component,
# which setup adds in its own sources file when apt does not know them yet.
DEBIAN_PACKAGES += ffmpeg espeak-ng rhvoice rhvoice-russian rhvoice-english libttspico-utils
DEBIAN_COMMANDS += /usr/bin/ffmpeg /usr/bin/ffprobe /usr/bin/espeak-ng /usr/bin/RHVoice-test \
	/usr/share/RHVoice/voices/anna /usr/share/RHVoice/voices/slt /usr/bin/pico2wave
# libimage-exiftool-perl: the tests read the photos visitors get with exiftool (no metadata left).
DEBIAN_PACKAGES += libimage-exiftool-perl
DEBIAN_COMMANDS += /usr/bin/exiftool
NON_FREE_SOURCES := /etc/apt/sources.list.d/heritage-guide-non-free.sources
PYTHON311 := $(shell command -v python3.11 2>/dev/null || ls "$$(pyenv root 2>/dev/null)"/versions/3.11.*/bin/python3.11 2>/dev/null | tail -n 1)

# The map's browser libraries (Leaflet and its plugins) come from the npm registry and are
# served from /static/vendor/ instead of CDNs.
VENDOR_STAMP := api/static/vendor/.copied

# The assistant: Rasa 3.6 needs Python 3.10 and its own virtual environment (.venv-rasa).
# The model is retrained only when the bot's data, domain, config or the lookups generated
# from the knowledge base (`guide bot sync`, rewritten only when they change) are newer.
VENV_RASA := .venv-rasa
RASA_REQUIREMENTS := bot/requirements-rasa.txt
# The pipeline's tokenizer is imported as bot.components.script_tokenizer, so Rasa and
# the scripts run with .venv-rasa's Python see the repository root (as `guide bot rasa` does).
RASA_ENV := PYTHONPATH=$(CURDIR)
RASA := $(RASA_ENV) $(CURDIR)/$(VENV_RASA)/bin/rasa
PYTHON310 := $(shell for candidate in python3.10 "$$(pyenv root 2>/dev/null)"/versions/3.10.*/bin/python3.10; do \
	"$$candidate" -c "" >/dev/null 2>&1 && { echo "$$candidate"; break; }; done)
BOT_MODEL := bot/models/heritage-guide.tar.gz
BOT_LOOKUPS := bot/data/generated/lookups.yml
BOT_SOURCES := bot/config.yml bot/domain.yml bot/segmenting.py $(wildcard bot/components/*.py) \
	$(shell find bot/data -name '*.yml' -not -path '*/generated/*' 2>/dev/null)

.PHONY: help setup system-packages map-assets load run test lint typecheck unit eval bench clean \
	bot-check

help:
	@echo "make run    set up everything, then start the guide and print its URL"
	@echo "make test   set up everything, then run every check (ruff, mypy, pytest)"
	@echo "make setup  only the set-up (virtual environment, system packages, site data)"

setup: system-packages $(VENV)/.installed map-assets load $(BOT_MODEL)

system-packages:
	@missing=""; for file in $(DEBIAN_COMMANDS); do [ -e "$$file" ] || missing=yes; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		if ! apt-cache madison libttspico-utils 2>/dev/null | grep -q . && [ ! -e $(NON_FREE_SOURCES) ]; then \
			echo "Adding Debian's contrib and non-free components: $(NON_FREE_SOURCES)"; \
			. /etc/os-release; printf '%s\n' "Types: deb" "URIs: http://deb.debian.org/debian" \
				"Suites: $$VERSION_CODENAME $$VERSION_CODENAME-updates" "Components: contrib non-free" \
				"Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" > $(NON_FREE_SOURCES); \
			apt-get update -q >/dev/null; \
		fi; \
		echo "Installing Debian packages: $(DEBIAN_PACKAGES)"; \
		(apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES) >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES) >/dev/null)) || \
		{ echo "Could not install $(DEBIAN_PACKAGES) with apt-get."; exit 1; }; \
	else \
		echo "Please install these Debian packages (as root): apt-get install $(DEBIAN_PACKAGES)"; exit 1; \
	fi

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON311)" ]; then echo "Python 3.11 is needed: install python3.11 or add it with pyenv."; exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON311) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $@

map-assets: $(VENDOR_STAMP)

$(VENDOR_STAMP): package-lock.json $(VENV)/.installed
	@command -v npm >/dev/null || { echo "npm is needed for the map's browser libraries: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m maps.vendor
	@touch $@

load: $(VENV)/.installed
	$(GUIDE) sites load

run: setup
	$(BIN)/honcho start --procfile Procfile

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: $(VENV)/.installed
	$(BIN)/pytest

test: setup lint typecheck bot-check unit

# With a newer setuptools two of Rasa's dependencies (randomname, docopt) fail to build.
$(VENV_RASA)/.installed: $(RASA_REQUIREMENTS)
	@if [ -z "$(PYTHON310)" ]; then echo "Python 3.10 is needed for Rasa: install python3.10 or add it with pyenv."; exit 1; fi
	@[ -x $(VENV_RASA)/bin/python ] || $(PYTHON310) -m venv $(VENV_RASA)
	$(VENV_RASA)/bin/python -m pip install -q "setuptools<70"
	$(VENV_RASA)/bin/python -m pip install -q -r $(RASA_REQUIREMENTS)
	@touch $@

# Always run; the file (and so the model) only changes when the knowledge base did.
$(BOT_LOOKUPS): load
	$(GUIDE) bot sync

$(BOT_MODEL): $(VENV_RASA)/.installed $(BOT_SOURCES) $(BOT_LOOKUPS)
	cd bot && $(RASA) train --quiet --fixed-model-name heritage-guide --out models

# The NLU on held-out phrases, per language; the report goes to bot/results/nlu_eval.md.
eval: $(BOT_MODEL)
	$(RASA_ENV) $(VENV_RASA)/bin/python bot/evaluate_nlu.py
	$(BIN)/python -m bench.tourist_questions

bot-check: $(BOT_MODEL)
	cd bot && $(RASA) data validate --quiet
	cd bot && $(RASA) test --stories tests/test_stories.yml --fail-on-prediction-errors --out results/tests --quiet

# Benchmarks (scripts, not tests): nginx (installed by setup) is the reference server, wrk
# the load tool.
BENCH_PACKAGES := wrk

bench: setup
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y -q --no-install-recommends $(BENCH_PACKAGES) >/dev/null; \
		else echo "Please install (as root): apt-get install $(BENCH_PACKAGES)"; exit 1; fi; \
	fi
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) $(VENV_RASA) var node_modules api/static/vendor .pytest_cache .mypy_cache .ruff_cache \
		bot/models bot/.rasa bot/data/generated bot/results/tests
