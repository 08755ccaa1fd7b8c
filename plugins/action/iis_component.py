# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.iis_component: remove or install SMTP/NNTP with Option Pack
setup, keeping their data (the work is in plugin_utils/component_*.py)."""

from __future__ import annotations

import ntpath
import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.action_base import (
    AgentActionBase,
    TaskContext,
    TaskOutcome,
    display,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_plan import (
    DEFAULT_BACKUP_DIR,
    Request,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_run import ComponentRun, RunFailed
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import MAILROOT, NNTPFILE
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import run_owner

MAX_TIMEOUT = 86400


def _windows_path(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not (ntpath.isabs(text) and (text[1:2] == ":" or text.startswith("\\\\"))) or '"' in text:
        raise IisHotfixError(
            f"{name} must be an absolute path on the host (C:\\... or \\\\server\\share\\...), got {value!r}"
        )
    return text.rstrip("\\/") if len(text.rstrip("\\/")) > 2 else text


class ActionModule(AgentActionBase):
    ARGUMENT_SPEC = {
        "name": {"type": "list", "elements": "str", "required": True, "choices": ["smtp", "nntp"]},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "source": {"type": "str"},
        "preserve_data": {"type": "bool", "default": True},
        "backup_dir": {"type": "str", "default": DEFAULT_BACKUP_DIR},
        "timeout": {"type": "int", "default": 3600},
        "start_services": {"type": "bool", "default": True},
        "mailroot": {"type": "str"},
        "nntpfile": {"type": "str"},
    }
    ARGUMENT_RULES = {"required_if": [("state", "present", ("source",))]}

    def run_task(self, context: TaskContext) -> TaskOutcome:
        args = context.args
        if not 1 <= args["timeout"] <= MAX_TIMEOUT:
            raise IisHotfixError(f"timeout must be between 1 and {MAX_TIMEOUT} seconds, got {args['timeout']}")
        overrides = {
            key: path
            for key, path in (
                (MAILROOT, _windows_path("mailroot", args["mailroot"])),
                (NNTPFILE, _windows_path("nntpfile", args["nntpfile"])),
            )
            if path
        }
        request = Request(
            names=tuple(dict.fromkeys(args["name"])),
            state=args["state"],
            source=_windows_path("source", args["source"]),
            preserve_data=args["preserve_data"],
            backup_dir=args["backup_dir"],
            timeout=args["timeout"],
            start_services=args["start_services"],
            overrides=overrides,
        )
        run = ComponentRun(
            context.client,
            request,
            check_mode=context.check_mode,
            owner=run_owner(),
            progress=lambda message: display.display(f"{context.host}: iis_component: {message}"),
        )
        try:
            result = run.run()
        except RunFailed as exc:
            result = {**exc.result, "failed": True, "msg": exc.message}
            if exc.details:
                result["details"] = dict(exc.details)
        return _outcome(result)


def _outcome(result: dict[str, t.Any]) -> TaskOutcome:
    changed = bool(result.pop("changed"))
    diff = result.pop("diff", None)
    warnings = result.pop("warnings", [])
    return TaskOutcome(changed=changed, diff=diff, result=result, warnings=warnings)
