"""An in-memory Windows file system that answers the agent's file and lock operations as
docs/agent-protocol.md specifies them, for action-plugin tests without a host."""

from __future__ import annotations

import base64
import hashlib
import typing as t


class HostError(Exception):
    def __init__(self, kind: str, code: int | None, message: str) -> None:
        super().__init__(message)
        self.kind, self.code, self.message = kind, code, message


def _key(path: str) -> str:
    return path.replace("/", "\\").rstrip("\\").upper()


class FakeAgentHost:
    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes, str]] = {}  # key -> (path, content, mtime)
        self.directories: dict[str, str] = {}
        self.locks: dict[str, str] = {}
        self.requests: list[dict[str, t.Any]] = []

    # -- helpers for tests --------------------------------------------------------------------------
    def put(self, path: str, content: bytes, mtime: str = "2000-01-01T00:00:00Z") -> None:
        self._make_parents(path)
        self.files[_key(path)] = (path, content, mtime)

    def read(self, path: str) -> bytes:
        return self.files[_key(path)][1]

    def snapshot(self) -> tuple:
        return (dict(self.files), dict(self.directories), dict(self.locks))

    def listing(self, root: str) -> dict[str, bytes]:
        prefix = _key(root) + "\\"
        return {path[len(prefix):]: content for key, (path, content, _) in self.files.items() if key.startswith(prefix)}

    def _make_parents(self, path: str) -> None:
        parts = path.rstrip("\\").split("\\")
        for index in range(2, len(parts)):
            directory = "\\".join(parts[:index])
            self.directories.setdefault(_key(directory), directory)

    # -- the protocol -------------------------------------------------------------------------------
    def answer(self, request: dict[str, t.Any]) -> dict[str, t.Any]:
        self.requests.append(request)
        results: dict[str, dict[str, t.Any]] = {}
        ordered = []
        for op in request["operations"]:
            args = dict(op["args"])
            after = args.pop("after", None)
            if after is not None and not results[after["$ref"]]["ok"]:
                entry = {"id": op["id"], "op": op["op"], "ok": False,
                         "error": {"op": op["op"], "kind": "unresolved_reference", "code": None,
                                   "message": "skipped", "exception": None}}
            else:
                try:
                    value = getattr(self, "op_" + op["op"].replace(".", "_"))(**args)
                    entry = {"id": op["id"], "op": op["op"], "ok": True, "value": value}
                except HostError as error:
                    entry = {"id": op["id"], "op": op["op"], "ok": False,
                             "error": {"op": op["op"], "kind": error.kind, "code": error.code,
                                       "message": error.message, "exception": None}}
            results[op["id"]] = entry
            ordered.append(entry)
        return {"protocol": "win-primitive-agent/1", "ok": True, "agent": {}, "results": ordered, "error": None}

    def op_file_tree(self, path, sha256=True, **limits):
        root = _key(path)
        if root in self.files:
            raise HostError("invalid_argument", 267, "path is a file, not a directory")
        if root not in self.directories:
            return {"path": path, "exists": False}
        prefix = root + "\\"
        files = []
        for key, (name, content, mtime) in self.files.items():
            if key.startswith(prefix):
                entry = {"path": name[len(prefix):], "size": len(content), "mtime": mtime}
                if sha256:
                    entry["sha256"] = hashlib.sha256(content).hexdigest()
                files.append(entry)
        directories = [{"path": name[len(prefix):], "mtime": "x", "reparse_point": False}
                       for key, name in self.directories.items() if key.startswith(prefix)]
        return {"path": path, "exists": True, "file_count": len(files),
                "total_bytes": sum(f["size"] for f in files), "directories": directories, "files": files}

    def op_file_write(self, path, content, offset=0, create_parents=True, expect_sha256=None, mtime=None,
                      append=False):
        data = base64.b64decode(content)
        existing = self.files.get(_key(path))
        if offset and existing is None:
            raise HostError("not_found", 2, "The system cannot find the file specified.")
        before = existing[1] if existing else b""
        after = before[:offset] + data
        self.put(path, after, mtime or (existing[2] if existing else "2024-01-01T00:00:00Z"))
        if expect_sha256 and hashlib.sha256(after).hexdigest() != expect_sha256:
            raise HostError("checksum_mismatch", None, "SHA-256 differs")
        return {"path": path, "changed": after != before, "created": existing is None, "size": len(after),
                "written": len(data), "sha256": hashlib.sha256(after).hexdigest() if expect_sha256 else None}

    def op_file_copy(self, src, dest, overwrite=True, create_parents=True, verify=True, backup=None):
        if _key(src) not in self.files:
            raise HostError("not_found", 2, "The system cannot find the file specified.")
        _, content, mtime = self.files[_key(src)]
        changed = self.files.get(_key(dest), (None, None))[1] != content
        self.put(dest, content, mtime)
        return {"src": src, "dest": dest, "changed": changed, "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(), "backup": None}

    def op_file_stat(self, path, **_options):
        """Drive roots exist (C: to F:); shares only when listed in ``shares``."""
        key = _key(path)
        if len(key) == 2 and key[1] == ":":
            exists = key[0] in "CDEF"
        elif key.startswith("\\\\") and key.count("\\") == 3:
            if key not in {_key(share) for share in getattr(self, "shares", ())}:
                raise HostError("os_error", 53, "The network path was not found.")
            exists = True
        else:
            exists = key in self.files or key in self.directories
        return {"path": path, "exists": exists, "type": "directory" if exists else None}

    def op_dir_create(self, path):
        changed = _key(path) not in self.directories
        self._make_parents(path + "\\x")
        return {"path": path, "changed": changed}

    def op_file_delete(self, path, recurse=False, must_exist=False):
        key = _key(path)
        removed = [k for k in self.files if k == key or k.startswith(key + "\\")]
        for k in removed:
            del self.files[k]
        directories = [k for k in self.directories if k == key or k.startswith(key + "\\")]
        for k in directories:
            del self.directories[k]
        return {"path": path, "changed": bool(removed or directories), "existed": bool(removed or directories),
                "type": "directory" if directories else "file", "files_deleted": len(removed),
                "directories_deleted": len(directories)}

    def op_lock_acquire(self, name, owner, ttl_seconds=3600):
        holder = self.locks.get(name)
        if holder not in (None, owner):
            raise HostError("lock_held", 33, f"lock '{name}' is held by '{holder}' until 2030-01-01T00:00:00Z")
        self.locks[name] = owner
        return {"name": name, "changed": holder is None, "owner": owner, "acquired": "x", "expires": "y",
                "previous_owner": None}

    def op_lock_release(self, name, owner, force=False):
        holder = self.locks.pop(name, None)
        return {"name": name, "changed": holder is not None, "previous_owner": holder}
