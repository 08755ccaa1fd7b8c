"""Statement coverage of the scripts winsim's PowerShell runs, kept on disk across processes.

The interpreter notes the start line of every statement it executes, per source text
(language.compiler.COVERAGE). With WINSIM_PS_COVERAGE=<dir> set, each process writes what it ran to that
directory: `<hash>.ps1` (the source, once) and `<hash>-<pid>.json` (the lines it executed, rewritten as it
grows). Test runs, fleet daemons and detached processes all write there; `report()` merges them. Which lines
are statements comes from the grammar (every child of a statement list but comments), so a function that never
ran still counts against the figure.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

ENV = "WINSIM_PS_COVERAGE"
# Not statements the interpreter runs as such (a trap runs its body; a label names the next loop).
_NOT_RUN = frozenset({"comment", "empty_statement", "label", "trap_statement"})
_flushed: dict[str, int] = {}
_lock = threading.Lock()


def directory() -> Path | None:
    value = os.environ.get(ENV)
    return Path(value) if value else None


def source_key(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:20]


def flush() -> None:
    """Write the executed lines of every source that grew since the last flush (no-op without the variable)."""
    target = directory()
    if target is None:
        return
    from winsim.powershell.language.compiler import COVERAGE
    with _lock:
        target.mkdir(parents=True, exist_ok=True)
        for source, lines in list(COVERAGE.items()):
            if not lines or _flushed.get(source) == len(lines):
                continue
            key = source_key(source)
            script = target / f"{key}.ps1"
            if not script.exists():
                _atomic_write(script, source)
            _atomic_write(target / f"{key}-{os.getpid()}.json", json.dumps(sorted(lines)))
            _flushed[source] = len(lines)


def _atomic_write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def statement_lines(source: str) -> set[int]:
    """Start lines of the source's statements, as the grammar sees them (what the interpreter counts)."""
    from winsim.powershell.language.parser import parse
    lines: set[int] = set()
    pending = [parse(source).root_node]
    while pending:
        node = pending.pop()
        if node.type == "statement_list":
            lines.update(child.start_point[0] + 1 for child in node.named_children if child.type not in _NOT_RUN)
        pending.extend(node.children)
    return lines


def collected(target: Path) -> dict[str, tuple[str, set[int]]]:
    """key -> (source, executed lines) merged over every process that wrote to `target`."""
    merged: dict[str, tuple[str, set[int]]] = {}
    for script in target.glob("*.ps1"):
        key = script.stem
        executed: set[int] = set()
        for part in target.glob(f"{key}-*.json"):
            executed.update(json.loads(part.read_text(encoding="utf-8")))
        merged[key] = (script.read_text(encoding="utf-8"), executed)
    return merged


if directory() is not None:
    atexit.register(flush)
