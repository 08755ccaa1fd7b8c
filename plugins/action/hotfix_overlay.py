# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.hotfix_overlay: one read batch, then (only when needed) the writes."""

from __future__ import annotations

import typing as t
from pathlib import Path

from ansible.errors import AnsibleError

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.action_base import (
    AgentActionBase,
    TaskContext,
    TaskOutcome,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import (
    Manifest,
    builtin_manifest_ids,
    load_builtin_manifest,
    load_manifest_file,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_fixfiles import (
    FixFileError,
    check_fix_files,
    check_fix_root,
    parse_sha256_pins,
    platform_directory,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_plan import (
    build_read_batch,
    check_install_point,
    decide,
    parse_read_batch,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_platform import AUTO, PLATFORMS, choose_platform
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_report import overlay_result, plan_diff
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_writes import check_agent_writes, run_writes


class ActionModule(AgentActionBase):
    ARGUMENT_SPEC = {
        "path": {"type": "str", "required": True},
        "kb": {"type": "str", "default": "Q197303", "choices": list(builtin_manifest_ids())},
        "manifest": {"type": "path"},
        "fix_files": {"type": "path", "required": True},
        "platform": {"type": "str", "default": AUTO, "choices": [AUTO, *PLATFORMS]},
        "sha256": {"type": "dict"},
        "backup": {"type": "bool", "default": True},
    }
    # kb has a default: Ansible checks exclusivity before it applies defaults.
    ARGUMENT_RULES = {"mutually_exclusive": [["kb", "manifest"]]}

    def run_task(self, context: TaskContext) -> TaskOutcome:
        args = context.args
        install_point = check_install_point(args["path"])
        manifest = self._manifest(args)
        pins = parse_sha256_pins(args["sha256"], manifest)
        fix_root = check_fix_root(Path(self._controller_path(args["fix_files"])))

        read = build_read_batch(install_point, manifest)
        reading = parse_read_batch(read, context.client.run(read.batch))
        choice = choose_platform(args["platform"], reading.system_info, manifest.platform_names)
        directory = platform_directory(fix_root, choice.platform)
        try:
            fixes, warnings = check_fix_files(manifest, choice.platform, directory, pins.for_platform(choice.platform))
        except FixFileError as exc:
            host = f"the host's native architecture is {choice.host_architecture or 'unknown'}"
            raise FixFileError(exc.problems, context=f" for {choice.platform} ({host})") from exc
        plan = decide(install_point, manifest.kb, choice.platform, reading, fixes, backup=args["backup"],
                      predict_staging=context.check_mode)
        if context.check_mode and not reading.install_point.exists:
            warnings.append(f"the installation point {install_point} is not staged yet: the plan assumes it will be")

        report = None
        if plan.changed and not context.check_mode:
            check_agent_writes(reading.agent_operations)
            report = run_writes(plan, context.client.run)
        result = overlay_result(plan, manifest, choice.host_architecture, check_mode=context.check_mode,
                                report=report)
        if report is not None:
            warnings += report.warnings
        if choice.warning:
            warnings.insert(0, choice.warning)
        changed = result.pop("changed")
        return TaskOutcome(changed=changed, diff=plan_diff(plan) or None, result=result, warnings=warnings)

    def _manifest(self, args: t.Mapping[str, t.Any]) -> Manifest:
        if args["manifest"]:
            return load_manifest_file(self._controller_path(args["manifest"]))
        return load_builtin_manifest(args["kb"])

    def _controller_path(self, value: str) -> str:
        """Absolute paths as given; relative ones searched like a copy task's src (role files/, playbook dir)."""
        if Path(value).is_absolute():
            return value
        try:
            return self._find_needle("files", value)
        except AnsibleError:
            return value
