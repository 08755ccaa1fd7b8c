"""A host's state directory: saved atomically after changes, reloaded exactly, and a restart is a reboot."""

from __future__ import annotations

import json

from host_fixtures import encoded_powershell, new_host, system_events

from winsim.host import Host, build_spec, open_host
from winsim.host.registry import RegType


def test_a_saved_host_loads_back_to_the_same_snapshot(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "IIS4-KB-1", iis_path=r"D:\Inetsrv")
    host.registry.set_value(r"HKLM\SOFTWARE\Vendor", "Blob", RegType.REG_BINARY, b"\x00\xff")
    host.fs.write_file(r"C:\Temp\Notes.txt", b"remember")
    host.save()

    assert Host.load(tmp_path / "host").snapshot() == host.snapshot()


def test_reopening_a_saved_host_is_a_reboot_that_keeps_disk_registry_and_log(tmp_path):
    state = tmp_path / "host"
    first = new_host(state, "iis4-default", "IIS4-KB-2", iis_path=r"D:\Inetsrv")
    first.fs.write_file(r"C:\Temp\kept.txt", b"kept")
    first.services.start("Schedule")
    first.save()
    before = first.snapshot()

    again = open_host(state, build_spec("no-iis", "IGNORED"))  # a saved host keeps what it is

    after = again.snapshot()
    assert after["computer_name"] == "IIS4-KB-2"
    assert after["files"] == before["files"] and after["registry"] == before["registry"]
    assert after["events"]["System"][:len(before["events"]["System"])] == before["events"]["System"]
    assert len(system_events(again, 7023)) == 4  # SMTP and NNTP failed again at the second boot
    assert again.services.status("Schedule").state == "stopped"  # demand-start: not restarted by a boot
    assert again.services.status("W3SVC").state == "running"


def test_a_command_that_changes_the_host_saves_it_before_returning(tmp_path):
    state = tmp_path / "host"
    host = new_host(state, powershell_version="5.1")
    stamp = (state / "host.json").stat().st_mtime_ns
    writes = host.counters["writes"]

    host.run_command(*encoded_powershell("hostname"), b"")
    assert (state / "host.json").stat().st_mtime_ns == stamp  # nothing changed, nothing written
    assert host.counters["writes"] == writes

    host.fs.write_file(r"C:\Temp\direct.txt", b"x")  # a change made outside a command...
    host.run_command("hostname", "", b"")            # ...is saved by the next command
    assert any(e["path"] == r"C:\Temp\direct.txt"
               for e in json.loads((state / "host.json").read_text())["filesystem"]["entries"])
    assert host.counters["writes"] == writes + 1


def test_saves_are_atomic_and_forget_contents_no_file_uses(tmp_path):
    state = tmp_path / "host"
    host = new_host(state)
    with host.transaction():
        host.fs.write_file(r"C:\Temp\big.bin", b"unique content " * 1000)
    blobs = {p.name for p in (state / "blobs").rglob("*") if p.is_file()}
    assert host.fs.stat(r"C:\Temp\big.bin").sha256 in blobs

    with host.transaction():
        host.fs.delete_file(r"C:\Temp\big.bin")

    assert not [p for p in state.iterdir() if p.name.endswith(".tmp")]
    assert {p.name for p in (state / "blobs").rglob("*") if p.is_file()} < blobs
    json.loads((state / "host.json").read_text())  # whole JSON


def test_counters_count_commands_by_kind_and_writes(tmp_path):
    host = new_host(tmp_path / "host")
    writes = host.counters["writes"]

    host.run_command("hostname", "", b"")
    host.run_command(*encoded_powershell("Get-Hotfix"), b"")
    host.run_command(*encoded_powershell("echo hi"), b"")

    assert host.counters["commands"] == 3
    assert host.counters["commands_by_kind"] == {"raw": 2, "unmodelled": 1}
    assert host.counters["writes"] == writes
