# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: the controller dies right after a named task completes on a host.

Set INTERRUPT_AFTER_TASK to a task's name (without its role prefix). The first time that task returns ok
(changed or not) for a host, ansible-playbook ends at once with os._exit(INTERRUPT_EXIT_CODE): no later task,
no rescue/always section, no handler, no stats, no other callback runs, as when the controller is killed or its
machine loses power. The lock and records the run left on the host stay as they were.
"""

from __future__ import annotations

import os
import sys

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: interrupt_after_task
type: aggregate
short_description: end ansible-playbook abruptly after a named task (integration tests)
description:
  - When the task named by the environment variable INTERRUPT_AFTER_TASK returns ok for a host, the process
    exits at once with code 75, writing one line naming the task and host to stderr.
"""

INTERRUPT_EXIT_CODE = 75
MARKER = "interrupt_after_task: controller killed after"


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "interrupt_after_task"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._task_name = os.environ.get("INTERRUPT_AFTER_TASK", "")

    def v2_runner_on_ok(self, result) -> None:
        if self._task_name and result._task.name == self._task_name:
            sys.stdout.flush()
            sys.stderr.write(f"{MARKER} '{self._task_name}' on {result._host.get_name()}\n")
            sys.stderr.flush()
            os._exit(INTERRUPT_EXIT_CODE)
