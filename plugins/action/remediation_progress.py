# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.remediation_progress: the host-side record of how far a KB procedure got."""

from __future__ import annotations

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.action_base import (
    AgentActionBase,
    TaskContext,
    TaskOutcome,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.kb_rules import SUPPORTED_KBS
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import (
    STEPS,
    progress_record_name,
    progress_value,
)


class ActionModule(AgentActionBase):
    ARGUMENT_SPEC = {
        # The KBs the collection knows (kb_rules): a record for another one could never be resumed.
        "kb": {"type": "str", "default": "Q197303", "choices": list(SUPPORTED_KBS)},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent", "query"]},
        "step": {"type": "str", "choices": list(STEPS)},
        "details": {"type": "dict", "default": {}},
    }
    ARGUMENT_RULES = {"required_if": [("state", "present", ("step",))]}

    def run_task(self, context: TaskContext) -> TaskOutcome:
        kb, state = context.args["kb"], context.args["state"]
        name = progress_record_name(kb)
        read = AgentBatch()
        read_id = read.state_read(name)
        before = context.client.run(read).value(read_id)
        current = before.get("value") if before.get("exists") else None
        if state == "query":
            return TaskOutcome(result={"progress": current, "updated": before.get("updated")})
        wanted = progress_value(kb, context.args["step"], context.args["details"]) if state == "present" else None
        if wanted == current:
            return TaskOutcome(result={"progress": current, "msg": "progress record already up to date"})
        diff = {"before": _describe(current), "after": _describe(wanted),
                "before_header": f"progress record {name}", "after_header": f"progress record {name}"}
        if context.check_mode:
            return TaskOutcome(changed=True, diff=diff, result={"progress": wanted, "msg": "would update the record"})
        write = AgentBatch()
        write_id = write.state_write(name, wanted) if wanted is not None else write.state_delete(name)
        value = context.client.run(write).value(write_id)
        if state == "present" and not value.get("updated"):
            raise IisHotfixError(f"the host did not keep the progress record {name}")
        message = f"recorded step '{wanted['step']}' of {kb}" if wanted else f"cleared the progress record of {kb}"
        return TaskOutcome(changed=bool(value.get("changed")), diff=diff, result={"progress": wanted, "msg": message})


def _describe(value: dict | None) -> str:
    if value is None:
        return "(no record)\n"
    return f"kb: {value['kb']}\nstep: {value['step']}\nsteps_done: {', '.join(value['steps_done'])}\n"
