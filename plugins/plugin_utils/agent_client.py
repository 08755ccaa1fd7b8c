# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a batch on a Windows host through the task's own connection, in one command.

The command is a small fixed PowerShell bootstrap passed as ``-EncodedCommand``; stdin
carries the agent script, a separator line and the JSON request. The winrm, psrp and
ssh (PowerShell shell) connection plugins all run such a command with ``exec_command``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_retry
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import (
    PROTOCOL,
    PROTOCOL_MARKER,
    REQUEST_SEPARATOR,
    SIDE_EFFECT_FREE_OPERATIONS,
    AgentResponse,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_retry import (
    repeatable,
    reset_connection,
    transient,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.auth_hints import describe_refused_login
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import (
    AgentError,
    AgentRequestError,
    AgentResponseError,
    AgentTransportError,
)

# The exact prefix Ansible's PowerShell shell plugin produces: the winrm plugin then runs the
# command as is, and the psrp plugin decodes it and runs it inside its runspace.
POWERSHELL_COMMAND_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand"
DIGEST_PLACEHOLDER = "AGENT_SHA256_PLACEHOLDER"
LAUNCHER_PLACEHOLDER = "AGENT_LAUNCHER_BASE64"
_HERE = Path(__file__).resolve().parent
AGENT_PATH = _HERE / "agent.ps1"
# The agent script is these files joined in this order: the core first (its header carries the
# protocol marker), the operations, then the request handling that runs the request.
AGENT_PARTS = (
    "agent.ps1",
    "agent_json.ps1",
    "agent_system.ps1",
    "agent_registry.ps1",
    "agent_services.ps1",
    "agent_service_control.ps1",
    "agent_events.ps1",
    "agent_files.ps1",
    "agent_file_writes.ps1",
    "agent_processes.ps1",
    "agent_records.ps1",
    "agent_locks.ps1",
    "agent_state.ps1",
    "agent_main.ps1",
)
BOOTSTRAP_PATH = _HERE / "agent_bootstrap.ps1"
LAUNCHER_PATH = _HERE / "agent_launcher.ps1"
_EXCERPT = 2000


class Connection(t.Protocol):
    """What the client needs from an Ansible connection plugin."""

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        ...


def agent_digest(script_text: str) -> str:
    """SHA-256 over the script's non-blank lines with trailing blanks removed, as the bootstrap checks it."""
    lines = [line.rstrip() for line in script_text.splitlines() if line.strip()]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def agent_source() -> str:
    """The agent script before minification: every part, in order."""
    return "\n".join((_HERE / name).read_text(encoding="ascii").rstrip("\n") for name in AGENT_PARTS) + "\n"


def encode_powershell_command(script: str) -> str:
    """What ``powershell.exe -EncodedCommand`` expects: base64 of the UTF-16LE text."""
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def minify_powershell(text: str, *, keep_header: bool) -> str:
    """Drop indentation, blank and comment-only lines (the scripts use no multi-line strings).

    ``keep_header`` keeps the leading comment block, which carries the protocol marker and
    the licence, as written.
    """
    lines = text.splitlines()
    header: list[str] = []
    if keep_header:
        while lines and lines[0].startswith("#"):
            header.append(lines.pop(0))
    body = [line.strip() for line in lines]
    return "\n".join(header + [line for line in body if line and not line.startswith("#")])


@dataclass(frozen=True)
class AgentScript:
    """The agent script and the bootstrap command bound to it."""

    script: str
    bootstrap: str

    @property
    def digest(self) -> str:
        return agent_digest(self.script)

    @classmethod
    def from_text(cls, script: str, bootstrap_template: str, launcher: str = "") -> AgentScript:
        """Minify the scripts (fewer bytes per round trip), embed the launcher, bind the bootstrap to the agent."""
        if not script.isascii():
            raise ValueError("the agent script must be ASCII: stdin passes through console code pages")
        if not script.startswith(PROTOCOL_MARKER + "\n"):
            raise ValueError(f"the agent script must start with the line {PROTOCOL_MARKER!r}")
        script = minify_powershell(script, keep_header=True)
        if LAUNCHER_PLACEHOLDER in script:
            if not launcher:
                raise ValueError("the agent script needs the process launcher script")
            encoded_launcher = encode_powershell_command(minify_powershell(launcher, keep_header=False))
            script = script.replace(LAUNCHER_PLACEHOLDER, encoded_launcher)
        if REQUEST_SEPARATOR in script.splitlines():
            raise ValueError("the agent script must not contain the request separator line")
        if DIGEST_PLACEHOLDER not in bootstrap_template:
            raise ValueError("the bootstrap has no digest placeholder")
        bootstrap = minify_powershell(bootstrap_template, keep_header=False)
        return cls(script=script, bootstrap=bootstrap.replace(DIGEST_PLACEHOLDER, agent_digest(script)))

    @classmethod
    @functools.cache
    def load(cls) -> AgentScript:
        """The agent shipped with the collection (read once per controller process)."""
        return cls.from_text(
            agent_source(),
            BOOTSTRAP_PATH.read_text(encoding="ascii"),
            LAUNCHER_PATH.read_text(encoding="ascii"),
        )

    def command(self) -> str:
        return f"{POWERSHELL_COMMAND_PREFIX} {encode_powershell_command(self.bootstrap)}"

    def stdin(self, request: t.Mapping[str, t.Any]) -> bytes:
        # ensure_ascii: every non-ASCII character travels as a \\u escape, immune to code pages.
        body = json.dumps(request, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        lines = [*self.script.splitlines(), REQUEST_SEPARATOR, body]
        return ("\n".join(lines) + "\n").encode("ascii")


def _protocol_document(text: str) -> t.Any:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) and "protocol" in document else None


def find_response(stdout: str) -> t.Any:
    """The last stdout line that is a JSON object naming the protocol; other lines are noise.

    A response broken over several lines (by a console, or pretty-printed) is accepted too.
    """
    for line in reversed(stdout.splitlines()):
        candidate = line.strip()
        if candidate.startswith("{") and PROTOCOL in candidate:
            document = _protocol_document(candidate)
            if document is not None:
                return document
    start, end = stdout.find("{"), stdout.rfind("}")
    return _protocol_document(stdout[start : end + 1]) if 0 <= start < end else None


def _excerpt(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + " [...]"


class AgentClient:
    """Runs agent batches over one connection. ``read_only`` refuses anything that could write."""

    def __init__(
        self,
        connection: Connection,
        *,
        read_only: bool = False,
        script: AgentScript | None = None,
        log: t.Callable[[str], None] | None = None,
        retry_delays: t.Sequence[float] | None = None,
        sleep: t.Callable[[float], None] = time.sleep,
    ) -> None:
        shell = getattr(connection, "_shell", None)
        if shell is not None and not getattr(shell, "_IS_WINDOWS", False):
            shell_name = getattr(shell, "SHELL_FAMILY", type(shell).__name__)
            raise AgentError(
                f"this module needs a Windows host reached with a PowerShell shell, not the {shell_name!r} shell"
            )
        self._connection = connection
        self._read_only = read_only
        self._script = script or AgentScript.load()
        self._log = log or (lambda message: None)
        self._retry_delays = tuple(agent_retry.RETRY_DELAYS if retry_delays is None else retry_delays)
        self._sleep = sleep
        self.retries = 0  # transient failures survived by sending a batch again

    @property
    def read_only(self) -> bool:
        return self._read_only

    def run(self, batch: AgentBatch) -> AgentResponse:
        """One round trip: every operation of ``batch`` is answered in the returned response."""
        if self._read_only:
            refused = sorted(batch.operation_names - SIDE_EFFECT_FREE_OPERATIONS)
            if refused:
                raise AgentError(f"operations that can change the host are not allowed here: {', '.join(refused)}")
        stdin = self._script.stdin(batch.to_request())
        self._log(f"win-primitive-agent: running {len(batch)} operations ({len(stdin)} bytes on stdin)")
        for attempt, delay in enumerate((*self._retry_delays, None)):
            try:
                return self._round_trip(batch, stdin)
            except AgentRequestError as exc:
                # The request arrived damaged (a connection lost while stdin was sent): nothing ran, send it again.
                if delay is None or exc.kind not in agent_retry.NOTHING_RAN:
                    raise
                self._log(f"win-primitive-agent: {exc.message}; sending the batch again in {delay:g} s "
                          f"(attempt {attempt + 2})")
                self.retries += 1
                self._sleep(delay)
                reset_connection(self._connection)
        raise AssertionError("unreachable")

    def _round_trip(self, batch: AgentBatch, stdin: bytes) -> AgentResponse:
        rc, stdout, stderr = self._exchange(batch, stdin)
        document = find_response(stdout.decode("utf-8", errors="replace"))
        if document is None:
            raise AgentResponseError(
                f"the agent gave no {PROTOCOL} response (exit code {rc}); is Windows PowerShell 2.0 or later "
                "installed and allowed to run?",
                rc=rc,
                stdout=_excerpt(stdout),
                stderr=_excerpt(stderr),
            )
        response = AgentResponse.from_document(document, batch.ids)
        self._log(f"win-primitive-agent: answered in {response.agent.get('elapsed_ms')} ms")
        return response

    def _exchange(self, batch: AgentBatch, stdin: bytes) -> tuple[int, bytes, bytes]:
        """One exec_command, sent again after a transient fault when the batch is safe to repeat."""
        delays = self._retry_delays if repeatable(batch) else ()
        for attempt in range(len(delays) + 1):
            try:
                return self._connection.exec_command(self._script.command(), in_data=stdin, sudoable=False)
            except Exception as exc:
                if attempt == len(delays) or not transient(exc):
                    refused = describe_refused_login(self._connection, exc)
                    if refused is not None:
                        raise AgentTransportError(refused, exc, explained=True) from exc
                    tried = f" (tried {attempt + 1} times)" if attempt else ""
                    raise AgentTransportError(f"the connection failed while the agent ran: {exc}{tried}", exc) from exc
                self._log(f"win-primitive-agent: {exc}; sending the batch again in {delays[attempt]:g} s")
                self.retries += 1
                self._sleep(delays[attempt])
                reset_connection(self._connection)
        raise AssertionError("unreachable")
