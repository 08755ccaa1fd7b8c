# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.fleet_report: runs on the controller only and writes the report files."""

from __future__ import annotations

import datetime
import typing as t
from collections.abc import Mapping

from ansible.plugins.action import ActionBase

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report import (
    HOST_VARIABLES,
    MODES,
    HostInput,
    build_report,
    plain_data,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report_output import FORMATS, write_report

DEFAULT_REPORT_DIR = "iis_hotfix_report"
REPORT_DIR_VAR = "iis_hotfix_report_dir"
STATS_KEY = "iis_hotfix_report"
# Job details AWX / Automation Platform passes as extra variables; recorded so a report names its job.
RUN_VARIABLES = (
    "awx_job_id",
    "awx_job_template_name",
    "awx_inventory_name",
    "awx_project_revision",
    "awx_user_name",
    "awx_job_launch_type",
)


def _utc_now() -> str:
    # datetime.UTC needs Python 3.11; ansible-core 2.16 controllers may run 3.10.
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: UP017


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Only the controller's file system is touched; the task's host is never contacted.
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    ARGUMENT_SPEC = {
        "report_dir": {"type": "path"},
        "mode": {"type": "str", "choices": list(MODES), "default": "audit"},
        "kb": {"type": "list", "elements": "str"},
        "hosts": {"type": "list", "elements": "str"},
        "active_hosts": {"type": "list", "elements": "str"},
        "host_data": {"type": "dict"},
        "formats": {"type": "list", "elements": "str", "choices": list(FORMATS), "default": list(FORMATS)},
        "title": {"type": "str", "default": "IIS hotfix fleet report"},
        "publish_stats": {"type": "bool", "default": True},
    }

    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        args = self.validate_argument_spec(argument_spec=self.ARGUMENT_SPEC)[1]
        try:
            hosts, warnings = self._host_inputs(args, task_vars)
            report = build_report(
                hosts,
                kbs=args["kb"],
                mode=args["mode"],
                check_mode=bool(self._task.check_mode),
                title=args["title"],
                generated_at=_utc_now(),
                run=self._run_details(task_vars),
            )
            files = write_report(report, self._report_dir(args, task_vars), args["formats"])
        except IisHotfixError as exc:
            result.update(failed=True, changed=False, msg=exc.message)
            return result

        summary = report["summary"]
        warnings.extend(f"{host['name']}: {problem}" for host in report["hosts"] for problem in host["problems"])
        # Writing the report is not a change to the fleet: reporting one would break idempotence checks.
        result.update(changed=False, summary=summary, files=files, msg=self._message(report, files))
        if warnings:
            result["warnings"] = warnings
        if args["publish_stats"]:
            result["ansible_stats"] = {
                "data": {STATS_KEY: self._stats(report, files)},
                "per_host": False,
                "aggregate": False,
            }
        return result

    def _host_inputs(
        self, args: Mapping[str, t.Any], task_vars: Mapping[str, t.Any]
    ) -> tuple[list[HostInput], list[str]]:
        if args["hosts"] is None:
            names = self._name_list(task_vars, "ansible_play_hosts_all")
            active = args["active_hosts"]
            if active is None:
                active = self._name_list(task_vars, "ansible_play_hosts")
        else:
            # Hosts named explicitly (e.g. from a later play) are taken as still in play unless told otherwise.
            names = args["hosts"]
            active = args["active_hosts"] if args["active_hosts"] is not None else names
        given = plain_data(args["host_data"] or {})
        warnings: list[str] = []
        inputs = []
        for name in dict.fromkeys(str(name) for name in names):
            if name in given:
                if not isinstance(given[name], dict):
                    raise IisHotfixError(f"host_data[{name!r}] must be a mapping of the host's report variables")
                variables = {key: given[name][key] for key in HOST_VARIABLES if key in given[name]}
            else:
                variables = self._host_variables(task_vars.get("hostvars"), name, warnings)
            inputs.append(HostInput(name=name, in_play=name in active, variables=variables))
        return inputs, warnings

    def _name_list(self, task_vars: Mapping[str, t.Any], variable: str) -> list[str]:
        value = plain_data(task_vars.get(variable))
        if not isinstance(value, list):
            raise IisHotfixError(f"{variable} is not available: name the hosts with the hosts option")
        return [str(name) for name in value]

    @staticmethod
    def _host_variables(hostvars: t.Any, name: str, warnings: list[str]) -> dict[str, t.Any]:
        """The report variables of one host, read one by one (templating everything else would be wasted)."""
        if hostvars is None or name not in hostvars:
            return {}
        host = hostvars[name]
        variables = {}
        for key in HOST_VARIABLES:
            if key not in host:
                continue
            try:
                variables[key] = plain_data(host[key])
            except Exception as error:  # a broken variable must cost one host its data, not the whole report
                warnings.append(f"{name}: cannot read {key}: {error}")
        return variables

    def _report_dir(self, args: Mapping[str, t.Any], task_vars: Mapping[str, t.Any]) -> str:
        if args["report_dir"]:
            return args["report_dir"]
        configured = task_vars.get(REPORT_DIR_VAR)
        if configured:
            return str(self._templar.template(configured))
        return DEFAULT_REPORT_DIR

    def _run_details(self, task_vars: Mapping[str, t.Any]) -> dict[str, t.Any]:
        details: dict[str, t.Any] = {}
        play = task_vars.get("ansible_play_name")
        if play:
            details["play"] = str(play)
        for key in RUN_VARIABLES:
            value = task_vars.get(key)
            if value not in (None, ""):
                details[key] = plain_data(self._templar.template(value))
        return details

    @staticmethod
    def _message(report: Mapping[str, t.Any], files: Mapping[str, str]) -> str:
        summary = report["summary"]
        per_kb = []
        for kb in report["kbs"]:
            counts = ", ".join(f"{count} {outcome}" for outcome, count in summary["by_kb"][kb].items() if count)
            per_kb.append(f"{kb}: {counts or 'no hosts'}")
        where = ", ".join(files.values())
        return (
            f"{summary['hosts']} host(s): {summary['compliant']} compliant, {summary['noncompliant']} not compliant"
            f" ({'; '.join(per_kb)}); report written to {where}"
        )

    @staticmethod
    def _stats(report: Mapping[str, t.Any], files: Mapping[str, str]) -> dict[str, t.Any]:
        """What AWX keeps as job artifacts: the summary, the files and each host's outcomes."""
        return {
            "generated_at": report["generated_at"],
            "mode": report["mode"],
            "check_mode": report["check_mode"],
            "summary": report["summary"],
            "files": dict(files),
            "hosts": {
                host["name"]: {
                    "status": host["status"],
                    "compliant": host["compliant"],
                    "outcomes": {kb: entry["outcome"] for kb, entry in host["kb"].items()},
                }
                for host in report["hosts"]
            },
        }
