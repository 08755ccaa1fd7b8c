"""Lock owners name the controller identity and its run; a rerun takes over the lock of a dead run of its own
at once (issue 9, item 2), and is refused while that run is alive (issue 9, item 5)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_lock import holder_of, run_under_lock
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import (
    abandoned_by_this_controller,
    controller_run,
    run_owner,
    split_owner,
)


@pytest.fixture(scope="module")
def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


class LockHost:
    """Answers lock.acquire as docs/agent-protocol.md 6.9 says, and counts the other operations it ran."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        self.writes = 0

    def run(self, batch: AgentBatch) -> AgentResponse:
        request = batch.to_request()
        results, failed = [], set()
        for op in request["operations"]:
            args = op["args"]
            if op["op"] == "lock.acquire":
                if self.holder in (args["owner"], args.get("take_over")):
                    self.holder = args["owner"]
                    results.append({"id": op["id"], "op": op["op"], "ok": True, "value": {"changed": True}})
                    continue
                failed.add(op["id"])
                results.append({"id": op["id"], "op": op["op"], "ok": False, "error": {
                    "op": op["op"], "kind": "lock_held", "code": 33,
                    "message": f"lock 'x' is held by '{self.holder}' until 2026-01-01T00:00:00Z"}})
            elif (args.get("after") or {}).get("$ref") in failed:
                failed.add(op["id"])
                results.append({"id": op["id"], "op": op["op"], "ok": False, "error": {
                    "op": op["op"], "kind": "unresolved_reference", "code": None, "message": "skipped"}})
            else:
                self.writes += 1
                results.append({"id": op["id"], "op": op["op"], "ok": True, "value": {}})
        return AgentResponse.from_document({"protocol": "win-primitive-agent/1", "ok": True, "agent": {},
                                            "results": results, "error": None}, batch.ids)


def locked_write(owner: str) -> tuple[AgentBatch, str]:
    batch = AgentBatch()
    lock_id = batch.lock_acquire("x", owner, ttl_seconds=60)
    batch.dir_create("C:\\x", after=lock_id)
    return batch, lock_id


def test_an_owner_is_the_identity_and_this_run_and_splits_back():
    owner = run_owner("ansible:ops@ctl")
    assert split_owner(owner) == ("ansible:ops@ctl", controller_run())
    assert controller_run().split(".")[0] == str(os.getppid())
    assert split_owner("ansible:ops@ctl") == ("ansible:ops@ctl", None)
    assert holder_of("lock 'x' is held by 'a run 1.2' until 2026-01-01T00:00:00Z") == "a run 1.2"


def test_only_a_dead_run_of_the_same_identity_is_abandoned(dead_pid):
    me = run_owner("ansible:ops@ctl")
    assert abandoned_by_this_controller(f"ansible:ops@ctl run {dead_pid}", me)
    assert not abandoned_by_this_controller(f"ansible:other@ctl run {dead_pid}", me)
    assert not abandoned_by_this_controller(f"ansible:ops@ctl run {os.getpid()}", me)  # alive: a concurrent run
    assert not abandoned_by_this_controller("ansible:ops@ctl", me)  # names no run: waits for its expiry
    assert not abandoned_by_this_controller(me, me)


def test_a_recycled_process_id_is_not_the_dead_run():
    me = run_owner("ansible:ops@ctl")
    assert abandoned_by_this_controller(f"ansible:ops@ctl run {os.getpid()}.1", me)


def test_the_lock_of_a_dead_run_of_ours_is_taken_over_and_the_batch_sent_again(dead_pid):
    me = run_owner("ansible:ops@ctl")
    host = LockHost(f"ansible:ops@ctl run {dead_pid}")
    batch, lock_id = locked_write(me)
    response = run_under_lock(host, batch, lock_id, name="x", owner=me, ttl_seconds=60)
    assert response[lock_id].ok and host.holder == me and host.writes == 1


@pytest.mark.parametrize("holder", ["ansible:ops@ctl run {live}", "ansible:someone@else run {dead}"])
def test_a_live_run_of_ours_or_another_identity_keeps_the_lock(dead_pid, holder):
    me = run_owner("ansible:ops@ctl")
    host = LockHost(holder.format(live=os.getpid(), dead=dead_pid))
    batch, lock_id = locked_write(me)
    response = run_under_lock(host, batch, lock_id, name="x", owner=me, ttl_seconds=60)
    assert response[lock_id].error.kind == "lock_held" and host.writes == 0 and host.holder != me
