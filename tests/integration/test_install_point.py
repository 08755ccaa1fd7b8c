"""install_point run by `ansible-playbook` over WinRM against simulated hosts: stage a tree from
the controller in chunked batches, re-run without writes, check mode leaves the host as it was,
and stage from a directory the host reads itself."""

from __future__ import annotations

import hashlib
import math
import os
import textwrap
from pathlib import Path

import pytest
from harness import Fleet

pytestmark = pytest.mark.integration

DEST = "C:\\OptionPack"


def staging_playbook(tmp_path: Path, name: str, **options: str) -> Path:
    lines = "".join(f"                {key}: '{value}'\n" for key, value in options.items())
    playbook = tmp_path / f"{name}.yml"
    playbook.write_text(textwrap.dedent(f"""
        - name: Stage an installation point
          hosts: windows
          gather_facts: false
          tasks:
            - name: Stage
              winops.iis_hotfix.install_point:
{lines}"""), encoding="utf-8")
    return playbook


def host_files(fleet: Fleet, host: str, root: str) -> dict[str, dict]:
    """Files under root on the host, by path relative to it (lower case, as Windows compares)."""
    prefix = root.lower() + "\\"
    return {
        entry["path"].lower()[len(prefix):]: entry
        for entry in fleet.state(host)["files"]
        if entry["path"].lower().startswith(prefix)
    }


def local_files(root: Path) -> dict[str, bytes]:
    found = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            found["\\".join(path.relative_to(root).parts).lower()] = path.read_bytes()
    return found


@pytest.fixture
def media(tmp_path) -> Path:
    root = tmp_path / "optionpack"
    (root / "i386" / "inetsrv").mkdir(parents=True)
    (root / "empty").mkdir()
    # Larger than one request may carry: its chunks travel in several batches.
    (root / "i386" / "msmq.cab").write_bytes(hashlib.sha256(b"seed").digest() * (110 * 1024))
    (root / "i386" / "Ims.inf").write_bytes(b"[Version]\r\nSignature=\"$Chicago$\"\r\n" * 900)
    (root / "i386" / "inetsrv" / "Imsinsc.dll").write_bytes(b"MZ" + bytes(range(256)) * 2015)
    (root / "setup.exe").write_bytes(b"MZ\x90\x00" * 100)
    (root / "M\u00fcller & $(calc) 'q'.txt").write_bytes("Gr\u00fc\u00dfe\r\n".encode("utf-8"))
    (root / "zero.txt").write_bytes(b"")
    return root


def test_stages_verifies_and_second_run_changes_nothing(start_fleet, tmp_path, media):
    fleet: Fleet = start_fleet("--hosts", "no-iis:1")
    host = "no-iis-1"
    playbook = staging_playbook(tmp_path, "stage", src=str(media), dest=DEST)

    first = fleet.playbook(playbook)

    assert first.rc == 0, first.stdout + first.stderr
    result = first.results()[host]
    assert result["changed"] is True
    expected = local_files(media)
    assert sorted(path.lower() for path in result["files_copied"]) == sorted(expected)
    assert result["bytes_copied"] == sum(len(data) for data in expected.values())
    on_host = host_files(fleet, host, DEST)
    assert {path: entry["sha256"] for path, entry in on_host.items()} == {
        path: hashlib.sha256(data).hexdigest() for path, data in expected.items()
    }
    assert any(entry["path"].lower() == (DEST + "\\empty").lower() for entry in fleet.state(host)["directories"])
    # One read, then writes of at most 2 MiB of content each; progress was shown between them.
    assert fleet.metrics()[host]["commands_by_kind"]["powershell"] >= 1 + math.ceil(result["bytes_copied"] / 2**21)
    assert "install_point [no-iis-1]:" in first.stdout
    before = fleet.metrics()[host]

    second = fleet.playbook(playbook)

    assert second.rc == 0, second.stdout + second.stderr
    again = second.results()[host]
    assert again["changed"] is False
    assert again["files_copied"] == [] and again["bytes_copied"] == 0
    after = fleet.metrics()[host]
    assert after["writes"] == before["writes"]
    assert after["commands_by_kind"]["powershell"] == before["commands_by_kind"]["powershell"] + 1


def test_check_mode_lists_changes_and_leaves_the_host_as_it_was(start_fleet, tmp_path, media):
    fleet: Fleet = start_fleet("--hosts", "no-iis:1")
    host = "no-iis-1"
    playbook = staging_playbook(tmp_path, "stage", src=str(media), dest=DEST)
    assert fleet.playbook(playbook).rc == 0
    (media / "i386" / "Ims.inf").write_bytes(b"[Version]\r\nfixed\r\n")
    (media / "i386" / "new.dll").write_bytes(b"MZ new")
    state_before = fleet.state(host)
    writes_before = fleet.metrics()[host]["writes"]

    checked = fleet.playbook(playbook, "--check", "--diff")

    assert checked.rc == 0, checked.stdout + checked.stderr
    result = checked.results()[host]
    assert result["changed"] is True
    assert sorted(result["files_copied"]) == ["i386\\Ims.inf", "i386\\new.dll"]
    assert result["bytes_copied"] == 18 + 6
    assert fleet.state(host) == state_before
    assert fleet.metrics()[host]["writes"] == writes_before

    applied = fleet.playbook(playbook)

    assert applied.rc == 0, applied.stdout + applied.stderr
    assert sorted(applied.results()[host]["files_copied"]) == ["i386\\Ims.inf", "i386\\new.dll"]
    on_host = host_files(fleet, host, DEST)
    assert on_host["i386\\ims.inf"]["sha256"] == hashlib.sha256(b"[Version]\r\nfixed\r\n").hexdigest()


def test_stages_from_a_directory_the_host_reads(start_fleet, tmp_path):
    fleet: Fleet = start_fleet("--hosts", "iis4-kb:1")
    host = "iis4-kb-1"
    media_root = "C:\\NTOPTPAK\\x86"
    originals = host_files(fleet, host, media_root)
    assert originals, "the iis4-kb profile keeps the Option Pack media on the host"
    dest = "C:\\Stage\\x86"
    playbook = staging_playbook(tmp_path, "remote", remote_src=media_root, dest=dest)

    first = fleet.playbook(playbook)

    assert first.rc == 0, first.stdout + first.stderr
    result = first.results()[host]
    assert result["changed"] is True and len(result["files_copied"]) == len(originals)
    staged = host_files(fleet, host, dest)
    assert {path: entry["sha256"] for path, entry in staged.items()} == {
        path: entry["sha256"] for path, entry in originals.items()
    }
    writes = fleet.metrics()[host]["writes"]

    second = fleet.playbook(playbook)

    assert second.rc == 0 and second.results()[host]["changed"] is False
    assert fleet.metrics()[host]["writes"] == writes
