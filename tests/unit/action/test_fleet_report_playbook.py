"""fleet_report at the end of real `ansible-playbook` runs: iis_facts reaches hosts over a connection plugin that
replays recorded agent responses, refuses connections for some hosts and answers garbage for others; the
report must list every host, unreachable ones as unreachable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

REPLAYING_CONNECTION = '''
import json
import os

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.connection import ConnectionBase

DOCUMENTATION = """
name: replayed_windows
short_description: Replays recorded win-primitive-agent responses (tests only)
description: Answers every command with the response named for the host in REPLAYED_RESPONSES.
author: WinOps maintainers (@winops)
"""


class Connection(ConnectionBase):
    transport = "replayed_windows"
    _shell_type = "powershell"

    def _connect(self):
        self._connected = True
        return self

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        answer = json.loads(os.environ["REPLAYED_RESPONSES"])[self._play_context.remote_addr]
        if answer == "unreachable":
            raise AnsibleConnectionFailure("replayed: connection refused")
        if answer == "garbage":
            return 0, b"this is not the agent's JSON\\r\\n", b""
        with open(answer, "rb") as handle:
            return 0, json.dumps(json.load(handle)).encode("ascii") + b"\\r\\n", b""

    def put_file(self, in_path, out_path):
        raise AssertionError("no file transfers expected")

    def fetch_file(self, in_path, out_path):
        raise AssertionError("no file transfers expected")

    def close(self):
        self._connected = False
'''

AUDIT_AND_REPORT = """
- name: Audit
  hosts: iis
  gather_facts: false
  tasks:
    - name: Read IIS facts
      winops.iis_hotfix.iis_facts:
      register: iis_hotfix_audit
      ignore_unreachable: "{{ keep_unreachable | default(false) }}"

    - name: Write the fleet report
      winops.iis_hotfix.fleet_report:
      run_once: true
      delegate_to: localhost
      register: iis_hotfix_report

    - name: Keep what the report task returned
      ansible.builtin.copy:
        content: "{{ iis_hotfix_report | to_json }}"
        dest: "{{ playbook_dir }}/report-task.json"
        mode: "0600"
      run_once: true
      delegate_to: localhost
      check_mode: false
"""

SERIAL_THEN_REPORT_PLAY = """
- name: Audit one host at a time
  hosts: iis
  gather_facts: false
  serial: 1
  tasks:
    - name: Read IIS facts
      winops.iis_hotfix.iis_facts:
      register: iis_hotfix_audit

    - name: Write the fleet report after each batch
      winops.iis_hotfix.fleet_report:
        report_dir: "{{ playbook_dir }}/batch-{{ ansible_play_batch | join('-') }}"
        formats: [json]
      run_once: true
      delegate_to: localhost

- name: Report
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Write the fleet report from a play of its own
      winops.iis_hotfix.fleet_report:
        hosts: "{{ groups['iis'] }}"
        report_dir: "{{ playbook_dir }}/final"
"""


def run_playbook(tmp_path: Path, collections_root: Path, playbook: str, hosts: dict[str, str], *extra: str):
    plugins = tmp_path / "connection_plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "replayed_windows.py").write_text(REPLAYING_CONNECTION)
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(
        "[iis]\n" + "\n".join(hosts) + "\n[iis:vars]\nansible_connection=replayed_windows\n"
        "[all:vars]\niis_hotfix_report_dir={{ playbook_dir }}/reports\n"
    )
    (tmp_path / "playbook.yml").write_text(playbook)
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(tmp_path / "ansible.cfg"),
        "ANSIBLE_HOME": str(tmp_path / "home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp"),
        "ANSIBLE_COLLECTIONS_PATH": str(collections_root),
        "ANSIBLE_CONNECTION_PLUGINS": str(plugins),
        "ANSIBLE_SHOW_CUSTOM_STATS": "1",
        "ANSIBLE_NOCOLOR": "1",
        "REPLAYED_RESPONSES": json.dumps(hosts),
    }
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), "playbook.yml", *extra]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_every_host_is_reported_and_unreachable_ones_as_unreachable(tmp_path, collections_root):
    hosts = {
        "iis01": str(FIXTURES / "detect_nt4_iis4_nondefault_affected.json"),
        "iis02": str(FIXTURES / "detect_nt4_iis4_nondefault_fixed.json"),
        "down01": "unreachable",
        "broken01": "garbage",
    }
    completed = run_playbook(tmp_path, collections_root, AUDIT_AND_REPORT, hosts, "--check")
    output = completed.stdout + completed.stderr
    assert completed.returncode in (2, 4), output  # a host failed and one was unreachable

    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    statuses = {host["name"]: (host["status"], host["kb"]["Q197303"]["outcome"]) for host in report["hosts"]}
    assert statuses == {
        "iis01": ("ok", "affected"),
        "iis02": ("ok", "fixed"),
        "down01": ("unreachable", "unreachable"),
        "broken01": ("failed", "failed"),
    }
    assert report["check_mode"] is True
    assert report["summary"]["noncompliant_hosts"] == ["iis01", "down01", "broken01"]
    assert "replayed: connection refused" in next(h["reason"] for h in report["hosts"] if h["name"] == "down01")

    junit = ET.parse(tmp_path / "reports" / "junit.xml").getroot()
    assert (junit.get("tests"), junit.get("failures")) == ("4", "3")
    assert 'data-outcome="unreachable"' in (tmp_path / "reports" / "report.html").read_text()

    task_result = json.loads((tmp_path / "report-task.json").read_text())
    assert task_result["changed"] is False
    assert task_result["summary"] == report["summary"]
    assert task_result["files"]["json"] == str(tmp_path / "reports" / "report.json")
    assert "CUSTOM STATS" in output and '"iis_hotfix_report"' in output


def test_the_report_runs_when_every_host_is_unreachable(tmp_path, collections_root):
    hosts = {"down01": "unreachable", "down02": "unreachable"}
    completed = run_playbook(tmp_path, collections_root, AUDIT_AND_REPORT, hosts, "-e", "keep_unreachable=true")
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output  # ignore_unreachable: the hosts stay in the play
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert [host["status"] for host in report["hosts"]] == ["unreachable", "unreachable"]
    assert report["summary"]["compliant"] == 0
    assert report["summary"]["by_kb"]["Q197303"]["unreachable"] == 2


def test_serial_batches_and_a_separate_report_play(tmp_path, collections_root):
    hosts = {
        "iis01": str(FIXTURES / "detect_nt4_iis4_nondefault_affected.json"),
        "iis02": str(FIXTURES / "detect_nt4_no_iis.json"),
    }
    completed = run_playbook(tmp_path, collections_root, SERIAL_THEN_REPORT_PLAY, hosts)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    first = json.loads((tmp_path / "batch-iis01" / "report.json").read_text())
    assert [(host["name"], host["status"]) for host in first["hosts"]] == [("iis01", "ok"), ("iis02", "not_audited")]
    second = json.loads((tmp_path / "batch-iis02" / "report.json").read_text())
    assert [(host["name"], host["status"]) for host in second["hosts"]] == [("iis01", "ok"), ("iis02", "ok")]
    final = json.loads((tmp_path / "final" / "report.json").read_text())
    outcomes = {host["name"]: host["kb"]["Q197303"]["outcome"] for host in final["hosts"]}
    assert outcomes == {"iis01": "affected", "iis02": "not_applicable"}
    assert final["run"]["play"] == "Report"
