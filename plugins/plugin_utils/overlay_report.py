# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The overlay's task result and diff, from its plan and (outside check mode) what the writes did.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.
"""

from __future__ import annotations

import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import Manifest
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_plan import (
    BACKUP_CREATE,
    BACKUP_NONE,
    FileAction,
    OverlayPlan,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_writes import WriteReport


def _file_entry(action: FileAction) -> dict[str, t.Any]:
    fix = action.fix
    return {
        "name": fix.spec.name,
        "path": action.target_path,
        "action": action.action,
        "backup": None if action.backup == BACKUP_NONE else action.backup_path,
        "accepted_by": fix.accepted_by,
        "source": str(fix.local.path),
        "before": action.target.describe(),
        "after": {"exists": True, "size": fix.size, "sha256": fix.sha256},
    }


def _describe_lines(view: t.Mapping[str, t.Any]) -> str:
    if not view.get("exists"):
        return "absent\n"
    return "".join(f"{key}: {view[key]}\n" for key in ("size", "sha256", "mtime") if view.get(key) is not None)


def plan_diff(plan: OverlayPlan) -> list[dict[str, str]]:
    """One diff per file to replace: the original's size and sha256 before, the fix's after."""
    return [
        {
            "before_header": action.target_path,
            "after_header": f"{action.target_path} ({plan.kb} {plan.platform} fix)",
            "before": _describe_lines(action.target.describe()),
            "after": _describe_lines({"exists": True, "size": action.fix.size, "sha256": action.fix.sha256}),
        }
        for action in plan.replaced
    ]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def overlay_result(plan: OverlayPlan, manifest: Manifest, host_architecture: str | None, *,
                   check_mode: bool, report: WriteReport | None) -> dict[str, t.Any]:
    """The module's return values (``changed`` and ``failed`` included)."""
    skipped = [action.target_path for action in plan.skipped]
    if report is None:
        # Check mode, or nothing to do: what would be replaced and backed up.
        replaced = [action.target_path for action in plan.replaced]
        backed_up = [action.backup_path for action in plan.replaced if action.backup == BACKUP_CREATE]
    else:
        replaced, backed_up = list(report.replaced), list(report.backed_up)
    result: dict[str, t.Any] = {
        "changed": bool(replaced),
        "kb": plan.kb,
        "platform": plan.platform,
        "host_architecture": host_architecture,
        "path": plan.install_point,
        "manifest": manifest.source,
        "applies_to": dict(manifest.applies_to),
        "replaced": replaced,
        "backed_up": backed_up,
        "already_current": skipped,  # not "skipped": Ansible reads that key as "the task was skipped"
        "files": [_file_entry(action) for action in plan.actions],
    }
    where = f"{plan.install_point} ({plan.kb}, {plan.platform})"
    if report is not None and not report.ok:
        result["failed"] = True
        result["not_replaced"] = list(report.not_done)
        result["msg"] = (
            f"the overlay of {where} failed: {'; '.join(report.failures)}. Replaced: {_plural(len(replaced), 'file')}"
            f", not replaced: {', '.join(report.not_done) or 'none'}. Originals are kept in the backup folder; "
            "run the task again to finish"
        )
    elif not plan.replaced:
        result["msg"] = f"all {_plural(len(skipped), 'fix file')} already in place in {where}"
    else:
        verbs = ("would replace", "backing up") if check_mode else ("replaced", "backed up")
        result["msg"] = (
            f"{verbs[0]} {_plural(len(replaced), 'file')} in {where}, {verbs[1]} "
            f"{_plural(len(backed_up), 'original')}; {len(skipped)} already in place"
        )
    return result
