# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base class of this collection's action plugins that work through win-primitive-agent.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

A subclass declares ``ARGUMENT_SPEC`` (and optionally ``ARGUMENT_RULES``) and implements
``run_task(context) -> TaskOutcome``. The base validates the arguments, hands over an
agent client bound to the task's connection (read-only in check mode), and maps errors:
``AgentTransportError`` -> unreachable, any other ``IisHotfixError`` -> failed with msg.
"""

from __future__ import annotations

import abc
import typing as t
from dataclasses import dataclass, field

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import AgentTransportError, IisHotfixError

display = Display()


@dataclass(frozen=True)
class TaskContext:
    """What a task needs to do its work, without Ansible's plugin machinery."""

    args: t.Mapping[str, t.Any]
    check_mode: bool
    diff: bool
    host: str
    client: AgentClient
    task_vars: t.Mapping[str, t.Any] = field(default_factory=dict)


@dataclass
class TaskOutcome:
    """What a task did (or, in check mode, would do)."""

    changed: bool = False
    facts: t.Mapping[str, t.Any] | None = None
    diff: t.Mapping[str, t.Any] | t.Sequence[t.Mapping[str, t.Any]] | None = None
    result: t.Mapping[str, t.Any] = field(default_factory=dict)
    warnings: t.Sequence[str] = ()

    def as_result(self, *, diff_enabled: bool) -> dict[str, t.Any]:
        shaped: dict[str, t.Any] = dict(self.result)
        shaped["changed"] = bool(self.changed)
        if self.facts is not None:
            shaped["ansible_facts"] = dict(self.facts)
        if diff_enabled and self.diff:
            shaped["diff"] = self.diff
        if self.warnings:
            shaped["warnings"] = list(self.warnings)
        return shaped


class AgentActionBase(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    ARGUMENT_SPEC: t.ClassVar[dict[str, t.Any]] = {}
    # Extra keyword arguments for validate_argument_spec: mutually_exclusive, required_if...
    ARGUMENT_RULES: t.ClassVar[dict[str, t.Any]] = {}

    @abc.abstractmethod
    def run_task(self, context: TaskContext) -> TaskOutcome:
        """Do the module's work through ``context.client``; never write when ``context.check_mode``."""

    def agent_client(self, *, read_only: bool) -> AgentClient:
        return AgentClient(self._connection, read_only=read_only, log=display.vvvv)

    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp
        args = self.validate_argument_spec(argument_spec=self.ARGUMENT_SPEC, **self.ARGUMENT_RULES)[1]
        check_mode = bool(self._task.check_mode)
        task_vars = task_vars or {}
        if self._play_context.become:
            display.warning(f"{self._task.action}: become is ignored; the agent runs as the connecting account")
        try:
            context = TaskContext(
                args=args,
                check_mode=check_mode,
                diff=bool(self._task.diff),
                host=str(task_vars.get("inventory_hostname") or self._play_context.remote_addr or ""),
                client=self.agent_client(read_only=check_mode),
                task_vars=task_vars,
            )
            outcome = self.run_task(context)
        except AgentTransportError as exc:
            # Unreachable, never failed or compliant: keep Ansible's own exception when it is one.
            if isinstance(exc.cause, AnsibleConnectionFailure) and not exc.explained:
                raise exc.cause from None  # "from exc" would loop: exc was raised from this cause
            raise AnsibleConnectionFailure(exc.message) from exc
        except IisHotfixError as exc:
            result.update(failed=True, changed=False, msg=exc.message)
            if exc.details:
                result["details"] = dict(exc.details)
            return result
        result.update(outcome.as_result(diff_enabled=context.diff))
        return result
