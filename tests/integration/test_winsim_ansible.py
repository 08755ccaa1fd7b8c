"""Real Ansible against the simulated fleet: what an administrator sees from `ansible` on a Windows fleet."""

from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

import pytest
import yaml
from harness import Fleet


def _write_fleet(path: Path, document: dict) -> Path:
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_raw_hostname_answers_with_each_hosts_own_name(start_fleet):
    fleet: Fleet = start_fleet("--hosts", "iis4-default:2,no-iis:1")

    run = fleet.ansible("all", "raw", "hostname")

    assert run.rc == 0, run.stdout + run.stderr
    results = run.results()
    assert sorted(results) == ["iis4-default-1", "iis4-default-2", "no-iis-1"]
    for host, result in results.items():
        assert result["rc"] == 0
        assert result["stdout"].strip() == host.upper()
    # Every host was reached over HTTPS with the fleet CA validated, never with validation switched off.
    for host in results:
        variables = fleet.host_vars(host)
        assert variables["ansible_winrm_scheme"] == "https"
        assert variables["ansible_winrm_server_cert_validation"] == "validate"
        assert Path(variables["ansible_winrm_ca_trust_path"]).is_file()


def test_ntlm_over_http_uses_message_encryption(start_fleet, tmp_path):
    fleet_file = _write_fleet(tmp_path / "fleet.yml", {
        "hosts": [{"name": "plainhttp", "profile": "no-iis", "listeners": ["http"]}],
    })
    fleet = start_fleet("--fleet", str(fleet_file))
    assert fleet.host_vars("plainhttp")["ansible_winrm_transport"] == "ntlm"

    run = fleet.ansible("all", "raw", "echo encrypted-hello")

    assert run.rc == 0, run.stdout + run.stderr
    assert run.results()["plainhttp"]["stdout"].strip() == "encrypted-hello"
    metrics = fleet.metrics()["plainhttp"]
    assert metrics["requests"] > 0
    assert metrics["encrypted_requests"] == metrics["requests"] - metrics["auth_handshakes"]


def test_wrong_password_shows_as_unreachable(start_fleet, tmp_path):
    fleet = start_fleet("--hosts", "no-iis:2")
    inventory = yaml.safe_load(fleet.inventory.read_text(encoding="utf-8"))
    group = inventory["all"]["children"]["windows"]["children"]["profile_no_iis"]["hosts"]
    group["no-iis-2"]["ansible_password"] = "not-the-password"
    bad_inventory = tmp_path / "wrong-password.yml"
    bad_inventory.write_text(yaml.safe_dump(inventory), encoding="utf-8")

    run = fleet.ansible("all", "raw", "hostname", inventory=bad_inventory)

    assert run.stats["no-iis-1"]["ok"] == 1
    assert run.stats["no-iis-2"]["unreachable"] == 1
    assert run.results()["no-iis-2"]["unreachable"] is True
    assert "credentials" in run.results()["no-iis-2"]["msg"].lower()
    assert fleet.metrics()["no-iis-2"]["auth_failures"] >= 1


def test_basic_over_plain_http_is_refused_unless_the_host_allows_it(start_fleet, tmp_path):
    fleet_file = _write_fleet(tmp_path / "fleet.yml", {
        "defaults": {"listeners": ["http"]},
        "hosts": [
            {"name": "hardened", "profile": "no-iis"},
            {"name": "lab", "profile": "no-iis", "auth_basic": True, "allow_unencrypted": True},
        ],
    })
    fleet = start_fleet("--fleet", str(fleet_file))
    basic = ["-e", "ansible_winrm_transport=basic", "-e", "ansible_winrm_message_encryption=never"]

    run = fleet.ansible("all", "raw", "hostname", *basic)

    assert run.stats["lab"]["ok"] == 1
    assert run.results()["lab"]["stdout"].strip() == "LAB"
    assert run.stats["hardened"]["unreachable"] == 1
    assert run.stats["hardened"]["ok"] == 0


def _ps51_fleet(start_fleet, tmp_path: Path):
    """Ansible 2.19's file transfer needs PowerShell 5.1 on the host, as on real Windows."""
    fleet_file = _write_fleet(tmp_path / "fleet.yml", {
        "hosts": [{"name": "no-iis-1", "profile": "no-iis", "overrides": {"powershell_version": "5.1"}}],
    })
    return start_fleet("--fleet", str(fleet_file))


def test_put_file_and_fetch_file_through_the_winrm_connection(start_fleet, tmp_path):
    fleet = _ps51_fleet(start_fleet, tmp_path)
    payload = os.urandom(700_000)  # more than one of Ansible's 250000-byte put chunks and 512 KiB fetch steps
    local = tmp_path / "payload.bin"
    local.write_bytes(payload)
    fetched = tmp_path / "fetched.bin"

    connection = _winrm_connection(fleet.host_vars("no-iis-1"))
    try:
        connection.put_file(str(local), r"C:\TEMP\Payload.BIN")
        connection.fetch_file(r"c:\temp\payload.bin", str(fetched))
    finally:
        connection.close()

    assert fetched.read_bytes() == payload
    files = {f["path"].lower(): f for f in fleet.state("no-iis-1")["files"]}
    stored = files[r"c:\temp\payload.bin"]
    assert stored["size"] == len(payload)
    assert stored["sha256"] == hashlib.sha256(payload).hexdigest()


def test_ansible_file_transfer_is_refused_by_a_powershell_2_host_as_on_windows(start_fleet, tmp_path):
    from ansible.errors import AnsibleError

    fleet = start_fleet("--hosts", "no-iis:1")  # NT 4.0 with Windows PowerShell 2.0
    local = tmp_path / "note.txt"
    local.write_text("x", encoding="utf-8")
    connection = _winrm_connection(fleet.host_vars("no-iis-1"))
    try:
        with pytest.raises(AnsibleError):
            connection.put_file(str(local), r"C:\TEMP\note.txt")
    finally:
        connection.close()
    assert r"c:\temp\note.txt" not in {f["path"].lower() for f in fleet.state("no-iis-1")["files"]}


def test_unmodelled_command_fails_clearly_never_fakes_success(start_fleet):
    fleet = start_fleet("--hosts", "no-iis:1")

    run = fleet.ansible("all", "raw", "Get-Hotfix -Id KB123456")

    result = run.results()["no-iis-1"]
    assert result["rc"] != 0
    assert "not modelled" in result["stderr"]


def test_host_disk_survives_a_restart_and_stop_leaves_no_process(start_fleet, tmp_path):
    fleet = _ps51_fleet(start_fleet, tmp_path)
    local = tmp_path / "note.txt"
    local.write_text("kept across reboots\n", encoding="utf-8")
    connection = _winrm_connection(fleet.host_vars("no-iis-1"))
    try:
        connection.put_file(str(local), r"C:\note.txt")
    finally:
        connection.close()
    pid = _daemon_pid(fleet)

    fleet.stop()
    assert not _process_alive(pid)
    assert not [cmd for cmd in _all_cmdlines() if str(fleet.workdir) in cmd]

    fleet.start()
    files = {f["path"].lower(): f for f in fleet.state("no-iis-1")["files"]}
    assert files[r"c:\note.txt"]["size"] == len(local.read_bytes())


def test_faults_set_on_a_running_fleet_reach_ansible(start_fleet):
    fleet = start_fleet("--hosts", "no-iis:1")
    fleet.winsim("faults", "--workdir", str(fleet.workdir), "no-iis-1", "--add", "action=http500,probability=1.0")

    failing = fleet.ansible("all", "raw", "hostname")
    assert failing.stats["no-iis-1"]["ok"] == 0
    assert fleet.metrics()["no-iis-1"]["faults_injected"] >= 1

    fleet.winsim("faults", "--workdir", str(fleet.workdir), "no-iis-1")
    healthy = fleet.ansible("all", "raw", "hostname")
    assert healthy.stats["no-iis-1"]["ok"] == 1


def test_an_unreachable_host_in_the_fleet_file_is_reported_unreachable(start_fleet, tmp_path):
    fleet_file = _write_fleet(tmp_path / "fleet.yml", {
        "hosts": [{"name": "up", "profile": "no-iis"}, {"name": "down", "profile": "no-iis", "unreachable": True}],
    })
    fleet = start_fleet("--fleet", str(fleet_file))

    run = fleet.ansible("all", "raw", "hostname")

    assert run.stats["up"]["ok"] == 1
    assert run.stats["down"]["unreachable"] == 1


def test_bad_fleet_file_is_refused_with_a_clear_message(tmp_path):
    fleet_file = tmp_path / "fleet.yml"
    fleet_file.write_text(textwrap.dedent("""
        hosts:
          - profile: no-iis
            lisener: [http]
    """), encoding="utf-8")
    process = Fleet(tmp_path / "w").winsim("start", "--workdir", str(tmp_path / "w"), "--fleet", str(fleet_file),
                                           check=False)
    assert process.returncode != 0
    assert "unknown keys: lisener" in process.stderr


# -- helpers ---------------------------------------------------------------------------------------------------
def _winrm_connection(variables: dict):
    """Ansible's own winrm connection plugin, configured from the inventory variables as a task would be."""
    from ansible.playbook.play_context import PlayContext
    from ansible.plugins.loader import connection_loader

    connection = connection_loader.get("winrm", PlayContext(), "/dev/null")
    extras = {k: v for k, v in variables.items() if k.startswith("ansible_winrm_")}
    connection.set_options(var_options={**variables, "_extras": extras})
    connection._connect()
    return connection


def _daemon_pid(fleet: Fleet) -> int:
    import json

    return json.loads((fleet.workdir / "control.json").read_text(encoding="utf-8"))["pid"]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _all_cmdlines() -> list[str]:
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
    return lines
