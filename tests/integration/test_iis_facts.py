"""iis_facts run by `ansible-playbook` over WinRM against every simulated kind of host: the
verdict and its evidence per profile, the same in check mode, exactly one agent command per host,
and an IIS path full of PowerShell metacharacters that is read as data, never run."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from harness import Fleet

pytestmark = pytest.mark.integration

PROFILES = ("iis4-default", "iis4-kb", "iis4-kb-alpha", "iis4-kb-smtp-only", "iis5", "iis6", "no-iis")
# KB Q197303 verdict, IIS major version, services registered at the hard-coded default path.
EXPECTED = {
    "iis4-default-1": ("not_affected", 4, []),
    "iis4-kb-1": ("affected", 4, ["SMTPSVC", "NNTPSVC"]),
    "iis4-kb-alpha-1": ("affected", 4, ["SMTPSVC", "NNTPSVC"]),
    "iis4-kb-smtp-only-1": ("affected", 4, ["SMTPSVC"]),
    "iis5-1": ("not_applicable", 5, []),
    "iis6-1": ("not_applicable", 6, []),
    "no-iis-1": ("not_applicable", None, []),
}
ODD_IIS_PATH = "C:\\Inet $(calc) `whoami`; 'quoted' M\u00fcller & \u00c5ngstr\u00f6m\\srv"


def audit_playbook(tmp_path: Path) -> Path:
    playbook = tmp_path / "audit.yml"
    playbook.write_text(textwrap.dedent("""
        - name: Audit IIS hosts
          hosts: windows
          gather_facts: false
          tasks:
            - name: Audit
              winops.iis_hotfix.iis_facts:
    """), encoding="utf-8")
    return playbook


def agent_commands(fleet: Fleet) -> dict[str, dict[str, int]]:
    return {host: dict(metrics["commands_by_kind"]) for host, metrics in fleet.metrics().items()}


def assert_verdicts(results: dict[str, dict]) -> None:
    assert sorted(results) == sorted(EXPECTED)
    for host, (verdict, major, broken) in EXPECTED.items():
        result = results[host]
        assert result["changed"] is False, host
        facts = result["ansible_facts"]["iis_hotfix"]
        q197303 = facts["kb"]["Q197303"]
        assert q197303["verdict"] == verdict, (host, q197303)
        assert facts["iis"]["version"]["major"] == major, host
        evidence = "\n".join(q197303["evidence"])
        if major is None:
            assert "IIS is not installed" in evidence
        elif major != 4:
            assert f"IIS {major}.0 is installed; the defect exists only in IIS 4.0" in evidence
        elif verdict == "not_affected":
            assert "is in the default path" in evidence and facts["iis"]["outside_default_path"] is False
        else:
            assert "outside the default path" in evidence and facts["iis"]["outside_default_path"] is True
        for service in ("SMTPSVC", "NNTPSVC"):
            registered_badly = f"{service} is registered in the hard-coded default path" in evidence
            assert registered_badly is (service in broken), (host, service, evidence)
            if service in broken:
                assert f"{service} is stopped with" in evidence and "[7023]" in evidence
    assert results["iis4-kb-alpha-1"]["ansible_facts"]["iis_hotfix"]["architecture"]["native"] == "ALPHA"
    assert results["iis4-kb-1"]["ansible_facts"]["iis_hotfix"]["architecture"]["native"] == "x86"


def test_every_profile_gets_its_verdict_in_one_agent_command_per_host(start_fleet, tmp_path):
    fleet: Fleet = start_fleet("--hosts", ",".join(f"{profile}:1" for profile in PROFILES))
    playbook = audit_playbook(tmp_path)
    assert all(kinds.get("powershell", 0) == 0 for kinds in agent_commands(fleet).values())

    audited = fleet.playbook(playbook)

    assert audited.rc == 0, audited.stdout + audited.stderr
    assert_verdicts(audited.results())
    assert agent_commands(fleet) == {host: {"powershell": 1} for host in EXPECTED}
    writes = {host: metrics["writes"] for host, metrics in fleet.metrics().items()}

    checked = fleet.playbook(playbook, "--check")

    assert checked.rc == 0, checked.stdout + checked.stderr
    assert_verdicts(checked.results())
    assert agent_commands(fleet) == {host: {"powershell": 2} for host in EXPECTED}
    assert {host: metrics["writes"] for host, metrics in fleet.metrics().items()} == writes


def test_an_iis_path_full_of_metacharacters_is_read_as_data(start_fleet, tmp_path):
    fleet_file = tmp_path / "fleet.yml"
    fleet_file.write_text(yaml.safe_dump({
        "hosts": [{"name": "odd", "profile": "iis4-kb", "overrides": {"iis_path": ODD_IIS_PATH}}],
    }, allow_unicode=True), encoding="utf-8")
    fleet: Fleet = start_fleet("--fleet", str(fleet_file))

    audited = fleet.playbook(audit_playbook(tmp_path))

    assert audited.rc == 0, audited.stdout + audited.stderr
    facts = audited.results()["odd"]["ansible_facts"]["iis_hotfix"]
    assert facts["iis"]["install_path"] == ODD_IIS_PATH
    assert facts["iis"]["outside_default_path"] is True
    q197303 = facts["kb"]["Q197303"]
    assert q197303["verdict"] == "affected"
    assert f"IIS is at {ODD_IIS_PATH} (from InstallPath)" in q197303["evidence"][1]
    # One agent command and nothing else: no value of the path was ever run as a command.
    assert agent_commands(fleet) == {"odd": {"powershell": 1}}
