# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a batch under a host lock, taking over at once a lock an interrupted run of ours left.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Every module that writes takes its lock in the batch's first operation. When that operation is
refused because the holder is a run of this controller's identity whose process has ended, the lock
is taken over (``lock.acquire`` with ``take_over`` naming exactly that holder) and the batch, none of
whose writes ran, is sent again. Any other holder is left to the caller's error.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import abandoned_by_this_controller

# docs/agent-protocol.md 6.9: the lock_held message names the holder as "held by '<owner>' until <time>".
_HOLDER = re.compile(r"held by '(?P<owner>.*)' until \S+$", re.DOTALL)


class Runner(t.Protocol):
    def run(self, batch: AgentBatch) -> AgentResponse: ...


def holder_of(message: str) -> str | None:
    match = _HOLDER.search(message)
    return match.group("owner") if match else None


def run_under_lock(client: Runner, batch: AgentBatch, lock_id: str, *, name: str, owner: str,
                   ttl_seconds: int) -> AgentResponse:
    """Run ``batch`` whose operation ``lock_id`` takes the lock ``name`` as ``owner``."""
    response = client.run(batch)
    holder = abandoned_holder(response, lock_id, owner)
    if holder is None:
        return response
    take = AgentBatch()
    take_id = take.lock_acquire(name, owner, ttl_seconds=ttl_seconds, take_over=holder)
    if not client.run(take).results[take_id].ok:
        return response  # someone else was quicker: the original refusal stands
    return client.run(batch)


def abandoned_holder(response: AgentResponse, lock_id: str, owner: str) -> str | None:
    """The holder named by a refused lock operation when it is an interrupted run of ours, else None."""
    result = response.results.get(lock_id)
    if result is None or result.ok or result.error is None or result.error.kind != "lock_held":
        return None
    holder = holder_of(result.error.message)
    return holder if holder is not None and abandoned_by_this_controller(holder, owner) else None
