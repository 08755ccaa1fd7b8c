# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a failed round trip is sent again: transient transport faults, batches safe to repeat, backoff.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

A WAN link to a branch server drops connections, times out and answers the odd request with HTTP 500
(a WS-Management InternalError fault). Such a failure says nothing about the batch: it may not have
reached the host, or it ran and only its answer was lost. Every agent operation but ``process.start``
gives the same end state when run twice (writes compare before they write, locks renew for their own
owner, records are replaced whole), so a batch without ``process.start`` is sent again after a short,
bounded backoff; a batch that starts a process is left to its caller, which can find out from the
host whether the process started.
"""

from __future__ import annotations

import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch

# Seconds to wait before each repeat: five repeats, 23 seconds in all at most.
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 8.0)
NOT_REPEATABLE_OPERATIONS = frozenset({"process.start"})
# Whole-request refusals that mean the request arrived damaged and nothing of it ran (docs/agent-protocol.md):
# any batch may be sent again.
NOTHING_RAN = frozenset({"agent_corrupt", "invalid_request"})
# Failures that no repeat can cure: the credentials or the authentication scheme are refused.
_PERMANENT = ("InvalidCredentialsError", "AnsibleAuthenticationFailure", "AuthenticationError")
_PERMANENT_TEXT = ("credentials were rejected", "unauthorized", "401")


def repeatable(batch: AgentBatch) -> bool:
    return not batch.operation_names & NOT_REPEATABLE_OPERATIONS


# What connection plugins and the libraries under them raise for a lost link, a timeout or a server fault.
_TRANSIENT = frozenset({"AnsibleConnectionFailure", "WinRMTransportError", "WinRMOperationTimeoutError", "WinRMError",
                        "WSManFaultError", "ConnectionError", "Timeout", "ReadTimeout", "ConnectTimeout",
                        "ChunkedEncodingError", "ProtocolError", "RemoteDisconnected", "PSRPError"})


def transient(exc: BaseException) -> bool:
    """A dropped connection, a timeout or a server fault, as opposed to a refusal of who we are (or a bug)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in chain:
        if type(error).__name__ in _PERMANENT:
            return False
        if any(text in str(error).lower() for text in _PERMANENT_TEXT):
            return False
    # Ansible's winrm plugin reports a failed send of stdin as a plain AnsibleError naming winrm.
    return any(isinstance(error, OSError) or type(error).__name__ in _TRANSIENT
               or (type(error).__name__ == "AnsibleError" and "winrm" in str(error).lower()) for error in chain)


def reset_connection(connection: t.Any) -> None:
    """Start the next attempt on a fresh session (shell); a host still down fails that attempt instead."""
    reset = getattr(connection, "reset", None)
    if reset is None:
        return
    try:
        reset()
    except Exception:
        return
