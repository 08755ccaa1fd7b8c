# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors of the collection's domain and of its remote agent client.

Action plugins turn ``IisHotfixError`` into a failed task with ``msg``, except
``AgentTransportError``, which means the host could not be reached and is reported
as unreachable.
"""

from __future__ import annotations

import typing as t


class IisHotfixError(Exception):
    """A task cannot do what was asked; ``message`` is written for the user."""

    def __init__(self, message: str, **details: t.Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class AgentError(IisHotfixError):
    """The remote agent could not run a batch or answer it."""


class AgentTransportError(AgentError):
    """The connection failed while the agent ran: the host is unreachable, not failed."""

    def __init__(self, message: str, cause: BaseException, *, explained: bool = False) -> None:
        super().__init__(message, cause=type(cause).__name__)
        self.cause = cause
        self.explained = explained  # the message says more than the cause (e.g. a refused login's likely causes)


class AgentResponseError(AgentError):
    """The agent ran but its answer is missing or malformed (details: rc, stdout, stderr)."""


class AgentRequestError(AgentError):
    """The agent refused the whole request (malformed, wrong protocol, damaged script)."""

    def __init__(self, message: str, kind: str, code: int | None = None) -> None:
        super().__init__(message, kind=kind, code=code)
        self.kind = kind
        self.code = code


class OperationFailed(AgentError):
    """One operation of a batch failed and its caller needed the value."""

    def __init__(self, message: str, op_id: str, kind: str, code: int | None) -> None:
        super().__init__(message, id=op_id, kind=kind, code=code)
        self.op_id = op_id
        self.kind = kind
        self.code = code
