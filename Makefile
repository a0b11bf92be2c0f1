# dicomstd — every task of the project. `make test` and `make demo` set everything up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp

# The standard's XML: ../shared/standard when it is there, else the download cache.
SHARED_STANDARD := $(abspath ../shared/standard)
ifneq ($(wildcard $(SHARED_STANDARD)),)
export DICOMSTD_STANDARD_DIR ?= $(SHARED_STANDARD)
endif

EDITION ?=
BENCH_RUNS ?= 7

.PHONY: install lint format typecheck check-generated test test-compiled compiled generate fetch diff demo bench bench-pure clean full-build fuzz

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,gen]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --check --no-cache .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests/typing

check-generated: $(STAMP)
	$(PY) -m dicomstd.codegen check-generated

test: lint typecheck check-generated
	@! find src -name '*.so' | grep . || { echo "compiled modules in src/ would hide the sources: remove them"; exit 1; }
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory test-compiled

# The modules validation spends its time in, compiled to C with mypyc (the build `make bench`
# measures). The checkout is copied to build/compiled and compiled there, so the sources stay
# pure Python and an edit is never hidden behind a stale compiled module; the copy is made anew
# whenever a source changes. `make test-compiled` runs the tests against it (not the wheel's
# install tests, which build the pure package).
COMPILED_MODULES = $(shell $(PYTHON) -c "import tomllib; \
	hook = tomllib.load(open('pyproject.toml', 'rb'))['tool']['hatch']['build']['targets']['wheel']['hooks']['mypyc']; \
	print(' '.join(p.removeprefix('src/') for p in hook['include']))")
COMPILED := build/compiled
COMPILED_STAMP := $(COMPILED)/.compiled-stamp
$(COMPILED_STAMP): $(STAMP) pyproject.toml $(shell find src tests standard -type f -not -path '*/__pycache__/*' -not -path 'standard/cache/*')
	rm -rf $(COMPILED)
	mkdir -p $(COMPILED)
	tar -c --exclude=__pycache__ --exclude=.mypy_cache --exclude=standard/cache pyproject.toml src tests standard | tar -x -C $(COMPILED)
	cd $(COMPILED)/src && $(abspath $(BIN))/mypyc $(COMPILED_MODULES) > ../mypyc.log 2>&1 \
		|| { tail -n 40 ../mypyc.log; exit 1; }
	rm -rf $(COMPILED)/src/build
	@touch $@

compiled: $(COMPILED_STAMP)

test-compiled: $(COMPILED_STAMP)
	cd $(COMPILED) && PYTHONPATH=src $(abspath $(PY)) -c "import importlib, sys; \
		names = [p.removesuffix('.py').replace('/', '.') for p in sys.argv[1:]]; \
		plain = [n for n in names if importlib.import_module(n).__file__.endswith('.py')]; \
		sys.exit(f'not compiled: {plain}' if plain else 0)" $(COMPILED_MODULES)
	cd $(COMPILED) && PYTHONPATH=src $(abspath $(PY)) -m pytest -q -p no:cacheprovider --ignore=tests/install

generate: $(STAMP)
ifneq ($(EDITION),)
	$(PY) -m dicomstd.codegen fetch --edition $(EDITION) --pin
endif
	$(PY) -m dicomstd.codegen generate --report reports/generation.json

# A build of the whole standard for development: the full-size PS3.3 stand-in of ../shared/standard
# with PS3.4/3.5 2020c and PS3.6 2015b, into build/full (never committed). Use it with
# DICOMSTD_BUILD=build/full/_generated.
FULL_PARTS = --part 03=$(DICOMSTD_STANDARD_DIR)/full-2020-reconstructed/part03.xml \
	--part 04=$(DICOMSTD_STANDARD_DIR)/2020c/part04.xml \
	--part 05=$(DICOMSTD_STANDARD_DIR)/2020c/part05.xml \
	--part 06=$(DICOMSTD_STANDARD_DIR)/2015b/part06.xml
full-build: $(STAMP)
	@test -n "$(DICOMSTD_STANDARD_DIR)" || { echo "full-build needs DICOMSTD_STANDARD_DIR"; exit 2; }
	@mkdir -p build/full
	$(PY) -m dicomstd.codegen generate $(FULL_PARTS) --out build/full/_generated --report build/full/report.json

fetch: $(STAMP)
	$(PY) -m dicomstd.codegen fetch --edition $(or $(EDITION),current)

OLD ?= 2013
NEW ?= 2015b
diff: $(STAMP)
	$(PY) -m dicomstd.codegen diff $(OLD) $(NEW)

# The demo validates real files that ship with pydicom; exit status 1 means findings, not failure.
DEMO_FILES = CT_small.dcm rtdose.dcm MR_truncated.dcm
demo: $(STAMP)
	$(PY) -m dicomstd lookup PatientName
	$(PY) -m dicomstd lookup "(60xx,3000)"
	$(PY) -m dicomstd lookup 1.2.840.10008.5.1.4.1.1.2
	@files=$$($(PY) -c "import sys; from pydicom.data import get_testdata_file as g; print(' '.join(g(n) for n in sys.argv[1:]))" $(DEMO_FILES)); \
	echo "$(PY) -m dicomstd validate --no-notices <pydicom test files: $(DEMO_FILES)>"; \
	$(PY) -m dicomstd validate --no-notices $$files; status=$$?; [ $$status -le 1 ]

BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,gen,bench]'
	@touch $(BENCH_STAMP)

# The compiled build (see `make compiled`); `make bench-pure` measures the sources as they are.
bench: $(BENCH_STAMP) $(COMPILED_STAMP)
	PYTHONPATH=$(abspath $(COMPILED))/src $(PY) tests/bench/run.py --runs $(BENCH_RUNS)

bench-pure: $(BENCH_STAMP)
	$(PY) tests/bench/run.py --runs $(BENCH_RUNS)

# A long fuzz run: mutated pydicom files through the command (counts of cases, exceptions, hangs,
# lost results), then the resource cases with their peak RSS. FUZZ_CASES=2000 for a short one.
FUZZ_CASES ?= 100000
fuzz: $(STAMP)
	$(PY) tests/fuzz/run.py --cases $(FUZZ_CASES)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis reports build dist
