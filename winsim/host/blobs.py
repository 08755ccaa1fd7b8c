"""Content-addressed file contents in the state directory: a copy of a file costs nothing, a file of zeros little.

Each distinct content is stored once, zlib-compressed, at `blobs/<first two hex digits>/<sha256>`; contents
under SMALL_BYTES are kept in memory and saved inside the host's state file instead (one file each would
cost more than the content).
"""

from __future__ import annotations

import base64
import hashlib
import os
import zlib
from pathlib import Path

SMALL_BYTES = 4096


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._small: dict[str, bytes] = {}

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if len(data) < SMALL_BYTES:
            self._small[digest] = data
            return digest
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{digest}.{os.getpid()}.tmp")
            temporary.write_bytes(zlib.compress(data, 1))
            os.replace(temporary, path)
        return digest

    def get(self, digest: str) -> bytes:
        small = self._small.get(digest)
        return small if small is not None else zlib.decompress(self._path(digest).read_bytes())

    def prune(self, keep: set[str]) -> None:
        """Forget contents no file refers to any more (called after a save, so the saved state stays whole)."""
        self._small = {d: data for d, data in self._small.items() if d in keep}
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            for blob in folder.iterdir():
                if blob.name not in keep and not blob.name.startswith("."):
                    blob.unlink(missing_ok=True)

    def small_to_json(self, keep: set[str]) -> dict[str, str]:
        """The in-memory contents still referred to, for the state file."""
        return {d: base64.b64encode(data).decode() for d, data in self._small.items() if d in keep}

    def load_small(self, items: dict[str, str]) -> None:
        self._small = {d: base64.b64decode(text) for d, text in items.items()}
