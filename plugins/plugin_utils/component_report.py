# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The result of an iis_component task: what was (or, in check mode, would be) done, and the final
check that the services run without new Service Control Manager failures."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_plan import (
    REUSE,
    BackupIntent,
    Plan,
    Request,
    RestoreIntent,
    resolve_backup_dir,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_read import (
    COMPONENTS,
    DATASET_LABELS,
    HostView,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import Manifest
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_snapshot import FAILURE_EVENT_IDS

# KB Q197303: the service DLL is looked for at the path setup hard-coded.
_Q197303_HINT = (
    "7023 with an empty service name is KB Q197303's symptom: the installation point still holds the original "
    "setup files; apply the fix files to it (winops.iis_hotfix.hotfix_overlay), then remove and install again"
)


def failure_events(value: t.Any, names: t.Collection[str]) -> list[dict[str, t.Any]]:
    """7000/7023 events that name one of ``names`` (service or display names) or name no service,
    as the defect logs them."""
    wanted = {name.casefold() for name in names if name}
    found = []
    for event in (value or {}).get("events") or ():
        strings = event.get("insertion_strings") or []
        label = str(strings[0]) if strings else ""
        if event.get("event_id") in FAILURE_EVENT_IDS and (not label.strip() or label.casefold() in wanted):
            found.append(
                {
                    "event_id": event.get("event_id"),
                    "time": event.get("time"),
                    "record": event.get("record"),
                    "service": label,
                    "message": event.get("message"),
                }
            )
    return found


def _describe_events(events: t.Sequence[t.Mapping[str, t.Any]]) -> str:
    """``2 new events 7023 (the newest at <time>: <message>)``, one part per event id, newest first."""
    parts = []
    for event_id in dict.fromkeys(event["event_id"] for event in events):
        same = [event for event in events if event["event_id"] == event_id]
        newest = same[0]
        text = str(newest.get("message") or "").strip().rstrip(".")
        count = f"{len(same)} new events" if len(same) > 1 else "a new event"
        parts.append(f"{count} {event_id} (the newest at {newest['time']}: {text})")
    return ", ".join(parts)


@dataclass
class RunReport:
    plan: Plan
    backup_dir: str | None
    display_names: t.Mapping[str, str | None]
    components: dict[str, dict[str, str]] = field(default_factory=dict)
    backups: dict[str, dict[str, t.Any]] = field(default_factory=dict)
    restores: dict[str, dict[str, t.Any]] = field(default_factory=dict)
    setup: dict[str, t.Any] | None = None
    events: list[dict[str, t.Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def for_plan(cls, request: Request, plan: Plan, view: HostView) -> RunReport:
        report = cls(
            plan=plan,
            backup_dir=resolve_backup_dir(request, view),
            display_names={name: service.display_name for name, service in view.services.items()},
            components={name: {"before": plan.before[name], "after": plan.after[name]} for name in request.names},
            warnings=list(plan.warnings),
        )
        if plan.finish_setup:
            pending = plan.finish_setup
            process = view.setup_process
            state = process.state if process else "unknown"
            report.warnings.append(
                f"a setup run an earlier task started ({pending.action} {', '.join(pending.components)}) is "
                f"{state}; it is finished first"
            )
        return report

    def add_backup(self, intent: BackupIntent, *, copied: int, manifest: Manifest | None = None) -> None:
        self.backups[intent.key] = {
            "path": intent.backup_path,
            "source": intent.live_path,
            "mode": intent.mode,
            "files": manifest.file_count if manifest else intent.files,
            "bytes": manifest.total_bytes if manifest else intent.bytes,
            "copied": copied,
        }

    def add_restore(self, intent: RestoreIntent, manifest: Manifest, *, copied: int) -> None:
        self.restores[intent.key] = {
            "path": intent.live_path,
            "backup": intent.backup_path,
            "files": manifest.file_count,
            "bytes": manifest.total_bytes,
            "copied": copied,
        }

    def check_started(self, response: AgentResponse, services: t.Sequence[str]) -> None:
        """Every service started must run, and no new 7000/7023 event may name it (or no service)."""
        names: set[str] = set()
        problems = []
        for service in services:
            query = response.value(f"service_{service}") or {}
            start = response.value(f"start_{service}") or {}
            names.update(filter(None, (service, query.get("display_name"), self.display_names.get(service))))
            for key, component in COMPONENTS.items():
                if component.service == service and key in self.components:
                    self.components[key]["after"] = str(query.get("state") or "unknown")
            if query.get("state") != "running":
                detail = [f"{service} is {query.get('state') or 'not registered'}"]
                if start.get("win32_error"):
                    detail.append(
                        f"start refused with Win32 error {start['win32_error']}: {start.get('win32_message')}"
                    )
                if query.get("exit_code"):
                    detail.append(f"exit code {query['exit_code']}")
                problems.append(", ".join(detail))
        self.events = failure_events(response.value("events"), names)
        if self.events:
            problems.append(f"{_describe_events(self.events)} since the task began")
        if problems:
            hint = _Q197303_HINT if any(e["event_id"] == 7023 and not e["service"].strip() for e in self.events) else ""
            message = "the services do not run: " + "; ".join(problems) + (f". {hint}" if hint else "")
            raise IisHotfixError(message, events=self.events, components=self.components)

    # -- shaping --------------------------------------------------------------------------------------

    def result(self, *, changed: bool, check_mode: bool, round_trips: int | None = None) -> dict[str, t.Any]:
        backup_total = self.backups.values()
        restore_total = self.restores.values()
        result: dict[str, t.Any] = {
            "changed": changed,
            "components": self.components,
            "backup": {
                "dir": self.backup_dir,
                "files": sum(entry["files"] for entry in backup_total),
                "bytes": sum(entry["bytes"] for entry in backup_total),
                "datasets": self.backups,
            },
            "restored": {
                "files": sum(entry["copied"] for entry in restore_total),
                "verified": sum(entry["files"] for entry in restore_total),
                "datasets": self.restores,
            },
            "setup": self.setup,
            "events": self.events,
            "warnings": self.warnings,
            "diff": {
                "before": {"components": {name: entry["before"] for name, entry in self.components.items()}},
                "after": {"components": {name: entry["after"] for name, entry in self.components.items()}},
            },
        }
        if check_mode:
            result["plan"] = self.plan_summary()
            result["backup"].update(self._planned_backup())
        if round_trips is not None:
            result["round_trips"] = round_trips
        result["msg"] = self.message(changed=changed, check_mode=check_mode)
        return result

    def _planned_backup(self) -> dict[str, t.Any]:
        intents = self.plan.backups
        return {
            "files": sum(intent.files for intent in intents),
            "bytes": sum(intent.bytes for intent in intents),
            "datasets": {
                intent.key: {
                    "path": intent.backup_path,
                    "source": intent.live_path,
                    "mode": intent.mode,
                    "files": intent.files,
                    "bytes": intent.bytes,
                }
                for intent in intents
            },
        }

    def plan_summary(self) -> dict[str, t.Any]:
        plan = self.plan
        return {
            "finish_earlier_setup": plan.finish_setup.as_value() if plan.finish_setup else None,
            "backup": [
                {"dataset": intent.key, "mode": intent.mode, "files": intent.files, "bytes": intent.bytes}
                for intent in plan.backups
            ],
            "remove": list(plan.remove),
            "install": list(plan.install),
            "restore": [
                {"dataset": intent.key, "files": intent.files, "bytes": intent.bytes, "from": intent.backup_path}
                for intent in plan.restores
            ],
            "start": [COMPONENTS[name].service for name in plan.start],
        }

    def message(self, *, changed: bool, check_mode: bool) -> str:
        plan = self.plan
        if not changed:
            states = ", ".join(f"{COMPONENTS[name].label} {entry['after']}" for name, entry in self.components.items())
            return f"nothing to do: {states}"
        parts = []
        copying = [intent for intent in plan.backups if intent.mode != REUSE]
        if copying:
            files = sum(intent.files for intent in copying)
            parts.append(f"back up {files} files of the " + ", ".join(DATASET_LABELS[i.key] for i in copying))
        if plan.remove:
            parts.append("remove " + ", ".join(COMPONENTS[name].label for name in plan.remove))
        if plan.install:
            parts.append("install " + ", ".join(COMPONENTS[name].label for name in plan.install))
        if plan.restores:
            parts.append("restore the " + ", ".join(DATASET_LABELS[intent.key] for intent in plan.restores))
        if plan.start:
            parts.append("start " + ", ".join(COMPONENTS[name].service for name in plan.start))
        if plan.finish_setup and not parts:
            parts.append("finish the setup run an earlier task started")
        return ("would " if check_mode else "done: ") + "; ".join(parts)
