"""Offline stand-in for the get-pip.py script that ansible-test downloads from Ansible's CI file host.

run_sanity.py saves this file where ansible-test caches that script. ansible-test runs it inside each
fresh, pip-less sanity virtualenv as ``python quiet_pip.py <pip install arguments>`` (get-pip's own
calling convention: no ``install`` verb, plus ``--no-setuptools``/``--no-wheel``). It bootstraps pip
from the interpreter's bundled ensurepip, then installs the pinned pip from the configured package index.

Each step runs in its own child process: ensurepip points PIP_CONFIG_FILE at the null device for its
own process, which would otherwise drop the configured certificate bundle and index settings.
"""

import subprocess
import sys

# Marks files written by run_sanity.py, so it refreshes its own stand-in but never a real get-pip.py.
STANDIN_MARKER = "winops.iis_hotfix get-pip stand-in"

GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel", "--no-pip"}


def run(*args: str) -> None:
    completed = subprocess.run([sys.executable, *args], check=False)
    if completed.returncode:
        sys.exit(completed.returncode)


def main() -> None:
    requested = sys.argv[1:]
    run("-m", "ensurepip", "--upgrade")
    run("-m", "pip", "install", *[arg for arg in requested if arg not in GET_PIP_ONLY_FLAGS])
    # Python 3.11's ensurepip also installs setuptools; get-pip leaves it out when asked, and so do we,
    # so the sanity environments hold no more than ansible-test expects.
    if "--no-setuptools" in requested:
        run("-m", "pip", "uninstall", "--yes", "--quiet", "setuptools")


if __name__ == "__main__":
    main()
