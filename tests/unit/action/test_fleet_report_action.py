"""The fleet_report action plugin as Ansible calls it: which hosts it reads, where it writes, what it returns."""

from __future__ import annotations

import json
import types
import typing as t
from pathlib import Path

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.template import Templar

from ansible_collections.winops.iis_hotfix.plugins.action.fleet_report import ActionModule


class ControllerOnly:
    """A connection the report must never use: any attribute but the shell's tmpdir is an error."""

    _shell = types.SimpleNamespace(tmpdir=None)

    def __getattr__(self, name: str) -> t.Any:
        raise AssertionError(f"fleet_report touched the connection ({name})")


def make_action(args: dict[str, t.Any] | None = None, *, check_mode: bool = False) -> ActionModule:
    task = types.SimpleNamespace(
        args=dict(args or {}),
        check_mode=check_mode,
        diff=False,
        async_val=0,
        action="winops.iis_hotfix.fleet_report",
    )
    loader = DataLoader()
    action = ActionModule(task, ControllerOnly(), PlayContext(), loader, Templar(loader=loader), None)
    action._load_name = "winops.iis_hotfix.fleet_report"
    return action


def audit(verdict: str) -> dict[str, t.Any]:
    kb = {"Q197303": {"verdict": verdict, "evidence": [f"evidence of {verdict}"], "raw": {}}}
    return {"changed": False, "ansible_facts": {"iis_hotfix": {"kb": kb}}}


def play_vars(tmp_path: Path, **extra: t.Any) -> dict[str, t.Any]:
    """Task variables as a run_once task sees them after iis01 and iis02 answered and down01 did not."""
    hostvars = {
        "iis01": {"iis_hotfix_audit": audit("affected"), "unrelated": "ignored"},
        "iis02": {"iis_hotfix_audit": audit("fixed")},
        "down01": {"iis_hotfix_audit": {"unreachable": True, "msg": "connection refused"}},
    }
    return {
        "inventory_hostname": "iis01",
        "ansible_play_hosts_all": ["iis01", "iis02", "down01"],
        "ansible_play_hosts": ["iis01", "iis02"],
        "ansible_play_name": "Audit",
        "hostvars": hostvars,
        "iis_hotfix_report_dir": str(tmp_path / "from-var"),
        **extra,
    }


def test_reports_the_play_hosts_and_returns_summary_files_and_stats(tmp_path):
    result = make_action().run(task_vars=play_vars(tmp_path, awx_job_id=7, awx_job_template_name="IIS audit"))
    assert result["changed"] is False and not result.get("failed")
    target = tmp_path / "from-var"
    assert result["files"] == {
        "json": str(target / "report.json"),
        "html": str(target / "report.html"),
        "junit": str(target / "junit.xml"),
    }
    summary = result["summary"]
    assert (summary["hosts"], summary["compliant"], summary["unreachable_hosts"]) == (3, 1, ["down01"])
    assert result["msg"].startswith("3 host(s): 1 compliant, 2 not compliant (Q197303: 1 affected, 1 fixed, ")
    report = json.loads((target / "report.json").read_text())
    assert report["run"] == {"play": "Audit", "awx_job_id": 7, "awx_job_template_name": "IIS audit"}
    assert report["summary"] == summary
    stats = result["ansible_stats"]
    assert (stats["per_host"], stats["aggregate"]) == (False, False)
    published = stats["data"]["iis_hotfix_report"]
    assert published["summary"] == summary and published["files"] == result["files"]
    assert published["hosts"]["down01"] == {
        "status": "unreachable",
        "compliant": False,
        "outcomes": {"Q197303": "unreachable"},
    }


def test_check_mode_writes_the_report_too(tmp_path):
    result = make_action({"report_dir": str(tmp_path / "checked")}, check_mode=True).run(task_vars=play_vars(tmp_path))
    assert result["changed"] is False
    report = json.loads((tmp_path / "checked" / "report.json").read_text())
    assert report["check_mode"] is True


def test_a_host_gone_from_the_play_without_data_is_unreachable(tmp_path):
    variables = play_vars(tmp_path)
    variables["ansible_play_hosts_all"].append("gone01")
    result = make_action().run(task_vars=variables)
    assert result["summary"]["unreachable_hosts"] == ["down01", "gone01"]


def test_explicit_hosts_and_host_data_replace_the_play_and_hostvars(tmp_path):
    args = {
        "hosts": ["iis02", "saved01", "iis02"],
        "host_data": {"saved01": {"iis_hotfix_audit": audit("not_affected"), "other": 1}},
        "formats": ["json"],
        "report_dir": str(tmp_path / "explicit"),
        "kb": ["Q197303"],
        "mode": "remediate",
        "title": "Saved run",
        "publish_stats": False,
    }
    result = make_action(args).run(task_vars=play_vars(tmp_path))
    assert "ansible_stats" not in result
    assert list(result["files"]) == ["json"]
    report = json.loads((tmp_path / "explicit" / "report.json").read_text())
    assert [host["name"] for host in report["hosts"]] == ["iis02", "saved01"]
    assert [host["status"] for host in report["hosts"]] == ["ok", "ok"]
    assert report["hosts"][1]["kb"]["Q197303"]["before"]["verdict"] == "not_affected"
    assert (report["title"], report["mode"]) == ("Saved run", "remediate")


def test_without_a_report_dir_the_default_is_under_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    variables = play_vars(tmp_path)
    del variables["iis_hotfix_report_dir"]
    result = make_action({"formats": ["html"]}).run(task_vars=variables)
    assert result["files"] == {"html": str(tmp_path / "iis_hotfix_report" / "report.html")}


def test_malformed_host_data_becomes_warnings(tmp_path):
    variables = play_vars(tmp_path)
    variables["hostvars"]["iis02"]["iis_hotfix_actions"] = "not a list"
    result = make_action().run(task_vars=variables)
    assert result["warnings"] == ["iis02: iis_hotfix_actions is not a list"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"mode": "fix"}, "value of mode must be one of"),
        ({"formats": ["pdf"]}, "value of formats must be one or more of"),
        ({"unexpected": 1}, "Unsupported parameters"),
    ],
)
def test_invalid_arguments_fail_before_anything_is_written(tmp_path, args, message):
    with pytest.raises(AnsibleActionFail, match=message):
        make_action(args).run(task_vars=play_vars(tmp_path))
    assert not (tmp_path / "from-var").exists()


def test_unusable_inputs_fail_with_a_message(tmp_path):
    result = make_action({"host_data": {"iis01": ["not", "a", "mapping"]}}).run(task_vars=play_vars(tmp_path))
    assert result["failed"] is True
    assert result["msg"] == "host_data['iis01'] must be a mapping of the host's report variables"
    result = make_action().run(task_vars={"hostvars": {}})
    assert result["msg"] == "ansible_play_hosts_all is not available: name the hosts with the hosts option"
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = make_action({"report_dir": str(blocker / "x")}).run(task_vars=play_vars(tmp_path))
    assert result["failed"] is True and result["msg"].startswith(f"cannot write the fleet report to {blocker / 'x'}")
