"""Unit tests import the collection as ansible_collections.winops.iis_hotfix.

`make venv` links the checkout into .venv/collections; when that link is missing (pytest run
without make), an equivalent link is made in a temporary directory instead.

Also provides a fake Windows connection that reads an agent invocation the way
docs/agent-protocol.md describes it (independently of the client's own code) and answers
with a recorded or computed response.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import tempfile
import typing as t
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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

# Constants written out from the protocol document, not imported from the code under test.
DOC_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
DOC_MARKER = "# protocol: win-primitive-agent/1"
DOC_SEPARATOR = "### win-primitive-agent request ###"


class Invocation(t.NamedTuple):
    bootstrap: str
    script_lines: list[str]
    request: dict[str, t.Any]
    stdin: bytes


def read_invocation(cmd: str, in_data: bytes | None) -> Invocation:
    """Decode an agent invocation as docs/agent-protocol.md section 1 specifies, asserting each rule."""
    assert cmd.startswith(DOC_PREFIX), cmd[:120]
    bootstrap = base64.b64decode(cmd[len(DOC_PREFIX) :]).decode("utf-16-le")
    assert in_data is not None and in_data.endswith(b"\n")
    text = in_data.decode("ascii")
    lines = text[:-1].split("\n")
    assert lines[0] == DOC_MARKER
    separator = lines.index(DOC_SEPARATOR)
    script_lines = lines[:separator]
    digest_source = "\n".join(line.rstrip() for line in script_lines if line.strip())
    digest = hashlib.sha256(digest_source.encode("utf-8")).hexdigest()
    embedded = re.findall(r"'([0-9a-f]{64})'", bootstrap)
    assert embedded == [digest], "the bootstrap must carry the digest of the script sent on stdin"
    request_lines = lines[separator + 1 :]
    assert len(request_lines) == 1, "the request is one line"
    return Invocation(bootstrap, script_lines, json.loads(request_lines[0]), in_data)


class FakeWindowsShell:
    _IS_WINDOWS = True
    SHELL_FAMILY = "powershell"
    tmpdir = None


class FakeWindowsConnection:
    """Stands in for the winrm/psrp/ssh connection plugins: one exec_command per batch."""

    def __init__(
        self,
        answer: t.Callable[[dict[str, t.Any]], t.Any] | None = None,
        *,
        error: BaseException | None = None,
        rc: int = 0,
        stdout: bytes | None = None,
        stderr: bytes = b"",
    ) -> None:
        self._shell = FakeWindowsShell()
        self._answer = answer
        self._error = error
        self._rc = rc
        self._stdout = stdout
        self._stderr = stderr
        self.invocations: list[Invocation] = []

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        assert sudoable is False
        invocation = read_invocation(cmd, in_data)
        self.invocations.append(invocation)
        if self._error is not None:
            raise self._error
        if self._stdout is not None:
            return self._rc, self._stdout, self._stderr
        assert self._answer is not None
        answer = self._answer(invocation.request)
        stdout = answer if isinstance(answer, bytes) else (json.dumps(answer) + "\r\n").encode("ascii")
        return self._rc, stdout, self._stderr


def load_fixture(name: str) -> dict[str, t.Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recorded(name: str) -> t.Callable[[dict[str, t.Any]], dict[str, t.Any]]:
    """An answer function replaying a recorded response; it must answer exactly the ids asked."""
    document = load_fixture(name)

    def answer(request: dict[str, t.Any]) -> dict[str, t.Any]:
        asked = [operation["id"] for operation in request["operations"]]
        assert asked == [result["id"] for result in document["results"]], name
        return document

    return answer


# Shared through fixtures rather than imports: every test directory has its own conftest module.
@pytest.fixture
def windows_connection() -> type[FakeWindowsConnection]:
    """The fake connection class; call it with an answer function or a canned error/stdout."""
    return FakeWindowsConnection


@pytest.fixture
def recorded_response() -> t.Callable[[str], t.Callable[[dict[str, t.Any]], dict[str, t.Any]]]:
    return recorded


@pytest.fixture
def collections_root() -> Path:
    """The directory holding ansible_collections/winops/iis_hotfix (for Ansible subprocesses)."""
    return Path(_ROOT)


@pytest.fixture
def agent_fixture() -> t.Callable[[str], dict[str, t.Any]]:
    return load_fixture


def resolved_documentation(module: t.Any) -> dict[str, t.Any]:
    """A module's DOCUMENTATION with this collection's documentation fragments merged in, as ansible-doc does."""
    import importlib

    import yaml
    from ansible.utils.plugin_docs import merge_fragment

    documentation = yaml.safe_load(module.DOCUMENTATION)
    for name in documentation.pop("extends_documentation_fragment", []):
        assert name.startswith("winops.iis_hotfix."), f"{name}: only this collection's fragments are resolved here"
        fragment_module = importlib.import_module(
            "ansible_collections.winops.iis_hotfix.plugins.doc_fragments." + name.rsplit(".", 1)[1])
        fragment = yaml.safe_load(fragment_module.ModuleDocFragment.DOCUMENTATION)
        for key, value in fragment.items():
            if key in ("options", "attributes") and key in documentation:
                merge_fragment(documentation[key], value)
            else:
                documentation.setdefault(key, value)
    return documentation


@pytest.fixture
def module_documentation() -> t.Callable[[t.Any], dict[str, t.Any]]:
    return resolved_documentation


@pytest.fixture(autouse=True)
def no_retry_backoff(monkeypatch) -> None:
    """Transient faults are still retried (agent_retry), without waiting between attempts."""
    from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_retry

    monkeypatch.setattr(agent_retry, "RETRY_DELAYS", (0.0,) * 5)
