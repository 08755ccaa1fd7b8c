#!/usr/bin/env bash
# Run a molecule scenario of this collection (default: `default`) the way `make test` does:
#   tests/molecule/run_molecule.sh [SCENARIO [extra `molecule test` arguments...]]
# from the repository root, with the virtualenv's tools first on PATH (molecule runs ansible-playbook,
# ansible-config and ansible-inventory from PATH) and the checkout as collection winops.iis_hotfix.
# The exit code is molecule's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [[ ! -x .venv/bin/molecule ]]; then
    echo "run_molecule: .venv/bin/molecule is missing; run \`make venv\` first" >&2
    exit 2
fi
if [[ ! -e .venv/collections/ansible_collections/winops/iis_hotfix/galaxy.yml ]]; then
    echo "run_molecule: the checkout is not linked as winops.iis_hotfix in .venv/collections; run \`make venv\`" >&2
    exit 2
fi

export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$root/.venv/collections"

exec molecule test --scenario-name "${1:-default}" "${@:2}"
