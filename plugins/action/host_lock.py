# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.host_lock: take or release a named host-wide run lock."""

from __future__ import annotations

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.action_base import (
    AgentActionBase,
    TaskContext,
    TaskOutcome,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch, expand
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError, OperationFailed
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_lock import abandoned_holder, run_under_lock
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import (
    AGENT_STATE_ROOT,
    DEFAULT_LOCK_NAME,
    describe_lock_held,
    run_owner,
)

LOCK_FILE = AGENT_STATE_ROOT + r"\lock\{name}.lock"


class ActionModule(AgentActionBase):
    ARGUMENT_SPEC = {
        "name": {"type": "str", "default": DEFAULT_LOCK_NAME},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "owner": {"type": "str"},
        "ttl_seconds": {"type": "int", "default": 7200},
        "force": {"type": "bool", "default": False},
    }

    def run_task(self, context: TaskContext) -> TaskOutcome:
        name, state = context.args["name"], context.args["state"]
        # The lock is held as "<owner> run <this ansible-playbook process>" (run_records.run_owner).
        owner = run_owner(context.args["owner"])
        ttl = context.args["ttl_seconds"]
        if not 1 <= ttl <= 86400:
            raise IisHotfixError(f"ttl_seconds must be between 1 and 86400, got {ttl}")
        if context.check_mode:
            return self._predict(context, name, state, owner)
        batch = AgentBatch()
        if state == "present":
            op_id = batch.lock_acquire(name, owner, ttl_seconds=ttl)
            response = run_under_lock(context.client, batch, op_id, name=name, owner=owner, ttl_seconds=ttl)
        else:
            op_id = batch.lock_release(name, owner, force=context.args["force"])
            response = context.client.run(batch)
            if abandoned_holder(response, op_id, owner) is not None:  # an interrupted run of ours left it
                batch = AgentBatch()
                op_id = batch.lock_release(name, owner, force=True)
                response = context.client.run(batch)
        try:
            value = response.value(op_id)
        except OperationFailed as exc:
            if exc.kind == "lock_held":
                raise IisHotfixError(describe_lock_held(name, exc.message), kind=exc.kind) from exc
            raise
        verb = "took" if state == "present" else "released"
        message = f"{verb} the run lock '{name}'" if value["changed"] else f"the run lock '{name}' was already " + (
            "held by this owner (expiry extended)" if state == "present" else "free")
        return TaskOutcome(
            changed=bool(value["changed"]),
            result={"msg": message, "name": name, "owner": owner, "lock": value},
        )

    def _predict(self, context: TaskContext, name: str, state: str, owner: str) -> TaskOutcome:
        """Check mode: look for the lock file, write nothing; its holder is only known when taking it."""
        batch = AgentBatch()
        op_id = batch.file_stat(expand(LOCK_FILE.format(name=name)))
        exists = bool(context.client.run(batch).value(op_id).get("exists"))
        if state == "present":
            message = (f"would take the run lock '{name}'" if not exists else
                       f"the run lock '{name}' is held (by this or another owner); taking it would be tried")
            return TaskOutcome(changed=not exists, result={"msg": message, "name": name, "owner": owner,
                                                           "held": exists})
        message = f"would release the run lock '{name}'" if exists else f"the run lock '{name}' is free"
        return TaskOutcome(changed=exists, result={"msg": message, "name": name, "owner": owner, "held": exists})
