"""iis_component run by `ansible-playbook` over WinRM against a simulated KB Q197303 host.

The iis4-kb profile has IIS 4.0 in C:\\Inetsrv and SMTP/NNTP installed by Option Pack setup from the original
media, which stay on the host in C:\\NTOPTPAK\\x86: both services fail with 7023. The KB procedure: remove them
(backing up the mail queue, the news store and the metabase), stage an installation point, put the fix files in
it, install again from it and restore the data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from harness import ROOT, Fleet

pytestmark = pytest.mark.integration

HOST = "iis4-kb-1"
MEDIA = "C:\\NTOPTPAK\\x86"
POINT = "C:\\IisHotfix\\Point"
DATA_ROOTS = ("c:\\inetpub\\mailroot\\", "c:\\inetpub\\nntpfile\\", "c:\\inetsrv\\metabase.bin")


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    """<out>/media/<platform> (Option Pack files) and <out>/fix/<platform> (the Q197303 fix files)."""
    out = tmp_path_factory.mktemp("media")
    subprocess.run(
        [sys.executable, "-m", "winsim", "media", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def playbook(tmp_path: Path, name: str, tasks: list[dict]) -> Path:
    path = tmp_path / f"{name}.yml"
    play = [{"name": name, "hosts": "windows", "gather_facts": False, "tasks": tasks}]
    path.write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
    return path


def component(name: str, state: str, source: str) -> dict:
    return {
        "name": name,
        "winops.iis_hotfix.iis_component": {"name": ["smtp", "nntp"], "state": state, "source": source},
    }


def data_files(state: dict) -> dict[str, str]:
    """sha256 of every file under Mailroot and nntpfile, and of the metabase."""
    return {
        entry["path"].lower(): entry["sha256"]
        for entry in state["files"]
        if entry["path"].lower().startswith(DATA_ROOTS)
    }


def services(state: dict) -> dict[str, tuple[str, str]]:
    return {
        entry["name"]: (entry["state"], entry["install_path"])
        for entry in state["services"]
        if entry["name"] in ("SMTPSVC", "NNTPSVC")
    }


def test_remove_and_reinstall_from_a_fixed_installation_point_keeps_every_file(start_fleet, tmp_path, media):
    fleet: Fleet = start_fleet("--hosts", "iis4-kb:1")
    before = fleet.state(HOST)
    assert {name: state for name, (state, _) in services(before).items()} == {
        "SMTPSVC": "stopped",
        "NNTPSVC": "stopped",
    }
    queued = [path for path in data_files(before) if "\\queue\\" in path]
    articles = [path for path in data_files(before) if path.endswith(".nws")]
    assert queued and articles

    preview = fleet.playbook(playbook(tmp_path, "preview", [component("Remove", "absent", MEDIA)]), "--check", "--diff")
    planned = preview.task_results("Remove")[HOST]
    assert preview.rc == 0 and planned["changed"] is True, planned
    assert planned["plan"]["remove"] == ["smtp", "nntp"]
    assert planned["backup"]["files"] == len(data_files(before))
    assert fleet.state(HOST) == before

    run = fleet.playbook(
        playbook(
            tmp_path,
            "procedure",
            [
                component("Remove", "absent", MEDIA),
                {"name": "Stage", "winops.iis_hotfix.install_point": {"remote_src": MEDIA, "dest": POINT}},
                {
                    "name": "Overlay",
                    "winops.iis_hotfix.hotfix_overlay": {"path": POINT, "fix_files": str(media / "fix")},
                },
                component("Install", "present", POINT),
            ],
        )
    )

    assert run.rc == 0, run.stdout + run.stderr
    removed = run.task_results("Remove")[HOST]
    assert removed["components"]["smtp"] == {"before": "stopped", "after": "absent"}
    assert removed["backup"]["files"] == len(data_files(before))
    assert removed["setup"]["exit_code"] == 0
    installed = run.task_results("Install")[HOST]
    assert installed["components"] == {
        "smtp": {"before": "absent", "after": "running"},
        "nntp": {"before": "absent", "after": "running"},
    }
    assert installed["restored"]["verified"] == len(data_files(before))
    assert installed["events"] == []
    after = fleet.state(HOST)
    assert data_files(after) == data_files(before)
    assert services(after) == {"SMTPSVC": ("running", "C:\\Inetsrv"), "NNTPSVC": ("running", "C:\\Inetsrv")}
    writes = fleet.metrics()[HOST]["writes"]

    again = fleet.playbook(playbook(tmp_path, "again", [component("Install", "present", POINT)]))
    assert again.task_results("Install")[HOST]["changed"] is False
    assert fleet.metrics()[HOST]["writes"] == writes

    converged = fleet.state(HOST)
    check = fleet.playbook(playbook(tmp_path, "check", [component("Install", "present", POINT)]), "--check")
    assert check.task_results("Install")[HOST]["changed"] is False
    assert fleet.state(HOST) == converged


def test_a_failing_setup_fails_the_task_with_its_recorded_error(start_fleet, tmp_path, media):
    fleet: Fleet = start_fleet("--hosts", "iis4-kb:1")
    bad = tmp_path / "bad-point"
    shutil.copytree(media / "media" / "x86", bad)
    shutil.copyfile(media / "media" / "alpha" / "Imsinsc.dll", bad / "Imsinsc.dll")  # wrong machine type
    before = fleet.state(HOST)

    run = fleet.playbook(
        playbook(
            tmp_path,
            "bad",
            [
                {"name": "Stage", "winops.iis_hotfix.install_point": {"src": str(bad), "dest": "C:\\BadPoint"}},
                component("Remove", "absent", "C:\\BadPoint"),
            ],
        )
    )

    result = run.task_results("Remove")[HOST]
    assert result["failed"] is True
    assert "setup failed with exit code 193" in result["msg"], result["msg"]
    assert "errors recorded by setup:" in result["msg"] and "193" in result["msg"].split("errors recorded")[1]
    assert result["details"]["exit_code"] == 193 and result["details"]["setup_errors"]
    after = fleet.state(HOST)
    assert services(after) == services(before)  # setup stopped before changing anything
    assert data_files(after) == data_files(before)
    assert result["backup"]["files"] == len(data_files(before))
