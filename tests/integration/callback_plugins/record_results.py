# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task's per-host results and the play stats to $RECORD_RESULTS_FILE as JSON.

ansible-core ships no JSON callback of its own (it lives in ansible.posix), and tests must read results, not
scrape human output.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: record_results
type: aggregate
short_description: record task results as JSON for the integration tests
description: Writes task results per host and the final stats to the file named by RECORD_RESULTS_FILE.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._plays: list[dict] = []

    def v2_playbook_on_play_start(self, play) -> None:
        self._plays.append({"play": {"name": play.get_name()}, "tasks": []})

    def v2_playbook_on_task_start(self, task, is_conditional) -> None:
        if not self._plays:  # ad-hoc runs have no play start
            self._plays.append({"play": {"name": "adhoc"}, "tasks": []})
        self._plays[-1]["tasks"].append({"task": {"name": task.get_name()}, "hosts": {}})

    def _record(self, result, **flags) -> None:
        if not self._plays or not self._plays[-1]["tasks"]:
            self.v2_playbook_on_task_start(result._task, False)
        data = dict(result._result)
        data.update(flags)
        self._plays[-1]["tasks"][-1]["hosts"][result._host.get_name()] = json.loads(json.dumps(data, default=str))

    def v2_runner_on_ok(self, result) -> None:
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False) -> None:
        self._record(result, failed=True)

    def v2_runner_on_unreachable(self, result) -> None:
        self._record(result, unreachable=True)

    def v2_runner_on_skipped(self, result) -> None:
        self._record(result, skipped=True)

    def v2_playbook_on_stats(self, stats) -> None:
        hosts = sorted(stats.processed.keys())
        summary = {h: stats.summarize(h) for h in hosts}
        path = os.environ.get("RECORD_RESULTS_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as stream:
                json.dump({"plays": self._plays, "stats": summary}, stream)
