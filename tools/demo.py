"""`make demo`: start a small simulated fleet, run Ansible against it over WinRM, stop it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKDIR = ROOT / "demo-run"


def run(*argv: str) -> int:
    print(f"\n$ {' '.join(argv)}", flush=True)
    return subprocess.call(argv, cwd=ROOT)


def main() -> int:
    python = str(BIN / "python")
    if run(python, "-m", "winsim", "start", "--reset", "--workdir", str(WORKDIR),
           "--hosts", "iis4-default:2,no-iis:1") != 0:
        return 1
    try:
        return run(str(BIN / "ansible"), "-i", str(WORKDIR / "inventory.yml"), "all", "-m", "raw", "-a", "hostname")
    finally:
        run(python, "-m", "winsim", "stop", "--workdir", str(WORKDIR))


if __name__ == "__main__":
    sys.exit(main())
