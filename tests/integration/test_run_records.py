"""The run lock and the progress record on a simulated host, driven by real ansible-playbook runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml


def _play(tmp_path: Path, name: str, tasks: list[dict]) -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump([{"name": name, "hosts": "all", "gather_facts": False, "tasks": tasks}],
                                   sort_keys=False), encoding="utf-8")
    return path


def _task(name: str, module: str, **args) -> dict:
    return {"name": name, f"winops.iis_hotfix.{module}": args}


@pytest.fixture
def fleet(start_fleet):
    return start_fleet("--hosts", "no-iis:1")


def test_a_second_owner_is_refused_clearly_until_the_lock_is_released(fleet, tmp_path):
    take = fleet.playbook(_play(tmp_path, "take", [
        _task("take", "host_lock", owner="admin-a"),
        _task("renew", "host_lock", owner="admin-a"),
    ]))
    assert take.task_results("take")["no-iis-1"]["changed"] is True
    assert take.task_results("renew")["no-iis-1"]["changed"] is False

    other = fleet.playbook(_play(tmp_path, "other", [_task("take", "host_lock", owner="admin-b")]))
    refused = other.task_results("take")["no-iis-1"]
    assert refused["failed"] is True
    assert "held by another run" in refused["msg"] and "admin-a" in refused["msg"]

    wrong_release = fleet.playbook(_play(tmp_path, "wrong", [_task("release", "host_lock", owner="admin-b",
                                                                   state="absent")]))
    assert wrong_release.task_results("release")["no-iis-1"]["failed"] is True

    release = fleet.playbook(_play(tmp_path, "release", [
        _task("release", "host_lock", owner="admin-a", state="absent"),
        _task("take", "host_lock", owner="admin-b"),
        _task("force", "host_lock", owner="admin-c", state="absent", force=True),
    ]))
    assert release.task_results("release")["no-iis-1"]["changed"] is True
    assert release.task_results("take")["no-iis-1"]["changed"] is True
    assert release.task_results("force")["no-iis-1"]["changed"] is True


def test_check_mode_predicts_the_lock_and_writes_nothing(fleet, tmp_path):
    before = fleet.state("no-iis-1")
    writes = fleet.metrics()["no-iis-1"]["writes"]
    run = fleet.playbook(_play(tmp_path, "check", [_task("take", "host_lock")]), "--check")
    result = run.task_results("take")["no-iis-1"]
    assert result["changed"] is True and result["held"] is False
    assert fleet.metrics()["no-iis-1"]["writes"] == writes
    assert fleet.state("no-iis-1")["files"] == before["files"]


def test_progress_is_recorded_once_read_back_and_cleared(fleet, tmp_path):
    run = fleet.playbook(_play(tmp_path, "progress", [
        _task("record", "remediation_progress", kb="Q197303", step="removed", details={"platform": "x86"}),
        _task("again", "remediation_progress", kb="Q197303", step="removed", details={"platform": "x86"}),
        _task("read", "remediation_progress", kb="Q197303", state="query"),
    ]))
    assert run.task_results("record")["no-iis-1"]["changed"] is True
    assert run.task_results("again")["no-iis-1"]["changed"] is False
    progress = run.task_results("read")["no-iis-1"]["progress"]
    assert progress["step"] == "removed" and progress["steps_done"] == ["started", "staged", "removed"]
    assert progress["details"] == {"platform": "x86"}
    writes = fleet.metrics()["no-iis-1"]["writes"]

    check = fleet.playbook(_play(tmp_path, "check", [
        _task("advance", "remediation_progress", kb="Q197303", step="overlaid"),
    ]), "--check", "--diff")
    predicted = check.task_results("advance")["no-iis-1"]
    assert predicted["changed"] is True and "step: overlaid" in predicted["diff"]["after"]
    assert fleet.metrics()["no-iis-1"]["writes"] == writes

    clear = fleet.playbook(_play(tmp_path, "clear", [
        _task("clear", "remediation_progress", kb="Q197303", state="absent"),
        _task("read", "remediation_progress", kb="Q197303", state="query"),
    ]))
    assert clear.task_results("clear")["no-iis-1"]["changed"] is True
    assert clear.task_results("read")["no-iis-1"]["progress"] is None
