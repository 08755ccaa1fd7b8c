# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.iis_facts: one read-only agent round trip per host."""

from __future__ import annotations

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.action_base import (
    AgentActionBase,
    TaskContext,
    TaskOutcome,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_detect import (
    MAX_EVENT_LOOKBACK,
    build_detection_batch,
    parse_detection,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_report import build_facts
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.kb_rules import SUPPORTED_KBS
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.unfinished_work import apply


class ActionModule(AgentActionBase):
    ARGUMENT_SPEC = {
        "kb": {"type": "list", "elements": "str", "default": ["Q197303"], "choices": list(SUPPORTED_KBS)},
        "event_lookback": {"type": "int", "default": 20},
        "ignore_progress": {"type": "bool", "default": False},
    }

    def run_task(self, context: TaskContext) -> TaskOutcome:
        lookback = context.args["event_lookback"]
        if not 1 <= lookback <= MAX_EVENT_LOOKBACK:
            raise IisHotfixError(f"event_lookback must be between 1 and {MAX_EVENT_LOOKBACK}, got {lookback}")
        kbs = list(dict.fromkeys(context.args["kb"]))
        response = context.client.run(
            build_detection_batch(event_lookback=lookback, progress=not context.args["ignore_progress"]))
        snapshot = parse_detection(response)
        facts = build_facts(snapshot, kbs)
        apply(facts, response, kbs)  # a half-way remediation is never compliant
        warnings = [f"iis_facts could not read everything: {problem}" for problem in snapshot.problems]
        return TaskOutcome(changed=False, facts={"iis_hotfix": facts}, warnings=warnings)
