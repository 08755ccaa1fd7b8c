# The front door: `make demo` runs the simulated-fleet demo, `make test` runs every gate.
# Each target sets itself up on a fresh machine (Python 3.11, git and make are all it needs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(VENV)/collections
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: venv demo test bench lint unit integration sanity ansible-lint molecule coverage-reset agent-coverage clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	mkdir -p $(VENV)/collections/ansible_collections/winops
	ln -sfn $(CURDIR) $(VENV)/collections/ansible_collections/winops/iis_hotfix
	touch $(STAMP)

demo: venv
	$(BIN)/python tools/demo.py

test: coverage-reset lint unit integration sanity ansible-lint molecule agent-coverage

# Every process that runs the agent through winsim's PowerShell interpreter (pytest workers, fleet daemons,
# detached launchers) records the statements it executed here; agent-coverage reports them and fails below 95%.
PS_COVERAGE := $(CURDIR)/.ps-coverage
export WINSIM_PS_COVERAGE := $(PS_COVERAGE)

coverage-reset:
	rm -rf $(PS_COVERAGE)

agent-coverage: venv
	$(BIN)/python tools/agent_coverage.py $(PS_COVERAGE)

# Wire and time figures against the raw floor, each beside its target (docs/performance.md).
bench: venv
	$(BIN)/python benchmarks/bench.py

lint: venv
	$(BIN)/ruff check .

unit: venv
	$(BIN)/pytest -q -n auto tests/unit tests/winsim

integration: venv
	$(BIN)/pytest -q -n auto tests/integration

sanity: venv
	$(BIN)/python tests/sanity/run_sanity.py

ansible-lint: venv
	$(BIN)/ansible-lint --profile production

molecule: venv
	tests/molecule/run_molecule.sh

clean:
	rm -rf $(VENV) tests/output .pytest_cache .ruff_cache $(PS_COVERAGE)
