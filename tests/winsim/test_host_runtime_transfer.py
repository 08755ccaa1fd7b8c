"""Ansible's put_file and fetch_file, run through ansible-core's own winrm connection plugin."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from ansible.errors import AnsibleError
from ansible.executor.powershell.module_manifest import _bootstrap_powershell_script
from host_fixtures import AnsibleWinrm, new_host

INETSRV = r"C:\WINNT\System32\inetsrv"


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", "iis4-default", "IIS4-KB-1", powershell_version="5.1",
                    drives={"C": {"size_mb": 4096, "free_mb": 3}})


@pytest.fixture
def ansible(host):
    return AnsibleWinrm(host)


def test_put_then_fetch_round_trips_a_binary_file(ansible, host, tmp_path):
    payload = os.urandom(700_000)  # three of Ansible's 250000-byte put chunks, two 512 KiB fetch steps
    local, fetched = tmp_path / "payload.bin", tmp_path / "fetched.bin"
    local.write_bytes(payload)

    ansible.put_file(local, r"C:\Temp\Payload.BIN")  # Ansible itself compares the SHA-1 the host returns
    ansible.fetch_file(r"c:/temp/payload.bin", fetched)

    assert fetched.read_bytes() == payload
    (stored,) = [f for f in host.snapshot()["files"] if f["path"] == r"C:\Temp\Payload.BIN"]
    assert (stored["size"], stored["sha256"]) == (len(payload), hashlib.sha256(payload).hexdigest())
    put, *fetches = ansible.wire.sent
    assert json.loads(put[2].split(b"\n\0\0\0\0\n")[1])["actions"][0]["name"] == "winrm_put_file.ps1"
    assert len(fetches) == 2
    assert host.counters["commands_by_kind"] == {"put_file": 1, "fetch_file": 2}


def test_an_empty_file_round_trips(ansible, tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    ansible.put_file(tmp_path / "empty", r"C:\Temp\empty.txt")
    ansible.fetch_file(r"C:\Temp\empty.txt", tmp_path / "back")
    assert (tmp_path / "back").read_bytes() == b""


def test_put_into_a_missing_directory_fails_as_the_exec_wrapper_reports_it(ansible, host, tmp_path):
    (tmp_path / "f").write_bytes(b"data")

    with pytest.raises(AnsibleError):
        ansible.put_file(tmp_path / "f", r"C:\NoSuchDir\f.txt")

    report = json.loads(_last_stdout(ansible))
    assert report["failed"] is True
    assert "Could not find a part of the path 'C:\\NoSuchDir\\f.txt'." in report["msg"]
    assert not host.fs.exists(r"C:\NoSuchDir")


def test_put_over_a_dll_a_running_service_has_loaded_is_a_sharing_violation(ansible, host, tmp_path):
    (tmp_path / "fix.dll").write_bytes(b"MZ fixed")

    with pytest.raises(AnsibleError):
        ansible.put_file(tmp_path / "fix.dll", INETSRV + r"\smtpsvc.dll")

    assert "because it is being used by another process" in json.loads(_last_stdout(ansible))["msg"]
    assert host.fs.stat(INETSRV + r"\smtpsvc.dll").size == 428_816


def test_put_past_the_free_space_fails_with_disk_full_leaving_what_fitted(ansible, host, tmp_path):
    free = host.fs.drive("C").free_bytes
    (tmp_path / "big").write_bytes(b"\x01" * (free + 300_000))

    with pytest.raises(AnsibleError):
        ansible.put_file(tmp_path / "big", r"C:\Temp\big.bin")

    assert "There is not enough space on the disk." in json.loads(_last_stdout(ansible))["msg"]
    size = host.fs.stat(r"C:\Temp\big.bin").size
    assert size <= free and size % 250_000 == 0


def test_fetching_a_missing_file_fails_and_a_directory_answers_dir(ansible, host, tmp_path):
    with pytest.raises(AnsibleError):
        ansible.fetch_file(r"C:\Temp\nothing.txt", tmp_path / "nothing")
    result = ansible.wire.results[-1]
    assert (result.rc, result.stderr) == (1, b"C:\\Temp\\nothing.txt does not exist\r\n")

    ansible.fetch_file(INETSRV, tmp_path / "dir")
    assert ansible.wire.results[-1].stdout == b"[DIR]\r\n"
    assert not (tmp_path / "dir").exists()


def test_on_powershell_2_ansibles_own_wrapper_refuses_to_run(tmp_path):
    host = new_host(tmp_path / "host", "no-iis", "PS2-1")  # the profiles' default PowerShell
    ansible = AnsibleWinrm(host)
    (tmp_path / "f").write_bytes(b"data")

    with pytest.raises(AnsibleError):
        ansible.put_file(tmp_path / "f", r"C:\Temp\f.txt")

    assert json.loads(_last_stdout(ansible)) == {"failed": True, "msg": "Ansible requires PowerShell v5.1"}
    assert not host.fs.exists(r"C:\Temp\f.txt")


def test_running_an_ansible_module_is_not_modelled(ansible, host):
    script, stdin = _bootstrap_powershell_script("powershell_expand_user.ps1", {"Path": "~"})

    rc, stdout, stderr = ansible.connection.exec_command(script, in_data=stdin)

    assert (rc, stdout) == (1, b"")
    assert b"powershell_expand_user.ps1" in stderr and b"is not modelled on this simulated host" in stderr
    assert host.counters["commands_by_kind"] == {"unmodelled": 1}


def _last_stdout(ansible: AnsibleWinrm) -> str:
    return ansible.wire.results[-1].stdout.decode()
