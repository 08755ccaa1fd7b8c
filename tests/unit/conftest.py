"""Unit tests import the collection as ansible_collections.winops.iis_hotfix.

`make venv` links the checkout into .venv/collections; when that link is missing (pytest run
without make), an equivalent link is made in a temporary directory instead.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _collections_root() -> Path:
    venv_root = REPO_ROOT / ".venv" / "collections"
    if (venv_root / "ansible_collections" / "winops" / "iis_hotfix" / "plugins").is_dir():
        return venv_root
    shim_root = Path(tempfile.mkdtemp(prefix="iis_hotfix_collections_"))
    namespace = shim_root / "ansible_collections" / "winops"
    namespace.mkdir(parents=True)
    (namespace / "iis_hotfix").symlink_to(REPO_ROOT, target_is_directory=True)
    return shim_root


_ROOT = str(_collections_root())
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
