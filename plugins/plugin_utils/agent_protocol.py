# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants and response model of the win-primitive-agent protocol (docs/agent-protocol.md)."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import (
    AgentRequestError,
    AgentResponseError,
    OperationFailed,
)

PROTOCOL = "win-primitive-agent/1"
PROTOCOL_MARKER = "# protocol: " + PROTOCOL
REQUEST_SEPARATOR = "### win-primitive-agent request ###"
OPERATION_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
OPERATION_NAME_PATTERN = re.compile(r"[a-z]+\.[a-z_]+")

# Operations that never change the host: the only ones a batch may hold in check mode.
READ_OPERATIONS = frozenset(
    {
        "system.info",
        "registry.read",
        "service.query",
        "event.query",
        "file.stat",
        "file.tree",
        "process.poll",
        "state.read",
    }
)
WRITE_OPERATIONS = frozenset(
    {
        "file.write",
        "file.copy",
        "file.delete",
        "dir.create",
        "service.start",
        "service.stop",
        "process.start",
        "registry.write",
        "lock.acquire",
        "lock.release",
        "state.write",
    }
)
OPERATIONS = READ_OPERATIONS | WRITE_OPERATIONS
SIDE_EFFECT_FREE_OPERATIONS = READ_OPERATIONS

ERROR_KINDS = frozenset(
    {
        "invalid_request",
        "unsupported_protocol",
        "agent_corrupt",
        "agent_failed",
        "unknown_operation",
        "invalid_argument",
        "unresolved_reference",
        "not_found",
        "access_denied",
        "in_use",
        "disk_full",
        "already_exists",
        "not_empty",
        "checksum_mismatch",
        "lock_held",
        "timeout",
        "limit_exceeded",
        "os_error",
        "internal",
    }
)


@dataclass(frozen=True)
class OperationError:
    """The structured error of one operation, or of a whole request (``op`` is then None)."""

    op: str | None
    kind: str
    code: int | None
    message: str
    exception: str | None = None

    def describe(self) -> str:
        where = f"{self.op}: " if self.op else ""
        code = f", Win32 error {self.code}" if self.code is not None else ""
        return f"{where}{self.message} ({self.kind}{code})"


@dataclass(frozen=True)
class OperationResult:
    id: str
    op: str
    ok: bool
    value: t.Any = None
    error: OperationError | None = None

    def unwrap(self) -> t.Any:
        """The value, or OperationFailed carrying the operation's error."""
        if self.ok:
            return self.value
        error = self.error or OperationError(self.op, "internal", None, "no error detail")
        raise OperationFailed(
            f"operation {self.id!r} failed: {error.describe()}", op_id=self.id, kind=error.kind, code=error.code
        )

    @property
    def unresolved(self) -> bool:
        """True when the operation could not run because a value it referred to was absent."""
        return not self.ok and self.error is not None and self.error.kind == "unresolved_reference"


@dataclass(frozen=True)
class AgentResponse:
    results: t.Mapping[str, OperationResult]
    agent: t.Mapping[str, t.Any]

    def __getitem__(self, op_id: str) -> OperationResult:
        return self.results[op_id]

    def value(self, op_id: str) -> t.Any:
        return self.results[op_id].unwrap()

    def failures(self) -> list[OperationResult]:
        return [result for result in self.results.values() if not result.ok]

    @classmethod
    def from_document(cls, document: t.Any, expected_ids: t.Sequence[str]) -> AgentResponse:
        """Validate a decoded response against the request that produced it."""
        if not isinstance(document, dict) or document.get("protocol") != PROTOCOL:
            raise AgentResponseError(f"the agent's answer is not a {PROTOCOL} response")
        if document.get("ok") is not True:
            error = _parse_error(document.get("error"))
            raise AgentRequestError(f"the agent refused the request: {error.describe()}", error.kind, error.code)
        raw_results = document.get("results")
        if not isinstance(raw_results, list):
            raise AgentResponseError("the agent's answer has no results list")
        results = {}
        for raw in raw_results:
            result = _parse_result(raw)
            results[result.id] = result
        missing = [op_id for op_id in expected_ids if op_id not in results]
        if missing or len(raw_results) != len(expected_ids):
            raise AgentResponseError(
                f"the agent answered {len(raw_results)} of {len(expected_ids)} operations", missing=missing
            )
        agent = document.get("agent")
        return cls(results=results, agent=agent if isinstance(agent, dict) else {})


def _parse_error(raw: t.Any) -> OperationError:
    if not isinstance(raw, dict):
        return OperationError(None, "internal", None, "the agent gave no error detail")
    code = raw.get("code")
    return OperationError(
        op=raw.get("op") if isinstance(raw.get("op"), str) else None,
        kind=str(raw.get("kind") or "internal"),
        code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        message=str(raw.get("message") or "no message"),
        exception=raw.get("exception") if isinstance(raw.get("exception"), str) else None,
    )


def _parse_result(raw: t.Any) -> OperationResult:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("ok"), bool):
        raise AgentResponseError(f"the agent's answer holds a malformed result: {str(raw)[:200]}")
    op = raw.get("op") if isinstance(raw.get("op"), str) else ""
    if raw["ok"]:
        return OperationResult(id=raw["id"], op=op, ok=True, value=raw.get("value"))
    return OperationResult(id=raw["id"], op=op, ok=False, error=_parse_error(raw.get("error")))
