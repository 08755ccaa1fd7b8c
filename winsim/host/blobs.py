"""Content-addressed file contents in the state directory: a copy of a file costs nothing, a file of zeros little.

Each distinct content is stored once, zlib-compressed, at `blobs/<first two hex digits>/<sha256>`.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{digest}.{os.getpid()}.tmp")
            temporary.write_bytes(zlib.compress(data, 1))
            os.replace(temporary, path)
        return digest

    def get(self, digest: str) -> bytes:
        return zlib.decompress(self._path(digest).read_bytes())

    def prune(self, keep: set[str]) -> None:
        """Forget contents no file refers to any more (called after a save, so the saved state stays whole)."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            for blob in folder.iterdir():
                if blob.name not in keep and not blob.name.startswith("."):
                    blob.unlink(missing_ok=True)
