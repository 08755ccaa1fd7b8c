"""hotfix_overlay run by `ansible-playbook` over WinRM against simulated KB Q197303 hosts.

The iis4-kb profiles keep the original Option Pack media on the host in C:\\NTOPTPAK\\<platform>, the
installation point; `python -m winsim media` writes synthetic fix files for both platforms on the controller.
"""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from harness import ROOT, Fleet

pytestmark = pytest.mark.integration

FIX_NAMES = ("Ims.inf", "Imsinsc.dll", "Ins.inf")


@pytest.fixture(scope="module")
def fix_root(tmp_path_factory) -> Path:
    """<out>/fix/x86 and <out>/fix/alpha, as the winsim media generator writes them."""
    out = tmp_path_factory.mktemp("media")
    subprocess.run([sys.executable, "-m", "winsim", "media", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    return out / "fix"


def overlay_playbook(tmp_path: Path, fix_files: Path, name: str = "overlay.yml") -> Path:
    playbook = tmp_path / name
    playbook.write_text(textwrap.dedent(f"""
        - name: Overlay the Q197303 fix
          hosts: windows
          gather_facts: false
          tasks:
            - name: Apply hotfix
              winops.iis_hotfix.hotfix_overlay:
                path: "C:\\\\NTOPTPAK\\\\{{{{ 'alpha' if 'alpha' in inventory_hostname else 'x86' }}}}"
                fix_files: "{fix_files}"
    """), encoding="utf-8")
    return playbook


def files_of(state: dict) -> dict[str, dict]:
    return {entry["path"].lower(): entry for entry in state["files"]}


def iso_mtime(path: Path) -> str:
    """The file's mtime to the second, as winsim's state reports times."""
    moment = datetime.datetime.fromtimestamp(int(path.stat().st_mtime), datetime.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_overlay_applies_per_platform_then_changes_nothing(start_fleet, tmp_path, fix_root):
    fleet: Fleet = start_fleet("--hosts", "iis4-kb:1,iis4-kb-alpha:1")
    playbook = overlay_playbook(tmp_path, fix_root)
    originals = {host: files_of(fleet.state(host)) for host in ("iis4-kb-1", "iis4-kb-alpha-1")}

    first = fleet.playbook(playbook)

    assert first.rc == 0, first.stdout + first.stderr
    for host, platform in (("iis4-kb-1", "x86"), ("iis4-kb-alpha-1", "alpha")):
        result = first.results()[host]
        assert result["changed"] is True, result
        assert result["platform"] == platform
        point = f"c:\\ntoptpak\\{platform}"
        files = files_of(fleet.state(host))
        for name in FIX_NAMES:
            replaced = files[f"{point}\\{name}".lower()]
            assert replaced["sha256"] == sha256_of(fix_root / platform / name)
            assert replaced["mtime"] == iso_mtime(fix_root / platform / name)
            backup = files[f"{point}\\.hotfix-backup\\q197303\\{name}".lower()]
            assert backup["sha256"] == originals[host][f"{point}\\{name}".lower()]["sha256"]
        assert not any("\\incoming" in path for path in files)
    writes_after_first = {host: metrics["writes"] for host, metrics in fleet.metrics().items()}

    second = fleet.playbook(playbook)

    assert second.rc == 0, second.stdout + second.stderr
    for host in ("iis4-kb-1", "iis4-kb-alpha-1"):
        result = second.results()[host]
        assert result["changed"] is False, result
        assert len(result["already_current"]) == 3 and result["replaced"] == []
        assert second.stats[host]["ok"] == 1 and second.stats[host]["skipped"] == 0
    assert {host: metrics["writes"] for host, metrics in fleet.metrics().items()} == writes_after_first


def test_wrong_platform_files_are_refused_and_check_mode_changes_nothing(start_fleet, tmp_path, fix_root):
    fleet: Fleet = start_fleet("--hosts", "iis4-kb:1")
    before = fleet.state("iis4-kb-1")

    refused = fleet.playbook(overlay_playbook(tmp_path, fix_root / "alpha", "alpha-files.yml"))

    result = refused.results()["iis4-kb-1"]
    assert result["failed"] is True
    assert "fix files for x86 (the host's native architecture is x86) refused, nothing was changed" in result["msg"]
    assert "Imsinsc.dll is a PE image for alpha (0x0184), but platform x86 needs i386 (0x014c)" in result["msg"]
    assert fleet.state("iis4-kb-1") == before

    checked = fleet.playbook(overlay_playbook(tmp_path, fix_root), "--check", "--diff")

    result = checked.results()["iis4-kb-1"]
    assert checked.rc == 0, checked.stdout + checked.stderr
    assert result["changed"] is True
    assert result["replaced"] == [f"C:\\NTOPTPAK\\x86\\{name}" for name in FIX_NAMES]
    assert len(result["diff"]) == 3
    assert fleet.state("iis4-kb-1") == before
